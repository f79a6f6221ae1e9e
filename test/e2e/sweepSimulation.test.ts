/**
 * Two weeks of on-call against the sandbox with a sweep every simulated minute (20,281 sweeps):
 * the sweep runner the server uses, with the clock injected and the sandbox's clock moved to the
 * same minute before each sweep, talking to the sandbox's REST API in-process (`sandbox.fetch`:
 * the same authentication, routes, request counting and JSON as over HTTP, minus a loopback round
 * trip per request). People act over HTTP as `alice`. Asserted: the exact reminders, escalations,
 * review issues and handoffs posted, each once and at the minute it fell due, and the GitHub
 * requests a sweep costs when nothing is due (the sandbox's request counts).
 */
import { Octokit } from '@octokit/rest';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStateSchema, renderStateBlock, type IncidentStateInput } from '../../src/domain/incident/incidentState.ts';
import { loadConfig } from '../../src/adapters/github/loadConfig.ts';
import { repoName, type SweepAction } from '../../src/features/sweeps/sweepAction.ts';
import { createSweepRunner, type SweepRunner } from '../../src/runtimes/server/scheduler.ts';
import { Sandbox, seedFixture } from '@firewatch/sandbox';
import { FIREWATCH_SOURCE } from '../support/identity.ts';

const CONFIG = `
timezone: UTC
oncall:
  layers:
    - name: rot-a
      participants: [alice, bob]
      handoff: { weekday: monday, time: '11:00' }
      start: '2026-02-23'
  escalation:
    steps:
      - afterMinutes: 45
        mention: ['@carol']
      - afterMinutes: 90
        mention: ['@acme/sre']
sweeps:
  staleMinutes: { P1: 60 }
  review: { weekday: monday, time: '09:00', start: '2026-03-02', everyWeeks: 2 }
`;

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T08:00:00Z');
const END = Date.parse('2026-03-16T10:00:00Z');
/** The server re-reads a repository's config hourly (pushes that change it say so sooner). */
const CONFIG_TTL_MS = 60 * MINUTE;
const shop = { owner: 'acme', repo: 'shop' };
const postMortems = { owner: 'acme', repo: 'post_mortems' };
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

interface SweepCost {
  at: string;
  total: number;
  byRoute: Record<string, number>;
}

let sandbox: Sandbox;
let alice: Octokit;
let runner: SweepRunner;
let now = START - MINUTE;
const registry = new Registry();
const problems: string[] = [];
/** Every write the sweeps made, as `HH:MM reason kind target`. */
const posted: string[] = [];
const quietSweeps: SweepCost[] = [];
const afterChange: SweepCost[] = [];
const busySweeps: SweepCost[] = [];
let sweeps = 0;

function state(input: Partial<IncidentStateInput> & Pick<IncidentStateInput, 'id' | 'title' | 'severity' | 'status' | 'triggeredAt'>) {
  return incidentStateSchema.parse({ version: 1, source: 'manual', service: 'checkout', ...input });
}

function body(incident: ReturnType<typeof state>): string {
  return `Incident ${incident.title}\n\n${renderStateBlock(incident)}\n`;
}

