/**
 * Ranks the changes that could have caused an incident, or says that none is convincing.
 *
 * The score is a posterior probability over "change i caused it" and "no change in the window
 * caused it". Each change in the window independently carries prior odds `changeOdds` (0.3)
 * against the no-change hypothesis: for a service with a typical five changes a day that makes
 * 60% of incidents change-induced (1.5 / 2.5), about what postmortem surveys report, and it makes
 * a busy window likelier to hold the cause than a quiet one, as it is. Evidence (log likelihood
 * ratios, `features.ts`) multiplies each change's odds; everything is then normalised together:
 * score_i = odds·L_i / (1 + Σ odds·L_j). Scores of all candidates plus `noChangeProbability` add
 * up to 1, so a 0.7 reads "70% likely this change, under the model".
 *
 * Abstention: when the best candidate scores below `threshold` (0.4) the verdict is
 * `no_likely_suspect`. A change with no evidence either way scores 0.23 alone in the window, so
 * it takes real evidence to be named: arriving in the alerting environment within a few hours,
 * touching the service, or being named by the alert. Suspects are still returned for the curious.
 */
import { buildCorpus } from './alertMatch.ts';
import { alertText } from './alertText.ts';
import { candidateKey, changedAt, type ChangeCandidate, type IncidentFacts } from './candidate.ts';
import { canonicalEnvironment, sameEnvironment } from './classifyPath.ts';
import { evaluateFeatures, revertedNote, type Evidence, type FeatureContext } from './features.ts';
import { lookBackMs, scheduledJob } from './schedule.ts';

export const DEFAULT_WINDOW_BEFORE_MS = 24 * 3_600_000;
export const DEFAULT_WINDOW_AFTER_MS = 10 * 60_000;
const DEFAULT_THRESHOLD = 0.4;
const DEFAULT_CHANGE_ODDS = 0.3;
const DEFAULT_LIMIT = 5;

export interface RankOptions {
  /** How far before the first alert changes count (default 24 h, longer for a job that runs less often: `lookBackMs`). */
  windowBeforeMs?: number;
  /** How far after the first alert changes still count, for clock skew and alert delay (default 10 min). */
  windowAfterMs?: number;
  /** Lowest score of a leader worth naming (default 0.4). */
  threshold?: number;
  /** Prior odds of each change against "no change caused it" (default 0.3). */
  changeOdds?: number;
  /** How many suspects to return (default 5). */
  limit?: number;
}

export interface Suspect {
  candidate: ChangeCandidate;
  /** Posterior probability, 0..1. */
  score: number;
  /** Strongest first. */
  evidence: Evidence[];
  /** The slash command that undoes it: `/rollback #123`, `/redeploy production 1a2b3c4`. */
  rollback: string;
}

interface ExcludedChange {
  candidate: ChangeCandidate;
  reason: string;
}

type Verdict = 'suspects' | 'no_likely_suspect';

export interface SuspectRanking {
  /** Highest score first, at most `limit`; listed even when the verdict abstains, for the curious. */
  suspects: Suspect[];
  verdict: Verdict;
  windowed: { from: string; to: string };
  /** Changes in the window left out because they are already reverted. */
  reverted: ExcludedChange[];
  /** Candidates scored (in the window and not reverted). */
  considered: number;
  /** Posterior that none of the window's changes caused the incident. */
  noChangeProbability: number;
}

export function rollbackCommand(candidate: ChangeCandidate, facts: Pick<IncidentFacts, 'serviceRepos' | 'environment'>): string {
  const mainRepo = facts.serviceRepos[0];
  switch (candidate.kind) {
    case 'pull':
      return `/rollback ${candidate.repo === mainRepo ? '' : candidate.repo}#${candidate.number}`;
    case 'deployment':
      return `/redeploy ${candidate.environment}${candidate.previousSha ? ` ${candidate.previousSha.slice(0, 7)}` : ''}`;
    case 'release':
      return `/redeploy ${facts.environment ?? 'production'}${candidate.previousSha ? ` ${candidate.previousSha.slice(0, 7)}` : ''}`;
    case 'change':
      // Undone where it was made: firewatch did not make it and cannot roll it back.
      return '';
  }
}

