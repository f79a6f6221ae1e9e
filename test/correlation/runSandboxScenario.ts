/**
 * Runs correlation benchmark scenarios the way production does, against the sandbox: each
 * scenario's fixture goes to `POST /_sandbox/reset` (with a `.github/firewatch.yml` describing its
 * service), its alerts go to the app's `POST /alerts/generic`, the app opens the incident and
 * correlates it through GitHub's API, and the "Suspected changes" comment it writes is read back.
 * `/_sandbox/stats` says how many GitHub requests the app made for the incident.
 *
 * A fresh app per scenario: the app caches each repository's config for 30 s, and every scenario
 * brings its own.
 */
import { randomBytes } from 'node:crypto';
import { parseSuspectsBlock, type SuspectsBlock } from '../../src/domain/correlation/suspectsView.ts';
import { type FixtureInput, Sandbox, type SandboxStats } from '@firewatch/sandbox';
import { startServer } from '../../src/server.ts';
import { alertPayloads, unexplainedBy, type Culprit, type Scenario } from './runScenario.ts';

/** The app's incident repository in sandbox mode. */
const HOME = { owner: 'acme', repo: 'shop' };
const ALERT_TOKEN = 'scenario-alerts';

/** Routes only correlation calls on an incident that was just opened (intake itself writes no comments then). */
export const CORRELATION_ROUTES = [
  'POST /graphql',
  'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/files',
  // Finding the change log (PagerDuty change events), once per repository and ten minutes.
  'GET /repos/{owner}/{repo}/issues',
];

/**
 * The incident index's rebuild is intake's, not correlation's: the first alert of a repository lists
 * its open and its recently closed incidents once (`GET …/issues`, the route the change-log lookup
 * also uses; each scenario runs on a fresh server, so the rebuild happens once per scenario).
 */
const INDEX_REBUILD_LISTINGS = 2;

function indexListings(stats: SandboxStats): number {
  return Math.min(INDEX_REBUILD_LISTINGS, stats.byRoute['GET /repos/{owner}/{repo}/issues'] ?? 0);
}

export interface SandboxScenarioResult {
  file: string;
  name: string;
  holdout: boolean;
  culprit: Culprit;
  /** `repo#n` or `repo@deployment:id` of the culprit in this sandbox world. */
  culpritKey: string | null;
  block: SuspectsBlock | null;
  /** 1-based rank of the culprit among the listed suspects. */
  culpritRank: number | undefined;
  explains: string[];
  /** Of `explains`, those the culprit's evidence in the comment does not quote. */
  unexplained: string[];
  /** Every GitHub request the app made for this incident (intake and correlation). */
  requests: number;
  /** The correlation's share: its GraphQL queries and its comment (every incident the scenario opened). */
  correlationRequests: number;
  /** Incidents the scenario's alerts opened (alerts of different problems open one each, and each is correlated). */
  incidents: number;
  stats: SandboxStats;
}

export interface SandboxRunner {
  sandbox: Sandbox;
  run(scenario: Scenario, file: string): Promise<SandboxScenarioResult>;
  close(): Promise<void>;
}

function withConfig(scenario: Scenario): FixtureInput {
  // Every alert of a scenario is its service's, as the pure runner takes them: the team routes them
  // there by whatever its alerts carry (`deployment`, `container`, `queue`…), which the scenario does
  // not spell out, so the one service takes every alert (no matchers).
  const config = {
    routing: { services: [{ name: scenario.service.name, repos: scenario.service.repos, paths: scenario.service.paths }] },
  };
  const file = { '.github/firewatch.yml': `${JSON.stringify(config, null, 2)}\n` };
  const repos = [...(scenario.fixture.repos ?? [])];
  const index = repos.findIndex((r) => (r.owner ?? 'acme') === HOME.owner && r.name === HOME.repo);
  if (index >= 0) {
    const home = repos[index];
    if (home) repos[index] = { ...home, files: { ...home.files, ...file } };
  } else {
    repos.push({ owner: HOME.owner, name: HOME.repo, private: false, default_branch: 'main', files: file, labels: [], pulls: [], deployments: [], issues: [] });
  }
  return { ...scenario.fixture, now: scenario.now, repos };
}

