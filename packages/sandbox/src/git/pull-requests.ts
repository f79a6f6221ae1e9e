/**
 * Pull requests as GitHub runs them: opening (with its issue, sharing the number space),
 * mergeability from a real three-way merge, merging by merge commit, squash or rebase, and
 * reverting a merged PR into a new PR. REST routes, GraphQL and fixtures all go through here,
 * so they agree on every SHA and emit the same webhooks.
 */
import { recordCrossReferences, recordIssueEvent, recordLabelEvent } from '../issueEvents.ts';
import { HttpError } from '../router.ts';
import { createLabel } from '../seed.ts';
import { fullName, nodeId, timestamp } from '../shapes.ts';
import { labelKey, type PullRecord, type RepoRecord, type SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { githubCommitter, moveRef, signatureOf } from './branches.ts';
import { cherryPickTree, mergeTrees } from './merge.ts';
import { commitsBetween, isAncestor, writeCommit } from './objects.ts';
import { emitPull } from './pull-events.ts';
import { issueOf, pullCommits, threeWay } from './pull-facts.ts';
import { branchHead } from './refs.ts';

export interface OpenPullInput {
  title: string;
  body: string | null;
  head: string;
  base: string;
  draft?: boolean;
  labels?: string[];
  number?: number;
  /** Defaults to the sandbox clock. */
  createdAt?: string;
}

/** Label names as stored on the issue, creating labels the repository does not have yet. */
function ensureLabels(sandbox: SandboxApi, repo: RepoRecord, names: string[]): string[] {
  return names.map((name) => (repo.labels.get(labelKey(name)) ?? createLabel(sandbox, repo, { name })).name);
}

/**
 * Validates like GitHub (both branches exist, something to merge, no open PR for the same pair)
 * and creates the PR with its issue. Emits nothing; callers decide (fixtures stay silent).
 */
export function createPull(sandbox: SandboxApi, repo: RepoRecord, author: SandboxUser, input: OpenPullInput): PullRecord {
  const headRef = input.head.includes(':') ? input.head.slice(input.head.indexOf(':') + 1) : input.head;
  const headSha = branchHead(repo, headRef);
  const baseSha = branchHead(repo, input.base);
  if (!baseSha) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  if (!headSha) throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
  const existing = [...repo.pulls.values()].find((p) => p.head.ref === headRef && p.base.ref === input.base && repo.issues.get(p.number)?.state === 'open');
  if (existing) {
    throw new HttpError(422, 'Validation Failed', [
      { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner}:${headRef}.` },
    ]);
  }
  if (isAncestor(repo.git, headSha, baseSha)) {
    throw new HttpError(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${headRef}` }]);
  }
  const number = input.number ?? repo.nextNumber;
  if (repo.issues.has(number)) throw new Error(`number #${number} is already taken in ${fullName(repo)}`);
  repo.nextNumber = Math.max(repo.nextNumber, number + 1);
  const createdAt = input.createdAt ?? timestamp(sandbox.now());
  const issueId = sandbox.nextId();
  repo.issues.set(number, {
    id: issueId,
    node_id: nodeId('Issue', issueId),
    number,
    title: input.title,
    body: input.body,
    user: author.login,
    state: 'open',
    state_reason: null,
    labels: ensureLabels(sandbox, repo, input.labels ?? []),
    assignees: [],
    locked: false,
    active_lock_reason: null,
    created_at: createdAt,
    updated_at: createdAt,
    closed_at: null,
    closed_by: null,
    isPullRequest: true,
  });
  const id = sandbox.nextId();
  const repoName = fullName(repo);
  const pull: PullRecord = {
    number,
    id,
    node_id: nodeId('PullRequest', id),
    head: { ref: headRef, sha: headSha, repo: repoName },
    base: { ref: input.base, sha: baseSha, repo: repoName },
    draft: input.draft ?? false,
    merged: false,
    merged_at: null,
    merged_by: null,
    merge_commit_sha: null,
    commits: commitsBetween(repo.git, baseSha, headSha).map((c) => c.sha),
    auto_merge: null,
    requested_reviewers: [],
  };
  repo.pulls.set(number, pull);
  repo.updated_at = createdAt;
  const issue = issueOf(repo, pull);
  for (const name of issue.labels) recordLabelEvent(sandbox, repo, issue, 'labeled', name, author, createdAt);
  recordCrossReferences(sandbox, repo, issue, issue.body, author);
  return pull;
}

export interface MergeOptions {
  method?: 'merge' | 'squash' | 'rebase';
  commitTitle?: string;
  commitMessage?: string;
  /** The head SHA the caller reviewed; a different head is a 409, as on GitHub. */
  sha?: string;
  /** Fixtures merge at their own time. */
  at?: string;
  /** Fixtures build history silently. */
  silent?: boolean;
}

