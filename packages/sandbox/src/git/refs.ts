import type { RepoRecord } from '../store.ts';

/** The commit a branch points at, if the branch exists. */
export function branchHead(repo: RepoRecord, branch: string): string | undefined {
  return repo.git.refs.get(`heads/${branch}`);
}
