/**
 * Two weeks of on-call against the sandbox, moving its clock every 30 simulated minutes (each
 * move runs the scheduled sweep at the new time, as `POST /_sandbox/clock` does for users): the
 * exact reminders, escalations, review issues and handoffs posted, once each, and the GitHub
 * requests a sweep costs when nothing is due (`/_sandbox/stats`).
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentStateSchema, renderStateBlock, type IncidentStateInput } from '../../src/domain/incidentState.ts';
import { seedFixture } from '../../src/sandbox/seed.ts';
import { startSandboxed, type Sandboxed } from '../../src/runtime/startSandboxed.ts';

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
sweeps:
  staleMinutes: { P1: 60 }
  review: { weekday: monday, time: '09:00', start: '2026-03-02', everyWeeks: 2 }
`;

const START = Date.parse('2026-03-02T08:00:00Z');
const END = Date.parse('2026-03-16T10:00:00Z');
const STEP = 30 * 60_000;
const shop = { owner: 'acme', repo: 'shop' };
const postMortems = { owner: 'acme', repo: 'post_mortems' };

let firewatch: Sandboxed;
let alice: Octokit;
const quietSweeps: { at: string; total: number }[] = [];
const busySweeps: number[] = [];
let simulationMs = 0;
const afterChange: { at: string; total: number }[] = [];

function state(input: Partial<IncidentStateInput> & Pick<IncidentStateInput, 'id' | 'title' | 'severity' | 'status' | 'triggeredAt'>) {
  return incidentStateSchema.parse({ version: 1, source: 'manual', service: 'checkout', ...input });
}

function body(incident: ReturnType<typeof state>): string {
  return `Incident ${incident.title}\n\n${renderStateBlock(incident)}\n`;
}

async function setClock(at: number): Promise<void> {
  const response = await fetch(`${firewatch.sandbox.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: new Date(at).toISOString() }) });
  expect(response.status).toBeLessThan(300);
}

async function appRequests(): Promise<{ total: number; contentCreating: number }> {
  return (await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as { total: number; contentCreating: number };
}

/** Zeroes the app's request counts. */
async function resetStats(): Promise<void> {
  await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
}

const A = state({ id: 'A', title: 'Checkout errors', severity: 'P2', status: 'triggered', triggeredAt: '2026-03-02T10:00:00Z' });
const B = state({ id: 'B', title: 'Payments down', severity: 'P1', status: 'acknowledged', triggeredAt: '2026-03-03T09:00:00Z', acknowledgedAt: '2026-03-03T09:05:00Z', acknowledgedBy: 'bob', roles: { commander: 'bob', comms: 'carol' } });
let numberA = 0;
let numberB = 0;

/** What people do during the two weeks, keyed by the simulated instant they do it at. */
const script: Record<string, () => Promise<void>> = {
  '2026-03-02T10:00:00Z': async () => {
    numberA = (await alice.rest.issues.create({ ...shop, title: '[P2] checkout: Checkout errors', body: body(A), labels: ['incident', 'sev:P2', 'status:triggered'] })).data.number;
  },
  '2026-03-02T12:00:00Z': async () => {
    const resolved = { ...A, status: 'resolved' as const, acknowledgedAt: '2026-03-02T10:40:00Z', resolvedAt: '2026-03-02T12:00:00Z', roles: { commander: 'alice', comms: null, responders: [] } };
    await alice.rest.issues.update({ ...shop, issue_number: numberA, body: body(resolved), labels: ['incident', 'sev:P2', 'status:resolved', 'slo:breached'], state: 'closed', state_reason: 'completed' });
  },
  '2026-03-03T09:00:00Z': async () => {
    numberB = (await alice.rest.issues.create({ ...shop, title: '[P1] checkout: Payments down', body: body(B), labels: ['incident', 'sev:P1', 'status:acknowledged'] })).data.number;
  },
  '2026-03-03T11:00:00Z': async () => {
    const updated = { ...B, status: 'investigating' as const, statusUpdates: [{ at: '2026-03-03T11:00:00Z', status: 'investigating' as const, text: 'Card processor timeouts', internal: false }] };
    await alice.rest.issues.update({ ...shop, issue_number: numberB, body: body(updated), labels: ['incident', 'sev:P1', 'status:investigating'] });
  },
  '2026-03-03T12:30:00Z': async () => {
    const resolved = { ...B, status: 'resolved' as const, resolvedAt: '2026-03-03T12:30:00Z', mitigatedAt: '2026-03-03T12:10:00Z', statusUpdates: [{ at: '2026-03-03T11:00:00Z', status: 'investigating' as const, text: 'Card processor timeouts', internal: false }] };
    await alice.rest.issues.update({ ...shop, issue_number: numberB, body: body(resolved), labels: ['incident', 'sev:P1', 'status:resolved'], state: 'closed', state_reason: 'completed' });
    await alice.rest.issues.createComment({ ...shop, issue_number: numberB, body: `Postmortem draft: ${firewatch.sandbox.url}/acme/post_mortems/pull/1` });
  },
};

