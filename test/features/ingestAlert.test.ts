import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { DEFAULT_CONFIG, validateConfig } from '../../src/domain/config/config.ts';
import { parseStateBlock } from '../../src/domain/incident/incidentState.ts';
import { memoryCoordination } from '../../src/services/coordination.ts';
import { createMemoryIncidentIndex } from '../../src/services/incidentIndex.ts';
import { ingestAlert } from '../../src/features/alerts/ingestAlert.ts';
import type { BatchSettings } from '../../src/domain/alerts/decideAlertBatch.ts';
import type { Log } from '../../src/services/log.ts';
import { INVALID_CONFIG_TITLE } from '../../src/features/alerts/reportInvalidConfig.ts';
import { fakeGitHub, quietLog, recordingLog } from './fakeGitHub.ts';
import { FIREWATCH } from '../support/identity.ts';

const repo = { owner: 'acme', repo: 'shop' };
const alert: NormalizedAlert = {
  source: 'generic',
  fingerprint: 'checkout-errors',
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P2',
  service: 'checkout',
  summary: 'Checkout errors above 5%',
  labels: { env: 'production' },
  annotations: {},
  startsAt: '2026-01-14T09:00:00Z',
  value: '7.5%',
  links: { runbook: 'https://wiki/runbooks/checkout', other: [] },
};

const SETTINGS: BatchSettings = { noticeIntervalMs: 30 * 60_000, reopenWindowMs: 3_600_000, autoResolve: false };

function setup(configInput: unknown = {}, fakeOptions: Parameters<typeof fakeGitHub>[0] = {}, settings: BatchSettings = SETTINGS) {
  const github = fakeGitHub(fakeOptions);
  let now = new Date('2026-01-14T09:03:00Z');
  const caches = memoryCoordination();
  const { config, problems } = validateConfig(configInput);
  const batch = (alerts: NormalizedAlert[], log: Log = quietLog) =>
    ingestAlert({ octokit: github.octokit, alerts, repo, config, clock: () => now, log, coordination: caches, identity: FIREWATCH, configProblems: problems, settings });
  const run = (a: NormalizedAlert = alert, log: Log = quietLog) => batch([a], log);
  return { github, run, batch, caches, tick: (iso: string) => (now = new Date(iso)) };
}

const labelsOf = (issue: { labels: (string | { name?: string })[] } | undefined) => (issue?.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)).sort();