function inWindow(candidate: ChangeCandidate, fromMs: number, toMs: number): boolean {
  const times = [changedAt(candidate), ...candidate.deployments.map((d) => d.at)].map((t) => Date.parse(t));
  return times.some((t) => t >= fromMs && t <= toMs);
}

function knownDeployTargets(facts: IncidentFacts, candidates: readonly ChangeCandidate[]): Map<string, string[]> {
  const targets = new Map<string, string[]>();
  for (const [repo, environments] of Object.entries(facts.deployedEnvironments ?? {})) targets.set(repo, [...environments]);
  if (facts.deployedEnvironments) return targets;
  for (const candidate of candidates) {
    const environments = targets.get(candidate.repo) ?? [];
    environments.push(...candidate.deployments.map((d) => d.environment));
    if (candidate.kind === 'deployment') environments.push(candidate.environment);
    targets.set(candidate.repo, environments);
  }
  return targets;
}

export function rankSuspects(facts: IncidentFacts, candidates: readonly ChangeCandidate[], options: RankOptions = {}): SuspectRanking {
  const before = options.windowBeforeMs ?? lookBackMs(facts, DEFAULT_WINDOW_BEFORE_MS);
  const after = options.windowAfterMs ?? DEFAULT_WINDOW_AFTER_MS;
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const changeOdds = options.changeOdds ?? DEFAULT_CHANGE_ODDS;
  const limit = options.limit ?? DEFAULT_LIMIT;
  const firstAlertMs = Date.parse(facts.firstAlertAt);
  if (Number.isNaN(firstAlertMs)) throw new RangeError(`firstAlertAt is not a time: ${facts.firstAlertAt}`);
  if (!(changeOdds > 0)) throw new RangeError('changeOdds must be positive');
  if (!(before > 0) || !(after >= 0)) throw new RangeError('the correlation window must reach back before the first alert');
  const fromMs = firstAlertMs - before;
  const toMs = firstAlertMs + after;
  const windowed = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };

  const seen = new Set<string>();
  const inside = candidates.filter((candidate) => {
    const key = candidateKey(candidate);
    if (seen.has(key) || !inWindow(candidate, fromMs, toMs)) return false;
    seen.add(key);
    return true;
  });
  const reverted = inside.filter((c) => c.revertedBy !== undefined).map((candidate) => ({ candidate, reason: revertedNote(candidate, facts.serviceRepos[0]) }));
  const ranked = inside.filter((c) => c.revertedBy === undefined);

  const alertingEnvironment = canonicalEnvironment(facts.environment ?? 'production');
  const targets = knownDeployTargets(facts, candidates);
  const alert = alertText(facts);
  const context: FeatureContext = {
    alert,
    corpus: buildCorpus(ranked, alert),
    facts,
    firstAlertMs,
    windowBeforeMinutes: before / 60_000,
    alertingEnvironment,
    schedule: scheduledJob(facts),
    deploysToAlertingEnvironment: (repo) => (targets.get(repo) ?? []).some((environment) => sameEnvironment(environment, alertingEnvironment)),
  };

  // Log space throughout: weights of strong evidence would overflow plain products.
  const logPrior = Math.log(changeOdds);
  const scored = ranked.map((candidate) => {
    const evidence = evaluateFeatures(candidate, context).sort((a, b) => b.weight - a.weight);
    return { candidate, evidence, logMass: logPrior + evidence.reduce((sum, e) => sum + e.weight, 0) };
  });
  const logNoChange = 0;
  const maxLog = Math.max(logNoChange, ...scored.map((s) => s.logMass));
  const total = Math.exp(logNoChange - maxLog) + scored.reduce((sum, s) => sum + Math.exp(s.logMass - maxLog), 0);

  const suspects = scored
    .map(({ candidate, evidence, logMass }) => ({ candidate, evidence, score: Math.exp(logMass - maxLog) / total, rollback: rollbackCommand(candidate, facts) }))
    .sort((a, b) => b.score - a.score || Date.parse(changedAt(b.candidate)) - Date.parse(changedAt(a.candidate)) || candidateKey(a.candidate).localeCompare(candidateKey(b.candidate)))
    .slice(0, limit);
  const top = suspects[0];
  return {
    suspects,
    verdict: top && top.score >= threshold ? 'suspects' : 'no_likely_suspect',
    windowed,
    reverted,
    considered: ranked.length,
    noChangeProbability: Math.exp(logNoChange - maxLog) / total,
  };
}
