import { CONTRACT_LABELS, type LabelSpec } from '../domain/labels.ts';
import { httpStatus, type OctokitWith, type RepoRef, type RestIssues } from './types.ts';

/** Repositories (lower-cased `owner/repo`) whose contract labels are known to exist. */
export type LabelCache = Set<string>;

export function createLabelCache(): LabelCache {
  return new Set();
}

const sharedCache = createLabelCache();

/**
 * Creates the contract labels a repository lacks, with their colors and descriptions, once per
 * repository per process. Issues would get labels anyway (GitHub creates them on use), but gray
 * and unexplained. Returns the names it created.
 */
export async function ensureLabels(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'listLabelsForRepo' | 'createLabel'> }>,
  repo: RepoRef,
  options: { labels?: readonly LabelSpec[]; cache?: LabelCache } = {},
): Promise<string[]> {
  const cache = options.cache ?? sharedCache;
  const key = `${repo.owner}/${repo.repo}`.toLowerCase();
  if (cache.has(key)) return [];
  const wanted = options.labels ?? CONTRACT_LABELS;
  const existing = new Set<string>();
  for (let page = 1; ; page++) {
    const { data } = await octokit.rest.issues.listLabelsForRepo({ owner: repo.owner, repo: repo.repo, per_page: 100, page });
    for (const label of data) existing.add(label.name.toLowerCase());
    if (data.length < 100) break;
  }
  const created: string[] = [];
  for (const label of wanted) {
    if (existing.has(label.name.toLowerCase())) continue;
    try {
      await octokit.rest.issues.createLabel({ owner: repo.owner, repo: repo.repo, name: label.name, color: label.color, description: label.description });
      created.push(label.name);
    } catch (error) {
      // Another replica (or a person) created it between our list and create.
      if (httpStatus(error) !== 422) throw error;
    }
  }
  cache.add(key);
  return created;
}