describe('ingestAlert', () => {
  it('opens an incident issue with the contract title, labels, body and state', async () => {
    const { github, run } = setup();
    const result = await run();
    expect(result).toMatchObject({ outcome: 'created', issue: { number: 1, html_url: 'https://github.test/acme/shop/issues/1' } });
    const create = github.calls.find((c) => c.method === 'issues.create')?.params;
    expect(create).toMatchObject({ owner: 'acme', repo: 'shop', title: '[P2] checkout: HighErrorRate', labels: ['incident', 'sev:P2', 'status:triggered'] });
    expect(create).not.toHaveProperty('assignees');
    const body = String(create?.['body']);
    for (const text of ['## 🔥 HighErrorRate', 'Checkout errors above 5%', '| **Severity** | P2 |', '| **Service** | checkout |', '| **Status** | triggered |', '| **Started at** | 2026-01-14 09:00 UTC |', '### Alerts', '`env=production`', '7.5%', '[runbook](https://wiki/runbooks/checkout)', '### First steps', '- [ ] **Acknowledge**', '### Timeline', 'Triggered by generic alert HighErrorRate']) {
      expect(body).toContain(text);
    }
    expect(body).toMatch(/<!-- firewatch:state \{.*\} -->\n$/s);
    expect(parseStateBlock(body)).toMatchObject({ status: 'triggered', severity: 'P2', service: 'checkout', fingerprints: ['checkout-errors'] });
    // The contract labels exist with their colors before the issue uses them.
    expect(github.labels.size).toBe(13);
  });

  it('updates the open incident in place for the same fingerprint instead of opening another', async () => {
    const { github, run, tick } = setup();
    await run();
    tick('2026-01-14T09:08:00Z');
    const second = await run({ ...alert, value: '9.1%' });
    expect(second).toMatchObject({ outcome: 'updated', issue: { number: 1 } });
    expect(github.issues).toHaveLength(1);
    const state = parseStateBlock(github.issues[0]?.body);
    expect(state?.alerts[0]).toMatchObject({ count: 2, value: '9.1%', lastSeen: '2026-01-14T09:08:00.000Z' });
    expect(github.issues[0]?.body).toContain('9.1%');
  });

  it('finds the incident again after a restart from one listing of the incident issues, without a search', async () => {
    const { github, run, caches } = setup();
    await run();
    caches.incidents = createMemoryIncidentIndex();
    const before = github.calls.length;
    const again = await run();
    expect(again).toMatchObject({ outcome: 'updated', issue: { number: 1 } });
    expect(github.issues).toHaveLength(1);
    const listings = github.calls.slice(before).filter((c) => c.method === 'issues.listForRepo').map((c) => c.params);
    expect(listings).toEqual([
      { owner: 'acme', repo: 'shop', state: 'open', labels: 'incident', per_page: 100, page: 1 },
      { owner: 'acme', repo: 'shop', state: 'closed', labels: 'incident', since: '2026-01-07T09:03:00.000Z', per_page: 100, page: 1 },
    ]);
    expect(github.methods().slice(before).filter((m) => m !== 'issues.listForRepo')).toEqual(['issues.get', 'issues.update']);
  });

  it('opens a new problem in a repository it already listed with no read at all: the create, then the labels', async () => {
    const { github, run } = setup();
    await run();
    const before = github.calls.length;
    expect(await run({ ...alert, fingerprint: 'payments-latency', title: 'Latency' })).toMatchObject({ outcome: 'created', issue: { number: 2 } });
    expect(github.methods().slice(before)).toEqual(['issues.create']);
  });

  it('sets the labels in the create call and creates the missing label definitions only after the issue', async () => {
    const { github, run } = setup();
    await run();
    const methods = github.methods();
    expect(methods.filter((m) => m === 'issues.create')).toHaveLength(1);
    expect(methods.indexOf('issues.create')).toBeLessThan(methods.indexOf('issues.listLabelsForRepo'));
    expect(methods.indexOf('issues.create')).toBeLessThan(methods.indexOf('issues.createLabel'));
    expect(methods).not.toContain('issues.addLabels');
  });

  it('does not update an issue whose incident label people removed: a listing finds no incident, a new one opens', async () => {
    const { github, run } = setup();
    await run();
    (github.issues[0] as { labels: { name: string }[] }).labels = [{ name: 'bug' }];
    const before = github.calls.length;
    const again = await run();
    expect(again).toMatchObject({ outcome: 'created', issue: { number: 2 } });
    expect(github.calls.slice(before).filter((c) => c.method === 'issues.update')).toEqual([]);
    expect(github.methods().slice(before).filter((m) => m === 'issues.listForRepo')).toHaveLength(2);
    // Only once: the new incident is remembered.
    const after = github.calls.length;
    expect(await run()).toMatchObject({ outcome: 'updated', issue: { number: 2 } });
    expect(github.methods().slice(after)).toEqual(['issues.get', 'issues.update']);
  });

  it('follows a stale entry to the incident the listing finds, never to a duplicate', async () => {
    const { github, run, caches } = setup();
    await run();
    // An entry pointing at an issue that no longer carries the token (another issue, edited by people).
    await caches.incidents.set({ 'acme/shop#fwfp0123456789abcdef01234567': 1 });
    const other = await run({ ...alert, fingerprint: 'other-problem', title: 'Other' });
    expect(other).toMatchObject({ outcome: 'created', issue: { number: 2 } });
    const tokens = (github.issues[1]?.body ?? '').match(/fwfp[0-9a-f]{24}/)?.[0] ?? '';
    await caches.incidents.set({ [`acme/shop#${tokens}`]: 1 });
    const before = github.calls.length;
    expect(await run({ ...alert, fingerprint: 'other-problem', title: 'Other' })).toMatchObject({ outcome: 'updated', issue: { number: 2 } });
    expect(github.issues).toHaveLength(2);
    expect(github.calls.slice(before).filter((c) => c.method === 'issues.update').map((c) => c.params['issue_number'])).toEqual([2]);
    expect(github.methods().slice(before).filter((m) => m === 'issues.listForRepo')).toHaveLength(2);
  });

  it('ignores a repeat notification of an alert whose incident people already closed', async () => {
    const { github, run } = setup();
    await run();
    (github.issues[0] as { state: string }).state = 'closed';
    const next = await run();
    expect(next).toMatchObject({ outcome: 'ignored', reason: 'already_resolved' });
    expect(github.issues).toHaveLength(1);
  });

  it('posts ONE timeline comment when all alerts resolved and keeps the incident open', async () => {
    const { github, run, tick } = setup();
    await run();
    tick('2026-01-14T09:20:00Z');
    const resolved = await run({ ...alert, status: 'resolved' });
    expect(resolved).toMatchObject({ outcome: 'updated', comments: 1 });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/All alerts have resolved: \*\*HighErrorRate\*\*\. The incident stays open/);
    expect(github.comments[0]?.body).toMatch(/<!-- firewatch:event \{"type":"alert-alerts-resolved"/);
    expect(github.issues[0]?.state).toBe('open');
    expect(github.issues[0]?.body).toContain('✅ resolved');
    await run({ ...alert, status: 'resolved' });
    expect(github.comments).toHaveLength(1);
  });

  it('with autoResolve, resolves the incident: closed, status:resolved, resolvedAt set', async () => {
    const { github, run, tick } = setup({}, {}, { ...SETTINGS, autoResolve: true });
    await run();
    tick('2026-01-14T09:20:00Z');
    expect(await run({ ...alert, status: 'resolved' })).toMatchObject({ outcome: 'resolved' });
    const issue = github.issues[0];
    expect(issue?.state).toBe('closed');
    expect(labelsOf(issue)).toEqual(['incident', 'sev:P2', 'status:resolved']);
    expect(parseStateBlock(issue?.body)).toMatchObject({ status: 'resolved', resolvedAt: '2026-01-14T09:20:00.000Z' });
    expect(github.calls.find((c) => c.method === 'issues.update' && c.params['state'] === 'closed')?.params).toMatchObject({ state_reason: 'completed' });
  });

  it('reopens an incident whose alert fires again within the reopen window', async () => {
    const { github, run, tick } = setup({}, {}, { ...SETTINGS, autoResolve: true });
    await run();
    tick('2026-01-14T09:20:00Z');
    await run({ ...alert, status: 'resolved' });
    tick('2026-01-14T09:50:00Z');
    const again = await run({ ...alert, startsAt: '2026-01-14T09:49:00Z' });
    expect(again).toMatchObject({ outcome: 'reopened', issue: { number: 1 } });
    expect(github.issues).toHaveLength(1);
    expect(github.issues[0]?.state).toBe('open');
    expect(labelsOf(github.issues[0])).toEqual(['incident', 'sev:P2', 'status:triggered']);
    expect(github.comments.at(-1)?.body).toMatch(/Reopened: \*\*HighErrorRate\*\* fired again 30 min after the incident was resolved/);
  });

  it('opens a new incident linking the previous one when the alert fires again after the window', async () => {
    const { github, run, tick } = setup({}, {}, { ...SETTINGS, autoResolve: true });
    await run();
    tick('2026-01-14T09:20:00Z');
    await run({ ...alert, status: 'resolved' });
    tick('2026-01-14T12:00:00Z');
    const next = await run({ ...alert, startsAt: '2026-01-14T11:59:00Z' });
    expect(next).toMatchObject({ outcome: 'created', issue: { number: 2 } });
    expect(github.issues[1]?.body).toContain('Fired before in #1');
    expect(github.issues[0]?.state).toBe('closed');
  });

  it('dedups by Alertmanager group: alerts of one group share one incident, even after a restart', async () => {
    const { github, batch, caches } = setup();
    const grouped = (fingerprint: string, instance: string): NormalizedAlert => ({ ...alert, source: 'alertmanager', fingerprint, groupKey: '{}:{alertname="HighErrorRate"}', labels: { instance } });
    expect(await batch([grouped('a1', 'web-1'), grouped('a2', 'web-2')])).toMatchObject({ outcome: 'created' });
    caches.incidents = createMemoryIncidentIndex();
    expect(await batch([grouped('a3', 'web-3')])).toMatchObject({ outcome: 'updated', issue: { number: 1 } });
    expect(github.issues).toHaveLength(1);
    expect(parseStateBlock(github.issues[0]?.body)?.alerts.map((a) => a.fingerprint)).toEqual(['a1', 'a2', 'a3']);
    expect(github.issues[0]?.body).toMatch(/firewatch fingerprint: fwfp\w+ fwgk\w+/);
  });

  it('comments "still firing / new alert joined" at most once per notice interval', async () => {
    const { github, run, tick } = setup();
    const inGroup = (fingerprint: string, title: string): NormalizedAlert => ({ ...alert, source: 'alertmanager', fingerprint, title, groupKey: '{}:{service="checkout"}' });
    await run(inGroup('errors', 'HighErrorRate'));
    for (const minute of ['10', '20', '30']) {
      tick(`2026-01-14T09:${minute}:00Z`);
      await run(inGroup('errors', 'HighErrorRate'));
    }
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/Still firing: \*\*HighErrorRate\*\* \(4 notifications so far\)/);
    tick('2026-01-14T09:40:00Z');
    await run(inGroup('latency', 'Latency'));
    expect(github.comments).toHaveLength(1);
    tick('2026-01-14T10:05:00Z');
    await run(inGroup('saturation', 'Saturation'));
    expect(github.issues).toHaveLength(1);
    expect(github.comments).toHaveLength(2);
    expect(github.comments[1]?.body).toMatch(/New alert joined: \*\*Saturation\*\*\. 3 alerts firing now\./);
  });

  it('keeps human edits to the body when updating', async () => {
    const { github, run } = setup();
    await run();
    const issue = github.issues[0] as { body: string };
    issue.body = issue.body.replace('<!-- firewatch:begin alerts -->', 'Status page updated by alice.\n\n<!-- firewatch:begin alerts -->').replace('- [ ] **Acknowledge**', '- [x] **Acknowledge**');
    await run();
    expect(issue.body).toContain('Status page updated by alice.');
    expect(issue.body).toContain('- [x] **Acknowledge**');
  });

  it('costs two requests for a repeat notification: read the issue, rewrite its body (no listing, no comment)', async () => {
    const { github, run } = setup();
    await run();
    const before = github.calls.length;
    await run();
    expect(github.methods().slice(before)).toEqual(['issues.get', 'issues.update']);
  });

  it('assigns configured people who can be assigned and logs the others', async () => {
    const { github, run } = setup({ incidents: { assignees: ['alice', 'ghost'], labels: ['team:payments'] } }, { assignable: ['alice'] });
    const { log, lines } = recordingLog();
    await run(alert, log);
    expect(github.calls.find((c) => c.method === 'issues.create')?.params).toMatchObject({ assignees: ['alice'], labels: ['incident', 'sev:P2', 'status:triggered', 'team:payments'] });
    expect(lines.some((l) => l.level === 'warn' && l.message.includes('ghost'))).toBe(true);
  });

  it('neutralizes mentions and HTML in alert text', async () => {
    const { github, run } = setup();
    await run({ ...alert, title: 'Disk full <img src=x onerror=alert(1)>', summary: 'paging @acme/everyone' });
    const body = github.issues[0]?.body ?? '';
    const visible = body.replace(/<!-- firewatch:[\s\S]*?-->/g, '');
    expect(visible).not.toMatch(/<img/);
    expect(visible).not.toMatch(/(^|[^\w`])@acme/);
  });

  it('reports an invalid config in ONE issue, updated in place, and still files the alert', async () => {
    const { github, run } = setup({ incidents: { defaultSeverity: 'P9' } });
    const result = await run();
    expect(result.outcome).toBe('created');
    await run({ ...alert, fingerprint: 'other' });
    const reports = github.issues.filter((i) => i.title === INVALID_CONFIG_TITLE);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.body).toContain('`incidents.defaultSeverity`');
    expect(reports[0]?.body).toContain('must be one of P1, P2, P3, P4, P5');
    expect(github.issues.filter((i) => i.title !== INVALID_CONFIG_TITLE)).toHaveLength(2);
  });

  it('finds its invalid-configuration issue again after a restart among the open issues it opened, without a search', async () => {
    const { github, run, caches } = setup({ incidents: { defaultSeverity: 'P9' } });
    await run();
    caches.configReports.clear();
    const before = github.calls.length;
    await run({ ...alert, fingerprint: 'other' });
    expect(github.issues.filter((i) => i.title === INVALID_CONFIG_TITLE)).toHaveLength(1);
    expect(github.calls.slice(before).find((c) => c.method === 'issues.listForRepo')?.params).toMatchObject({ state: 'open', creator: 'firewatch[bot]', sort: 'created', direction: 'asc' });
    // The same problems are the same report: applying it twice writes nothing the second time.
    expect(github.calls.slice(before).filter((c) => c.method === 'issues.update' && c.params['issue_number'] === 1)).toEqual([]);
  });

  it('uses the config defaults when there are no problems', async () => {
    const { github, run } = setup();
    await run();
    expect(github.issues.some((i) => i.title === INVALID_CONFIG_TITLE)).toBe(false);
    expect(DEFAULT_CONFIG.timezone).toBe('UTC');
  });
});
