/**
 * The incident figures on /metrics: the report's computation over fixture incident issues (a
 * back-dated note, a reopened incident, a canceled one, one outside the window), checked as the
 * exact exposition lines Prometheus scrapes, and the GitHub requests each refresh costs.
 */
import { Registry } from 'prom-client';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type FirewatchConfig } from '../../src/domain/config/config.ts';
import { renderSuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { renderStateBlock } from '../../src/domain/incident/incidentState.ts';
import { createStateSeal, stateScope } from '../../src/domain/incident/stateSeal.ts';
import type { SweepOctokit } from '../../src/features/sweeps/sweep.ts';
import { incidentMetricsTask } from '../../src/features/metrics/incidentMetricsTask.ts';
import { stateOf } from '../domain/metrics/fixtures.ts';
import { FIREWATCH_SOURCE } from '../support/identity.ts';

const repo = { owner: 'acme', repo: 'checkout' };
const NOW = Date.parse('2026-01-15T12:00:00Z');
const STARTED = new Date('2026-01-14T08:00:00Z');
const minutes = (n: number): number => n * 60_000;
const at = (iso: string, plus = 0): string => new Date(Date.parse(iso) + minutes(plus)).toISOString();
const silent = { debug() {}, info() {}, warn() {}, error() {} };

interface FakeIssue {
  number: number;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  updated_at: string;
  comments: { body: string; user: { login: string; type: string } }[];
}

function issueOf(number: number, state: Parameters<typeof stateOf>[0], extra: Partial<FakeIssue> = {}): FakeIssue {
  const incident = stateOf({ id: `inc-${number}`, title: `Incident ${number}`, ...state });
  const closed = incident.status === 'resolved' || incident.status === 'canceled';
  return { number, body: `Summary\n\n${renderStateBlock(incident)}\n`, labels: ['incident', `sev:${incident.severity}`], state: closed ? 'closed' : 'open', updated_at: incident.resolvedAt ?? incident.triggeredAt, comments: [], ...extra };
}

const SUSPECTS = renderSuspectsBlock({
  service: 'checkout',
  firstAlertAt: '2026-01-14T09:00:00.000Z',
  labels: {},
  annotations: {},
  verdict: 'suspects',
  considered: 3,
  at: '2026-01-14T09:01:00.000Z',
  suspects: [{ key: 'acme/checkout#7', score: 0.82, command: '/rollback #7', evidence: [{ reason: 'deployed 12 min before the first alert' }] }],
});
const BOT = { login: 'firewatch[bot]', type: 'Bot' };

function fixtures(): FakeIssue[] {
  const t1 = '2026-01-14T09:00:00.000Z';
  const t2 = '2026-01-14T13:00:00.000Z';
  const t5 = '2026-01-15T08:00:00.000Z';
  return [
    // Acknowledged 4 min after the trigger; the note written later but dated 1 min after the trigger must not count as the ack.
    issueOf(1, {
      severity: 'P1',
      status: 'resolved',
      triggeredAt: t1,
      resolvedAt: at(t1, 60),
      timeline: [
        { at: at(t1, 1), type: 'note', text: 'customers saw 502s', recordedAt: at(t1, 30) },
        { at: at(t1, 4), type: 'acknowledged', text: 'Acknowledged by bob' },
        { at: at(t1, 60), type: 'resolved', text: 'Resolved' },
        { at: at(t1, 120), type: 'postmortem', text: 'Postmortem drafted' },
      ],
    }, { comments: [{ body: `### 🔎 Suspected changes\n\n${SUSPECTS}`, user: BOT }] }),
    // Resolved after 30 min, reopened, resolved for good after 90 min: the last resolution counts. SLO breached.
    issueOf(2, {
      severity: 'P1',
      status: 'resolved',
      triggeredAt: t2,
      acknowledgedAt: at(t2, 10),
      resolvedAt: at(t2, 90),
      timeline: [
        { at: at(t2, 10), type: 'acknowledged', text: 'Acknowledged' },
        { at: at(t2, 30), type: 'resolved', text: 'Resolved' },
        { at: at(t2, 45), type: 'reopened', text: 'Reopened' },
        { at: at(t2, 90), type: 'resolved', text: 'Resolved' },
      ],
    }, { labels: ['incident', 'sev:P1', 'slo:breached'] }),
    // Still open.
    issueOf(3, { severity: 'P2', status: 'investigating', triggeredAt: '2026-01-15T10:00:00.000Z', acknowledgedAt: '2026-01-15T10:02:00.000Z' }),
    // Canceled: not an incident, measured nowhere.
    issueOf(4, { severity: 'P1', status: 'canceled', triggeredAt: '2026-01-15T09:00:00.000Z', acknowledgedAt: '2026-01-15T09:01:00.000Z' }),
    // Rolled back, postmortem skipped on purpose.
    issueOf(5, {
      severity: 'P1',
      status: 'resolved',
      triggeredAt: t5,
      acknowledgedAt: at(t5, 2),
      mitigatedAt: at(t5, 15),
      resolvedAt: at(t5, 30),
      timeline: [
        { at: at(t5, 12), type: 'rollback', text: 'Rolled back #7' },
        { at: at(t5, 40), type: 'postmortem-skipped', text: 'No postmortem: tiny' },
      ],
    }),
    // Resolved before this process started: in the gauges, not in the histograms.
    issueOf(6, { service: 'payments', severity: 'P3', status: 'resolved', triggeredAt: '2026-01-14T06:00:00.000Z', acknowledgedAt: '2026-01-14T06:05:00.000Z', resolvedAt: '2026-01-14T07:00:00.000Z' }),
    // Triggered 106 days ago, touched yesterday: outside the 90-day window.
    issueOf(7, { service: 'payments', severity: 'P3', status: 'resolved', triggeredAt: '2025-10-01T00:00:00.000Z', acknowledgedAt: '2025-10-01T00:05:00.000Z', resolvedAt: '2025-10-01T01:00:00.000Z' }, { updated_at: '2026-01-14T00:00:00.000Z' }),
  ];
}

/** listForRepo and listComments over `issues`, as GitHub answers them (`since` is on updated_at), counting requests. */
function fakeOctokit(issues: FakeIssue[]) {
  const requests: string[] = [];
  const octokit = {
    rest: {
      issues: {
        async listForRepo(params: { state?: string; labels?: string; since?: string; per_page?: number; page?: number }) {
          requests.push(`list since ${params.since ?? '-'}`);
          const perPage = params.per_page ?? 30;
          const page = params.page ?? 1;
          const matching = issues.filter(
            (issue) => (params.state === 'all' || issue.state === params.state) && (!params.labels || issue.labels.includes(params.labels)) && (!params.since || issue.updated_at >= params.since),
          );
          const data = matching.slice((page - 1) * perPage, page * perPage).map((issue) => ({
            number: issue.number,
            html_url: `https://github.example/acme/checkout/issues/${issue.number}`,
            title: `Incident ${issue.number}`,
            body: issue.body,
            state: issue.state,
            labels: issue.labels.map((name) => ({ name })),
            updated_at: issue.updated_at,
            created_at: issue.updated_at,
          }));
          return { data };
        },
        async listComments(params: { issue_number: number }) {
          requests.push(`comments #${params.issue_number}`);
          const issue = issues.find((candidate) => candidate.number === params.issue_number);
          return { data: (issue?.comments ?? []).map((comment, index) => ({ id: index + 1, html_url: 'https://github.example/c', created_at: issue?.updated_at ?? '', ...comment })) };
        },
      },
    },
  };
  return { octokit: octokit as unknown as SweepOctokit, requests };
}

function configWith(metrics: Partial<FirewatchConfig['metrics']> = {}): FirewatchConfig {
  return { ...DEFAULT_CONFIG, metrics: { ...DEFAULT_CONFIG.metrics, ...metrics } };
}

let registry: Registry;
let issues: FakeIssue[];
let github: ReturnType<typeof fakeOctokit>;
let task: ReturnType<typeof incidentMetricsTask>;

async function refresh(now: number, config = configWith()): Promise<string[]> {
  const before = github.requests.length;
  await task.run({ octokit: github.octokit, repo, config, result: { at: new Date(now), repo, plan: [], executed: [], problems: [], incidents: [] }, now: new Date(now), log: silent });
  return github.requests.slice(before);
}

/** The exposition lines of the metrics named (exactly, or with a histogram suffix). */
async function lines(...names: string[]): Promise<string[]> {
  const text = await registry.metrics();
  return text.split('\n').filter((line) => names.some((name) => line.startsWith(`${name}{`) || line.startsWith(`${name} `)));
}

const P1 = 'repository="acme/checkout",service="checkout",severity="P1"';
const P2 = 'repository="acme/checkout",service="checkout",severity="P2"';
const P3 = 'repository="acme/checkout",service="payments",severity="P3"';

beforeEach(() => {
  registry = new Registry();
  issues = fixtures();
  github = fakeOctokit(issues);
  task = incidentMetricsTask(registry, { identity: FIREWATCH_SOURCE, startedAt: STARTED });
});

describe('incident gauges on /metrics', () => {
  it('exposes the report figures per repository, service and severity', async () => {
    await refresh(NOW);
    expect(await lines('firewatch_incidents', 'firewatch_incidents_open')).toEqual([
      `firewatch_incidents{${P1}} 3`,
      `firewatch_incidents{${P2}} 1`,
      `firewatch_incidents{${P3}} 1`,
      `firewatch_incidents_open{${P1}} 0`,
      `firewatch_incidents_open{${P2}} 1`,
      `firewatch_incidents_open{${P3}} 0`,
    ]);
    // TTA 4 min (not the back-dated note's 1 min), 10 min, 2 min; TTR 60, 90 (after the reopen), 30 min.
    expect(await lines('firewatch_incident_mtta_seconds', 'firewatch_incident_mttr_seconds')).toEqual([
      `firewatch_incident_mtta_seconds{${P1},quantile="0.5"} 240`,
      `firewatch_incident_mtta_seconds{${P1},quantile="0.9"} 528`,
      `firewatch_incident_mtta_seconds{${P2},quantile="0.5"} 120`,
      `firewatch_incident_mtta_seconds{${P2},quantile="0.9"} 120`,
      `firewatch_incident_mtta_seconds{${P3},quantile="0.5"} 300`,
      `firewatch_incident_mtta_seconds{${P3},quantile="0.9"} 300`,
      `firewatch_incident_mttr_seconds{${P1},quantile="0.5"} 3600`,
      `firewatch_incident_mttr_seconds{${P1},quantile="0.9"} 5040`,
      `firewatch_incident_mttr_seconds{${P3},quantile="0.5"} 3600`,
      `firewatch_incident_mttr_seconds{${P3},quantile="0.9"} 3600`,
    ]);
    expect(
      await lines('firewatch_incident_slo_breach_ratio', 'firewatch_incident_postmortem_completion_ratio', 'firewatch_incident_change_related_ratio', 'firewatch_incident_rollback_ratio'),
    ).toEqual([
      `firewatch_incident_slo_breach_ratio{${P1}} 0.3333333333333333`,
      `firewatch_incident_slo_breach_ratio{${P2}} 0`,
      `firewatch_incident_slo_breach_ratio{${P3}} 0`,
      // #1 drafted, #5 skipped on purpose, #2 missing; P2 has nothing resolved, so no figure.
      `firewatch_incident_postmortem_completion_ratio{${P1}} 0.6666666666666666`,
      `firewatch_incident_postmortem_completion_ratio{${P3}} 0`,
      // #1 had suspects named by correlation, #5 was rolled back.
      `firewatch_incident_change_related_ratio{${P1}} 0.6666666666666666`,
      `firewatch_incident_change_related_ratio{${P2}} 0`,
      `firewatch_incident_change_related_ratio{${P3}} 0`,
      `firewatch_incident_rollback_ratio{${P1}} 0.3333333333333333`,
      `firewatch_incident_rollback_ratio{${P2}} 0`,
      `firewatch_incident_rollback_ratio{${P3}} 0`,
    ]);
    expect(await lines('firewatch_incident_metrics_refreshed_timestamp_seconds')).toEqual([`firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/checkout"} ${NOW / 1000}`]);
    const text = await registry.metrics();
    expect(text).toContain('# HELP firewatch_incident_mttr_seconds Time to resolve (to the last resolution) in the window, median (quantile 0.5) and p90');
    expect(text).toContain('no month label: that would add series every month; per-month figures are in `firewatch report`');
  });

  it('observes each duration once, only for what happened since the process started', async () => {
    await refresh(NOW);
    const resolve = await lines('firewatch_incident_time_to_resolve_seconds_bucket', 'firewatch_incident_time_to_resolve_seconds_sum', 'firewatch_incident_time_to_resolve_seconds_count');
    // 60 min, 90 min and 30 min; #6 (payments) was resolved before the process started.
    expect(resolve).toEqual([
      `firewatch_incident_time_to_resolve_seconds_bucket{le="60",${P1}} 0`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="300",${P1}} 0`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="600",${P1}} 0`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="900",${P1}} 0`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="1800",${P1}} 1`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="3600",${P1}} 2`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="7200",${P1}} 3`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="14400",${P1}} 3`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="28800",${P1}} 3`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="86400",${P1}} 3`,
      `firewatch_incident_time_to_resolve_seconds_bucket{le="+Inf",${P1}} 3`,
      `firewatch_incident_time_to_resolve_seconds_sum{${P1}} 10800`,
      `firewatch_incident_time_to_resolve_seconds_count{${P1}} 3`,
    ]);
    expect(await lines('firewatch_incident_time_to_acknowledge_seconds_count', 'firewatch_incident_time_to_acknowledge_seconds_sum')).toEqual([
      `firewatch_incident_time_to_acknowledge_seconds_sum{${P1}} 960`,
      `firewatch_incident_time_to_acknowledge_seconds_count{${P1}} 3`,
      `firewatch_incident_time_to_acknowledge_seconds_sum{${P2}} 120`,
      `firewatch_incident_time_to_acknowledge_seconds_count{${P2}} 1`,
    ]);
    // Mitigation: #1 and #2 at their resolution (60 and 90 min), #5 at 15 min; the open #3 is not mitigated yet.
    expect(await lines('firewatch_incident_time_to_mitigate_seconds_count', 'firewatch_incident_time_to_mitigate_seconds_sum')).toEqual([
      `firewatch_incident_time_to_mitigate_seconds_sum{${P1}} 9900`,
      `firewatch_incident_time_to_mitigate_seconds_count{${P1}} 3`,
    ]);

    // A second refresh sees the same incidents: nothing is counted twice.
    await refresh(NOW + minutes(15));
    expect(await lines('firewatch_incident_time_to_resolve_seconds_count', 'firewatch_incident_time_to_acknowledge_seconds_count')).toEqual([
      `firewatch_incident_time_to_acknowledge_seconds_count{${P1}} 3`,
      `firewatch_incident_time_to_acknowledge_seconds_count{${P2}} 1`,
      `firewatch_incident_time_to_resolve_seconds_count{${P1}} 3`,
    ]);
  });

  it('a reopened incident keeps its first observation; the MTTR gauge follows its last resolution', async () => {
    await refresh(NOW);
    const open = issues.find((issue) => issue.number === 3);
    if (!open) throw new Error('fixture #3 missing');
    const t3 = '2026-01-15T10:00:00.000Z';
    Object.assign(open, issueOf(3, { severity: 'P2', status: 'resolved', triggeredAt: t3, acknowledgedAt: at(t3, 2), resolvedAt: at(t3, 130) }));
    await refresh(NOW + minutes(15));
    expect(await lines('firewatch_incident_time_to_resolve_seconds_sum', 'firewatch_incident_time_to_resolve_seconds_count')).toContain(`firewatch_incident_time_to_resolve_seconds_count{${P2}} 1`);
    expect(await lines('firewatch_incident_time_to_resolve_seconds_sum')).toContain(`firewatch_incident_time_to_resolve_seconds_sum{${P2}} 7800`);

    Object.assign(open, issueOf(3, {
      severity: 'P2',
      status: 'resolved',
      triggeredAt: t3,
      acknowledgedAt: at(t3, 2),
      resolvedAt: at(t3, 170),
      timeline: [
        { at: at(t3, 130), type: 'resolved', text: 'Resolved' },
        { at: at(t3, 150), type: 'reopened', text: 'Reopened' },
        { at: at(t3, 170), type: 'resolved', text: 'Resolved' },
      ],
    }));
    await refresh(NOW + minutes(30));
    expect(await lines('firewatch_incident_time_to_resolve_seconds_count', 'firewatch_incident_time_to_resolve_seconds_sum')).toEqual(
      expect.arrayContaining([`firewatch_incident_time_to_resolve_seconds_sum{${P2}} 7800`, `firewatch_incident_time_to_resolve_seconds_count{${P2}} 1`]),
    );
    expect(await lines('firewatch_incident_mttr_seconds')).toContain(`firewatch_incident_mttr_seconds{${P2},quantile="0.5"} 10200`);
    expect(await lines('firewatch_incidents_open')).toContain(`firewatch_incidents_open{${P2}} 0`);
  });
});

describe('the GitHub requests a refresh costs', () => {
  it('first: one list request plus the comments of each incident in the window; then only what changed; never more often than refreshMinutes', async () => {
    const since = new Date(NOW - 90 * 86_400_000).toISOString();
    expect(await refresh(NOW)).toEqual([`list since ${since}`, 'comments #1', 'comments #2', 'comments #3', 'comments #4', 'comments #5', 'comments #6']);
    // Not due yet (15 minutes by default): no request at all.
    expect(await refresh(NOW + minutes(14))).toEqual([]);
    // Due, nothing changed: the list request only.
    expect(await refresh(NOW + minutes(15))).toEqual([`list since ${new Date(NOW + minutes(15) - 90 * 86_400_000).toISOString()}`]);
    // A comment on #3 changes its updated_at: its comments are read again, nobody else's.
    const three = issues.find((issue) => issue.number === 3);
    if (three) three.updated_at = '2026-01-15T12:20:00.000Z';
    const next = await refresh(NOW + minutes(30), configWith({ refreshMinutes: 5 }));
    expect(next.slice(1)).toEqual(['comments #3']);
  });

  it('turned off in the config: no requests, and the repository\'s series are gone', async () => {
    await refresh(NOW);
    expect(await lines('firewatch_incidents')).toHaveLength(3);
    expect(await refresh(NOW + minutes(60), configWith({ enabled: false }))).toEqual([]);
    expect(await lines('firewatch_incidents', 'firewatch_incident_mtta_seconds', 'firewatch_incident_metrics_refreshed_timestamp_seconds')).toEqual([]);
  });

  it('a group that leaves the window loses its series', async () => {
    await refresh(NOW);
    expect(await lines('firewatch_incidents')).toContain(`firewatch_incidents{${P3}} 1`);
    // 90 days after #6 (payments) was triggered.
    await refresh(Date.parse('2026-04-14T07:00:00Z'));
    expect((await lines('firewatch_incidents')).filter((line) => line.includes('payments'))).toEqual([]);
    expect(await lines('firewatch_incident_mttr_seconds')).not.toContain(`firewatch_incident_mttr_seconds{${P3},quantile="0.5"} 3600`);
  });
});

describe('figures updated from firewatch\'s own writes between refreshes', () => {
  /** An issue as GitHub answers a write to it. */
  function written(issue: FakeIssue) {
    return { number: issue.number, html_url: `https://github.example/acme/checkout/issues/${issue.number}`, body: issue.body, labels: issue.labels.map((name) => ({ name })), updated_at: issue.updated_at };
  }
  const t3 = '2026-01-15T10:00:00.000Z';

  it('an acknowledgment and then a resolution show at once, with no request', async () => {
    await refresh(NOW);
    const before = github.requests.length;
    const opened = issueOf(8, { severity: 'P2', status: 'triggered', triggeredAt: '2026-01-15T11:50:00.000Z' }, { updated_at: '2026-01-15T11:50:00.000Z' });
    task.recordIssue(repo, written(opened), new Date(NOW));
    expect(await lines('firewatch_incidents', 'firewatch_incidents_open')).toEqual(expect.arrayContaining([`firewatch_incidents{${P2}} 2`, `firewatch_incidents_open{${P2}} 2`]));

    const acked = issueOf(8, { severity: 'P2', status: 'acknowledged', triggeredAt: '2026-01-15T11:50:00.000Z', acknowledgedAt: '2026-01-15T11:56:00.000Z' }, { updated_at: '2026-01-15T11:56:00.000Z' });
    task.recordIssue(repo, written(acked), new Date(NOW));
    // #3 acknowledged after 2 min, #8 after 6 min.
    expect(await lines('firewatch_incident_mtta_seconds')).toEqual(expect.arrayContaining([`firewatch_incident_mtta_seconds{${P2},quantile="0.5"} 240`]));
    expect(await lines('firewatch_incident_time_to_acknowledge_seconds_count')).toContain(`firewatch_incident_time_to_acknowledge_seconds_count{${P2}} 2`);

    const resolved = issueOf(8, { severity: 'P2', status: 'resolved', triggeredAt: '2026-01-15T11:50:00.000Z', acknowledgedAt: '2026-01-15T11:56:00.000Z', resolvedAt: '2026-01-15T12:00:00.000Z' }, { updated_at: '2026-01-15T12:00:00.000Z' });
    task.recordIssue(repo, written(resolved), new Date(NOW));
    expect(await lines('firewatch_incidents_open', 'firewatch_incident_mttr_seconds')).toEqual(expect.arrayContaining([`firewatch_incidents_open{${P2}} 1`, `firewatch_incident_mttr_seconds{${P2},quantile="0.5"} 600`]));
    expect(github.requests.length).toBe(before);
    // The refresh timestamp says when GitHub was last read, which this was not.
    expect(await lines('firewatch_incident_metrics_refreshed_timestamp_seconds')).toEqual([`firewatch_incident_metrics_refreshed_timestamp_seconds{repository="acme/checkout"} ${NOW / 1000}`]);
  });

  it('correlation naming suspects counts the incident as change-related at once; another verdict does not', async () => {
    await refresh(NOW);
    expect(await lines('firewatch_incident_change_related_ratio')).toContain(`firewatch_incident_change_related_ratio{${P2}} 0`);
    const noSuspects = renderSuspectsBlock({ service: 'checkout', firstAlertAt: t3, labels: {}, annotations: {}, verdict: 'no_likely_suspect', considered: 3, at: t3, suspects: [] });
    task.recordComment(repo, 3, `### 🔎 Suspected changes\n\n${noSuspects}`, new Date(NOW));
    expect(await lines('firewatch_incident_change_related_ratio')).toContain(`firewatch_incident_change_related_ratio{${P2}} 0`);
    task.recordComment(repo, 3, `### 🔎 Suspected changes\n\n${SUSPECTS}`, new Date(NOW));
    expect(await lines('firewatch_incident_change_related_ratio')).toContain(`firewatch_incident_change_related_ratio{${P2}} 1`);
    expect(github.requests.filter((request) => request.startsWith('comments'))).toHaveLength(6);
  });

  it('an older answer arriving after a newer one changes nothing', async () => {
    await refresh(NOW);
    const resolved = issueOf(3, { severity: 'P2', status: 'resolved', triggeredAt: t3, acknowledgedAt: at(t3, 2), resolvedAt: at(t3, 60) }, { updated_at: at(t3, 60) });
    const acked = issueOf(3, { severity: 'P2', status: 'acknowledged', triggeredAt: t3, acknowledgedAt: at(t3, 2) }, { updated_at: at(t3, 2) });
    task.recordIssue(repo, written(resolved), new Date(NOW));
    task.recordIssue(repo, written(acked), new Date(NOW));
    expect(await lines('firewatch_incidents_open')).toContain(`firewatch_incidents_open{${P2}} 0`);
  });

  it('before the first refresh, and for issues that are not incidents, nothing is published', async () => {
    const acked = issueOf(3, { severity: 'P2', status: 'acknowledged', triggeredAt: t3, acknowledgedAt: at(t3, 2) });
    task.recordIssue(repo, written(acked), new Date(NOW));
    expect(await lines('firewatch_incidents')).toEqual([]);
    await refresh(NOW);
    task.recordIssue(repo, { ...written(acked), number: 99, body: 'A feature request', labels: [{ name: 'enhancement' }] }, new Date(NOW));
    expect(await lines('firewatch_incidents')).toContain(`firewatch_incidents{${P2}} 1`);
    // The incident label removed by hand: no longer measured, as the next refresh would find.
    task.recordIssue(repo, { ...written(acked), labels: [{ name: 'sev:P2' }], updated_at: at(t3, 5) }, new Date(NOW));
    expect((await lines('firewatch_incidents')).some((line) => line.includes('severity="P2"'))).toBe(false);
  });
});

