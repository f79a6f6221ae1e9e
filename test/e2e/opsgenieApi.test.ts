/**
 * The Opsgenie Alert API served by firewatch, driven as scripts and tools drive Opsgenie
 * (`Authorization: GenieKey …`, JSON bodies, `identifierType`) against the sandbox: create,
 * request status, acknowledge, notes, message and priority updates, close by alias, id and tiny
 * id, the same routes under Jira Service Management's path, and Opsgenie's error shapes for bad
 * requests with nothing written to GitHub.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { opsgenieAlertId } from '../../src/adapters/intake/opsgenie.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { fixtureSchema, type SandboxStats } from '@firewatch/sandbox';
import { eventually } from '../support/processes.ts';

const KEY = 'og-key-00000000-1111-2222-3333-444444444444';
const shop = { owner: 'acme', repo: 'shop' };
const fixture = fixtureSchema.parse({
  now: '2026-03-02T10:00:00Z',
  repos: [{ owner: 'acme', name: 'shop', files: { '.github/firewatch.yml': 'alerts:\n  autoResolve: true\n', 'README.md': '# shop\n' } }],
});

let firewatch: Sandboxed;
let alice: Octokit;

interface Accepted {
  result: string;
  took: number;
  requestId: string;
}

async function call(method: string, path: string, body?: unknown, key = KEY, base = '/alerts/opsgenie/v2/'): Promise<Response> {
  return fetch(`${firewatch.server.url}${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `GenieKey ${key}` } : {}) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

async function accepted(response: Response): Promise<Accepted> {
  expect(response.status).toBe(202);
  const body = (await response.json()) as Accepted;
  expect(body).toEqual({ result: 'Request will be processed', took: expect.any(Number), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(response.headers.get('x-request-id')).toBe(body.requestId);
  return body;
}

async function settle(): Promise<void> {
  await firewatch.server.alertQueue.idle();
  await firewatch.sandbox.idle();
}

async function incidentTitled(title: string) {
  const { data } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'all', per_page: 100 });
  const found = data.filter((issue) => issue.title.includes(title));
  expect(found).toHaveLength(1);
  return found[0] as NonNullable<(typeof found)[number]>;
}

async function commentsOf(issue: number): Promise<string[]> {
  const { data } = await alice.rest.issues.listComments({ ...shop, issue_number: issue, per_page: 100 });
  return data.map((comment) => comment.body ?? '');
}

beforeAll(async () => {
  firewatch = await startSandboxed({
    port: 0,
    sandboxPort: 0,
    logLevel: 'error',
    fixture,
    queue: { coalesceMs: 100 },
    intake: { token: 'sandbox-alerts', opsgenieKeys: [{ name: 'payments-og', key: KEY, service: 'payments' }, { name: 'sandbox', key: 'sandbox-opsgenie' }] },
  });
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice' });
}, 30_000);

afterAll(async () => {
  await firewatch?.close();
});

describe('Opsgenie Alert API → firewatch', () => {
  let requestId = '';

  it('creates an alert as an incident and reports the request once processed', async () => {
    ({ requestId } = await accepted(await call('POST', 'alerts', { message: 'Queue backlog above 10k', alias: 'backlog-eu', description: 'Orders are waiting.', priority: 'P2', details: { region: 'eu-west-1' }, tags: ['queue'] })));
    await settle();
    const issue = await incidentTitled('Queue backlog above 10k');
    expect(issue.title).toBe('[P2] payments: Queue backlog above 10k');
    expect(issue.body).toContain('Orders are waiting.');
    const status = await call('GET', `alerts/requests/${requestId}`);
    expect(status.status).toBe(200);
    expect(await status.json()).toEqual({
      data: { success: true, action: 'Create', processedAt: expect.any(String), integrationId: 'payments-og', isSuccess: true, status: 'Created alert', alertId: opsgenieAlertId('payments-og', 'backlog-eu'), alias: 'backlog-eu' },
      took: expect.any(Number),
      requestId: expect.any(String),
    });
  });

  it('keeps request statuses to their own integration, and says when a request is unknown', async () => {
    const other = await call('GET', `alerts/requests/${requestId}`, undefined, 'sandbox-opsgenie');
    expect(other.status).toBe(404);
    expect(await other.json()).toEqual({ message: 'Request not found. It might not be processed, yet.', took: expect.any(Number), requestId: expect.any(String) });
  });

  it('acknowledges by alias, adds notes by id, changes message and priority, as the incident shows', async () => {
    await accepted(await call('POST', 'alerts/backlog-eu/acknowledge?identifierType=alias', { user: 'Jane', note: 'Looking at the consumers.' }));
    const id = opsgenieAlertId('payments-og', 'backlog-eu');
    await accepted(await call('POST', `alerts/${id}/notes`, { note: 'Consumer group rebalancing; @bob ping me', user: 'Jane' }));
    await accepted(await call('PUT', 'alerts/backlog-eu/message?identifierType=alias', { message: 'Queue backlog above 20k' }));
    await accepted(await call('PUT', 'alerts/backlog-eu/priority?identifierType=alias', { priority: 'P1' }));
    await settle();
    const issue = await incidentTitled('Queue backlog above 20k');
    expect(issue.title).toBe('[P1] payments: Queue backlog above 20k');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual(['incident', 'sev:P1', 'status:acknowledged']);
    const comments = await commentsOf(issue.number);
    expect(comments).toContainEqual(expect.stringMatching(/^✅ Acknowledged by the Opsgenie integration "payments-og" \(user "Jane"\): status \*\*acknowledged\*\*\.\n\n> Looking at the consumers\./));
    expect(comments).toContainEqual(expect.stringMatching(/^📝 Note from the Opsgenie integration "payments-og" \(user "Jane"\):\n\n> Consumer group rebalancing; `@bob` ping me/));
    expect(comments).toContainEqual(expect.stringMatching(/^🌡️ Severity \*\*P2 → P1\*\*: priority set by the Opsgenie integration "payments-og"\./));
  });

  it('closes by tiny id (the issue number) under the Jira Service Management path, resolving the incident', async () => {
    const issue = await incidentTitled('Queue backlog above 20k');
    const { requestId: closeId } = await accepted(await call('POST', `alerts/${issue.number}/close?identifierType=tiny`, {}, KEY, '/jsm/ops/integration/v2/'));
    await settle();
    const closed = await incidentTitled('Queue backlog above 20k');
    expect(closed.state).toBe('closed');
    expect(parseStateBlock(closed.body)?.status).toBe('resolved');
    const status = (await (await call('GET', `alerts/requests/${closeId}`)).json()) as { data: { status: string; isSuccess: boolean } };
    expect(status.data).toMatchObject({ status: 'Closed alert', isSuccess: true });
  });

  it('reports acts on an alias nobody created as failed requests, and writes nothing', async () => {
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    const { requestId: ghost } = await accepted(await call('POST', 'alerts/never-created/close?identifierType=alias', {}));
    await settle();
    const status = await eventually(async () => {
      const response = await call('GET', `alerts/requests/${ghost}`);
      return response.status === 200 ? ((await response.json()) as { data: { status: string; isSuccess: boolean } }) : undefined;
    }, 'the request status');
    expect(status.data).toMatchObject({ isSuccess: false, status: 'Alert does not exist' });
    expect(((await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as SandboxStats).contentCreating).toBe(0);
  });

  it("answers Opsgenie's heartbeat ping", async () => {
    const response = await call('GET', 'heartbeats/nightly-backup/ping');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ result: 'PONG - Heartbeat received', took: expect.any(Number), requestId: expect.any(String) });
    expect((await call('POST', 'heartbeats/nightly-backup/ping', undefined, 'og-wrong-key-000000000000000000')).status).toBe(401);
  });

  it('refuses bad requests in Opsgenie’s shapes and writes nothing to GitHub', async () => {
    await settle();
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    const cases: [string, Promise<Response>, number, Record<string, unknown>][] = [
      ['no key', call('POST', 'alerts', { message: 'x' }, ''), 401, { message: 'Could not authenticate' }],
      ['a wrong key', call('POST', 'alerts', { message: 'x' }, 'og-wrong-key-000000000000000000'), 401, { message: 'Could not authenticate' }],
      ['no message', call('POST', 'alerts', { description: 'x' }), 422, { message: 'Request body is not processable. Please check the errors.', errors: { message: 'Message can not be empty.' } }],
      ['a bad priority', call('PUT', 'alerts/a/priority?identifierType=alias', { priority: 'P0' }), 422, { message: 'Request body is not processable. Please check the errors.', errors: { priority: 'Priority should be one of [P1, P2, P3, P4, P5].' } }],
      ['malformed JSON', call('POST', 'alerts', '{"message":'), 400, { message: expect.stringMatching(/^Could not parse the request body as JSON/) }],
      ['an unknown act', call('POST', 'alerts/a/snooze?identifierType=alias', {}), 404, { message: expect.stringMatching(/^No handler found for POST v2\/alerts\/a\/snooze/) }],
      ['a wrong method', call('GET', 'alerts'), 405, { message: 'GET is not supported here; use POST.' }],
    ];
    for (const [name, sent, status, body] of cases) {
      const response = await sent;
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(await response.json()).toEqual({ ...body, took: expect.any(Number), requestId: expect.any(String) });
    }
    await settle();
    expect(((await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as SandboxStats).total).toBe(0);
  });
});
