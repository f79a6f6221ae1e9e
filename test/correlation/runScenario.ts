/**
 * Runs one correlation benchmark scenario without the sandbox: the scenario's fixture (the same
 * format `POST /_sandbox/reset` takes) is turned straight into the merged PRs and deployments a
 * fetch from GitHub would return, then into candidates, then ranked. The sandbox-backed path,
 * which also counts GitHub requests, builds on the same scenario files.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { buildCandidates, type DeploymentRecord, type MergedPull } from '../../src/domain/correlation/buildCandidates.ts';
import { candidateKey, type ChangeCandidate } from '../../src/domain/correlation/candidate.ts';
import { incidentFacts } from '../../src/domain/correlation/incidentFacts.ts';
import { DEFAULT_WINDOW_AFTER_MS, DEFAULT_WINDOW_BEFORE_MS, rankSuspects, type RankOptions, type SuspectRanking } from '../../src/domain/correlation/rankSuspects.ts';
import { normalizerFor } from '../../src/adapters/intake/normalizers.ts';
import { diffLines, type FixtureRepo, fixtureSchema, fixtureTime, resolveFixtureTime, splitLines, unifiedDiff } from '@firewatch/sandbox';
import { patchTargets, withPatches } from '../../src/domain/correlation/patchTargets.ts';
import { REQUEST_BUDGET } from '../../src/features/correlation/correlate.ts';
import { lookBackMs } from '../../src/domain/correlation/schedule.ts';
import { shownEvidence } from '../../src/domain/correlation/suspectsView.ts';
import { repositoryGroups } from '../../src/adapters/github/fetchChanges.ts';

export const SCENARIO_DIR = join(import.meta.dirname, 'scenarios');
/** Scenarios written for issue #18 (reading the alert), that the model was tuned on. */
export const TRAINING_DIR = join(import.meta.dirname, 'training');
/** Their held-out half (holdout-v2): run once at the end of round 1, used for tuning since (bench/README.md). */
export const HOLDOUT_DIR = join(import.meta.dirname, 'holdout');
/** Written before round 2 changed the model; run once at its end (bench/README.md). */
export const HOLDOUT_V3_DIR = join(import.meta.dirname, 'holdout-v3');
/** Written for round 3 by a writer who never saw the model's code or results (holdout-v4/README.md). */
export const HOLDOUT_V4_DIR = join(import.meta.dirname, 'holdout-v4');
/** Written for issue #18 by a writer who never saw the model's code or results (holdout-v5/README.md). */
export const HOLDOUT_V5_DIR = join(import.meta.dirname, 'holdout-v5');
/** Written for issue #18 by a second writer who never saw the model's code or results (holdout-v6/README.md). */
export const HOLDOUT_V6_DIR = join(import.meta.dirname, 'holdout-v6');
/** Written for issue #18 by a third writer who never saw the model's code or results (holdout-v7/README.md). */
export const HOLDOUT_V7_DIR = join(import.meta.dirname, 'holdout-v7');
/** Written for issue #18 by a fourth writer who never saw the model's code or results (holdout-v8/README.md). */
export const HOLDOUT_V8_DIR = join(import.meta.dirname, 'holdout-v8');
/** Written for issue #18 by a fifth writer who never saw the model's code or results (holdout-v9/README.md). */
export const HOLDOUT_V9_DIR = join(import.meta.dirname, 'holdout-v9');

const culpritSchema = z.union([
  z.object({ repo: z.string(), pull: z.number().int().positive() }).strict(),
  z.object({ repo: z.string(), deployment: z.number().int().positive() }).strict(),
  z.null(),
]);

/**
 * An alert as its source sends it, posted to `POST /alerts/{source}`. Strings in the payload may
 * hold `{{time:-15m}}` (ISO-8601), `{{epochms:-15m}}` (Unix milliseconds, Datadog's `$DATE`) and
 * `{{sha7:owner/repo#12}}` / `{{sha:owner/repo#12}}` (the merge commit of that PR).
 */
