import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { Sandbox } from '@firewatch/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';

let sandbox: Sandbox;

beforeAll(async () => {
  // Port 0 picks a free port; the clock stands still at `now` until told otherwise.
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'test-secret', now: new Date('2026-03-02T09:00:00Z') });
});
afterAll(() => sandbox.close());

it('bob opens an issue, and the webhook GitHub would send is queued', async () => {
  const bob = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
  const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Checkout is slow' });
  expect(issue).toMatchObject({ state: 'open', user: { login: 'bob' }, created_at: '2026-03-02T09:00:00Z' });

  await sandbox.idle();
  expect(sandbox.deliveries().at(-1)).toMatchObject({ event: 'issues', action: 'opened', payload: { issue: { number: issue.number } } });

  // eve may read and comment, not label: GitHub answers 403, and so does the sandbox.
  const eve = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-eve' });
  await expect(eve.rest.issues.addLabels({ owner: 'acme', repo: 'shop', issue_number: issue.number, labels: ['bug'] })).rejects.toMatchObject({ status: 403 });
});

it('the embedded GitHub App authenticates as its installation and comments as its bot', async () => {
  const app = new Octokit({
    baseUrl: sandbox.apiUrl,
    authStrategy: createAppAuth,
    auth: { appId: sandbox.appId, privateKey: sandbox.privateKey, installationId: sandbox.installationId },
  });
  // #1 is a seeded pull request; pull requests are issues too, as on GitHub.
  const { data: comment } = await app.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: 1, body: 'Looking into it.' });
  expect(comment.user).toMatchObject({ login: 'firewatch[bot]', type: 'Bot' });
});
