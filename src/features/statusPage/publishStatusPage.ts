import type { Params, RepoRef } from '../../github/types.ts';
import type { StatusPageFiles } from './buildStatusPage.ts';

/** The git data API calls publishing makes, and nothing else. */
export interface PublishOctokit {
  rest: {
    git: {
      getRef(params: RepoRef & { ref: string } & Params): Promise<{ data: { object: { sha: string } } }>;
      getCommit(params: RepoRef & { commit_sha: string } & Params): Promise<{ data: { tree: { sha: string } } }>;
      createTree(params: RepoRef & { base_tree?: string; tree: { path: string; mode: '100644'; type: 'blob'; content: string }[] } & Params): Promise<{ data: { sha: string } }>;
      createCommit(params: RepoRef & { message: string; tree: string; parents: string[] } & Params): Promise<{ data: { sha: string } }>;
      createRef(params: RepoRef & { ref: string; sha: string } & Params): Promise<unknown>;
      updateRef(params: RepoRef & { ref: string; sha: string; force?: boolean } & Params): Promise<unknown>;
    };
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
    if (before !== undefined && before === comparable(files.get('status.json'))) return { outcome: 'unchanged', requests };
  }
  let baseTree: string | undefined;
  if (parent) {
    requests++;
    baseTree = (await octokit.rest.git.getCommit({ ...repo, commit_sha: parent })).data.tree.sha;
  }
  const tree = [...files].map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content }));
  requests++;
  const { data: createdTree } = await octokit.rest.git.createTree({ ...repo, ...(baseTree ? { base_tree: baseTree } : {}), tree });
  requests++;
  const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message: options.message ?? 'Update status page', tree: createdTree.sha, parents: parent ? [parent] : [] });
  requests++;
  if (parent) await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
  else await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: commit.sha });
  return { outcome: 'published', commit: commit.sha, created: parent === undefined, requests };
}