const sourcedAlertSchema = z
  .object({
    source: z.enum(['generic', 'alertmanager', 'grafana', 'datadog', 'sentry']),
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();

/** A generic alert payload; `started_at` may be relative (`-15m`) like fixture times. */
const genericAlertEntrySchema = z.object({ started_at: fixtureTime }).passthrough();

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().min(1),
  tags: z.array(z.string()).default([]),
  now: z.iso.datetime({ offset: true }),
  fixture: fixtureSchema,
  /** Generic alert payloads, or `{ source, payload }` for any source. Label values may name commits as `{{sha7:owner/repo#12}}`. */
  alerts: z.array(z.union([sourcedAlertSchema, genericAlertEntrySchema])).min(1),
  service: z.object({ name: z.string(), repos: z.array(z.string()).min(1), paths: z.array(z.string()) }),
  /** `deployment: n` is the n-th deployment (1-based) of that repository in the fixture. */
  culprit: culpritSchema,
  /** Words the culprit's evidence must quote (what a responder would point at): counted as "explained". */
  explains: z.array(z.string().min(1)).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Culprit = z.infer<typeof culpritSchema>;

export interface ScenarioResult {
  file: string;
  name: string;
  holdout: boolean;
  culprit: Culprit;
  ranking: SuspectRanking;
  /** 1-based position of the culprit among the returned suspects, when listed. */
  culpritRank: number | undefined;
  /** Of `explains`, those the culprit's evidence does not quote (empty when all are, or none are asked). */
  unexplained: string[];
  explains: string[];
}

/** Stand-in for a merge commit SHA: stable per PR, so scenarios can name it in alert labels. */
export function syntheticSha(repo: string, pull: number): string {
  return createHash('sha1').update(`${repo}#${pull}`).digest('hex');
}

function countLines(before: string | undefined, after: string | undefined): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  for (const op of diffLines(splitLines(before ?? ''), splitLines(after ?? ''))) {
    if (op.kind === 'insert') additions++;
    else if (op.kind === 'delete') deletions++;
  }
  return { additions, deletions };
}

function history(repo: FixtureRepo, now: Date): { pulls: MergedPull[]; deployments: DeploymentRecord[]; patches: Map<string, Record<string, string>> } {
  const fullName = `${repo.owner}/${repo.name}`;
  const files = new Map(Object.entries(repo.files));
  const merged = repo.pulls
    .map((pull, index) => ({ pull, index }))
    .filter(({ pull }) => pull.merged_at !== undefined)
    .sort((a, b) => resolveFixtureTime(a.pull.merged_at ?? '', now).getTime() - resolveFixtureTime(b.pull.merged_at ?? '', now).getTime() || a.index - b.index);
  const pulls: MergedPull[] = [];
  const patches = new Map<string, Record<string, string>>();
  for (const { pull } of merged) {
    if (pull.number === undefined) throw new Error(`${fullName}: scenario PRs must pin their number ("${pull.title}")`);
    let additions = 0;
    let deletions = 0;
    const patchOf: Record<string, string> = {};
    for (const change of pull.files) {
      const counted = countLines(files.get(change.path), change.deleted ? undefined : change.content);
      // What `GET /pulls/{n}/files` says: the diff against the branch the PR merged into.
      const patch = unifiedDiff(files.get(change.path) ?? '', change.deleted ? '' : (change.content ?? '')).patch;
      if (patch) patchOf[change.path] = patch;
      additions += counted.additions;
      deletions += counted.deletions;
      if (change.deleted) files.delete(change.path);
      else files.set(change.path, change.content ?? '');
    }
    patches.set(`${fullName}#${pull.number}`, patchOf);
    pulls.push({
      repo: fullName,
      number: pull.number,
      title: pull.title,
      body: pull.body,
      url: `https://github.com/${fullName}/pull/${pull.number}`,
      author: pull.user,
      mergedAt: resolveFixtureTime(pull.merged_at ?? '', now).toISOString(),
      mergeCommitSha: syntheticSha(fullName, pull.number),
      paths: pull.files.map((f) => f.path),
      additions,
      deletions,
      labels: pull.labels,
    });
  }
  const deployments = repo.deployments.map((deployment, index): DeploymentRecord => {
    const pull = deployment.pull === undefined ? pulls[pulls.length - 1] : pulls.find((p) => p.number === deployment.pull);
    if (deployment.pull !== undefined && !pull) throw new Error(`${fullName}: deployment ${index + 1} names PR #${deployment.pull}, which is not merged`);
    // Like the sandbox, a ref resolves against the branch as it stands after the whole fixture.
    const sha = deployment.ref && deployment.ref !== repo.default_branch ? deployment.ref : (pull?.mergeCommitSha ?? syntheticSha(fullName, 0));
    const statuses = [...deployment.statuses].sort((a, b) => resolveFixtureTime(a.created_at, now).getTime() - resolveFixtureTime(b.created_at, now).getTime());
    const latest = statuses[statuses.length - 1];
    return {
      repo: fullName,
      id: index + 1,
      environment: deployment.environment,
      sha,
      createdAt: resolveFixtureTime(deployment.created_at, now).toISOString(),
      state: statuses[statuses.length - 1]?.state ?? 'pending',
      url: `https://github.com/${fullName}/deployments/${index + 1}`,
      creator: deployment.creator ?? 'firewatch[bot]',
      // The sandbox says `Deployment <state>` when the fixture gives no words.
      description: latest?.description ?? `Deployment ${(latest?.state ?? 'pending').replace('_', ' ')}`,
    };
  });
  return { pulls, deployments, patches };
}

const PLACEHOLDER = /\{\{(sha7|sha|time|epochms):([^}]+)\}\}/g;

