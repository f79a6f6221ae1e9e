/**
 * Writing to a repository the way a push does: commit file changes on top of a parent, then
 * move a ref and tell the app (`create` for a new ref, `push` for every move), exactly as the
 * contents API, merges and reverts do on GitHub.
 */
import { recordCommitReferences } from '../issueEvents.ts';
import { fullName, timestamp } from '../shapes.ts';
import type { CommitRecord, GitData, RepoRecord, SandboxUser, TreeEntry } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { diffTrees } from './diff.ts';
import { synchronizePulls } from './pull-events.ts';
import { EMPTY_TREE_SHA, buildTree, commitsBetween, flattenTree, isAncestor, writeBlob, writeCommit, type FileMap, type Signature } from './objects.ts';
import { trimSlashes } from '../trimSlashes.ts';

export interface FileChange {
  path: string;
  /** New content; omit together with `deleted: true` to remove the file. */
  content?: Buffer | string;
  deleted?: boolean;
  mode?: TreeEntry['mode'];
}

export function signatureOf(user: SandboxUser, date: Date | string): Signature {
  return { name: user.name ?? user.login, email: user.email ?? `${user.id}+${user.login}@users.noreply.github.com`, date: typeof date === 'string' ? date : timestamp(date) };
}

/** The committer GitHub records for commits it makes on a user's behalf (web edits, merges). */
export function githubCommitter(date: Date | string): Signature {
  return { name: 'GitHub', email: 'noreply@github.com', date: typeof date === 'string' ? date : timestamp(date) };
}

function applyChanges(git: GitData, baseTree: string | undefined, changes: FileChange[]): string {
  const files: FileMap = baseTree ? flattenTree(git, baseTree) : new Map();
  for (const change of changes) {
    const path = trimSlashes(change.path);
    if (change.deleted) {
      files.delete(path);
      continue;
    }
    const previous = files.get(path);
    files.set(path, { mode: change.mode ?? previous?.mode ?? '100644', sha: writeBlob(git, change.content ?? '') });
  }
  return buildTree(git, files);
}

export function commitChanges(
  git: GitData,
  input: { parent: string | undefined; changes: FileChange[]; message: string; author: SandboxUser; date: Date | string; committer?: Signature },
): CommitRecord {
  const parentTree = input.parent ? git.commits.get(input.parent)?.tree : undefined;
  const tree = applyChanges(git, parentTree, input.changes);
  return writeCommit(git, {
    tree,
    parents: input.parent ? [input.parent] : [],
    message: input.message,
    author: signatureOf(input.author, input.date),
    committer: input.committer ?? signatureOf(input.author, input.date),
    authorLogin: input.author.login,
  });
}

function commitUrl(sandbox: SandboxApi, repo: RepoRecord, sha: string): string {
  return `${sandbox.url}/${fullName(repo)}/commit/${sha}`;
}

/** A commit as `push` payloads list it. */
function pushCommitJson(sandbox: SandboxApi, repo: RepoRecord, commit: CommitRecord): Record<string, unknown> {
  const parent = commit.parents[0];
  const parentTree = parent ? repo.git.commits.get(parent)?.tree : EMPTY_TREE_SHA;
  const files = diffTrees(repo.git, parentTree, commit.tree);
  const person = (signature: Signature, login?: string): Record<string, unknown> => ({ name: signature.name, email: signature.email, date: signature.date, ...(login ? { username: login } : {}) });
  return {
    id: commit.sha,
    tree_id: commit.tree,
    distinct: true,
    message: commit.message,
    timestamp: commit.committer.date,
    url: commitUrl(sandbox, repo, commit.sha),
    author: person(commit.author, commit.authorLogin),
    committer: person(commit.committer, commit.committer.name === 'GitHub' ? 'web-flow' : commit.authorLogin),
    added: files.filter((f) => f.status === 'added').map((f) => f.filename),
    removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
    modified: files.filter((f) => f.status === 'modified' || f.status === 'renamed').map((f) => f.filename),
  };
}

const ZERO_SHA = '0000000000000000000000000000000000000000';

/**
 * Points `ref` (`heads/main`, `tags/v1`) at `sha`, or deletes it (`null`), and emits what GitHub
 * emits for a push: `create` for a new branch or tag, then `push`.
 */
export function moveRef(sandbox: SandboxApi, repo: RepoRecord, ref: string, sha: string | null, sender: SandboxUser): void {
  const before = repo.git.refs.get(ref);
  if (sha === null) repo.git.refs.delete(ref);
  else repo.git.refs.set(ref, sha);
  if (before === (sha ?? undefined)) return;
  repo.updated_at = timestamp(sandbox.now());
  const fullRef = `refs/${ref}`;
  const isTag = ref.startsWith('tags/');
  const shortName = ref.replace(/^(heads|tags)\//, '');
  if (!before && sha) {
    sandbox.emit('create', { ref: shortName, ref_type: isTag ? 'tag' : 'branch', master_branch: repo.default_branch, description: repo.description, pusher_type: 'user' }, { repo, sender });
  }
  if (before && !sha) {
    sandbox.emit('delete', { ref: shortName, ref_type: isTag ? 'tag' : 'branch', pusher_type: 'user' }, { repo, sender });
  }
  const forced = Boolean(before && sha && !isAncestor(repo.git, before, sha));
  const pushed = sha ? commitsBetween(repo.git, before, sha).slice(-20) : [];
  const head = sha ? repo.git.commits.get(sha) : undefined;
  const compare = before && sha ? `${sandbox.url}/${fullName(repo)}/compare/${before.slice(0, 12)}...${sha.slice(0, 12)}` : `${sandbox.url}/${fullName(repo)}/commit/${sha ?? before ?? ''}`;
  sandbox.emit(
    'push',
    {
      ref: fullRef,
      before: before ?? ZERO_SHA,
      after: sha ?? ZERO_SHA,
      created: !before,
      deleted: sha === null,
      forced,
      base_ref: null,
      compare,
      commits: pushed.map((c) => pushCommitJson(sandbox, repo, c)),
      head_commit: head ? pushCommitJson(sandbox, repo, head) : null,
      pusher: { name: sender.login, email: sender.email ?? null },
    },
    { repo, sender },
  );
  if (sha && ref.startsWith('heads/')) {
    recordCommitReferences(sandbox, repo, pushed, sender);
    synchronizePulls(sandbox, repo, shortName, sender, before);
  }
}
