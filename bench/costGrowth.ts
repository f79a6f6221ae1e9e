/**
 * How firewatch's GitHub cost grows with the size of what it reads, against the sandbox (which
 * pages listings as GitHub does): a quiet sweep over N open incidents, and the postmortem of an
 * incident with N notes (its state leaves the oldest entries out; the postmortem finds them again
 * in firewatch's comments), and `firewatch report` over N incidents, each with firewatch's
 * suspects comment (by GraphQL batches, and by one REST request per incident as before). Prints
 * requests and wall time per size. `npm run bench:cost` (COST_SIZES=100,1000,5000 and
 * REPORT_SIZES=1000,10000 and PULL_SIZES=1000,5000 change the sizes); correlation's read of N merged PRs. The request counts are asserted in
 * test/e2e/sweepCost.test.ts, test/features/longIncident.test.ts and test/features/report/reportCli.test.ts.
 */
import { Octokit } from '@octokit/rest';
import { Sandbox, seedFixture } from '@firewatch/sandbox';
import { validateConfig, DEFAULT_CONFIG } from '../src/domain/config/config.ts';
import { incidentStateSchema, renderStateBlock, type TimelineEntry } from '../src/domain/incident/incidentState.ts';
import { openIncident } from '../src/domain/incident/openIncident.ts';
import { stateScope, UNSEALED } from '../src/domain/incident/stateSeal.ts';
import { renderEventMarker } from '../src/domain/text/eventMarker.ts';
import { renderIncidentBody } from '../src/features/incidents/renderIncidentBody.ts';
import { renderPostmortemFile } from '../src/features/postmortem/postmortem.ts';
import { sweep } from '../src/features/sweeps/sweep.ts';
import type { PostmortemOctokit } from '../src/adapters/github/postmortemApi.ts';
import { tokenIdentity } from '../src/services/identity.ts';
import { readIncidentRecords } from '../src/features/report/readIncidentRecords.ts';
import { renderSuspectsBlock } from '../src/domain/correlation/suspectsView.ts';
import { fetchChanges } from '../src/adapters/github/fetchChanges.ts';

const SIZES = (process.env['COST_SIZES'] ?? '100,1000,5000').split(',').map(Number);
const REPORT_SIZES = (process.env['REPORT_SIZES'] ?? '1000,10000').split(',').map(Number);
const PULL_SIZES = (process.env['PULL_SIZES'] ?? '1000,5000').split(',').map(Number);
const NOW = new Date('2026-03-02T10:05:00Z');
const T0 = new Date('2026-03-02T10:00:00Z');
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
const shop = { owner: 'acme', repo: 'shop' };

function openIncidentIssue(index: number) {
  const state = incidentStateSchema.parse({ version: 1, id: `i-${index}`, title: `Errors on shard ${index}`, source: 'generic', service: 'api', severity: 'P3', status: 'acknowledged', triggeredAt: T0.toISOString(), acknowledgedAt: '2026-03-02T10:02:00Z' });
  return { title: `[P3] api: Errors on shard ${index}`, body: `summary\n\n${renderStateBlock(state)}`, user: 'alice', labels: ['incident'], created_at: T0.toISOString() };
}

async function withSandbox<T>(issues: ReturnType<typeof openIncidentIssue>[], run: (sandbox: Sandbox, bot: Octokit) => Promise<T>): Promise<T> {
  const fixture = seedFixture();
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, issues } : repo));
  const sandbox = await Sandbox.start({ port: 0, webhookSecret: 'cost', now: NOW, fixture: { ...fixture, repos } });
  try {
    const bot = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueInstallationToken().token, request: { fetch: sandbox.fetch }, log: quietLog });
    return await run(sandbox, bot);
  } finally {
    await sandbox.close();
  }
}

async function sweepCost(size: number): Promise<string> {
  return withSandbox(Array.from({ length: size }, (_, index) => openIncidentIssue(index)), async (sandbox, bot) => {
    const { config } = validateConfig({ sweeps: { review: { enabled: false }, handoff: { enabled: false } } });
    const identity = await tokenIdentity(bot);
    sandbox.resetStats();
    const started = performance.now();
    await sweep({ octokit: bot, repo: shop, config, clock: () => NOW, identity });
    const ms = performance.now() - started;
    const stats = sandbox.stats();
    return `| sweep over open incidents | ${size} | ${stats.total} | ${Math.ceil(size / 100) + 1} | ${ms.toFixed(0)} ms |`;
  });
}

