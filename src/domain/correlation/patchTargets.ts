/**
 * Which candidates' patches are worth their request: the few strongest PRs of a first ranking, when
 * the alert says something a diff could match (words, a file). Patches are fetched for these only,
 * then the ranking is made again with them (`withPatches`).
 */
import { alertText } from './alertText.ts';
import { candidateKey, type ChangeCandidate, type IncidentFacts, type PullCandidate } from './candidate.ts';
import type { SuspectRanking } from './rankSuspects.ts';

/** PRs whose patches are read at most, budget permitting. */
export const MAX_PATCHED_PULLS = 3;

export function patchTargets(facts: IncidentFacts, ranking: Pick<SuspectRanking, 'suspects'>, budget: number): PullCandidate[] {
  const limit = Math.min(MAX_PATCHED_PULLS, Math.max(0, Math.floor(budget)));
  if (limit === 0) return [];
  const said = alertText(facts);
  if (said.words.length === 0 && said.files.length === 0) return [];
  return ranking.suspects.flatMap((s) => (s.candidate.kind === 'pull' && s.candidate.paths.length > 0 ? [s.candidate] : [])).slice(0, limit);
}

/** The candidates with the patches fetched (by `candidateKey`) attached; the others as they were. */
export function withPatches(candidates: readonly ChangeCandidate[], patches: ReadonlyMap<string, Record<string, string>>): ChangeCandidate[] {
  return candidates.map((candidate) => {
    const found = patches.get(candidateKey(candidate));
    return found ? { ...candidate, patches: found } : candidate;
  });
}