const A = state({ id: 'A', title: 'Checkout errors', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-02T10:00:00Z' });
const B = state({ id: 'B', title: 'Payments down', severity: 'P1', status: 'acknowledged', triggeredAt: '2026-03-03T09:00:00Z', acknowledgedAt: '2026-03-03T09:05:00Z', acknowledgedBy: 'bob', roles: { commander: 'bob', comms: 'carol' } });
const C = state({ id: 'C', title: 'Search slow', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-10T10:00:00Z' });
const D = state({ id: 'D', title: 'Stale recommendations', severity: 'P4', status: 'acknowledged', triggeredAt: '2026-03-11T09:00:00Z', acknowledgedAt: '2026-03-11T09:02:00Z', acknowledgedBy: 'bob', roles: { commander: 'bob' } });
const E = state({ id: 'E', title: 'Nightly export failed', severity: 'P3', status: 'triggered', triggeredAt: '2026-03-14T02:00:00Z' });
const F = state({ id: 'F', title: 'Login errors', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-15T13:00:00Z' });
const numbers = new Map<string, number>();
const labelOf = (issue: number) => [...numbers].find(([, number]) => number === issue)?.[0] ?? `#${issue}`;

async function open(incident: ReturnType<typeof state>): Promise<void> {
  const { data } = await alice.rest.issues.create({ ...shop, title: `[${incident.severity}] checkout: ${incident.title}`, body: body(incident), labels: ['incident', `sev:${incident.severity}`, `status:${incident.status}`] });
  numbers.set(incident.id, data.number);
}

/** What the app would write when someone acts; here alice writes it, so only sweeps are firewatch. */
async function update(incident: ReturnType<typeof state>, extraLabels: string[] = []): Promise<void> {
  const closed = incident.status === 'resolved' || incident.status === 'canceled';
  await alice.rest.issues.update({
    ...shop,
    issue_number: numbers.get(incident.id) ?? 0,
    body: body(incident),
    labels: ['incident', `sev:${incident.severity}`, `status:${incident.status}`, ...extraLabels],
    ...(closed ? { state: 'closed' as const, state_reason: 'completed' as const } : {}),
  });
}

const investigating = { at: '2026-03-03T11:00:00Z', status: 'investigating' as const, text: 'Card processor timeouts', internal: false };

/** What people do during the two weeks, keyed by the simulated minute they do it at (before that minute's sweep). */
const script: Record<string, () => Promise<void>> = {
  // A: business hours, 10-minute SLO; breached at 10:11, @carol at 10:45, acknowledged before @acme/sre's turn.
  '2026-03-02T10:00': () => open(A),
  '2026-03-02T10:50': () => update({ ...A, status: 'acknowledged', acknowledgedAt: '2026-03-02T10:50:00Z', acknowledgedBy: 'bob' }, ['slo:breached']),
  '2026-03-02T12:00': () => update({ ...A, status: 'resolved', acknowledgedAt: '2026-03-02T10:50:00Z', acknowledgedBy: 'bob', resolvedAt: '2026-03-02T12:00:00Z', roles: { commander: 'alice', comms: null, responders: [] } }, ['slo:breached']),
  // B: a P1 acknowledged at once; silent for an hour twice; its postmortem draft is linked.
  '2026-03-03T09:05': () => open(B),
  '2026-03-03T11:00': () => update({ ...B, status: 'investigating', statusUpdates: [investigating] }),
  '2026-03-03T12:30': async () => {
    await update({ ...B, status: 'resolved', resolvedAt: '2026-03-03T12:30:00Z', mitigatedAt: '2026-03-03T12:10:00Z', statusUpdates: [investigating] });
    await alice.rest.issues.createComment({ ...shop, issue_number: numbers.get('B') ?? 0, body: `Postmortem draft: ${sandbox.url}/acme/post_mortems/pull/1` });
  },
  // C: acknowledged within its SLO (never escalated), then `/postmortem skip` (no reminder).
  '2026-03-10T10:00': () => open(C),
  '2026-03-10T10:04': () => update({ ...C, status: 'acknowledged', acknowledgedAt: '2026-03-10T10:04:00Z', acknowledgedBy: 'bob' }),
  '2026-03-10T10:30': () =>
    update({
      ...C,
      status: 'resolved',
      acknowledgedAt: '2026-03-10T10:04:00Z',
      acknowledgedBy: 'bob',
      resolvedAt: '2026-03-10T10:30:00Z',
      roles: { commander: 'bob', comms: null, responders: [] },
      timeline: [{ at: '2026-03-10T10:31:00Z', type: 'postmortem-skipped', actor: 'bob', text: 'No postmortem: known flaky dependency' }],
    }),
  // D: a P4 open for 5.5 hours. `postmortem.rules` (open longer than PT4H) want a postmortem, so the reminder does too.
  '2026-03-11T09:02': () => open(D),
  '2026-03-11T14:30': () => update({ ...D, status: 'resolved', resolvedAt: '2026-03-11T14:30:00Z' }),
  // E: triggered at night on a Saturday: no ack guarantee, never escalated.
  '2026-03-14T02:00': () => open(E),
  '2026-03-14T08:55': () => update({ ...E, status: 'acknowledged', acknowledgedAt: '2026-03-14T08:55:00Z', acknowledgedBy: 'alice' }),
  '2026-03-14T09:10': () => update({ ...E, status: 'resolved', acknowledgedAt: '2026-03-14T08:55:00Z', acknowledgedBy: 'alice', resolvedAt: '2026-03-14T09:10:00Z', roles: { commander: 'alice', comms: null, responders: [] } }),
  // F: Sunday afternoon, waking hours: 30 minutes; breached at 13:31, both escalation steps, once each.
  '2026-03-15T13:00': () => open(F),
  '2026-03-15T14:40': () => update({ ...F, status: 'acknowledged', acknowledgedAt: '2026-03-15T14:40:00Z', acknowledgedBy: 'alice' }, ['slo:breached']),
  '2026-03-15T15:00': () => update({ ...F, status: 'resolved', acknowledgedAt: '2026-03-15T14:40:00Z', acknowledgedBy: 'alice', resolvedAt: '2026-03-15T15:00:00Z' }, ['slo:breached']),
};

function describePosted(at: number, action: SweepAction): string {
  const when = new Date(at).toISOString().slice(5, 16).replace('T', ' ');
  const target =
    action.kind === 'comment'
      ? 'number' in action.target
        ? labelOf(action.target.number)
        : `"${action.target.create.title}"`
      : action.kind === 'label'
        ? `${labelOf(action.issueNumber)} ${action.labels.join(',')}`
        : action.kind === 'issue'
          ? `"${action.title}" in ${repoName(action.repo)}`
          : repoName(action.repo);
  return `${when} ${action.reason} ${action.kind} ${target}`;
}

function difference(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, count] of Object.entries(after)) if (count - (before[route] ?? 0) > 0) out[route] = count - (before[route] ?? 0);
  return out;
}

beforeAll(async () => {
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG } } : repo));
  // No webhook target: people's edits are not commands here, only sweeps act.
  sandbox = await Sandbox.start({ port: 0, webhookSecret: 'simulation', now: new Date(now), fixture: { ...fixture, repos } });
  alice = new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 }, log: quietLog });
  // The app's installation token (acting as firewatch[bot]); requests go through the sandbox's REST handler in-process.
  const bot = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueInstallationToken().token, request: { fetch: sandbox.fetch }, log: quietLog });
  const log = { ...quietLog, warn: (_details: object, message: string) => void problems.push(message), error: (_details: object, message: string) => void problems.push(message) };
  runner = createSweepRunner({ identity: FIREWATCH_SOURCE,
    repos: async () => [shop],
    octokitFor: async () => bot,
    loadConfig,
    clock: () => new Date(now),
    log,
    registry,
    configTtlMs: CONFIG_TTL_MS,
    // A server ticking every minute: its real time is the simulated time.
    monotonicNow: () => now,
  });
  await runner.run(); // warm-up at 07:59: reads the config

  let before = sandbox.stats();
  let changed = false;
  for (now = START; now <= END; now += MINUTE) {
    const act = script[new Date(now).toISOString().slice(0, 16)];
    if (act) await act();
    await sandbox.setNow(new Date(now));
    const results = await runner.run();
    sweeps += results.length;
    for (const result of results) for (const action of result.executed) posted.push(describePosted(now, action));
    const after = sandbox.stats();
    const cost = { at: new Date(now).toISOString().slice(0, 16), total: after.total - before.total, byRoute: difference(after.byRoute, before.byRoute) };
    const created = after.contentCreating - before.contentCreating;
    before = after;
    if (created > 0) busySweeps.push(cost);
    else if (changed || act) afterChange.push(cost);
    else quietSweeps.push(cost);
    changed = created > 0;
  }
}, 300_000);

