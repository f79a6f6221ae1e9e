import { createHmac } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '@firewatch/sandbox';
import { startServer, type RunningServer } from '../src/server.ts';
import { startSandboxed, type Sandboxed } from '../src/runtimes/sandbox/startSandboxed.ts';

const SECRET = 'alert-hmac-secret';
let running: Sandboxed;
let alice: Octokit;
let appUrl: string;

beforeAll(async () => {
  running = await startSandboxed({ port: 0, sandboxPort: 0, intake: { token: 'sandbox-alerts', secret: SECRET }, logLevel: 'error', queue: { coalesceMs: 100 } });
  appUrl = running.server.url;
  alice = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-alice' });
});

afterAll(async () => {
  await running?.close();
});

async function shopIssues() {
  const { data } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'all', per_page: 100 });
  return data.filter((issue) => !issue.pull_request);
}

function postAlert(source: string, body: string | Buffer, headers: Record<string, string> = { authorization: 'Bearer sandbox-alerts' }) {
  return fetch(`${appUrl}/alerts/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

const valid = JSON.stringify({ title: 'HighErrorRate', severity: 'P2', service: 'checkout', summary: '5% of checkouts fail' });

describe('POST /alerts/{source} refuses bad input and writes nothing', () => {
  const cases: { name: string; status: number; send: () => Promise<Response>; error: RegExp; hint: RegExp }[] = [
    { name: 'no credentials', status: 401, send: () => postAlert('generic', valid, {}), error: /missing credentials/, hint: /Authorization: Bearer/ },
    { name: 'a wrong bearer token', status: 401, send: () => postAlert('generic', valid, { authorization: 'Bearer sandbox-bob' }), error: /does not match/, hint: /X-Firewatch-Signature/ },
    {
      name: 'a signature made with another secret',
      status: 401,
      send: () => postAlert('generic', valid, { 'x-firewatch-signature': `sha256=${createHmac('sha256', 'other').update(valid).digest('hex')}` }),
      error: /does not match/,
      hint: /FIREWATCH_ALERT_SECRET/,
    },
    { name: 'an unknown source', status: 404, send: () => postAlert('nagios', valid), error: /unknown alert source "nagios"/, hint: /supported sources: .*generic/ },
    { name: 'a generic body sent to the grafana source', status: 422, send: () => postAlert('grafana', valid), error: /grafana alert does not have the expected shape/, hint: /alerts/ },
    { name: 'malformed JSON', status: 400, send: () => postAlert('generic', '{"title": "HighErrorRate",'), error: /malformed JSON/, hint: /JSON/ },
    {
      name: 'the wrong shape',
      status: 422,
      send: () => postAlert('generic', JSON.stringify({ severity: 'P9', links: [{ title: 'x', url: 'javascript:alert(1)' }] })),
      error: /expected shape/,
      hint: /title: .*severity: .*links\[0\]\.url: must be an http\(s\) URL/,
    },
    {
      name: 'a body over 1 MiB',
      status: 413,
      send: () => postAlert('generic', JSON.stringify({ title: 'Big', description: 'x'.repeat(1024 * 1024) })),
      error: /larger than 1 MiB/,
      hint: /smaller/,
    },
  ];

  for (const testCase of cases) {
    it(`${testCase.status} for ${testCase.name}`, async () => {
      const before = await shopIssues();
      const createdBefore = running.sandbox.stats().contentCreating;
      const response = await testCase.send();
      expect(response.status).toBe(testCase.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as { error: string; hint: string };
      expect(body.error).toMatch(testCase.error);
      expect(body.hint).toMatch(testCase.hint);
      expect(await shopIssues()).toEqual(before);
      expect(running.sandbox.stats().contentCreating).toBe(createdBefore);
    });
  }
});

describe('POST /alerts/generic with a valid alert', () => {
  let first: { number: number };
  const accepted = { outcome: 'accepted', alerts: 1 };

  it('answers 202 at once, then files exactly one incident issue in acme/shop with the contract labels', async () => {
    const before = await shopIssues();
    const response = await postAlert('generic', valid);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual(accepted);
    expect(await running.server.alertQueue.idle()).toBe(true);

    const after = await shopIssues();
    expect(after).toHaveLength(before.length + 1);
    const issue = after.find((candidate) => candidate.title === '[P2] checkout: HighErrorRate');
    first = { number: issue?.number ?? -1 };
    expect(issue?.labels.map((label) => (typeof label === 'string' ? label : label.name)).sort()).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect(issue?.body).toContain('checkout');
    expect(issue?.body).toMatch(/firewatch fingerprint: fwfp[0-9a-f]{24}/);
  });

  it('updates the same incident when the same alert fires again', async () => {
    const before = await shopIssues();
    const response = await postAlert('generic', valid);
    expect(response.status).toBe(202);
    await running.server.alertQueue.idle();
    expect(await shopIssues()).toHaveLength(before.length);
    const { data: issue } = await alice.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: first.number });
    expect(issue.body).toMatch(/\| HighErrorRate \| 🔴 firing \|.*\| 2 \|/);
  });

  it('accepts an alert signed with FIREWATCH_ALERT_SECRET instead of the token', async () => {
    const body = JSON.stringify({ title: 'DiskFull', severity: 'warning', service: 'db' });
    const response = await postAlert('generic', body, { 'x-firewatch-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` });
    expect(response.status).toBe(202);
    await running.server.alertQueue.idle();
    const issue = (await shopIssues()).find((candidate) => candidate.title === '[P3] db: DiskFull');
    expect(issue?.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('sev:P3');
  });

  it('files concurrent deliveries of one new alert as a single incident', async () => {
    const body = JSON.stringify({ title: 'QueueBacklog', severity: 'P3', service: 'worker' });
    const before = await shopIssues();
    const responses = await Promise.all(Array.from({ length: 10 }, () => postAlert('generic', body)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(202));
    await running.server.alertQueue.idle();
    const after = await shopIssues();
    expect(after).toHaveLength(before.length + 1);
    expect(after.filter((issue) => issue.title.includes('QueueBacklog'))).toHaveLength(1);
  });
});

