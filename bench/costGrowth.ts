/**
 * How firewatch's GitHub cost grows with the size of what it reads, against the sandbox (which
 * pages listings as GitHub does): a quiet sweep over N open incidents, and the postmortem of an
 * incident with N notes (its state leaves the oldest entries out; the postmortem finds them again
 * in firewatch's comments). Prints requests and wall time per size. `npm run bench:cost`
 * (COST_SIZES=100,1000,5000 changes the sizes). The request counts are asserted in
 * test/e2e/sweepCost.test.ts and test/features/longIncident.test.ts.
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

const SIZES = (process.env['COST_SIZES'] ?? '100,1000,5000').split(',').map(Number);
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

console.log('| what | N | requests | bound | wall time |');
console.log('| --- | --- | --- | --- | --- |');
for (const size of SIZES) console.log(await sweepCost(size));
for (const size of SIZES) console.log(await longIncidentCost(size));
