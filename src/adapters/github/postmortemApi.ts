import { z } from 'zod';
import { httpStatus, type IssueRef, type Params, type RepoRef } from './types.ts';
import type { ListedComment } from './listIssueComments.ts';
import { planWrite } from '../../domain/plan/planWrite.ts';

/** The GitHub calls drafting a postmortem makes, in the post_mortems repository and on the incident. */
export interface PostmortemOctokit {
  rest: {
    repos: {
      get(params: RepoRef & Params): Promise<{ data: { default_branch: string; html_url: string } }>;
      getContent(params: RepoRef & { path: string; ref?: string } & Params): Promise<{ data: unknown }>;
      createOrUpdateFileContents(params: RepoRef & { path: string; message: string; content: string; sha?: string; branch?: string } & Params): Promise<unknown>;
    };
    git: {
      getRef(params: RepoRef & { ref: string } & Params): Promise<{ data: { object: { sha: string } } }>;
      createRef(params: RepoRef & { ref: string; sha: string } & Params): Promise<unknown>;
      updateRef(params: RepoRef & { ref: string; sha: string; force?: boolean } & Params): Promise<unknown>;
    };
    pulls: {
      list(params: RepoRef & { head?: string; state?: 'open' | 'closed' | 'all'; per_page?: number } & Params): Promise<{ data: PullData[] }>;
      create(params: RepoRef & { title: string; head: string; base: string; body?: string; draft?: boolean } & Params): Promise<{ data: PullData }>;
      update(params: RepoRef & { pull_number: number; title?: string; body?: string } & Params): Promise<{ data: PullData }>;
      get(params: RepoRef & { pull_number: number } & Params): Promise<{ data: PullData }>;
    };
    issues: {
      addLabels(params: IssueRef & { labels: string[] } & Params): Promise<unknown>;
      listComments(params: IssueRef & { per_page?: number; page?: number } & Params): Promise<{ data: ListedComment[] }>;
      get(params: IssueRef & Params): Promise<{ data: { number: number; title: string; body?: string | null; html_url: string; labels: (string | { name?: string })[] } }>;
    };
  };
  graphql: (query: string, parameters?: Record<string, unknown>) => Promise<unknown>;
}

export interface PullData {
  number: number;
  html_url: string;
  node_id: string;
  state: string;
  draft?: boolean;
  merged_at?: string | null;
  title: string;
  body?: string | null;
  user?: { login: string } | null;
}

/** Whether a (wider-typed) Octokit has everything a postmortem needs; a test fake usually does not. */
export function isPostmortemOctokit(octokit: unknown): octokit is PostmortemOctokit {
  const rest = (octokit as { rest?: Record<string, Record<string, unknown> | undefined> } | null)?.rest;
  const has = (namespace: string, ...methods: string[]) => methods.every((method) => typeof rest?.[namespace]?.[method] === 'function');
  return (
    has('repos', 'get', 'getContent', 'createOrUpdateFileContents') &&
    has('git', 'getRef', 'createRef', 'updateRef') &&
    has('pulls', 'list', 'create', 'update', 'get') &&
    has('issues', 'addLabels', 'listComments', 'get') &&
    typeof (octokit as { graphql?: unknown }).graphql === 'function'
  );
}

const fileSchema = z.object({ type: z.literal('file'), sha: z.string(), content: z.string(), encoding: z.literal('base64') });

export interface RepoFile {
  text: string;
  sha: string;
}

/** A text file at `ref`, or `null` when it does not exist. */
export async function readRepoFile(octokit: PostmortemOctokit, repo: RepoRef, path: string, ref?: string): Promise<RepoFile | null> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ...(ref ? { ref } : {}) });
    const file = fileSchema.parse(data);
    return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha };
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
}

/**
 * Writes a text file on `branch` when it differs (plan, diff, apply: `planWrite` decides create,
 * update or nothing); `previous` is what is there now (its sha is required to replace it).
 */
export async function writeRepoFile(octokit: PostmortemOctokit, repo: RepoRef, options: { path: string; text: string; branch: string; message: string; previous: RepoFile | null }): Promise<boolean> {
  const plan = planWrite(options.previous ?? undefined, options.text, (shown, desired) => shown.text === desired);
  if (plan.action === 'none') return false;
  await octokit.rest.repos.createOrUpdateFileContents({
    ...repo,
    path: options.path,
    branch: options.branch,
    message: options.message,
    content: Buffer.from(options.text, 'utf8').toString('base64'),
    ...(plan.action === 'update' && options.previous ? { sha: options.previous.sha } : {}),
  });
  return true;
}