describe('state blocks are checked against their seal, as every other reader checks them', () => {
  const seal = createStateSeal(['metrics-test-key']);
  /** Issue `number` as firewatch wrote it (sealed with the key) or as someone else did (sealed with another). */
  function sealedIssue(number: number, key: string): FakeIssue {
    const incident = stateOf({ id: `inc-${number}`, title: `Incident ${number}`, severity: 'P2', status: 'triggered', triggeredAt: '2026-01-15T11:00:00.000Z' });
    const block = renderStateBlock(incident, stateScope(createStateSeal([key]), repo));
    return { number, body: `Summary\n\n${block}\n`, labels: ['incident', 'sev:P2'], state: 'open', updated_at: incident.triggeredAt, comments: [] };
  }
  const writtenIssue = (issue: FakeIssue) => ({ number: issue.number, html_url: `https://github.example/acme/checkout/issues/${issue.number}`, body: issue.body, labels: issue.labels.map((name) => ({ name })), updated_at: issue.updated_at });

  it('a forged block is no incident, whether a refresh reads it or a write returns it', async () => {
    task = incidentMetricsTask(registry, { identity: FIREWATCH_SOURCE, startedAt: STARTED, stateSeal: seal });
    // #3 (unsealed, written before sealing existed) still counts; #9 is firewatch's own; #10 is forged.
    issues.push(sealedIssue(9, 'metrics-test-key'), sealedIssue(10, 'someone-elses-key'));
    await refresh(NOW);
    expect(await lines('firewatch_incidents')).toContain(`firewatch_incidents{${P2}} 2`);
    task.recordIssue(repo, writtenIssue(sealedIssue(11, 'someone-elses-key')), new Date(NOW));
    expect(await lines('firewatch_incidents')).toContain(`firewatch_incidents{${P2}} 2`);
    task.recordIssue(repo, writtenIssue(sealedIssue(12, 'metrics-test-key')), new Date(NOW));
    expect(await lines('firewatch_incidents')).toContain(`firewatch_incidents{${P2}} 3`);
  });
});
