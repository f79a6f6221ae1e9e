import type { Params, RepoRef } from './types.ts';

/** The git data API calls a commit of several files makes. */
export interface CommitOctokit {
  rest: {
    git: {
      getRef(params: RepoRef & { ref: string } & Params): Promise<{ data: { object: { sha: string } } }>;
      getCommit(params: RepoRef & { commit_sha: string } & Params): Promise<{ data: { tree: { sha: string } } }>;
      createTree(params: RepoRef & { base_tree?: string; tree: { path: string; mode: '100644'; type: 'blob'; content: string }[] } & Params): Promise<{ data: { sha: string } }>;
      createCommit(params: RepoRef & { message: string; tree: string; parents: string[] } & Params): Promise<{ data: { sha: string } }>;
      createRef(params: RepoRef & { ref: string; sha: string } & Params): Promise<unknown>;
      updateRef(params: RepoRef & { ref: string; sha: string; force?: boolean } & Params): Promise<unknown>;
    };
  };
}

export interface CommittedFiles {
  commit: string;
  /** The branch did not exist and was created. */
  created: boolean;
  requests: number;
}

/**
 * Writes `files` (path → text) onto `branch` in one commit through the git data API: no checkout,
 * the same against GitHub and the sandbox. `parent` is the branch's head the caller read (the
 * branch is created when there is none); other files on the branch are kept. The ref moves only
 * forward, so a concurrent writer makes this fail rather than lose its commit.
 */
export async function commitFiles(
  octokit: CommitOctokit,
  repo: RepoRef,
  options: { branch: string; parent: string | undefined; files: ReadonlyMap<string, string>; message: string },
): Promise<CommittedFiles> {
  const { branch, parent } = options;
  let requests = 0;
  let baseTree: string | undefined;
  if (parent) {
    requests++;
    baseTree = (await octokit.rest.git.getCommit({ ...repo, commit_sha: parent })).data.tree.sha;
  }
  const tree = [...options.files].map(([path, content]) => ({ path, mode: '100644' as const, type: 'blob' as const, content }));
  requests++;
  const { data: createdTree } = await octokit.rest.git.createTree({ ...repo, ...(baseTree ? { base_tree: baseTree } : {}), tree });
  requests++;
  const { data: commit } = await octokit.rest.git.createCommit({ ...repo, message: options.message, tree: createdTree.sha, parents: parent ? [parent] : [] });
  requests++;
  if (parent) await octokit.rest.git.updateRef({ ...repo, ref: `heads/${branch}`, sha: commit.sha, force: false });
  else await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: commit.sha });
  return { commit: commit.sha, created: parent === undefined, requests };
}
