import type { IssueData, OctokitWith, RepoRef, RestSearch } from './types.ts';

export type IncidentIssue = IssueData & { closed_at?: string | null };

/**
 * The incident issue whose body carries `token` (the visible `firewatch fingerprint:` footer):
 * the oldest open one if any, else the most recently created closed one (for reopening). One
 * search request. Search is eventually consistent: remember what you just created.
 */
export async function findIncidentIssue(
  octokit: OctokitWith<{ search: Pick<RestSearch, 'issuesAndPullRequests'> }>,
  repo: RepoRef,
  token: string,
  label: string,
): Promise<IncidentIssue | undefined> {
  if (!/^\w+$/.test(token)) throw new Error(`search token must be a single word, got ${JSON.stringify(token)}`);
  const q = `repo:${repo.owner}/${repo.repo} is:issue label:"${label}" in:body "${token}"`;
  const { data } = await octokit.rest.search.issuesAndPullRequests({ q, per_page: 20, sort: 'created', order: 'desc' });
  const items = (data.items as IncidentIssue[]).filter((issue) => issue.body?.includes(token));
  const open = items.filter((issue) => issue.state === 'open');
  return open[open.length - 1] ?? items[0];
}
