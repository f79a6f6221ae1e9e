import type { Identity } from '../../services/identity.ts';
import type { IssueRef, Params } from './types.ts';

export interface CommentData {
  id: number;
  html_url: string;
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

export interface RestIssueComments {
  listComments(params: IssueRef & { per_page?: number; page?: number } & Params): Promise<{ data: CommentData[] }>;
  updateComment(params: { owner: string; repo: string; comment_id: number; body: string } & Params): Promise<{ data: { id: number; html_url: string } }>;
}

/** Pages read at most (10,000 comments): an incident longer than that has bigger problems. */
const MAX_PAGES = 100;

/**
 * The first comment of an issue that a bot wrote and `matches` accepts (a hidden marker), reading
 * 100 comments per request. People quoting a firewatch comment, or another app posting one, do not count: only firewatch's own comments do.
 */
export async function findMarkedComment(
  octokit: { rest: { issues: Pick<RestIssueComments, 'listComments'> } },
  issue: IssueRef,
  matches: (body: string) => boolean,
  identity: Identity,
): Promise<{ comment: CommentData | undefined; requests: number }> {
  let requests = 0;
  for (let page = 1; page <= MAX_PAGES; page++) {
    requests++;
    const { data } = await octokit.rest.issues.listComments({ ...issue, per_page: 100, page });
    const found = data.find((comment) => identity.isOwnActor(comment.user) && matches(comment.body ?? ''));
    if (found) return { comment: found, requests };
    if (data.length < 100) break;
  }
  return { comment: undefined, requests };
}