/** Fills the placeholders of every string in a payload: times against `now`, commits through `shaOf`. */
function fillPlaceholders(value: unknown, now: Date, shaOf: (repo: string, pull: number) => string): unknown {
  if (typeof value === 'string') {
    return value.replace(PLACEHOLDER, (match, form: string, argument: string) => {
      if (form === 'time') return resolveFixtureTime(argument, now).toISOString();
      if (form === 'epochms') return String(resolveFixtureTime(argument, now).getTime());
      const reference = /^([\w.-]+\/[\w.-]+)#(\d+)$/.exec(argument);
      if (!reference) throw new Error(`bad placeholder ${match}`);
      const sha = shaOf(reference[1] ?? '', Number(reference[2]));
      return form === 'sha7' ? sha.slice(0, 7) : sha;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, now, shaOf));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholders(v, now, shaOf)]));
  return value;
}

/** Each alert of a scenario as its source would send it, placeholders filled. */
export function alertPayloads(scenario: Scenario, shaOf: (repo: string, pull: number) => string): { source: string; payload: unknown }[] {
  const now = new Date(scenario.now);
  return scenario.alerts.map((alert) => {
    const sourced = sourcedAlertSchema.safeParse(alert);
    if (sourced.success) return { source: sourced.data.source, payload: fillPlaceholders(sourced.data.payload, now, shaOf) };
    const generic = fillPlaceholders(alert, now, shaOf) as Record<string, unknown>;
    return { source: 'generic', payload: { ...generic, started_at: resolveFixtureTime(String(generic['started_at']), now).toISOString() } };
  });
}

/** The culprit's evidence, as plain text, does not mention these of the scenario's `explains`. */
export function unexplainedBy(reasons: readonly string[], explains: readonly string[]): string[] {
  const text = reasons.join('\n').toLowerCase();
  return explains.filter((word) => !text.includes(word.toLowerCase()));
}

function matchesCulprit(candidate: ChangeCandidate, culprit: NonNullable<Culprit>): boolean {
  if (candidate.repo !== culprit.repo) return false;
  if ('pull' in culprit) return candidate.kind === 'pull' && candidate.number === culprit.pull;
  return candidate.kind === 'deployment' && candidate.deploymentId === culprit.deployment;
}

export function runScenario(scenario: Scenario, file = scenario.name, options: RankOptions = {}): ScenarioResult {
  const now = new Date(scenario.now);
  const alerts = alertPayloads(scenario, syntheticSha).map(({ source, payload }, index) => {
    const normalize = normalizerFor(source);
    if (!normalize) throw new Error(`${file}: alert ${index + 1} has no normalizer for ${source}`);
    const normalized = normalize(payload, { receivedAt: now });
    if (!normalized.ok) throw new Error(`${file}: alert ${index + 1} is not a valid ${source} alert: ${JSON.stringify(normalized.problems)}`);
    return normalized.alerts;
  });
  const facts = incidentFacts(alerts.flat(), scenario.service);
  const repos = (scenario.fixture.repos ?? []).filter((r) => scenario.service.repos.includes(`${r.owner}/${r.name}`));
  const histories = repos.map((r) => history(r, now));
  // The fetch would also see each repository's recent deployments outside the window.
  facts.deployedEnvironments = Object.fromEntries(repos.map((r, i) => [`${r.owner}/${r.name}`, [...new Set(histories[i]?.deployments.map((d) => d.environment) ?? [])]]));
  const firstAlertMs = Date.parse(facts.firstAlertAt);
  const window = {
    from: new Date(firstAlertMs - (options.windowBeforeMs ?? lookBackMs(facts, DEFAULT_WINDOW_BEFORE_MS))).toISOString(),
    to: new Date(firstAlertMs + (options.windowAfterMs ?? DEFAULT_WINDOW_AFTER_MS)).toISOString(),
  };
  const candidates = buildCandidates({ pulls: histories.flatMap((h) => h.pulls), deployments: histories.flatMap((h) => h.deployments) }, window);
  // As `correlateIncident` does: rank, read the patches of the strongest few within the budget, rank again.
  const first = rankSuspects(facts, candidates, options);
  const requestsSoFar = repositoryGroups(repos).length;
  const targets = patchTargets(facts, first, REQUEST_BUDGET - requestsSoFar - 1);
  const allPatches = new Map(histories.flatMap((h) => [...h.patches]));
  const fetched = new Map(targets.map((t) => [candidateKey(t), allPatches.get(candidateKey(t)) ?? {}]));
  const ranking = fetched.size ? rankSuspects(facts, withPatches(candidates, fetched), options) : first;
  const culprit = scenario.culprit;
  const index = culprit ? ranking.suspects.findIndex((s) => matchesCulprit(s.candidate, culprit)) : -1;
  // What the comment shows of the culprit's evidence: an explanation the reader does not see explains nothing.
  const culpritSuspect = ranking.suspects[index];
  const reasons = culpritSuspect ? shownEvidence(culpritSuspect).map((e) => e.reason) : [];
  return {
    file,
    name: scenario.name,
    holdout: basename(file).startsWith('holdout-'),
    culprit,
    ranking,
    culpritRank: index >= 0 ? index + 1 : undefined,
    explains: scenario.explains,
    unexplained: unexplainedBy(reasons, scenario.explains),
  };
}