/** An incident with `size` notes, each recorded by a firewatch reply, and its postmortem rendered from GitHub. */
async function longIncidentCost(size: number): Promise<string> {
  const opened = openIncident({ source: 'generic', fingerprint: 'f', status: 'firing', title: 'Checkout errors', severity: 'P2', service: 'checkout', labels: {}, annotations: {}, startsAt: T0.toISOString(), links: { other: [] } }, T0);
  const entries: TimelineEntry[] = Array.from({ length: size }, (_, index) => ({ at: new Date(T0.getTime() + (index + 1) * 1_000).toISOString(), type: 'note', actor: 'alice', text: `note ${index}: watching the error rate on the checkout dashboard` }));
  const body = renderIncidentBody({ ...opened, timeline: [...opened.timeline, ...entries] }, { timezone: 'UTC', scope: stateScope(UNSEALED, shop) });
  const issue = { title: '[P2] checkout: Checkout errors', body, user: 'alice', labels: ['incident'], created_at: T0.toISOString(), comments: entries.map((entry) => ({ user: 'firewatch[bot]', body: `📝 Noted.\n\n${renderEventMarker({ type: 'command-reply', at: entry.at, entries: [entry] })}`, created_at: entry.at })) };
  return withSandbox([issue as unknown as ReturnType<typeof openIncidentIssue>], async (sandbox, bot) => {
    const { data: listed } = await bot.rest.issues.listForRepo({ ...shop, labels: 'incident', state: 'open' });
    const number = listed[0]?.number ?? 1;
    const identity = await tokenIdentity(bot);
    sandbox.resetStats();
    const started = performance.now();
    const file = await renderPostmortemFile(bot as unknown as PostmortemOctokit, { incident: { ...shop, number }, config: DEFAULT_CONFIG, now: NOW, identity });
    const ms = performance.now() - started;
    const rows = file?.view.timeline.filter((row) => row.text.includes('watching the error rate')).length ?? 0;
    const comments = sandbox.stats().byRoute['GET /repos/{owner}/{repo}/issues/{issue_number}/comments'] ?? 0;
    return `| postmortem of an incident with N notes (${rows} in the draft, body ${body.length} chars) | ${size} | ${comments} comment pages | ${Math.ceil(size / 100)} | ${ms.toFixed(0)} ms |`;
  });
}

/** `firewatch report`'s read of N incidents of the period, each with firewatch's suspects comment right after filing. */
async function reportCost(size: number, how: 'graphql' | 'rest'): Promise<string> {
  const suspects = renderSuspectsBlock({ service: 'api', firstAlertAt: T0.toISOString(), labels: {}, annotations: {}, verdict: 'suspects', considered: 3, at: T0.toISOString(), suspects: [{ key: 'acme/shop#7', score: 0.8, command: '/rollback #7', evidence: [{ reason: 'deployed 4 min before the first alert' }] }] });
  const issues = Array.from({ length: size }, (_, index) => ({ ...openIncidentIssue(index), comments: [{ user: 'firewatch[bot]', body: `### 🔎 Suspected changes\n\n${suspects}`, created_at: T0.toISOString() }] }));
  return withSandbox(issues as unknown as ReturnType<typeof openIncidentIssue>[], async (sandbox, bot) => {
    const identity = await tokenIdentity(bot);
    sandbox.resetStats();
    const started = performance.now();
    const reader = how === 'graphql' ? bot : { rest: bot.rest };
    const records = await readIncidentRecords(reader, shop, new Date(T0.getTime() - 86_400_000), { identity });
    const ms = performance.now() - started;
    const found = records.filter((record) => record.hasSuspects).length;
    const { total, byRoute } = sandbox.stats();
    const bound = how === 'graphql' ? Math.ceil(size / 100) + Math.ceil(size / 50) : Math.ceil(size / 100) + size;
    return `| firewatch report over N incidents, ${how === 'graphql' ? 'comments by GraphQL, 50 incidents a query' : 'one REST request per incident (before)'} (${found} with suspects) | ${size} | ${total} (${byRoute['POST /graphql'] ?? 0} GraphQL) | ${bound} | ${ms.toFixed(0)} ms |`;
  });
}

/** Correlation's read of what changed: N PRs merged into acme/shop in the day before the alert. */
async function correlationCost(size: number): Promise<string> {
  const fixture = seedFixture();
  const pulls = Array.from({ length: size }, (_, i) => ({ title: `Change ${i}`, user: 'bob', merged_at: new Date(NOW.getTime() - (size - i) * Math.floor(86_000_000 / size)).toISOString(), files: [{ path: `services/checkout/f${i % 50}.js`, content: `v${i}` }] }));
  const repos = (fixture.repos ?? []).map((repo) => (repo.name === 'shop' ? { ...repo, pulls, deployments: [] } : repo));
  const seeding = performance.now();
  const sandbox = await Sandbox.start({ port: 0, webhookSecret: 'cost', now: NOW, fixture: { ...fixture, repos } });
  const seeded = performance.now() - seeding;
  try {
    const bot = new Octokit({ baseUrl: sandbox.apiUrl, auth: sandbox.issueInstallationToken().token, request: { fetch: sandbox.fetch }, log: quietLog });
    sandbox.resetStats();
    const started = performance.now();
    const changes = await fetchChanges(bot, { repos: ['acme/shop'], window: { from: new Date(NOW.getTime() - 86_400_000).toISOString(), to: NOW.toISOString() } });
    const ms = performance.now() - started;
    const graphql = sandbox.stats().byRoute['POST /graphql'] ?? 0;
    return `| correlation over N PRs merged in the window (${changes.pulls.length} weighed${changes.notes.length ? ', the comment says the rest were not' : ''}; sandbox seeded in ${(seeded / 1000).toFixed(1)} s) | ${size} | ${graphql} GraphQL | ${Math.ceil(size / 100)} | ${ms.toFixed(0)} ms |`;
  } finally {
    await sandbox.close();
  }
}

console.log('| what | N | requests | bound | wall time |');
console.log('| --- | --- | --- | --- | --- |');
for (const size of SIZES) console.log(await sweepCost(size));
for (const size of SIZES) console.log(await longIncidentCost(size));
for (const size of PULL_SIZES) console.log(await correlationCost(size));
for (const size of REPORT_SIZES) for (const how of ['graphql', 'rest'] as const) console.log(await reportCost(size, how));
