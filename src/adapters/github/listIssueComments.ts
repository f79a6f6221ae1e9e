import { hasNextPage, type OctokitWith, type PageHeaders, type Params, type RepoRef } from './types.ts';

export interface ListedComment {
  id: number;
  body?: string | null;
  html_url: string;
  created_at: string;
  user?: { login: string; type?: string } | null;
}

export interface RestListComments {
  listComments(params: RepoRef & { issue_number: number; since?: string; per_page?: number; page?: number } & Params): Promise<{ data: ListedComment[] } & PageHeaders>;
}

export type ListCommentsOctokit = OctokitWith<{ issues: RestListComments }>;

/** Every comment of an issue (optionally only those updated since an instant), 100 per request. */
export async function listIssueComments(octokit: ListCommentsOctokit, repo: RepoRef, issueNumber: number, since?: Date): Promise<ListedComment[]> {
  const found: ListedComment[] = [];
  for (let page = 1; ; page++) {
    const response = await octokit.rest.issues.listComments({
      owner: repo.owner,
      repo: repo.repo,
      issue_number: issueNumber,
      ...(since ? { since: since.toISOString() } : {}),
      per_page: 100,
      page,
    });
    found.push(...response.data);
    if (!hasNextPage(response, 100)) return found;
  }
}
