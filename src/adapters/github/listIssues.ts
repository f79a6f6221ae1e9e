import { hasNextPage, type OctokitWith, type PageHeaders, type Params, type RepoRef } from './types.ts';

/** The fields of a listed issue the sweep reads. */
export interface ListedIssue {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string })[];
  assignees?: { login: string }[] | null;
  updated_at: string;
  created_at: string;
  pull_request?: unknown;
}

export interface RestListIssues {
  listForRepo(
    params: RepoRef & { state?: 'open' | 'closed' | 'all'; labels?: string; since?: string; creator?: string; sort?: 'created' | 'updated' | 'comments'; direction?: 'asc' | 'desc'; per_page?: number; page?: number } & Params,
  ): Promise<{ data: ListedIssue[] } & PageHeaders>;
}

export type ListIssuesOctokit = OctokitWith<{ issues: RestListIssues }>;

export interface ListIssuesQuery {
  state: 'open' | 'closed' | 'all';
  labels?: string;
  since?: Date;
  sort?: 'created' | 'updated';
  direction?: 'asc' | 'desc';
  /** Only issues opened by this login. */
  creator?: string;
  /** Stop after this many issues (default: every page, 100 per request). */
  limit?: number;
}

/** Issues (not pull requests) of a repository, one request per 100. */
export async function listIssues(octokit: ListIssuesOctokit, repo: RepoRef, query: ListIssuesQuery): Promise<ListedIssue[]> {
  const limit = query.limit ?? Number.POSITIVE_INFINITY;
  const perPage = Math.min(100, limit);
  const found: ListedIssue[] = [];
  for (let page = 1; found.length < limit; page++) {
    const response = await octokit.rest.issues.listForRepo({
      owner: repo.owner,
      repo: repo.repo,
      state: query.state,
      ...(query.labels ? { labels: query.labels } : {}),
      ...(query.since ? { since: query.since.toISOString() } : {}),
      ...(query.sort ? { sort: query.sort } : {}),
      ...(query.direction ? { direction: query.direction } : {}),
      ...(query.creator ? { creator: query.creator } : {}),
      per_page: perPage,
      page,
    });
    found.push(...response.data.filter((issue) => issue.pull_request === undefined || issue.pull_request === null));
    if (!hasNextPage(response, perPage)) break;
  }
  return found.slice(0, limit);
}
