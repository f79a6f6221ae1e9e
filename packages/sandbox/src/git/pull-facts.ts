/**
 * What a pull request is made of, read from the repository's git data: its issue, base commit,
 * files, commits, diff statistics and mergeability (a real three-way merge). Reads only; writers
 * (`pull-requests.ts`, `pull-events.ts`) and the JSON shapes (`pull-json.ts`) build on it.
 */
import { fullName } from '../shapes.ts';
import type { CommitRecord, IssueRecord, PullRecord, RepoRecord } from '../store.ts';
import { diffTrees, type FileDiff } from './diff.ts';
import { mergeTrees } from './merge.ts';
import { commitsBetween, mergeBase } from './objects.ts';
import { branchHead } from './refs.ts';

export function issueOf(repo: RepoRecord, pull: PullRecord): IssueRecord {
  const issue = repo.issues.get(pull.number);
  if (!issue) throw new Error(`pull request #${pull.number} of ${fullName(repo)} has no issue record`);
  return issue;
}

/** The commit the PR's changes are measured from: where its head left the base. */
function pullBaseCommit(repo: RepoRecord, pull: PullRecord): string | undefined {
  const issue = repo.issues.get(pull.number);
  // Open PRs follow their base branch; merged and closed ones keep the base they had then.
  const base = issue?.state === 'open' ? (branchHead(repo, pull.base.ref) ?? pull.base.sha) : pull.base.sha;
  return mergeBase(repo.git, base, pull.head.sha);
}

export function pullFiles(repo: RepoRecord, pull: PullRecord): readonly FileDiff[] {
  const base = pullBaseCommit(repo, pull);
  const baseTree = base ? repo.git.commits.get(base)?.tree : undefined;
  const headTree = repo.git.commits.get(pull.head.sha)?.tree;
  return headTree ? diffTrees(repo.git, baseTree, headTree) : [];
}

export function pullCommits(repo: RepoRecord, pull: PullRecord): CommitRecord[] {
  return pull.commits.flatMap((sha) => repo.git.commits.get(sha) ?? []);
}

export function pullStats(repo: RepoRecord, pull: PullRecord): { additions: number; deletions: number; changed_files: number } {
  const files = pullFiles(repo, pull);
  return {
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

export type Mergeability = { mergeable: boolean | null; state: 'clean' | 'dirty' | 'draft' | 'unknown' };

export function mergeability(repo: RepoRecord, pull: PullRecord): Mergeability {
  const issue = repo.issues.get(pull.number);
  if (!issue || issue.state !== 'open') return { mergeable: null, state: 'unknown' };
  const baseSha = branchHead(repo, pull.base.ref);
  if (!baseSha) return { mergeable: false, state: 'dirty' };
  const result = threeWay(repo, baseSha, pull.head.sha);
  if (!result.clean) return { mergeable: false, state: 'dirty' };
  return { mergeable: true, state: pull.draft ? 'draft' : 'clean' };
}

export function threeWay(repo: RepoRecord, ours: string, theirs: string): ReturnType<typeof mergeTrees> {
  const git = repo.git;
  const base = mergeBase(git, ours, theirs);
  const tree = (sha: string): string => git.commits.get(sha)?.tree ?? '';
  return mergeTrees(git, base ? tree(base) : undefined, tree(ours), tree(theirs));
}

/** Re-reads an open PR's head branch (after a push to it); returns whether it moved. */
export function refreshHead(repo: RepoRecord, pull: PullRecord): boolean {
  const head = branchHead(repo, pull.head.ref);
  if (!head || head === pull.head.sha) return false;
  pull.head.sha = head;
  const base = branchHead(repo, pull.base.ref) ?? pull.base.sha;
  pull.base.sha = base;
  pull.commits = commitsBetween(repo.git, base, head).map((c) => c.sha);
  return true;
}
