/**
 * PagerDuty Events API v2 served by firewatch, driven the way senders drive PagerDuty (curl-like
 * sequences of JSON POSTs, no Authorization header) against the sandbox: trigger → acknowledge →
 * resolve → trigger again, dedup per routing key, PagerDuty's answers, every bad input refused in
 * PagerDuty's shape with nothing written to GitHub, and change events ranked by correlation.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { parseSuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { fixtureSchema, type SandboxStats } from '@firewatch/sandbox';

const PAYMENTS_KEY = 'pd-payments-0123456789abcdef0123';
const SEARCH_KEY = 'pd-search-0123456789abcdef012345';
const shop = { owner: 'acme', repo: 'shop' };
const fixture = fixtureSchema.parse({
  now: '2026-03-02T10:00:00Z',
  repos: [{ owner: 'acme', name: 'shop', files: { '.github/firewatch.yml': 'alerts:\n  autoResolve: true\n  reopenWindow: 1h\n', 'README.md': '# shop\n' } }],
});

let firewatch: Sandboxed;
let alice: Octokit;

function enqueue(body: unknown, path = '/alerts/pagerduty/v2/enqueue'): Promise<Response> {
  return fetch(`${firewatch.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

function trigger(key: string, payload: Record<string, unknown>, dedup?: string) {
  return enqueue({ routing_key: key, event_action: 'trigger', ...(dedup ? { dedup_key: dedup } : {}), payload: { source: 'api-1.example.com', severity: 'error', ...payload } });
}

async function settle(): Promise<void> {
  await firewatch.server.alertQueue.idle();
  await firewatch.sandbox.idle();
}

async function incidents() {
  const { data } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'all', per_page: 100 });
  return data;
}

async function incidentTitled(title: string) {
  const found = (await incidents()).filter((issue) => issue.title.includes(title));
  expect(found).toHaveLength(1);
  return found[0] as NonNullable<(typeof found)[number]>;
}

async function commentsOf(issue: number): Promise<string[]> {
  const { data } = await alice.rest.issues.listComments({ ...shop, issue_number: issue, per_page: 100 });
  return data.map((comment) => comment.body ?? '');
}

async function stats(): Promise<SandboxStats> {
  return (await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as SandboxStats;
}

beforeAll(async () => {
  firewatch = await startSandboxed({
    port: 0,
    sandboxPort: 0,
    logLevel: 'error',
    fixture,
    queue: { coalesceMs: 100 },
    intake: {
      token: 'sandbox-alerts',
      pagerdutyKeys: [
        { name: 'payments-prod', key: PAYMENTS_KEY, service: 'payments' },
        { name: 'search-prod', key: SEARCH_KEY, service: 'search' },
        { name: 'sandbox', key: 'sandbox-pagerduty' },
      ],
    },
  });
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice' });
}, 30_000);

afterAll(async () => {
  await firewatch?.close();
});

describe('PagerDuty Events API v2 → firewatch', () => {
  it('answers a trigger without dedup_key as PagerDuty does, with the key it generated, and opens an incident', async () => {
    const response = await trigger(PAYMENTS_KEY, { summary: 'Payment API 5xx above 2%', custom_details: { error_rate: '2.7%' } });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { status: string; message: string; dedup_key: string };
    expect(body).toEqual({ status: 'success', message: 'Event processed', dedup_key: expect.stringMatching(/^[0-9a-f]{32}$/) });
    await settle();
    const issue = await incidentTitled('Payment API 5xx above 2%');
    expect(issue.title).toBe('[P2] payments: Payment API 5xx above 2%');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name)).sort()).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect(parseStateBlock(issue.body)).toMatchObject({ source: 'pagerduty', service: 'payments', groupKeys: [`payments-prod/${body.dedup_key}`] });
  });

  it('acknowledges through the same routing key: status acknowledged, the integration named, nobody assigned', async () => {
    await trigger(PAYMENTS_KEY, { summary: 'Checkout latency p99 above 2s', severity: 'critical' }, 'checkout-latency');
    await settle();
    const response = await enqueue({ routing_key: PAYMENTS_KEY, dedup_key: 'checkout-latency', event_action: 'acknowledge' });
    expect(await response.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'checkout-latency' });
    await settle();
    const issue = await incidentTitled('Checkout latency p99');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('status:acknowledged');
    expect(issue.assignees ?? []).toEqual([]);
    expect(issue.body).toContain('Acknowledged by the PagerDuty integration "payments-prod"');
    expect(await commentsOf(issue.number)).toContainEqual(expect.stringMatching(/^✅ Acknowledged by the PagerDuty integration "payments-prod": status \*\*acknowledged\*\*\./));
  });

  it('resolves the alert and, with autoResolve, the incident; a new trigger within the reopen window reopens it', async () => {
    await enqueue({ routing_key: PAYMENTS_KEY, dedup_key: 'checkout-latency', event_action: 'resolve' });
    await settle();
    let issue = await incidentTitled('Checkout latency p99');
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    expect(await commentsOf(issue.number)).toContainEqual(expect.stringContaining('All alerts have resolved: **Checkout latency p99 above 2s**. Resolving the incident (autoResolve).'));

    // Once resolved, acknowledge is dropped (as PagerDuty drops it) and writes nothing.
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    expect((await enqueue({ routing_key: PAYMENTS_KEY, dedup_key: 'checkout-latency', event_action: 'acknowledge' })).status).toBe(202);
    await settle();
    expect((await stats()).contentCreating).toBe(0);

    await trigger(PAYMENTS_KEY, { summary: 'Checkout latency p99 above 2s', severity: 'critical' }, 'checkout-latency');
    await settle();
    issue = await incidentTitled('Checkout latency p99');
    expect(issue.state).toBe('open');
    expect(await commentsOf(issue.number)).toContainEqual(expect.stringMatching(/^🔁 Reopened: \*\*Checkout latency p99 above 2s\*\* fired again/));
  });

  it('keeps the same dedup_key through another routing key apart: another incident, and acts through it do not touch the first', async () => {
    await trigger(SEARCH_KEY, { summary: 'Search index stale' }, 'checkout-latency');
    await settle();
    const search = await incidentTitled('Search index stale');
    expect(search.title).toBe('[P2] search: Search index stale');
    await enqueue({ routing_key: SEARCH_KEY, dedup_key: 'checkout-latency', event_action: 'acknowledge' });
    await settle();
    const checkout = await incidentTitled('Checkout latency p99');
    expect(checkout.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('status:triggered');
    expect((await incidentTitled('Search index stale')).labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('status:acknowledged');
  });

  it('refuses every bad event in PagerDuty’s shape and writes nothing to GitHub', async () => {
    await settle();
    const before = (await incidents()).length;
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    const cases: [string, () => Promise<Response>, number, string[]][] = [
      ['a wrong routing key', () => trigger('pd-nobody-0123456789abcdef0123456', { summary: 'x' }), 400, ['Invalid routing key']],
      ['no routing key', () => enqueue({ event_action: 'trigger', payload: { summary: 'x', source: 'h', severity: 'error' } }), 400, ["'routing_key' is missing or blank"]],
      ['a missing summary', () => trigger(PAYMENTS_KEY, { summary: undefined }), 400, ["'payload.summary' is missing or blank"]],
      ['a wrong event_action', () => enqueue({ routing_key: PAYMENTS_KEY, event_action: 'escalate', dedup_key: 'k' }), 400, ["'event_action' is invalid (must be one of trigger, acknowledge, resolve)"]],
      ['an event over 512 KB', () => trigger(PAYMENTS_KEY, { summary: 'big', custom_details: { blob: 'x'.repeat(520 * 1024) } }), 413, ['Event is larger than the 512 KB limit']],
      ['malformed JSON', () => enqueue('{"routing_key": '), 400, [expect.stringMatching(/^Invalid JSON: /) as unknown as string]],
    ];
    for (const [name, send, status, errors] of cases) {
      const response = await send();
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(await response.json()).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors });
    }
    expect((await fetch(`${firewatch.server.url}/alerts/pagerduty/v2/enqueue`)).status).toBe(405);
    await settle();
    expect(await stats()).toMatchObject({ total: 0, contentCreating: 0 });
    expect(await incidents()).toHaveLength(before);
  });

  it("files Alertmanager's captured trigger sent to /alerts/pagerduty with the sandbox key as the webhook source would", async () => {
    const { readFileSync } = await import('node:fs');
    const raw = readFileSync(new URL('../fixtures/alerts/alertmanager-paging/pagerduty-v2/trigger-2-alerts.body.json', import.meta.url), 'utf8').replace('R0UTINGKEY0123456789abcdefABCDEF', 'sandbox-pagerduty');
    expect((await enqueue(raw, '/alerts/pagerduty')).status).toBe(202);
    await settle();
    const issue = await incidentTitled('CheckoutHighErrorRate');
    expect(issue.title).toBe('[P1] checkout: CheckoutHighErrorRate');
    expect(issue.body).toContain('`instance=127.0.0.1:33843`');
    expect(issue.body).toContain('`instance=127.0.0.1:34389`');
    expect(issue.body).toContain('[runbook](https://runbooks.example.com/checkout/high-error-rate)');
    expect(issue.body).toContain('Checkout error rate 41.41% on 127.0.0.1:33843');
  });
});

describe('PagerDuty change events → deploy correlation', () => {
  it('records a change event on GitHub and ranks it as the suspect of an incident that follows it', async () => {
    const change = await enqueue(
      {
        routing_key: PAYMENTS_KEY,
        payload: { summary: 'Config push: payments gateway timeout 30s → 3s', source: 'config-service', timestamp: new Date(firewatch.sandbox.now().getTime() - 5 * 60_000).toISOString(), custom_details: { environment: 'production' } },
        links: [{ href: 'https://config.example.com/changes/77', text: 'Change 77' }],
      },
      '/alerts/pagerduty/v2/change/enqueue',
    );
    expect(change.status).toBe(202);
    expect(await change.json()).toEqual({ status: 'success', message: 'Change event processed' });
    const { data: logs } = await alice.rest.issues.listForRepo({ ...shop, labels: 'firewatch-changes', state: 'all' });
    expect(logs).toHaveLength(1);
    const recorded = await commentsOf(logs[0]?.number ?? 0);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatch(/^🔄 \*\*Change\*\* for \*\*payments\*\* from `config-service` at .*: Config push: payments gateway timeout 30s → 3s/);

    await trigger(PAYMENTS_KEY, { summary: 'Payments gateway timeouts' }, 'gateway-timeouts');
    await settle();
    const issue = await incidentTitled('Payments gateway timeouts');
    const suspects = (await commentsOf(issue.number)).find((body) => parseSuspectsBlock(body));
    const block = parseSuspectsBlock(suspects);
    expect(block?.verdict).toBe('suspects');
    expect(block?.suspects[0]?.key).toMatch(/^acme\/shop@change:\d+$/);
    expect(suspects).toContain('[change event');
    expect(suspects).toContain('reported for payments, the alerting service');
    expect(suspects).not.toContain('Roll back: ``');
  });

  it('refuses a change event without summary, writing nothing', async () => {
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    const response = await enqueue({ routing_key: PAYMENTS_KEY, payload: { source: 'ci' } }, '/alerts/pagerduty/v2/change/enqueue');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ status: 'invalid event', message: 'Event object is invalid', errors: ["'payload.summary' is missing or blank"] });
    expect((await stats()).total).toBe(0);
  });
});
