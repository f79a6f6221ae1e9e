/**
 * Commits → GitHub's JSON: the REST `commit` (with GitHub users and optional files), the git data
 * `git-commit`, and `diff-entry` file entries.
 */
import { fullName, userByLogin } from '../shapes.ts';
import type { CommitRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { diffTrees, type FileDiff } from './diff.ts';
import { EMPTY_TREE_SHA } from './objects.ts';

type Json = Record<string, unknown>;

const unsigned = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

export function diffEntryJson(sandbox: SandboxApi, repo: RepoRecord, ref: string, file: FileDiff): Json {
  const name = fullName(repo);
  const path = file.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.changes,
    blob_url: `${sandbox.url}/${name}/blob/${ref}/${path}`,
    raw_url: `${sandbox.url}/${name}/raw/${ref}/${path}`,
    contents_url: `${sandbox.apiUrl}/repos/${name}/contents/${path}?ref=${ref}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
  };
}

export function commitFiles(repo: RepoRecord, commit: CommitRecord): readonly FileDiff[] {
  const parent = commit.parents[0];
  const parentTree = parent ? (repo.git.commits.get(parent)?.tree ?? EMPTY_TREE_SHA) : undefined;
  return diffTrees(repo.git, parentTree, commit.tree);
}

function personOf(sandbox: SandboxApi, login: string | undefined): Json | null {
  return login && sandbox.user(login) ? userByLogin(sandbox, login) : null;
}

/** REST's `commit`; `withFiles` adds `stats` and `files` as `GET /commits/{ref}` does. */
export function commitJson(sandbox: SandboxApi, repo: RepoRecord, commit: CommitRecord, withFiles = false): Json {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}`;
  const json: Json = {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: commit.node_id,
    html_url: `${sandbox.url}/${name}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: unsigned,
    },
    author: personOf(sandbox, commit.authorLogin),
    committer: commit.committer.name === 'GitHub' ? null : personOf(sandbox, commit.authorLogin),
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${sandbox.url}/${name}/commit/${sha}` })),
  };
  if (!withFiles) return json;
  const files = commitFiles(repo, commit);
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return { ...json, stats: { total: additions + deletions, additions, deletions }, files: files.map((f) => diffEntryJson(sandbox, repo, commit.sha, f)) };
}

/** Git data API's `git-commit`. */
export function gitCommitJson(sandbox: SandboxApi, repo: RepoRecord, commit: CommitRecord): Json {
  const name = fullName(repo);
  const api = `${sandbox.apiUrl}/repos/${name}/git`;
  return {
    sha: commit.sha,
    node_id: commit.node_id,
    url: `${api}/commits/${commit.sha}`,
    html_url: `${sandbox.url}/${name}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${api}/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${sandbox.url}/${name}/commit/${sha}` })),
    verification: unsigned,
  };
}