export function loadScenarios(dir = SCENARIO_DIR): { file: string; scenario: Scenario }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const parsed = scenarioSchema.safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success) throw new Error(`${name}: ${parsed.error.message}`);
      return { file: name, scenario: parsed.data };
    });
}

export interface AccuracySummary {
  scenarios: number;
  withCulprit: number;
  noChange: number;
  top1: number;
  top3: number;
  /** Abstentions on no-change incidents / all abstentions. */
  abstentionPrecision: number;
  /** Abstentions on no-change incidents / no-change incidents. */
  abstentionRecall: number;
  /** Scenarios that name what the culprit's evidence should quote (`explains`). */
  explainable: number;
  /** Of those, the share where the culprit is named first and its evidence quotes all of it. */
  explained: number;
  misses: { file: string; why: string }[];
}

/** A culprit counts as found only when the verdict names suspects: an abstention finds nothing. */
export function summarize(results: readonly ScenarioResult[]): AccuracySummary {
  const withCulprit = results.filter((r) => r.culprit !== null);
  const noChange = results.filter((r) => r.culprit === null);
  const found = (r: ScenarioResult, k: number): boolean => r.ranking.verdict === 'suspects' && r.culpritRank !== undefined && r.culpritRank <= k;
  const abstained = results.filter((r) => r.ranking.verdict === 'no_likely_suspect');
  const rightAbstentions = abstained.filter((r) => r.culprit === null).length;
  const misses: { file: string; why: string }[] = [];
  for (const r of results) {
    const top = r.ranking.suspects
      .slice(0, 3)
      .map((s) => `${candidateKey(s.candidate)} ${s.score.toFixed(2)}`)
      .join(', ');
    if (r.culprit === null && r.ranking.verdict === 'suspects') misses.push({ file: r.file, why: `no change caused it, but named ${top}` });
    if (r.culprit !== null && !found(r, 1)) {
      const where = r.ranking.verdict === 'no_likely_suspect' ? 'abstained' : r.culpritRank ? `culprit ranked ${r.culpritRank}` : 'culprit not listed';
      misses.push({ file: r.file, why: `${where}; top: ${top || 'none'}` });
    } else if (r.unexplained.length) misses.push({ file: r.file, why: `named first, but its evidence does not quote ${r.unexplained.join(', ')}` });
  }
  const explainable = withCulprit.filter((r) => r.explains.length > 0);
  const ratio = (a: number, b: number): number => (b === 0 ? 1 : a / b);
  return {
    scenarios: results.length,
    withCulprit: withCulprit.length,
    noChange: noChange.length,
    top1: ratio(withCulprit.filter((r) => found(r, 1)).length, withCulprit.length),
    top3: ratio(withCulprit.filter((r) => found(r, 3)).length, withCulprit.length),
    abstentionPrecision: ratio(rightAbstentions, abstained.length),
    abstentionRecall: ratio(rightAbstentions, noChange.length),
    explainable: explainable.length,
    explained: ratio(explainable.filter((r) => found(r, 1) && r.unexplained.length === 0).length, explainable.length),
    misses,
  };
}

export function runAll(dir = SCENARIO_DIR, options: RankOptions = {}): ScenarioResult[] {
  return loadScenarios(dir).map(({ file, scenario }) => runScenario(scenario, file, options));
}