export async function startSandboxRunner(): Promise<SandboxRunner> {
  const sandbox = await Sandbox.start({ port: 0, host: '127.0.0.1', webhookSecret: randomBytes(16).toString('hex') });

  async function control(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${sandbox.url}/_sandbox/${path}`, { method, ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
    if (!response.ok) throw new Error(`${method} /_sandbox/${path}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? undefined : response.json();
  }

  function shaOf(repo: string, number: number): string {
    const [owner = '', name = ''] = repo.split('/');
    const sha = sandbox.repo(owner, name)?.pulls.get(number)?.merge_commit_sha;
    if (!sha) throw new Error(`alert names ${repo}#${number}, which is not merged in the fixture`);
    return sha;
  }

  function keyOf(culprit: Culprit): string | null {
    if (!culprit) return null;
    if ('pull' in culprit) return `${culprit.repo}#${culprit.pull}`;
    const [owner = '', name = ''] = culprit.repo.split('/');
    const ids = [...(sandbox.repo(owner, name)?.deployments.values() ?? [])].map((d) => d.id).sort((a, b) => a - b);
    const id = ids[culprit.deployment - 1];
    if (id === undefined) throw new Error(`${culprit.repo} has no deployment ${culprit.deployment}`);
    return `${culprit.repo}@deployment:${id}`;
  }

  return {
    sandbox,
    async run(scenario, file) {
      await control('POST', 'reset', withConfig(scenario));
      const server = await startServer({
        mode: 'sandbox',
        credentials: { kind: 'app', appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: sandbox.webhookSecret, baseUrl: sandbox.apiUrl },
        port: 0,
        host: '127.0.0.1',
        intake: { token: ALERT_TOKEN },
        defaultRepo: HOME,
        clock: () => sandbox.now(),
        logLevel: 'fatal',
        queue: { coalesceMs: 0 },
      });
      sandbox.setWebhookTarget(server.webhookUrl);
      try {
        await control('DELETE', 'stats');
        for (const { source, payload } of alertPayloads(scenario, shaOf)) {
          const response = await fetch(`${server.url}/alerts/${source}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${ALERT_TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify(payload),
          });
          if (response.status >= 300) throw new Error(`${file}: alert refused with ${response.status}: ${await response.text()}`);
        }
        await server.alertQueue.idle();
        await sandbox.idle();
        const stats = (await control('GET', 'stats')) as SandboxStats;
        // Read in-process: scenario fixtures may replace the seeded users, and reads are not the app's.
        const home = sandbox.repo(HOME.owner, HOME.repo);
        const issue = [...(home?.issues.values() ?? [])].find((i) => !i.isPullRequest && i.labels.includes('incident'));
        if (!home || !issue) throw new Error(`${file}: no incident was opened`);
        const comments = [...home.comments.values()].filter((c) => c.issueNumber === issue.number);
        const block = comments.map((c) => parseSuspectsBlock(c.body)).find((b) => b !== null) ?? null;
        const culpritKey = keyOf(scenario.culprit);
        const index = culpritKey && block ? block.suspects.findIndex((s) => s.key === culpritKey) : -1;
        const reasons = block?.suspects[index]?.evidence?.map((e) => e.reason) ?? [];
        return {
          file,
          name: scenario.name,
          holdout: file.startsWith('holdout-'),
          culprit: scenario.culprit,
          culpritKey,
          block,
          culpritRank: index >= 0 ? index + 1 : undefined,
          explains: scenario.explains,
          unexplained: unexplainedBy(reasons, scenario.explains),
          requests: stats.total,
          correlationRequests: CORRELATION_ROUTES.reduce((n, route) => n + (stats.byRoute[route] ?? 0), 0) - indexListings(stats),
          incidents: [...home.issues.values()].filter((i) => !i.isPullRequest && i.labels.includes('incident')).length,
          stats,
        };
      } finally {
        sandbox.setWebhookTarget(undefined);
        await server.close();
      }
    },
    async close() {
      await sandbox.close();
    },
  };
}

export interface SandboxSummary {
  scenarios: number;
  withCulprit: number;
  noChange: number;
  top1: number;
  top3: number;
  abstentionRecall: number;
  abstentionPrecision: number;
  maxCorrelationRequests: number;
  meanCorrelationRequests: number;
  meanRequests: number;
  explainable: number;
  explained: number;
  misses: { file: string; why: string }[];
}

/** The pure runner's metrics (runScenario.ts `summarize`), from what the comments say. */
export function summarizeSandbox(results: readonly SandboxScenarioResult[]): SandboxSummary {
  const withCulprit = results.filter((r) => r.culprit !== null);
  const noChange = results.filter((r) => r.culprit === null);
  const named = (r: SandboxScenarioResult): boolean => r.block?.verdict === 'suspects';
  const found = (r: SandboxScenarioResult, k: number): boolean => named(r) && r.culpritRank !== undefined && r.culpritRank <= k;
  const abstained = results.filter((r) => r.block !== null && !named(r));
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  const misses: { file: string; why: string }[] = [];
  for (const r of results) {
    const top = (r.block?.suspects ?? []).slice(0, 3).map((s) => `${s.key} ${s.score.toFixed(2)}`).join(', ');
    if (!r.block) misses.push({ file: r.file, why: 'no suspects comment' });
    else if (r.culprit === null && named(r)) misses.push({ file: r.file, why: `no change caused it, but named ${top}` });
    else if (r.culprit !== null && !found(r, 1)) misses.push({ file: r.file, why: `${named(r) ? (r.culpritRank ? `culprit ranked ${r.culpritRank}` : 'culprit not listed') : 'abstained'}; top: ${top || 'none'}` });
    else if (r.unexplained.length) misses.push({ file: r.file, why: `named first, but its evidence does not quote ${r.unexplained.join(', ')}` });
  }
  const explainable = withCulprit.filter((r) => r.explains.length > 0);
  // The budget is per incident: a scenario whose alerts open two incidents correlates twice.
  const counts = results.map((r) => r.correlationRequests / Math.max(1, r.incidents));
  return {
    scenarios: results.length,
    withCulprit: withCulprit.length,
    noChange: noChange.length,
    top1: ratio(withCulprit.filter((r) => found(r, 1)).length, withCulprit.length),
    top3: ratio(withCulprit.filter((r) => found(r, 3)).length, withCulprit.length),
    abstentionRecall: ratio(noChange.filter((r) => r.block !== null && !named(r)).length, noChange.length),
    abstentionPrecision: ratio(abstained.filter((r) => r.culprit === null).length, abstained.length),
    maxCorrelationRequests: Math.max(0, ...counts),
    meanCorrelationRequests: ratio(counts.reduce((a, b) => a + b, 0), counts.length),
    meanRequests: ratio(results.reduce((n, r) => n + r.requests, 0), results.length),
    explainable: explainable.length,
    explained: ratio(explainable.filter((r) => found(r, 1) && r.unexplained.length === 0).length, explainable.length),
    misses,
  };
}