export function mergePull(sandbox: SandboxApi, repo: RepoRecord, pull: PullRecord, merger: SandboxUser, options: MergeOptions = {}): { sha: string } {
  const issue = issueOf(repo, pull);
  if (pull.merged || issue.state !== 'open') throw new HttpError(405, 'Pull Request is not mergeable');
  if (options.sha && options.sha !== pull.head.sha) throw new HttpError(409, 'Head branch was modified. Review and try the merge again.');
  if (pull.draft) throw new HttpError(405, 'Pull Request is still a draft');
  const baseSha = branchHead(repo, pull.base.ref);
  if (!baseSha) throw new HttpError(405, 'Pull Request is not mergeable');
  const merged = threeWay(repo, baseSha, pull.head.sha);
  if (!merged.clean) throw new HttpError(405, 'Pull Request is not mergeable');
  const at = options.at ?? timestamp(sandbox.now());
  const method = options.method ?? 'merge';
  const author = sandbox.user(issue.user) ?? merger;
  const git = repo.git;
  let sha: string;
  if (method === 'merge') {
    const title = options.commitTitle ?? `Merge pull request #${pull.number} from ${repo.owner}/${pull.head.ref}`;
    const body = options.commitMessage ?? issue.title;
    sha = writeCommit(git, {
      tree: merged.tree,
      parents: [baseSha, pull.head.sha],
      message: body ? `${title}\n\n${body}` : title,
      author: signatureOf(merger, at),
      committer: githubCommitter(at),
      authorLogin: merger.login,
    }).sha;
  } else if (method === 'squash') {
    const title = options.commitTitle ?? `${issue.title} (#${pull.number})`;
    const body = options.commitMessage ?? pullCommits(repo, pull).map((c) => `* ${c.message.trim()}`).join('\n\n');
    sha = writeCommit(git, {
      tree: merged.tree,
      parents: [baseSha],
      message: body ? `${title}\n\n${body}` : title,
      author: signatureOf(author, at),
      committer: githubCommitter(at),
      authorLogin: author.login,
    }).sha;
  } else {
    sha = baseSha;
    for (const commit of pullCommits(repo, pull)) {
      if (commit.parents.length > 1) continue;
      const picked = cherryPickTree(git, commit.sha, sha);
      if (!picked.clean) throw new HttpError(405, 'Pull Request is not mergeable');
      sha = writeCommit(git, {
        tree: picked.tree,
        parents: [sha],
        message: commit.message,
        author: commit.author,
        committer: githubCommitter(at),
        ...(commit.authorLogin ? { authorLogin: commit.authorLogin } : {}),
      }).sha;
    }
  }
  pull.merged = true;
  pull.merged_at = at;
  pull.merged_by = merger.login;
  pull.merge_commit_sha = sha;
  pull.base.sha = baseSha;
  Object.assign(issue, { state: 'closed', state_reason: null, closed_at: at, closed_by: merger.login, updated_at: at });
  recordIssueEvent(sandbox, repo, issue, 'merged', merger, { commit_id: sha, at });
  recordIssueEvent(sandbox, repo, issue, 'closed', merger, { commit_id: sha, at });
  if (options.silent) repo.git.refs.set(`heads/${pull.base.ref}`, sha);
  else {
    moveRef(sandbox, repo, `heads/${pull.base.ref}`, sha, merger);
    emitPull(sandbox, repo, pull, 'closed', merger);
  }
  return { sha };
}

export type RevertResult =
  | { ok: true; pull: PullRecord }
  | { ok: false; reason: 'not_merged' | 'conflict' | 'base_missing'; message: string; conflicts?: string[] };

export interface RevertOptions {
  title?: string;
  body?: string;
  draft?: boolean;
}

/** A unique branch name for the revert, as GitHub picks `revert-12-feature` (then `-1`, `-2`…). */
function revertBranch(repo: RepoRecord, pull: PullRecord): string {
  const base = `revert-${pull.number}-${pull.head.ref}`;
  let name = base;
  for (let i = 1; repo.git.refs.has(`heads/${name}`); i++) name = `${base}-${i}`;
  return name;
}

/**
 * GitHub's "Revert" button: a new branch off the base with a commit that undoes the merged PR,
 * and a PR of it into the base. Refuses (without side effects) when the PR is not merged or the
 * revert does not apply cleanly, naming the conflicting files.
 */
export function revertPull(sandbox: SandboxApi, repo: RepoRecord, pull: PullRecord, user: SandboxUser, options: RevertOptions = {}): RevertResult {
  const issue = issueOf(repo, pull);
  const name = `${fullName(repo)}#${pull.number}`;
  if (!pull.merged || !pull.merge_commit_sha) return { ok: false, reason: 'not_merged', message: `Pull request ${name} is not merged, so there is nothing to revert.` };
  const git = repo.git;
  const head = branchHead(repo, pull.base.ref);
  const mergeCommit = git.commits.get(pull.merge_commit_sha);
  const before = git.commits.get(pull.base.sha);
  const current = head ? git.commits.get(head) : undefined;
  if (!mergeCommit || !before || !current) return { ok: false, reason: 'base_missing', message: `The base branch ${pull.base.ref} of ${name} no longer exists.` };
  // Undo the PR's net effect on its base, whatever the merge method was.
  const result = mergeTrees(git, mergeCommit.tree, current.tree, before.tree);
  if (!result.clean) {
    return {
      ok: false,
      reason: 'conflict',
      conflicts: result.conflicts,
      message: `Could not revert ${name} cleanly: later changes conflict in ${result.conflicts.join(', ')}.`,
    };
  }
  const at = timestamp(sandbox.now());
  const subject = mergeCommit.message.split('\n')[0] ?? '';
  const reversing = mergeCommit.parents.length > 1 ? `, reversing\nchanges made to ${mergeCommit.parents[0] ?? ''}` : '';
  const commit = writeCommit(git, {
    tree: result.tree,
    parents: [current.sha],
    message: `Revert "${subject}"\n\nThis reverts commit ${mergeCommit.sha}${reversing}.`,
    author: signatureOf(user, at),
    committer: githubCommitter(at),
    authorLogin: user.login,
  });
  const branch = revertBranch(repo, pull);
  moveRef(sandbox, repo, `heads/${branch}`, commit.sha, user);
  const revert = createPull(sandbox, repo, user, {
    title: options.title ?? `Revert "${issue.title}"`,
    body: options.body ?? `Reverts ${name}`,
    head: branch,
    base: pull.base.ref,
    draft: options.draft ?? false,
    createdAt: at,
  });
  emitPull(sandbox, repo, revert, 'opened', user);
  return { ok: true, pull: revert };
}
