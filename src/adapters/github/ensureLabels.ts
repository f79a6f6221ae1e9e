import { CONTRACT_LABELS, type LabelSpec } from '../../domain/incident/labels.ts';
import { repoKey } from '../../domain/repo/repoRef.ts';
import { httpStatus, type OctokitWith, type RepoRef, type RestIssues } from './types.ts';

/**
 * Repositories (lower-cased `owner/repo`) whose contract labels are known to exist, and the
 * creation passes under way (concurrent workers wait for one pass). One per process, in its
 * `Coordination`.
 */
export interface LabelCache {
  known: Set<string>;
  passes: Map<string, Promise<string[]>>;
}

export function createLabelCache(): LabelCache {
  return { known: new Set(), passes: new Map() };
}

/**
 * Creates the contract labels a repository lacks, with their colors and descriptions, once per
 * repository per process, and colors the ones GitHub created gray when an issue used them first
 * (incident issues name their labels in the create call: one request, not two). Runs after the
 * incident's own writes, never before them. Callers that arrive while a pass for the same repository is running share it
 * (four queue workers in a storm would otherwise each create every label, all but one with a 422).
 * Returns the names this call created (`[]` for callers that shared another's pass).
 */
export async function ensureLabels(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'listLabelsForRepo' | 'createLabel' | 'updateLabel'> }>,
  repo: RepoRef,
  options: { labels?: readonly LabelSpec[]; cache: LabelCache },
): Promise<string[]> {
  const { cache } = options;
  const key = repoKey(repo);
  if (cache.known.has(key)) return [];
  const { passes } = cache;
  const running = passes.get(key);
  if (running) {
    await running;
    return [];
  }
  const pass = createMissing(octokit, repo, options.labels ?? CONTRACT_LABELS);
  passes.set(key, pass);
  try {
    const created = await pass;
    cache.known.add(key);
    return created;
  } finally {
    // On failure the next caller starts a fresh pass.
    passes.delete(key);
  }
}

/** GitHub's color for a label created by using it (on an issue) rather than defined. */
const CREATED_BY_USE_COLOR = 'ededed';

async function createMissing(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'listLabelsForRepo' | 'createLabel' | 'updateLabel'> }>,
  repo: RepoRef,
  wanted: readonly LabelSpec[],
): Promise<string[]> {
  const existing = new Map<string, { name: string; color?: string; description?: string | null }>();
  for (let page = 1; ; page++) {
    const { data } = await octokit.rest.issues.listLabelsForRepo({ owner: repo.owner, repo: repo.repo, per_page: 100, page });
    for (const label of data) existing.set(label.name.toLowerCase(), label);
    if (data.length < 100) break;
  }
  const created: string[] = [];
  for (const label of wanted) {
    const found = existing.get(label.name.toLowerCase());
    if (found) {
      // Created gray and unexplained when an incident issue used it first; never a label people styled.
      if (found.color?.toLowerCase() === CREATED_BY_USE_COLOR && !found.description) {
        await octokit.rest.issues.updateLabel({ owner: repo.owner, repo: repo.repo, name: found.name, color: label.color, description: label.description });
      }
      continue;
    }
    try {
      await octokit.rest.issues.createLabel({ owner: repo.owner, repo: repo.repo, name: label.name, color: label.color, description: label.description });
      created.push(label.name);
    } catch (error) {
      if (httpStatus(error) !== 422) throw error;
      // Created between our list and create: by another replica (the same definition), or gray by
      // an incident issue naming it meanwhile. Give it its color either way.
      await octokit.rest.issues.updateLabel({ owner: repo.owner, repo: repo.repo, name: label.name, color: label.color, description: label.description });
    }
  }
  return created;
}
