import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { webhookProblems } from './support/webhookSchema.ts';
import { WEBHOOK_SECRET, octokitFor, startReceiver, startSandbox } from './support.ts';

let sandbox: Sandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({ webhookUrl: receiver.url });
});
afterAll(async () => {
  await sandbox.close();
  await receiver.close();
});

describe('webhook deliveries', () => {
  it('emits every mutation as a signed webhook in order, each matching @octokit/webhooks-schemas', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const repo = { owner: 'acme', repo: 'shop' };
    await bob.rest.issues.createLabel({ ...repo, name: 'sev:P3', color: 'fbca04' });
    await bob.rest.issues.updateLabel({ ...repo, name: 'sev:P3', color: 'fef2c0', description: 'Minor' });
    const { data: issue } = await bob.rest.issues.create({ ...repo, title: 'Payments 5xx', body: 'alert fired', labels: ['sev:P3'], assignees: ['carol'] });
    const issueParams = { ...repo, issue_number: issue.number };
    await bob.rest.issues.update({ ...issueParams, title: 'Payments 5xx spike', body: 'alert fired twice' });
    await bob.rest.issues.addLabels({ ...issueParams, labels: ['incident'] });
    await bob.rest.issues.removeLabel({ ...issueParams, name: 'sev:P3' });
    await bob.rest.issues.removeAssignees({ ...issueParams, assignees: ['carol'] });
    const { data: comment } = await bob.rest.issues.createComment({ ...issueParams, body: '/ack' });
    await bob.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: '/ack now' });
    await bob.rest.issues.deleteComment({ ...repo, comment_id: comment.id });
    await bob.rest.issues.lock({ ...issueParams, lock_reason: 'resolved' });
    await bob.rest.issues.unlock(issueParams);
    await bob.rest.issues.update({ ...issueParams, state: 'closed', state_reason: 'completed' });
    await bob.rest.issues.update({ ...issueParams, state: 'open' });
    await bob.rest.issues.deleteLabel({ ...repo, name: 'sev:P3' });
    await sandbox.idle();

    const sequence = receiver.received.map((hook) => `${String(hook.headers['x-github-event'])}.${String(hook.payload['action'])}`);
    expect(sequence).toEqual([
      'label.created',
      'label.edited',
      'issues.opened',
      'issues.labeled',
      'issues.assigned',
      'issues.edited',
      'label.created',
      'issues.labeled',
      'issues.unlabeled',
      'issues.unassigned',
      'issue_comment.created',
      'issue_comment.edited',
      'issue_comment.deleted',
      'issues.locked',
      'issues.unlocked',
      'issues.closed',
      'issues.reopened',
      'label.deleted',
    ]);

    for (const hook of receiver.received) {
      const event = String(hook.headers['x-github-event']);
      const action = String(hook.payload['action']);
      expect(hook.headers['x-hub-signature-256']).toBe(`sha256=${createHmac('sha256', WEBHOOK_SECRET).update(hook.raw).digest('hex')}`);
      expect(hook.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(hook.headers['x-github-hook-id']).toBe('1');
      expect(hook.headers['user-agent']).toBe('GitHub-Hookshot/sandbox');
      expect(hook.headers['content-type']).toBe('application/json');
      expect({ [`${event}.${action}`]: webhookProblems(event, action, hook.payload) }).toEqual({ [`${event}.${action}`]: [] });
      expect(hook.payload['installation']).toMatchObject({ id: sandbox.installationId });
      expect(hook.payload['sender']).toMatchObject({ login: 'bob' });
      expect(hook.payload['organization']).toMatchObject({ login: 'acme' });
    }

    // The validator is not vacuous: a payload without issue, repository or sender fails.
    expect(webhookProblems('issues', 'opened', { action: 'opened' })).not.toEqual([]);

    const edited = receiver.received.find((h) => h.payload['action'] === 'edited' && h.headers['x-github-event'] === 'issues');
    expect(edited?.payload['changes']).toEqual({ title: { from: 'Payments 5xx' }, body: { from: 'alert fired' } });
    const labeled = receiver.received.find((h) => h.payload['action'] === 'labeled');
    expect(labeled?.payload['label']).toMatchObject({ name: 'sev:P3' });
    const commentEdited = receiver.received.find((h) => h.headers['x-github-event'] === 'issue_comment' && h.payload['action'] === 'edited');
    expect(commentEdited?.payload['changes']).toEqual({ body: { from: '/ack' } });

    const log = sandbox.deliveries();
    expect(log.map((d) => d.status)).toEqual(receiver.received.map(() => 200));
    expect(log.map((d) => d.id)).toEqual(receiver.received.map((h) => h.headers['x-github-delivery']));
  });

  it('attributes webhooks caused by the app to firewatch[bot]', async () => {
    const bot = octokitFor(sandbox, 'sandbox-firewatch');
    const before = receiver.received.length;
    const { data: issue } = await bot.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'From the app' });
    await bot.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'firewatch reply' });
    await sandbox.idle();
    const mine = receiver.received.slice(before);
    expect(mine.map((h) => h.payload['sender'])).toEqual([expect.objectContaining({ login: 'firewatch[bot]', type: 'Bot' }), expect.objectContaining({ login: 'firewatch[bot]', type: 'Bot' })]);
    for (const hook of mine) expect(webhookProblems(String(hook.headers['x-github-event']), String(hook.payload['action']), hook.payload)).toEqual([]);
  });

  it('logs a failing or missing target without crashing, and later deliveries still go out', async () => {
    sandbox.setWebhookTarget('http://127.0.0.1:1/unreachable');
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Nobody listening' });
    await sandbox.idle();
    const failed = sandbox.deliveries().at(-1);
    expect(failed).toMatchObject({ event: 'issues', action: 'opened', status: 'error' });
    expect(failed?.error).toMatch(/fetch failed|ECONNREFUSED/);

    sandbox.setWebhookTarget(undefined);
    await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'still here' });
    await sandbox.idle();
    expect(sandbox.deliveries().at(-1)).toMatchObject({ event: 'issue_comment', status: 'error', error: 'no webhook URL configured' });

    sandbox.setWebhookTarget(receiver.url);
    await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'back' });
    await sandbox.idle();
    expect(sandbox.deliveries().at(-1)).toMatchObject({ event: 'issue_comment', status: 200 });
    const listed = (await (await fetch(`${sandbox.url}/_sandbox/deliveries`)).json()) as { id: string }[];
    expect(listed.at(-1)?.id).toBe(sandbox.deliveries().at(-1)?.id);
  });

  it('records the app answer status, such as a 500 from the target', async () => {
    const failing = await startReceiver(500);
    try {
      sandbox.setWebhookTarget(failing.url);
      await octokitFor(sandbox, 'sandbox-bob').rest.issues.create({ owner: 'acme', repo: 'shop', title: 'App crashes' });
      await sandbox.idle();
      expect(sandbox.deliveries().at(-1)).toMatchObject({ status: 500 });
      expect(failing.received).toHaveLength(1);
    } finally {
      sandbox.setWebhookTarget(receiver.url);
      await failing.close();
    }
  });

  it('announces label and comment changes on pull requests as GitHub does (pull_request / issue_comment)', async () => {
    sandbox.reset({
      users: [{ login: 'bob', permission: 'write', token: 'sandbox-bob' }],
      repos: [
        {
          name: 'shop',
          files: { 'README.md': 'shop\n' },
          pulls: [{ title: 'Raise payments timeout', user: 'bob', head: 'timeout', files: [{ path: 'config/timeout', content: '5000\n' }] }],
        },
      ],
    });
    const pr = [...(sandbox.repo('acme', 'shop')?.pulls.values() ?? [])][0];
    expect(pr).toBeDefined();
    const before = receiver.received.length;
    const bob = octokitFor(sandbox, 'sandbox-bob');
    await bob.rest.issues.addLabels({ owner: 'acme', repo: 'shop', issue_number: pr?.number ?? 0, labels: ['bug'] });
    await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: pr?.number ?? 0, body: 'suspect?' });
    await sandbox.idle();
    const hooks = receiver.received.slice(before);
    expect(hooks.map((h) => `${String(h.headers['x-github-event'])}.${String(h.payload['action'])}`)).toEqual(['pull_request.labeled', 'issue_comment.created']);
    for (const hook of hooks) expect(webhookProblems(String(hook.headers['x-github-event']), String(hook.payload['action']), hook.payload)).toEqual([]);
    expect((hooks[1]?.payload['issue'] as Record<string, unknown>)['pull_request']).toMatchObject({ html_url: `${sandbox.url}/acme/shop/pull/${pr?.number ?? 0}` });
  });
});
