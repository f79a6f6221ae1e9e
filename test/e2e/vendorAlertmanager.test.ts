/**
 * The real Prometheus Alertmanager (Debian's prometheus-alertmanager 0.25) with `pagerduty_configs`
 * and `opsgenie_configs` pointed at firewatch, which files into the sandbox: what was wired to
 * PagerDuty or Opsgenie opens, updates and resolves incidents by changing one URL, and the
 * incidents carry the alerts' labels and annotations as the webhook source gives them.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';
import { fixtureSchema } from '@firewatch/sandbox';
import { startAlertmanager, type PostableAlert, type RunningAlertmanager } from '../support/alertmanager.ts';
import { eventually } from '../support/processes.ts';

const shop = { owner: 'acme', repo: 'shop' };
let firewatch: Sandboxed;
let pagerduty: RunningAlertmanager;
let opsgenie: RunningAlertmanager;
let alice: Octokit;

const payments = (instance: string): PostableAlert => ({
  labels: { alertname: 'PaymentsErrors', service: 'payments', severity: 'critical', instance },
  annotations: { summary: `Payments 5xx above 5% on ${instance}`, runbook_url: 'https://runbooks.example.com/payments/errors' },
});
const search = (instance: string): PostableAlert => ({
  labels: { alertname: 'SearchLatency', service: 'search', severity: 'warning', instance },
  annotations: { summary: `Search p99 above 2s on ${instance}`, description: 'Queries queue up behind the reindex.' },
});

async function incident(title: string, ready: (issue: Awaited<ReturnType<typeof list>>[number]) => boolean, what: string) {
  return eventually(async () => (await list()).find((issue) => issue.title === title && ready(issue)), what, 25_000);
}

async function list() {
  const { data } = await alice.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'all', per_page: 100 });
  return data;
}

const rows = (body: string | null | undefined) => parseStateBlock(body)?.alerts ?? [];

beforeAll(async () => {
  firewatch = await startSandboxed({
    port: 0,
    sandboxPort: 0,
    logLevel: 'error',
    queue: { coalesceMs: 200 },
    fixture: fixtureSchema.parse({ repos: [{ owner: 'acme', name: 'shop', files: { '.github/firewatch.yml': 'alerts:\n  autoResolve: true\n', 'README.md': '# shop\n' } }] }),
  });
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice' });
  [pagerduty, opsgenie] = await Promise.all([
    startAlertmanager({ groupBy: ['alertname', 'service'], configs: { pagerduty_configs: [{ routing_key: 'sandbox-pagerduty', url: `${firewatch.server.url}/alerts/pagerduty/v2/enqueue`, send_resolved: true }] } }),
    startAlertmanager({
      groupBy: ['alertname', 'service'],
      configs: { opsgenie_configs: [{ api_key: 'sandbox-opsgenie', api_url: `${firewatch.server.url}/alerts/opsgenie/`, send_resolved: true, update_alerts: true, priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P2{{ end }}' }] },
    }),
  ]);
}, 40_000);

afterAll(async () => {
  await Promise.all([pagerduty?.stop(), opsgenie?.stop()]);
  await firewatch?.close();
});

describe('Alertmanager pagerduty_configs → firewatch', () => {
  it('opens one incident for the group, with the alert read back from the text PagerDuty gets', async () => {
    await pagerduty.postAlerts([payments('web-1')]);
    const issue = await incident('[P1] payments: PaymentsErrors', () => true, 'the PagerDuty-fed incident');
    expect(issue.body).toContain('Payments 5xx above 5% on web-1');
    expect(issue.body).toContain('`instance=web-1`');
    expect(issue.body).toContain('[runbook](https://runbooks.example.com/payments/errors)');
    expect(issue.body).toMatch(/\[silence\]\(http:\/\/127\.0\.0\.1:\d+\/#\/silences\/new/);
    expect(parseStateBlock(issue.body)?.source).toBe('pagerduty');
  }, 30_000);

  it('updates it when a second alert joins the group', async () => {
    await pagerduty.postAlerts([payments('web-1'), payments('web-2')]);
    const issue = await incident('[P1] payments: PaymentsErrors', (i) => rows(i.body).length === 2, 'both alerts on the incident');
    expect(rows(issue.body).map((alert) => alert.labels['instance']).sort()).toEqual(['web-1', 'web-2']);
    expect((await list()).filter((i) => i.title.includes('PaymentsErrors'))).toHaveLength(1);
  }, 30_000);

  it('resolves it when the group resolves', async () => {
    await pagerduty.resolveAlerts([payments('web-1'), payments('web-2')]);
    const issue = await incident('[P1] payments: PaymentsErrors', (i) => i.state === 'closed', 'the resolved incident');
    expect(rows(issue.body).every((alert) => alert.status === 'resolved')).toBe(true);
    expect(parseStateBlock(issue.body)?.status).toBe('resolved');
  }, 30_000);
});

describe('Alertmanager opsgenie_configs → firewatch', () => {
  it('opens one incident for the group, rated by the priority the receiver sets (P2) rather than the warning label (P3)', async () => {
    await opsgenie.postAlerts([search('search-1')]);
    const issue = await incident('[P2] search: SearchLatency', () => true, 'the Opsgenie-fed incident');
    expect(issue.body).toContain('Search p99 above 2s on search-1');
    expect(issue.body).toContain('`instance=search-1`');
    expect(parseStateBlock(issue.body)?.source).toBe('opsgenie');
  }, 30_000);

  it('updates it (update_alerts) when a second alert joins', async () => {
    await opsgenie.postAlerts([search('search-1'), search('search-2')]);
    const issue = await incident('[P2] search: SearchLatency', (i) => rows(i.body).length === 2, 'both alerts on the incident');
    expect(rows(issue.body).map((alert) => alert.labels['instance']).sort()).toEqual(['search-1', 'search-2']);
    expect((await list()).filter((i) => i.title.includes('SearchLatency'))).toHaveLength(1);
  }, 30_000);

  it('resolves it when Alertmanager closes the alert by alias', async () => {
    await opsgenie.resolveAlerts([search('search-1'), search('search-2')]);
    const issue = await incident('[P2] search: SearchLatency', (i) => i.state === 'closed', 'the closed incident');
    expect(rows(issue.body).every((alert) => alert.status === 'resolved')).toBe(true);
  }, 30_000);
});