beforeAll(async () => {
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG } } : repo));
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', now: new Date(START - STEP), fixture: { ...fixture, repos } });
  // People's edits in this story are not commands: keep webhooks out so only sweeps act.
  firewatch.sandbox.setWebhookTarget(undefined);
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  await setClock(START - STEP); // warm-up: installation token and config are read once

  await resetStats();
  let before = { total: 0, contentCreating: 0 };
  let changed = false;
  const started = performance.now();
  for (let at = START; at <= END; at += STEP) {
    const act = script[new Date(at).toISOString().replace('.000Z', 'Z')];
    if (act) await act();
    await setClock(at);
    const after = await appRequests();
    const total = after.total - before.total;
    const created = after.contentCreating - before.contentCreating;
    before = after;
    // A sweep right after a write (ours or a person's) reads the changed incident's comments once.
    if (created > 0) busySweeps.push(total);
    else if (changed || act) afterChange.push({ at: new Date(at).toISOString().slice(0, 16), total });
    else quietSweeps.push({ at: new Date(at).toISOString().slice(0, 16), total });
    changed = created > 0;
  }
  simulationMs = performance.now() - started;
}, 120_000);

afterAll(async () => {
  await firewatch?.close();
});

async function botComments(issue: number) {
  const { data } = await alice.rest.issues.listComments({ ...shop, issue_number: issue, per_page: 100 });
  return data.filter((comment) => comment.user?.login === 'firewatch[bot]').map((comment) => ({ at: comment.created_at.slice(0, 16), body: comment.body ?? '' }));
}

describe('two weeks of sweeps every 30 minutes against the sandbox', () => {
  it('escalates the unacknowledged incident once, then brings in the next step once, then reminds about its postmortem once', async () => {
    const comments = await botComments(numberA);
    expect(comments.map((comment) => comment.at)).toEqual(['2026-03-02T10:30', '2026-03-02T11:00', '2026-03-04T12:00']);
    const [breach, escalation, postmortem] = comments.map((comment) => comment.body);
    expect(breach).toContain('Ack SLO breached');
    expect(breach).toContain('within 10 minutes (business hours');
    expect(breach).toContain('On call now: @alice');
    expect(breach).toContain('Next escalation step: @carol in 15 minutes');
    expect(escalation).toContain('@carol, please help');
    expect(escalation).toContain('last step of the escalation policy');
    expect(postmortem).toContain('@alice');
    expect(postmortem).toContain('no postmortem draft');
    const { data: issue } = await alice.rest.issues.get({ ...shop, issue_number: numberA });
    expect(issue.labels.map((label) => (typeof label === 'string' ? label : label.name))).toContain('slo:breached');
    expect(breach).toMatch(/<!-- firewatch:event \{.*"type":"slo-breached".*"entries":\[.*Ack SLO breached/);
  });

  it('nudges the acknowledged P1 for a status update once per silent hour, never escalates it, and skips its postmortem reminder (draft linked)', async () => {
    const comments = await botComments(numberB);
    expect(comments.map((comment) => comment.at)).toEqual(['2026-03-03T10:30', '2026-03-03T12:00']);
    for (const comment of comments) {
      expect(comment.body).toContain('@bob, @carol: no update on this P1 incident');
      expect(comment.body).not.toContain('Ack SLO');
    }
  });

  it('opens the handoff issues at each handoff and the incident review issues every two weeks, once each', async () => {
    const { data: handoffs } = await alice.rest.issues.listForRepo({ ...shop, labels: 'handoff', state: 'all', sort: 'created', direction: 'asc' });
    expect(handoffs.map((issue) => [issue.title, issue.created_at.slice(0, 16)])).toEqual([
      ['Shift handoff: rot-a Mon 2026-03-02 11:00 UTC', '2026-03-02T11:00'],
      ['Shift handoff: rot-a Mon 2026-03-09 11:00 UTC', '2026-03-09T11:00'],
    ]);
    const [first, second] = handoffs.map((issue) => issue.body ?? '');
    expect(first).toContain('@alice → @bob');
    expect(first).toContain('acme/shop#'); // A, triggered during alice's shift, still open at 11:00
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
    expect(review).toMatch(/acme\/shop#\d+ Checkout errors \| P2 \| resolved \| 40m \| 2h 00m \| none yet/);
    expect(review).toMatch(/acme\/shop#\d+ Payments down \| P1 \| resolved \| 5m \| 3h 30m \| http:\/\/\S+\/acme\/post_mortems\/pull\/1 \(draft\)/);
    expect(review).toContain('Postmortem drafts still open');
  });

  it('costs at most 2 GitHub requests per quiet sweep (one repository) and fits in the time budget', () => {

    // 2 weeks + 2 hours every 30 minutes, plus the first.
    expect(quietSweeps.length + afterChange.length + busySweeps.length).toBe((END - START) / STEP + 1);
    // 03-02 09:00 review, 10:30 breach, 11:00 escalation + handoff, 03-03 10:30 and 12:00 nudges, 03-04 postmortem, 03-09 handoff, 03-16 review.
    expect(busySweeps.length).toBe(8);
    expect(quietSweeps.length).toBeGreaterThan(640);
    // Nothing due and nothing changed: the two list requests. The one exception is the sweep where
    // B's postmortem reminder fell due: its comments are read once, the draft link found, nothing posted.
    expect(quietSweeps.filter((sweep) => sweep.total !== 2)).toEqual([{ at: '2026-03-05T12:30', total: 3 }]);
    expect(Math.max(...afterChange.map((sweep) => sweep.total))).toBeLessThanOrEqual(3);
    expect(simulationMs).toBeLessThan(45_000);
  });
});
