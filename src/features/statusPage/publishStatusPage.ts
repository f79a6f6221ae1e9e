import { planWrite } from '../../domain/plan/planWrite.ts';
import { commitFiles, type CommitOctokit } from '../../adapters/github/commitFiles.ts';
import type { Params, RepoRef } from '../../adapters/github/types.ts';
import type { StatusPageFiles } from './buildStatusPage.ts';

/** The git data API calls publishing makes, and nothing else. */
export interface PublishOctokit extends CommitOctokit {
  rest: CommitOctokit['rest'] & {
    repos: {
      getContent(params: RepoRef & { path: string; ref?: string } & Params): Promise<{ data: unknown }>;
    };
  };
}

export type PublishResult = { outcome: 'unchanged'; requests: number } | { outcome: 'published'; commit: string; created: boolean; requests: number };

function status(error: unknown): number | undefined {
  const value = (error as { status?: unknown } | null)?.status;
  return typeof value === 'number' ? value : undefined;
}

/** The page's content without the build time, to tell a real change from a rebuild. */
function comparable(json: string | undefined): string | undefined {
  if (json === undefined) return undefined;
  try {
    const { generatedAt: _generatedAt, ...rest } = JSON.parse(json) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return undefined;
  }
}

async function publishedJson(octokit: PublishOctokit, repo: RepoRef, branch: string): Promise<string | undefined> {
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path: 'status.json', ref: branch });
    const file = data as { content?: unknown; encoding?: unknown };
    return typeof file.content === 'string' && file.encoding === 'base64' ? Buffer.from(file.content, 'base64').toString('utf8') : undefined;
  } catch (error) {
    if (status(error) === 404) return undefined;
    throw error;
  }
}

/**
 * Writes the status page to `branch` of `repo` in one commit through the git data API (no
 * checkout, works the same against GitHub and the sandbox). Files on the branch that the page does
 * not own (CNAME, a custom 404) are kept. Nothing is written when the page shows the same as the
 * published one, so the sweep can refresh it often without a commit each time.
 */
export async function publishStatusPage(octokit: PublishOctokit, repo: RepoRef, branch: string, files: StatusPageFiles, options: { message?: string } = {}): Promise<PublishResult> {
  let requests = 0;
  let parent: string | undefined;
  try {
    requests++;
    parent = (await octokit.rest.git.getRef({ ...repo, ref: `heads/${branch}` })).data.object.sha;
  } catch (error) {
    if (status(error) !== 404) throw error;
  }
  if (parent) {
    requests++;
    const before = comparable(await publishedJson(octokit, repo, branch));
    // Compared as shown (the published status.json, without its volatile fields).
    if (planWrite(before, comparable(files.get('status.json')), (shown, desired) => shown === desired).action === 'none') return { outcome: 'unchanged', requests };
  }
  const committed = await commitFiles(octokit, repo, { branch, parent, files, message: options.message ?? 'Update status page' });
  return { outcome: 'published', commit: committed.commit, created: committed.created, requests: requests + committed.requests };
}