afterAll(async () => {
  await sandbox?.close();
});

async function botComments(id: string) {
  const { data } = await alice.rest.issues.listComments({ ...shop, issue_number: numbers.get(id) ?? 0, per_page: 100 });
  return data.filter((comment) => comment.user?.login === 'firewatch[bot]').map((comment) => ({ at: comment.created_at.slice(0, 16), body: comment.body ?? '' }));
}

describe('two weeks of sweeps every simulated minute against the sandbox', () => {
  it('posts exactly these reminders, escalations, review issues and handoffs, each at the minute it fell due', () => {
    expect(posted.filter((line) => !line.includes(' files '))).toEqual([
      '03-02 09:00 review issue "Incident review 2026-03-02" in acme/post_mortems',
      '03-02 10:11 ack-slo comment A',
      '03-02 10:11 ack-slo label A slo:breached',
      '03-02 10:45 escalation comment A',
      '03-02 11:00 handoff issue "Shift handoff: rot-a Mon 2026-03-02 11:00 UTC" in acme/shop',
      '03-03 10:05 stale comment B',
      '03-03 12:00 stale comment B',
      '03-04 12:00 postmortem comment A',
      '03-09 11:00 handoff issue "Shift handoff: rot-a Mon 2026-03-09 11:00 UTC" in acme/shop',
      '03-13 14:30 postmortem comment D',
      '03-15 13:31 ack-slo comment F',
      '03-15 13:31 ack-slo label F slo:breached',
      '03-15 13:45 escalation comment F',
      '03-15 14:30 escalation comment F',
      '03-16 09:00 review issue "Incident review 2026-03-16" in acme/post_mortems',
      '03-16 09:10 postmortem comment E',
    ]);
  });

  it('escalates the unacknowledged incident once, brings in the next step once, stops at the acknowledgement, then reminds about its postmortem once', async () => {
    const comments = await botComments('A');
    expect(comments.map((comment) => comment.at)).toEqual(['2026-03-02T10:11', '2026-03-02T10:45', '2026-03-04T12:00']);
    const [breach, escalation, postmortem] = comments.map((comment) => comment.body);
    expect(breach).toContain('Ack SLO breached');
    expect(breach).toContain('within 10 minutes (business hours');
    expect(breach).toContain('On call now: @alice');
    expect(breach).toContain('Next escalation step: @carol in 34 minutes');
    expect(breach).toMatch(/<!-- firewatch:event \{.*"type":"slo-breached".*"entries":\[.*Ack SLO breached/);
    expect(escalation).toContain('@carol, please help');
    expect(escalation).toContain('@acme/sre in 45 minutes');
    expect(postmortem).toContain('@alice');
    expect(postmortem).toContain('no postmortem draft');
    const { data: issue } = await alice.rest.issues.get({ ...shop, issue_number: numbers.get('A') ?? 0 });
    expect(issue.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('slo:breached');
  });

  it('takes both escalation steps on a Sunday (30-minute waking-hours SLO), each once', async () => {
    const comments = await botComments('F');
    expect(comments.map((comment) => comment.at)).toEqual(['2026-03-15T13:31', '2026-03-15T13:45', '2026-03-15T14:30']);
    const [breach, carol, sre] = comments.map((comment) => comment.body);
    expect(breach).toContain('within 30 minutes (waking hours');
    expect(carol).toContain('@carol, please help');
    expect(sre).toContain('@acme/sre, please help');
    expect(sre).toContain('last step of the escalation policy');
  });

  it('nudges the acknowledged P1 once per silent hour, never escalates it, and skips its postmortem reminder (draft linked)', async () => {
    const comments = await botComments('B');
    expect(comments.map((comment) => comment.at)).toEqual(['2026-03-03T10:05', '2026-03-03T12:00']);
    for (const comment of comments) {
      expect(comment.body).toContain('@bob, @carol: no update on this P1 incident');
      expect(comment.body).not.toContain('Ack SLO');
    }
  });

  it('leaves alone an incident acknowledged in time, one triggered at night, and a skipped postmortem; reminds about a long P4 as the postmortem rules say', async () => {
    expect(await botComments('C')).toEqual([]);
    const [reminder, ...rest] = await botComments('E');
    expect(rest).toEqual([]);
    expect(reminder?.at).toBe('2026-03-16T09:10'); // 7 h 10 m open: needs a postmortem; never breached its (absent) ack SLO
    const d = await botComments('D');
    expect(d.map((comment) => comment.at)).toEqual(['2026-03-13T14:30']);
    expect(d[0]?.body).toContain('@bob');
  });

  it('opens the handoff issues at each handoff and the incident review issues every two weeks, once each', async () => {
    const { data: handoffs } = await alice.rest.issues.listForRepo({ ...shop, labels: 'handoff', state: 'all', sort: 'created', direction: 'asc' });
    expect(handoffs.map((issue) => [issue.title, issue.created_at.slice(0, 16)])).toEqual([
      ['Shift handoff: rot-a Mon 2026-03-02 11:00 UTC', '2026-03-02T11:00'],
      ['Shift handoff: rot-a Mon 2026-03-09 11:00 UTC', '2026-03-09T11:00'],
    ]);
    const [first, second] = handoffs.map((issue) => issue.body ?? '');
    expect(first).toContain('@alice → @bob');
    expect(first).toContain(`acme/shop#${numbers.get('A')}`); // triggered during alice's shift, still open at 11:00
    expect(first).toContain('- [ ] Update the next engineer on ongoing or recent issues');
    expect(second).toContain('@bob → @alice');
    expect(second).toMatch(/Payments down \| P1 \| resolved \| 5m \| 3h 30m/);

    const { data: reviews } = await alice.rest.issues.listForRepo({ ...postMortems, labels: 'incident-review', state: 'all', sort: 'created', direction: 'asc' });
    expect(reviews.map((issue) => [issue.title, issue.created_at.slice(0, 16)])).toEqual([
      ['Incident review 2026-03-02', '2026-03-02T09:00'],
      ['Incident review 2026-03-16', '2026-03-16T09:00'],
    ]);
    expect(reviews[0]?.body).toContain('No incidents in this period');
    const review = reviews[1]?.body ?? '';
    expect(review).toMatch(/acme\/shop#\d+ Checkout errors \| P2 \| resolved \| 50m \| 2h 00m \| none yet/);
    expect(review).toMatch(/acme\/shop#\d+ Payments down \| P1 \| resolved \| 5m \| 3h 30m \| http:\/\/\S+\/acme\/post_mortems\/pull\/1 \(draft\)/);
    for (const title of ['Search slow', 'Stale recommendations', 'Nightly export failed', 'Login errors']) expect(review).toContain(title);
    expect(review).toContain('Postmortem drafts still open');
  });

  it('costs two GitHub requests per quiet sweep (one repository), plus the hourly config read', () => {
    // Two weeks and two hours, every minute, plus the first.
    expect(sweeps).toBe((END - START) / MINUTE + 1);
    expect(quietSweeps.length + afterChange.length + busySweeps.length).toBe(sweeps);
    expect(busySweeps.map((sweep) => sweep.at).filter((at, i, all) => all.indexOf(at) === i)).toHaveLength(new Set(posted.map((line) => line.slice(0, 11))).size);
    expect(quietSweeps.length).toBeGreaterThan(20_000);
    const lists = { 'GET /repos/{owner}/{repo}/issues': 2 };
    const withConfig = { ...lists, 'GET /repos/{owner}/{repo}/contents/{path}': 1 };
    // Nothing due and nothing changed: the open and the recently closed incidents, one list each.
    // Once an hour the config is read again; and once B's postmortem reminder fell due, its comments
    // were read to find the linked draft (nothing posted).
    const same = (a: Record<string, number>, b: Record<string, number>) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    const other = quietSweeps.filter((sweep) => !same(sweep.byRoute, lists));
    const hourly = other.filter((sweep) => same(sweep.byRoute, withConfig));
    expect(other.filter((sweep) => !hourly.includes(sweep))).toEqual([{ at: '2026-03-05T12:30', total: 3, byRoute: { ...lists, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': 1 } }]);
    expect(hourly.every((sweep) => sweep.at.endsWith(':59'))).toBe(true);
    expect(hourly.length).toBeGreaterThan(300);
    // Right after a write (ours or a person's) the changed incident's comments are read once.
    expect(Math.max(...afterChange.map((sweep) => sweep.total))).toBeLessThanOrEqual(4);
    expect(problems).toEqual([]);
  });

  it('counts the sweeps and their writes in the metrics', async () => {
    const text = await registry.metrics();
    expect(text).toContain(`firewatch_sweeps_total{outcome="ok"} ${sweeps + 1}`);
    expect(text).toContain('firewatch_ack_slo_breaches_total 2');
    expect(text).toContain('firewatch_sweep_actions_total{reason="escalation"} 3');
    expect(text).toContain('firewatch_sweep_actions_total{reason="postmortem"} 3');
    expect(text).toContain('firewatch_sweep_actions_total{reason="handoff"} 2');
  });
});
