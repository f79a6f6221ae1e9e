/**
 * Issue 17: alerts find their incident without the Search API (30 requests a minute on GitHub) and
 * a new incident costs two content-creating requests, counted by the sandbox GitHub for the app's
 * own requests: a storm of distinct problems, a restart, a stale index entry.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { CONTRACT_LABELS } from '../../src/domain/incident/labels.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startServer, type RunningServer } from '../../src/server.ts';
import { NO_PACE } from '../../src/adapters/octokit/githubPacer.ts';

const shop = { owner: 'acme', repo: 'shop' };
const SEARCH = 'GET /search/issues';
const LISTING = 'GET /repos/{owner}/{repo}/issues';
const CREATE = 'POST /repos/{owner}/{repo}/issues';
const UPDATE = 'PATCH /repos/{owner}/{repo}/issues/{issue_number}';
const COMMENT = 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments';
const LABEL_ROUTES = ['POST /repos/{owner}/{repo}/labels', 'PATCH /repos/{owner}/{repo}/labels/{name}'];

let sandbox: Sandbox;
let alice: Octokit;
const running: RunningServer[] = [];

async function start(): Promise<RunningServer> {
  const server = await startServer({
    mode: 'github',
    credentials: { kind: 'app', appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: sandbox.webhookSecret, baseUrl: sandbox.apiUrl },
    port: 0,
    intake: { token: 'index-token' },
    defaultRepo: shop,
    clock: () => sandbox.now(),
    logLevel: 'error',
    // The sandbox runs without limits here (this counts requests); the pacer matches it.
    pace: NO_PACE,
    queue: { coalesceMs: 100 },
    sweepTickMs: 3_600_000,
  });
  running.push(server);
  return server;
}

async function fire(server: RunningServer, titles: string[]): Promise<void> {
  const statuses = await Promise.all(
    titles.map(async (title) => {
      const response = await fetch(`${server.url}/alerts/generic`, {
        method: 'POST',
        headers: { authorization: 'Bearer index-token', 'content-type': 'application/json' },
        body: JSON.stringify({ title, service: 'checkout', severity: 'P3' }),
      });
      await response.text();
      return response.status;
    }),
  );
  expect(new Set(statuses)).toEqual(new Set([202]));
  expect(await server.alertQueue.idle({ timeoutMs: 30_000 })).toBe(true);
}

async function incidents() {
  const { data } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'all', per_page: 100 });
  return data;
}

const count = (route: string) => sandbox.stats().byRoute[route] ?? 0;
/** Writes to the incidents themselves (label definitions are made once per repository). */
const incidentWrites = () => count(CREATE) + count(UPDATE) + count(COMMENT);

beforeAll(async () => {
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'index-webhooks' });
  alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
}, 30_000);

afterAll(async () => {
  for (const server of running) await server.close();
  await sandbox?.close();
});

describe('finding incidents without the Search API', () => {
  it('files a new incident with at most two content-creating requests and no search, then colors the labels once', async () => {
    const server = await start();
    sandbox.resetStats();
    await fire(server, ['IndexFirst']);
    const [issue] = await incidents();
    expect(issue?.title).toContain('IndexFirst');
    expect(count(SEARCH)).toBe(0);
    expect(count(CREATE)).toBe(1);
    expect(count(UPDATE)).toBe(0);
    expect(incidentWrites()).toBeLessThanOrEqual(2);
    expect(sandbox.stats().contentCreating - LABEL_ROUTES.reduce((sum, route) => sum + count(route), 0)).toBeLessThanOrEqual(2);
    const { data: labels } = await alice.rest.issues.listLabelsForRepo({ ...shop, per_page: 100 });
    const incidentLabel = labels.find((label) => label.name === 'incident');
    expect(incidentLabel?.color).toBe(CONTRACT_LABELS.find((label) => label.name === 'incident')?.color.toLowerCase());
    expect(labels.filter((label) => CONTRACT_LABELS.some((spec) => spec.name === label.name))).toHaveLength(CONTRACT_LABELS.length);
  }, 30_000);

  it('files a storm of 40 distinct problems with no search, no further listing and at most two writes each', async () => {
    const server = running[0] as RunningServer;
    sandbox.resetStats();
    await fire(server, Array.from({ length: 40 }, (_, i) => `IndexStorm${i}`));
    expect((await incidents()).filter((issue) => issue.title.includes('IndexStorm'))).toHaveLength(40);
    expect(count(SEARCH)).toBe(0);
    expect(count(LISTING)).toBe(0);
    expect(count(CREATE)).toBe(40);
    expect(incidentWrites()).toBeLessThanOrEqual(80);
    expect(LABEL_ROUTES.map(count)).toEqual([0, 0]);
  }, 60_000);

  it('after a restart, updates the existing issue of a repeat notification with one listing, no duplicate, no search', async () => {
    await (running[0] as RunningServer).close();
    const server = await start();
    const before = await incidents();
    sandbox.resetStats();
    await fire(server, ['IndexStorm7', 'IndexStorm8']);
    const after = await incidents();
    expect(after).toHaveLength(before.length);
    for (const title of ['IndexStorm7', 'IndexStorm8']) {
      expect(parseStateBlock(after.find((issue) => issue.title.endsWith(title))?.body)?.alerts[0]?.count).toBe(2);
    }
    expect(count(SEARCH)).toBe(0);
    expect(count(CREATE)).toBe(0);
    expect(count(LISTING)).toBe(2);
    expect(count(UPDATE)).toBe(2);
  }, 30_000);

  it('does not update an issue whose incident label was removed, nor one closed long ago: new incidents open instead', async () => {
    const server = running[1] as RunningServer;
    const all = await incidents();
    const unlabelled = all.find((issue) => issue.title.endsWith('IndexStorm3'));
    const closed = all.find((issue) => issue.title.endsWith('IndexStorm4'));
    if (!unlabelled || !closed) throw new Error('the storm incidents are missing');
    await alice.rest.issues.removeLabel({ ...shop, issue_number: unlabelled.number, name: 'incident' });
    await alice.rest.issues.update({ ...shop, issue_number: closed.number, state: 'closed', state_reason: 'completed' });
    await sandbox.setNow(new Date(sandbox.now().getTime() + 30 * 86_400_000));
    const bodies = async () => Promise.all([unlabelled.number, closed.number].map(async (number) => (await alice.rest.issues.get({ ...shop, issue_number: number })).data.body));
    const untouched = await bodies();
    sandbox.resetStats();
    await fire(server, ['IndexStorm3', 'IndexStorm4']);
    expect(await bodies()).toEqual(untouched);
    const reopened = (await incidents()).filter((issue) => issue.state === 'open' && (issue.title.endsWith('IndexStorm3') || issue.title.endsWith('IndexStorm4')));
    expect(reopened.map((issue) => issue.number).sort()).not.toContain(unlabelled.number);
    expect(reopened).toHaveLength(2);
    expect(reopened.find((issue) => issue.title.endsWith('IndexStorm4'))?.body).toContain(`Fired before in #${closed.number}`);
    expect(count(CREATE)).toBe(2);
    expect(count(SEARCH)).toBe(0);
  }, 30_000);
});
