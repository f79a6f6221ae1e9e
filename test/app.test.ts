/**
 * The app function inside a real Probot, fed real webhook payloads (from
 * @octokit/webhooks-examples), with api.github.com intercepted by nock: asserts the exact
 * requests firewatch makes and that none is left pending.
 */
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../src/services/services.ts';
import { createApp } from '../src/app.ts';
import { parseEventMarker } from '../src/domain/text/eventMarker.ts';
import { createMetrics, type Metrics } from '../src/adapters/telemetry/metrics.ts';

const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
const example = webhooks.find((w) => w.name === 'issue_comment')?.examples.find((e) => (e as { action?: string }).action === 'created');
if (!example) throw new Error('@octokit/webhooks-examples has no issue_comment.created example');

type Payload = { issue: { number: number; labels: unknown[]; body: string | null }; comment: { id: number; body: string; user: { login: string; type: string } }; sender: { login: string; type: string }; repository: { full_name: string } };

function payload(body: string, login: string, options: { type?: string; incident?: boolean } = {}): Payload {
  const copy = structuredClone(example) as unknown as Payload;
  copy.comment.body = body;
  copy.comment.user = { ...copy.comment.user, login, type: options.type ?? 'User' };
  copy.sender = { ...copy.sender, login, type: options.type ?? 'User' };
  if (options.incident) copy.issue.labels = [{ id: 1, node_id: 'x', url: 'u', name: 'incident', color: 'd73a4a', default: false, description: null }];
  return copy;
}

const repoPath = '/repos/Codertocat/Hello-World';
let probot: Probot;
let metrics: Metrics;

beforeAll(() => {
  nock.disableNetConnect();
});
afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(async () => {
  metrics = createMetrics();
  probot = new Probot({
    githubToken: 'test-token',
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load(createApp(createServices({ clock: () => new Date('2026-01-14T10:00:00Z'), telemetry: { metrics } })), { cwd: process.cwd(), addHandler: () => {} });
});

afterEach(() => {
  nock.cleanAll();
});

function noConfigFiles(scope: nock.Scope): nock.Scope {
  // Probot looks in the repository, then in the org's .github repository.
  return scope
    .get(`${repoPath}/contents/.github%2Ffirewatch.yml`).reply(404, { message: 'Not Found' })
    .get('/repos/Codertocat/.github/contents/.github%2Ffirewatch.yml').reply(404, { message: 'Not Found' });
}

async function receive(body: Payload): Promise<void> {
  await probot.receive({ id: 'delivery-1', name: 'issue_comment', payload: body as never });
}

describe('createApp: issue_comment.created', () => {
  it('answers /help with 👀, a permission check, one reply listing the commands, and 🚀', async () => {
    const comment = (example as unknown as Payload).comment.id;
    const replies: string[] = [];
    const reactions: string[] = [];
    const api = nock('https://api.github.com')
      .post(`${repoPath}/issues/comments/${comment}/reactions`, (b: { content: string }) => reactions.push(b.content) > 0 && b.content === 'eyes').reply(201, {})
      .get(`${repoPath}/collaborators/bob/permission`).reply(200, { permission: 'write', role_name: 'write', user: { login: 'bob' } });
    noConfigFiles(api)
      .post(`${repoPath}/issues/1/comments`, (b: { body: string }) => replies.push(b.body) > 0).reply(201, { id: 9001, html_url: 'https://github.com/c/9001' })
      .post(`${repoPath}/issues/comments/${comment}/reactions`, (b: { content: string }) => reactions.push(b.content) > 0 && b.content === 'rocket').reply(201, {});

    await receive(payload('/help', 'bob'));

    expect(api.isDone()).toBe(true);
    expect(reactions).toEqual(['eyes', 'rocket']);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('**Commands you can run here** (your access: **write**)');
    expect(replies[0]).toContain('`/help [command]`');
    expect(parseEventMarker(replies[0])).toMatchObject({ type: 'command-reply', actor: 'bob', command: 'help', replyTo: comment });
    expect(await metrics.registry.getSingleMetricAsString('firewatch_commands_total')).toContain('firewatch_commands_total{command="help",outcome="ok"} 1');
    expect(await metrics.registry.getSingleMetricAsString('firewatch_webhooks_total')).toContain('firewatch_webhooks_total{event="issue_comment"} 1');
  });

  it('gives a read-only user (eve) the read commands', async () => {
    const replies: string[] = [];
    const api = nock('https://api.github.com')
      .post(/\/reactions$/).reply(201, {})
      .get(`${repoPath}/collaborators/eve/permission`).reply(200, { permission: 'read', role_name: 'read', user: { login: 'eve' } });
    noConfigFiles(api)
      .post(`${repoPath}/issues/1/comments`, (b: { body: string }) => replies.push(b.body) > 0).reply(201, { id: 9002, html_url: 'u' })
      .post(/\/reactions$/, (b: { content: string }) => b.content === 'rocket').reply(201, {});

    await receive(payload('/help', 'eve'));

    expect(api.isDone()).toBe(true);
    expect(replies[0]).toContain('(your access: **read**)');
    expect(replies[0]).toContain('`/help [command]`');
  });

  it('refuses an unknown /hepl on an incident with a suggestion and 😕', async () => {
    const replies: string[] = [];
    const reactions: string[] = [];
    const api = nock('https://api.github.com')
      .post(/\/reactions$/, (b: { content: string }) => reactions.push(b.content) > 0).reply(201, {})
      .get(`${repoPath}/collaborators/bob/permission`).reply(200, { permission: 'write', role_name: 'write', user: { login: 'bob' } });
    noConfigFiles(api)
      .post(`${repoPath}/issues/1/comments`, (b: { body: string }) => replies.push(b.body) > 0).reply(201, { id: 9003, html_url: 'u' })
      .post(/\/reactions$/, (b: { content: string }) => reactions.push(b.content) > 0).reply(201, {});

    await receive(payload('/hepl', 'bob', { incident: true }));

    expect(api.isDone()).toBe(true);
    expect(reactions).toEqual(['eyes', 'confused']);
    expect(replies[0]).toContain('`/hepl` is not a firewatch command. Did you mean `/help`?');
    expect(await metrics.registry.getSingleMetricAsString('firewatch_commands_total')).toContain('firewatch_commands_total{command="unknown",outcome="refused"} 1');
  });

  it('does nothing for a comment by a bot', async () => {
    const api = nock('https://api.github.com').post(/.*/).reply(500).get(/.*/).reply(500);
    await receive(payload('/help', 'firewatch[bot]', { type: 'Bot' }));
    expect(api.pendingMocks()).toHaveLength(2);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_commands_total')).not.toContain('command="help"');
  });

  it('does not re-run commands when a comment is edited', async () => {
    const edited = webhooks.find((w) => w.name === 'issue_comment')?.examples.find((e) => (e as { action?: string }).action === 'edited');
    const api = nock('https://api.github.com').post(/.*/).reply(500).get(/.*/).reply(500);
    await probot.receive({ id: 'delivery-2', name: 'issue_comment', payload: { ...(edited as object), comment: { ...(edited as unknown as Payload).comment, body: '/help' } } as never });
    expect(api.pendingMocks()).toHaveLength(2);
  });
});
