import type { IssueData, OctokitWith, RepoRef, RestSearch } from './types.ts';

/**
 * The oldest open issue in a repository whose body contains `token` (a single word firewatch
 * wrote into a hidden block), optionally with a label. Search is eventually consistent: callers
 * that just created an issue should remember it rather than search for it.
 */
export async function findOpenIssue(
  octokit: OctokitWith<{ search: Pick<RestSearch, 'issuesAndPullRequests'> }>,
  repo: RepoRef,
  token: string,
  options: { label?: string } = {},
): Promise<IssueData | undefined> {
  if (!/^\w+$/.test(token)) throw new Error(`search token must be a single word, got ${JSON.stringify(token)}`);
  const q = [`repo:${repo.owner}/${repo.repo}`, 'is:issue', 'is:open', ...(options.label ? [`label:"${options.label}"`] : []), 'in:body', `"${token}"`].join(' ');
  const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 10, sort: 'created', order: 'asc' });
  return data.items.find((issue) => issue.body?.includes(token));
}
