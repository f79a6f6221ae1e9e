/**
 * What the scheduled sweep publishes besides reminders, against the sandbox (each clock move runs
 * the sweep, as `POST /_sandbox/clock` does for users; webhooks are off, so only sweeps act):
 * the incident review issue with the report of its period, the report committed to post_mortems
 * once, and the status page republished after changes no webhook announced, and left alone when
 * nothing changed.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { incidentStateSchema, renderStateBlock, type IncidentStateInput } from '../../src/domain/incident/incidentState.ts';
import { seedFixture } from '@firewatch/sandbox';
import { startSandboxed, type Sandboxed } from '../../src/runtimes/sandbox/startSandboxed.ts';

const CONFIG = `
timezone: UTC
sweeps:
  review: { weekday: monday, time: '09:00', start: '2026-03-02', everyWeeks: 2 }
statusPage:
  publish: true
  title: Acme status
  services: [checkout, payments]
`;

const shop = { owner: 'acme', repo: 'shop' };
const postMortems = { owner: 'acme', repo: 'post_mortems' };
const REPORT_DIR = 'reports/2026-03-16/acme/shop';

let firewatch: Sandboxed;
let alice: Octokit;

function state(input: Partial<IncidentStateInput> & Pick<IncidentStateInput, 'id' | 'title' | 'severity' | 'status' | 'triggeredAt'>) {
  return incidentStateSchema.parse({ version: 1, source: 'manual', service: 'checkout', ...input });
}

function body(incident: ReturnType<typeof state>): string {
  return `Incident ${incident.title}\n\n${renderStateBlock(incident)}\n`;
}

async function closedIncident(incident: ReturnType<typeof state>, labels: string[] = []): Promise<number> {
  const { data } = await alice.rest.issues.create({ ...shop, title: `[${incident.severity}] ${incident.service}: ${incident.title}`, body: body(incident), labels: ['incident', `sev:${incident.severity}`, `status:${incident.status}`, ...labels] });
  await alice.rest.issues.update({ ...shop, issue_number: data.number, state: 'closed', state_reason: 'completed' });
  return data.number;
}

async function setClock(iso: string): Promise<void> {
  const response = await fetch(`${firewatch.sandbox.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: iso }) });
  expect(response.status).toBeLessThan(300);
}

async function file(repo: typeof shop, path: string, ref?: string): Promise<string> {
  const { data } = await alice.rest.repos.getContent({ ...repo, path, ...(ref ? { ref } : {}) });
  if (Array.isArray(data) || !('content' in data)) throw new Error(`${path} is not a file`);
  return Buffer.from(data.content, 'base64').toString('utf8');
}

async function head(repo: typeof shop, branch: string): Promise<string | null> {
  try {
    return (await alice.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object.sha;
  } catch {
    return null;
  }
}

async function reviews() {
  const { data } = await alice.rest.issues.listForRepo({ ...postMortems, labels: 'incident-review', state: 'all' });
  return data;
}

async function appRequests(): Promise<{ total: number; contentCreating: number; byRoute: Record<string, number> }> {
  return (await (await fetch(`${firewatch.sandbox.url}/_sandbox/stats`)).json()) as { total: number; contentCreating: number; byRoute: Record<string, number> };
}

beforeAll(async () => {
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, files: { ...repo.files, '.github/firewatch.yml': CONFIG } } : repo));
  firewatch = await startSandboxed({ port: 0, sandboxPort: 0, logLevel: 'error', now: new Date('2026-03-10T00:00:00Z'), fixture: { ...fixture, repos } });
  firewatch.sandbox.setWebhookTarget(undefined);
  alice = new Octokit({ baseUrl: firewatch.sandbox.apiUrl, auth: 'sandbox-alice', request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });

  // Before the review period: not in the review.
  await closedIncident(state({ id: 'OLD', title: 'Search slow', service: 'search', severity: 'P3', status: 'resolved', triggeredAt: '2026-02-20T10:00:00Z', acknowledgedAt: '2026-02-20T10:01:00Z', resolvedAt: '2026-02-20T10:30:00Z' }));
  // TTA 40m, TTR 2h, ack SLO breached, no postmortem.
  await closedIncident(state({ id: 'A', title: 'Checkout errors', severity: 'P2', status: 'resolved', triggeredAt: '2026-03-03T10:00:00Z', acknowledgedAt: '2026-03-03T10:40:00Z', resolvedAt: '2026-03-03T12:00:00Z' }), ['slo:breached']);
  // TTA 5m, TTR 3h30m, rolled back, postmortem drafted.
  await closedIncident(
    state({
      id: 'B',
      title: 'Payments down',
      service: 'payments',
      severity: 'P1',
      status: 'resolved',
      triggeredAt: '2026-03-05T09:00:00Z',
      acknowledgedAt: '2026-03-05T09:05:00Z',
      resolvedAt: '2026-03-05T12:30:00Z',
      timeline: [
        { at: '2026-03-05T10:00:00Z', type: 'rollback', text: 'Rollback of #12 opened' },
        { at: '2026-03-05T13:00:00Z', type: 'postmortem', text: 'Postmortem drafted' },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  await firewatch?.close();
});

describe('the incident review issue embeds the report of its period', () => {
  let mainBefore: string | null = null;

  it('opens the review with the figures, charts and links, and commits the report to post_mortems', async () => {
    mainBefore = await head(postMortems, 'main');
    await setClock('2026-03-16T09:00:00Z');
    const [review, ...more] = await reviews();
    expect(more).toEqual([]);
    expect(review?.title).toBe('Incident review 2026-03-16');
    const text = review?.body ?? '';
    expect(text).toContain('Incidents triggered from Mon 2026-03-02 09:00 UTC to Mon 2026-03-16 09:00 UTC');
    expect(text).toContain('### Figures for the period');
    expect(text).toContain('- **2** incidents (2 resolved)');
    // Median and p90 (linear interpolation) of 40m and 5m to acknowledge, 2h and 3h30m to resolve.
    expect(text).toContain('- MTTA **23m** (p90 37m), MTTR **2h 45m** (p90 3h 21m)');
    expect(text).toContain('- Ack SLO breached: 50%; postmortems done (drafted or skipped on purpose): 50%');
    expect(text).toContain('- Change-related cause: 50%; rolled back: 50%');
    expect(text).toContain('| checkout | 1 | 40m | 40m | 2h 00m | 2h 00m | 100% | 0% | 0% | 0% |');
    expect(text).toContain('| payments | 1 | 5m | 5m | 3h 30m | 3h 30m | 0% | 100% | 100% | 100% |');
    expect(text).toContain('| P1 | 1 | 5m |');
    expect(text).not.toContain('Search slow');
    const base = `${firewatch.sandbox.url}/acme/post_mortems`;
    expect(text).toContain(`](${base}/raw/main/${REPORT_DIR}/charts/incidents-by-month.svg)`);
    expect(text).toMatch(/!\[Bar chart in minutes: checkout median 2h 00m, p90 2h 00m; payments median 3h 30m, p90 3h 30m\.\]\(\S+\/charts\/time-to-resolve-by-service\.svg\)/);
    expect(text).toContain(`[report](${base}/blob/main/${REPORT_DIR}/report.md) · [incidents.csv](${base}/blob/main/${REPORT_DIR}/incidents.csv)`);

    const report = await file(postMortems, `${REPORT_DIR}/report.md`);
    expect(report).toContain('# Incident report 2026-03-02 – 2026-03-16');
    expect(report).toContain('- MTTA **23m** (p90 37m), MTTR **2h 45m** (p90 3h 21m)');
    expect(report).toContain('](charts/response-times-by-month.svg)');
    const svg = await file(postMortems, `${REPORT_DIR}/charts/time-to-resolve-by-service.svg`);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>payments</text>');
    expect(svg).toContain('>checkout</text>');
    const csv = (await file(postMortems, `${REPORT_DIR}/incidents.csv`)).trim().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(',A,Checkout errors,checkout,P2,resolved,2026-03-03T10:00:00Z,2026-03,2400,7200,7200,0,true,missing,false,false,');
    expect(await file(postMortems, `${REPORT_DIR}/summary.csv`)).toContain('all,all,2,0,2,1350,2190,9900,12060,0.500,0.500,0.500,0.500');

    // One commit on the default branch, on top of what was there.
    const mainAfter = await head(postMortems, 'main');
    const { data: commit } = await alice.rest.git.getCommit({ ...postMortems, commit_sha: mainAfter ?? '' });
    expect(commit.parents.map((parent) => parent.sha)).toEqual([mainBefore]);
    expect(commit.message).toBe('Incident report 2026-03-02 – 2026-03-16 of acme/shop for the review of 2026-03-16');
  }, 60_000);

  it('creates nothing twice: not on the next sweep, nor from a fresh process (the CLI)', async () => {
    const mainAfter = await head(postMortems, 'main');
    await setClock('2026-03-16T09:30:00Z');
    const { code, out } = await runCli(['sweep', '--repo', 'acme/shop', '--api-url', firewatch.sandbox.apiUrl, '--token', 'sandbox-alice', '--now', '2026-03-16T10:00:00Z']);
    expect(code).toBe(0);
    expect(out).not.toMatch(/\breview\b/);
    expect(await reviews()).toHaveLength(1);
    expect(await head(postMortems, 'main')).toBe(mainAfter);
  }, 60_000);
});

describe('the sweep refreshes the status page', () => {
  let number = 0;
  const payments = state({ id: 'D', title: 'Card payments failing', service: 'payments', severity: 'P1', status: 'acknowledged', triggeredAt: '2026-03-16T10:00:00Z', acknowledgedAt: '2026-03-16T10:02:00Z' });

  it('publishes changes nobody announced with a webhook', async () => {
    const before = await head(shop, 'gh-pages');
    expect(before).not.toBeNull(); // published by the review's sweep already
    expect(JSON.parse(await file(shop, 'status.json', 'gh-pages'))).toMatchObject({ overall: 'operational', active: [] });

    number = (await alice.rest.issues.create({ ...shop, title: '[P1] payments: Card payments failing', body: body(payments), labels: ['incident', 'sev:P1', 'status:acknowledged'] })).data.number;
    await setClock('2026-03-16T10:05:00Z');
    expect(JSON.parse(await file(shop, 'status.json', 'gh-pages'))).toMatchObject({ overall: 'outage', active: [{ service: 'payments' }] });

    const update = { at: '2026-03-16T10:06:00Z', status: 'investigating' as const, text: 'Some card payments fail; we are on it.', internal: false };
    await alice.rest.issues.update({ ...shop, issue_number: number, body: body({ ...payments, status: 'investigating', statusUpdates: [update] }), labels: ['incident', 'sev:P1', 'status:investigating'] });
    await setClock('2026-03-16T10:10:00Z');
    expect(await file(shop, 'index.html', 'gh-pages')).toContain('Some card payments fail; we are on it.');
    expect(JSON.parse(await file(shop, 'status.json', 'gh-pages'))).toMatchObject({ active: [{ service: 'payments', status: 'investigating' }] });
  }, 60_000);

  it('commits nothing when nothing changed, in a known number of requests', async () => {
    const resolved = { ...payments, status: 'resolved' as const, resolvedAt: '2026-03-16T10:20:00Z' };
    await alice.rest.issues.update({ ...shop, issue_number: number, body: body(resolved), labels: ['incident', 'sev:P1', 'status:resolved'], state: 'closed', state_reason: 'completed' });
    await setClock('2026-03-16T10:20:00Z');
    const page = JSON.parse(await file(shop, 'status.json', 'gh-pages')) as { overall: string; active: unknown[]; past: { id: string; status: string }[] };
    expect(page).toMatchObject({ overall: 'operational', active: [] });
    expect(page.past.map((incident) => `${incident.id} ${incident.status}`)).toEqual(['D resolved', 'B resolved', 'A resolved', 'OLD resolved']);
    await setClock('2026-03-16T10:25:00Z'); // comments of the changed incident read once, remembered after
    const published = await head(shop, 'gh-pages');

    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    await setClock('2026-03-16T10:30:00Z');
    const stats = await appRequests();
    expect(await head(shop, 'gh-pages')).toBe(published);
    expect(stats.contentCreating).toBe(0);
    // Only the sweep's two lists: no incident changed since the page was last compared, so the
    // page is not even read back.
    expect(stats.byRoute).toEqual({ 'GET /repos/{owner}/{repo}/issues': 2 });
    expect(stats.total).toBe(2);

    // A new day moves the uptime bars: the page is compared again (two lists, the branch head, status.json).
    await fetch(`${firewatch.sandbox.url}/_sandbox/stats`, { method: 'DELETE' });
    await setClock('2026-03-17T00:05:00Z');
    const nextDay = await appRequests();
    expect(nextDay.byRoute['GET /repos/{owner}/{repo}/git/ref/{ref}']).toBe(1);
    expect(nextDay.byRoute['GET /repos/{owner}/{repo}/contents/{path}']).toBe(1);
  }, 60_000);
});
