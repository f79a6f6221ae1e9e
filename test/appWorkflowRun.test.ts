/**
 * `workflow_run.completed` inside a real Probot: the run a `/redeploy` dispatched
 * (rollback.method: workflow) is found through the run URL recorded in its incident's timeline,
 * and its outcome lands there. Payloads from @octokit/webhooks-examples; api.github.com
 * intercepted by nock, asserting the exact requests and none left pending.
 */
import { createRequire } from 'node:module';
import type { WebhookDefinition } from '@octokit/webhooks-examples';
import nock from 'nock';
import { Probot, ProbotOctokit } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../src/services/services.ts';
import { createApp } from '../src/app.ts';
import { parseEventMarker } from '../src/domain/text/eventMarker.ts';
import { parseStateBlock, renderStateBlock } from '../src/domain/incident/incidentState.ts';
import { hostileState } from './domain/postmortem/hostileIncident.ts';

const webhooks = createRequire(import.meta.url)('@octokit/webhooks-examples') as WebhookDefinition[];
const completed = webhooks.find((w) => w.name === 'workflow_run')?.examples.find((e) => (e as { action?: string; workflow_run?: { event?: string } }).action === 'completed' && (e as { workflow_run: { event: string } }).workflow_run.event === 'workflow_dispatch');
if (!completed) throw new Error('@octokit/webhooks-examples has no workflow_dispatch workflow_run.completed example');

const repoPath = '/repos/Codertocat/Hello-World';
const runUrl = 'https://github.com/Codertocat/Hello-World/actions/runs/1589141559';

function runPayload(conclusion: string, actorType = 'Bot'): Record<string, unknown> {
  const copy = structuredClone(completed) as unknown as Record<string, unknown> & { workflow_run: Record<string, unknown> };
  Object.assign(copy.workflow_run, {
    conclusion,
    status: 'completed',
    html_url: runUrl,
    path: '.github/workflows/deploy.yml',
    triggering_actor: { login: actorType === 'Bot' ? 'firewatch[bot]' : 'mallory', id: 1, type: actorType },
  });
  return copy;
}

/** An incident whose timeline recorded dispatching `url`. */
function incidentBody(url: string): string {
  const state = hostileState();
  state.timeline.push({ at: '2026-01-14T09:40:00.000Z', type: 'redeploy', actor: 'bob-smith', text: `Redeploy of \`abc1234\` to production dispatched (workflow \`deploy.yml\`, [run 1](${url}))`, markdown: true });
  return `Incident\n\n${renderStateBlock(state)}\n`;
}

let probot: Probot;

beforeAll(() => {
  nock.disableNetConnect();
});
afterAll(() => {
  nock.enableNetConnect();
});

beforeEach(async () => {
  probot = new Probot({
    githubToken: 'test-token',
    logLevel: 'fatal',
    Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  await probot.load(createApp(createServices({ clock: () => new Date('2026-01-14T10:00:00Z') })), { cwd: process.cwd(), addHandler: () => {} });
});

afterEach(() => {
  nock.cleanAll();
});

describe('createApp: workflow_run.completed', () => {
  it('records the outcome of the run /redeploy dispatched in that incident, and only there', async () => {
    let body = '';
    let comment = '';
    const api = nock('https://api.github.com')
      .get(`${repoPath}/issues`)
      .query({ labels: 'incident', state: 'all', sort: 'updated', direction: 'desc', per_page: '30' })
      // #11 dispatched run 15891415590, whose URL starts with ours: it must not match.
      .reply(200, [
        { number: 11, body: incidentBody(`${runUrl}0`), labels: [], state: 'open' },
        { number: 12, body: incidentBody(runUrl), labels: [], state: 'open' },
      ])
      .get(`${repoPath}/contents/.github%2Ffirewatch.yml`).reply(404, { message: 'Not Found' })
      .get('/repos/Codertocat/.github/contents/.github%2Ffirewatch.yml').reply(404, { message: 'Not Found' })
      .get(`${repoPath}/issues/12`).reply(200, { number: 12, title: '[P2] checkout: errors', body: incidentBody(runUrl), state: 'open', labels: [] })
      .patch(`${repoPath}/issues/12`, (b: { body: string }) => ((body = b.body), true)).reply(200, {})
      .post(`${repoPath}/issues/12/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 1 });

    await probot.receive({ id: 'delivery-run', name: 'workflow_run', payload: runPayload('success') as never });

    expect(api.isDone()).toBe(true);
    const entry = parseStateBlock(body)?.timeline.find((e) => e.type === 'redeploy-succeeded');
    expect(entry).toMatchObject({ actor: 'firewatch[bot]', markdown: true });
    const visible = body.split('<!-- firewatch:state')[0] ?? '';
    expect(visible).toContain(`Redeploy workflow run [deploy.yml #36](${runUrl}) succeeded`);
    expect(comment).toMatch(/^✅ Redeploy workflow run \[deploy\.yml #36\]\(https:\/\/github\.com\/Codertocat\/Hello-World\/actions\/runs\/1589141559\) succeeded\./);
    expect(parseEventMarker(comment)).toMatchObject({ type: 'redeploy-succeeded' });
  });

  it('says how a failed run ended', async () => {
    let comment = '';
    const api = nock('https://api.github.com')
      .get(`${repoPath}/issues`).query(true).reply(200, [{ number: 12, body: incidentBody(runUrl), labels: [], state: 'open' }])
      .get(`${repoPath}/contents/.github%2Ffirewatch.yml`).reply(404, { message: 'Not Found' })
      .get('/repos/Codertocat/.github/contents/.github%2Ffirewatch.yml').reply(404, { message: 'Not Found' })
      .get(`${repoPath}/issues/12`).reply(200, { number: 12, title: '[P2] checkout: errors', body: incidentBody(runUrl), state: 'open', labels: [] })
      .patch(`${repoPath}/issues/12`).reply(200, {})
      .post(`${repoPath}/issues/12/comments`, (b: { body: string }) => ((comment = b.body), true)).reply(201, { id: 1 });

    await probot.receive({ id: 'delivery-run-failed', name: 'workflow_run', payload: runPayload('timed_out') as never });

    expect(api.isDone()).toBe(true);
    expect(comment).toContain('❌ Redeploy workflow run [deploy.yml #36]');
    expect(comment).toContain('failed (timed out)');
  });

  it('ignores runs a person dispatched, and runs no incident dispatched, without writing anything', async () => {
    // No interceptor: any request would fail the delivery.
    await expect(probot.receive({ id: 'delivery-human', name: 'workflow_run', payload: runPayload('success', 'User') as never })).resolves.toBeUndefined();

    const api = nock('https://api.github.com').get(`${repoPath}/issues`).query(true).reply(200, [{ number: 12, body: incidentBody(`${runUrl.slice(0, -1)}0`), labels: [], state: 'open' }]);
    await probot.receive({ id: 'delivery-other', name: 'workflow_run', payload: runPayload('success') as never });
    expect(api.isDone()).toBe(true);
  });
});