describe('health, metrics and webhooks', () => {
  it('GET /healthz reports ok, the mode and the version', async () => {
    const response = await fetch(`${appUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', mode: 'sandbox', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('GET /metrics counts alerts by source and outcome and GitHub requests by status', async () => {
    const response = await fetch(`${appUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^firewatch_alerts_total\{source="generic",outcome="accepted"\} [1-9]/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="generic",outcome="created"\} [1-9]/m);
    expect(text).toMatch(/^firewatch_alert_queue_depth 0$/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="generic",outcome="updated"\} [1-9]/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="generic",outcome="unauthorized"\} 3$/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="unknown",outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^firewatch_alerts_total\{source="grafana",outcome="rejected"\} 1$/m);
    expect(text).toMatch(/^firewatch_github_requests_total\{status="201"\} [1-9]/m);
    expect(text).toMatch(/^firewatch_github_requests_total\{status="200"\} [1-9]/m);
  });

  it('receives the sandbox webhook when bob comments, and counts it by event', async () => {
    const bob = new Octokit({ baseUrl: running.sandbox.apiUrl, auth: 'sandbox-bob' });
    const [incident] = await shopIssues();
    await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: incident!.number, body: 'looking into it' });
    await running.sandbox.idle();
    const delivery = running.sandbox.deliveries().find((candidate) => candidate.event === 'issue_comment');
    expect(delivery?.status).toBe(200);
    const text = await (await fetch(`${appUrl}/metrics`)).text();
    expect(text).toMatch(/^firewatch_webhooks_total\{event="issue_comment"\} [1-9]/m);
  });

  it('refuses a webhook with a bad signature', async () => {
    const payload = JSON.stringify({ action: 'created', issue: { number: 1 } });
    const response = await fetch(`${appUrl}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issue_comment',
        'x-github-delivery': 'forged-1',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-secret').update(payload).digest('hex')}`,
      },
      body: payload,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(await response.text()).toMatch(/signature does not match/);
  });

  it('answers unknown routes and wrong methods with the JSON error shape', async () => {
    const missing = await fetch(`${appUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'no route for GET /nope', hint: expect.stringContaining('/alerts/{source}') });
    const wrongMethod = await fetch(`${appUrl}/alerts/generic`);
    expect(wrongMethod.status).toBe(405);
  });
});

describe('GitHub mode', () => {
  let sandbox: Sandbox;
  let closed: RunningServer;
  let tokenServer: RunningServer;

  beforeAll(async () => {
    sandbox = await Sandbox.start({ port: 0, webhookSecret: 'whsec' });
    const app = { kind: 'app' as const, appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: 'whsec', baseUrl: sandbox.apiUrl };
    closed = await startServer({ mode: 'github', credentials: app, port: 0, intake: {}, defaultRepo: { owner: 'acme', repo: 'shop' }, logLevel: 'fatal' });
    tokenServer = await startServer({
      mode: 'github',
      credentials: { kind: 'token', token: 'sandbox-alice', baseUrl: sandbox.apiUrl },
      port: 0,
      intake: { token: 'a-long-random-token' },
      defaultRepo: { owner: 'acme', repo: 'shop' },
      logLevel: 'fatal',
    });
  });

  afterAll(async () => {
    await closed?.close();
    await tokenServer?.close();
    await sandbox?.close();
  });

  it('refuses every alert when neither token nor secret is configured (fail closed)', async () => {
    const response = await fetch(`${closed.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-alerts', 'content-type': 'application/json' },
      body: valid,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('intake is closed'), hint: expect.stringContaining('FIREWATCH_ALERT_TOKEN') });
    expect(sandbox.stats().contentCreating).toBe(0);
    expect(await (await fetch(`${closed.url}/healthz`)).json()).toMatchObject({ mode: 'github' });
  });

  it('files alerts with a plain token (token mode), as that token\'s user', async () => {
    const response = await fetch(`${tokenServer.url}/alerts/generic`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-long-random-token', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'TokenModeAlert', service: 'api' }),
    });
    expect(response.status).toBe(202);
    await tokenServer.alertQueue.idle();
    const alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice' });
    const { data: issues } = await alice.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'open' });
    const issue = issues.find((candidate) => candidate.title.includes('TokenModeAlert'));
    expect(issue?.user?.login).toBe('alice');
  });
});
