/**
 * Narrow, structural views of the Octokit REST methods firewatch calls. A function asks for
 * exactly the methods it uses, so its signature documents its API calls and tests pass a small
 * fake; Probot's and @octokit/rest's instances satisfy these types as they are.
 */
import type { RepoRef } from '../../domain/repo/repoRef.ts';

export type { RepoRef } from '../../domain/repo/repoRef.ts';

/** Octokit methods take open parameter objects (`RequestParameters`); ours must be as open to match. */
export interface Params {
  [parameter: string]: unknown;
}

export interface IssueRef extends RepoRef {
  issue_number: number;
}

export type ReactionContent = '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes';

/** The fields of an issue firewatch reads. */
export interface IssueData {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  labels: (string | { name?: string })[];
  updated_at?: string;
  created_at?: string;
  pull_request?: unknown;
}

export interface RestIssues {
  create(params: RepoRef & { title: string; body?: string; labels?: string[]; assignees?: string[] } & Params): Promise<{ data: IssueData }>;
  get(params: IssueRef & Params): Promise<{ data: IssueData }>;
  update(
    params: IssueRef & { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' | 'reopened'; labels?: string[]; assignees?: string[] } & Params,
  ): Promise<{ data: IssueData }>;
  createComment(params: IssueRef & { body: string } & Params): Promise<{ data: { id: number; html_url: string } }>;
  listLabelsForRepo(params: RepoRef & { per_page?: number; page?: number } & Params): Promise<{ data: { name: string; color?: string; description?: string | null }[] }>;
  createLabel(params: RepoRef & { name: string; color?: string; description?: string } & Params): Promise<unknown>;
  updateLabel(params: RepoRef & { name: string; color?: string; description?: string } & Params): Promise<unknown>;
  checkUserCanBeAssigned(params: RepoRef & { assignee: string } & Params): Promise<unknown>;
}

export interface RestReactions {
  /** GitHub answers 201 for a new reaction and 200 when this user had already reacted so. */
  createForIssueComment(params: RepoRef & { comment_id: number; content: ReactionContent } & Params): Promise<{ status?: number; data?: { user?: { login: string } | null } }>;
  listForIssueComment(params: RepoRef & { comment_id: number; content?: ReactionContent; per_page?: number } & Params): Promise<{
    data: { content: string; user?: { login: string } | null }[];
  }>;
}

export interface RestRepos {
  getCollaboratorPermissionLevel(params: RepoRef & { username: string } & Params): Promise<{ data: { permission: string; role_name?: string } }>;
}

/** `octokit` narrowed to some methods of some namespaces, e.g. `OctokitWith<{ issues: Pick<RestIssues, 'createComment'> }>`. */
export interface OctokitWith<Rest> {
  rest: Rest;
}

export function labelNames(labels: IssueData['labels']): string[] {
  return labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean);
}

/** HTTP status of an Octokit RequestError, if the error is one. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

/** A listing's headers as GitHub sends them: `link` names the next page when there is one. */
export interface PageHeaders {
  headers?: { link?: string | undefined };
}

/**
 * Whether a listing has a page after this one: GitHub's `link` header says so (and is absent when
 * everything fit in one page), so a last page that happens to be full costs no extra request.
 * Without headers (a client that does not pass them on), a short page is the last.
 */
export function hasNextPage(response: { data: readonly unknown[] } & PageHeaders, perPage: number): boolean {
  if (response.data.length < perPage) return false;
  if (!response.headers) return true;
  return /\brel="next"/.test(response.headers.link ?? '');
}
