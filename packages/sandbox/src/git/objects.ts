/**
 * Git's object model over the sandbox store: blobs, trees and commits hashed exactly as git
 * hashes them (SHA-1 of `<type> <size>\0<body>`), so SHAs a client computes locally, or copies
 * from real git, mean the same thing here.
 */
import { createHash } from 'node:crypto';
import type { CommitRecord, GitData, TreeEntry } from '../store.ts';
import { nodeId } from './node-id.ts';

export const EMPTY_TREE_SHA = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

function hashObject(type: ObjectType, body: Buffer): string {
  const header = Buffer.from(`${type} ${body.length}\0`);
  return createHash('sha1').update(header).update(body).digest('hex');
}

export function writeBlob(git: GitData, content: Buffer | string): string {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const sha = hashObject('blob', buffer);
  if (!git.blobs.has(sha)) git.blobs.set(sha, { sha, content: buffer });
  return sha;
}

export function readBlob(git: GitData, sha: string): Buffer | undefined {
  return git.blobs.get(sha)?.content;
}

/** Git sorts tree entries by name, comparing a subtree's name as if it ended in `/`. */
function treeSortKey(entry: TreeEntry): string {
  return entry.type === 'tree' ? `${entry.path}/` : entry.path;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Writes one level of a tree; entry paths are single names here. */
export function writeTree(git: GitData, entries: TreeEntry[]): string {
  const sorted = [...entries].sort((a, b) => compareBytes(treeSortKey(a), treeSortKey(b)));
  const parts: Buffer[] = [];
  for (const entry of sorted) {
    // Git writes directory modes without the leading zero.
    const mode = entry.mode === '040000' ? '40000' : entry.mode;
    parts.push(Buffer.from(`${mode} ${entry.path}\0`, 'utf8'), Buffer.from(entry.sha, 'hex'));
  }
  const sha = hashObject('tree', Buffer.concat(parts));
  if (!git.trees.has(sha)) git.trees.set(sha, { sha, entries: sorted });
  return sha;
}

export interface Signature {
  name: string;
  email: string;
  /** ISO-8601. */
  date: string;
}

export interface NewCommit {
  tree: string;
  parents: string[];
  message: string;
  author: Signature;
  committer?: Signature;
  authorLogin?: string;
}

function formatSignature(signature: Signature): string {
  const seconds = Math.floor(new Date(signature.date).getTime() / 1000);
  return `${signature.name} <${signature.email}> ${seconds} +0000`;
}

/** GitHub reports times to the second, like git stores them. */
function normalizeDate(signature: Signature): Signature {
  const date = new Date(Math.floor(new Date(signature.date).getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return { ...signature, date };
}

export function writeCommit(git: GitData, input: NewCommit): CommitRecord {
  const author = normalizeDate(input.author);
  const committer = normalizeDate(input.committer ?? input.author);
  const lines = [`tree ${input.tree}`, ...input.parents.map((p) => `parent ${p}`), `author ${formatSignature(author)}`, `committer ${formatSignature(committer)}`];
  const body = Buffer.from(`${lines.join('\n')}\n\n${input.message}`, 'utf8');
  const sha = hashObject('commit', body);
  const existing = git.commits.get(sha);
  if (existing) return existing;
  const record: CommitRecord = {
    sha,
    node_id: nodeId('C', sha),
    tree: input.tree,
    parents: [...input.parents],
    message: input.message,
    author,
    committer,
    ...(input.authorLogin ? { authorLogin: input.authorLogin } : {}),
  };
  git.commits.set(sha, record);
  return record;
}

export interface FileEntry {
  mode: TreeEntry['mode'];
  sha: string;
}

/** A tree flattened to its files: full path → blob (submodules and symlinks kept as entries). */
export type FileMap = Map<string, FileEntry>;

export function flattenTree(git: GitData, treeSha: string, prefix = '', out: FileMap = new Map()): FileMap {
  const tree = git.trees.get(treeSha);
  if (!tree) return out;
  for (const entry of tree.entries) {
    const path = prefix ? `${prefix}/${entry.path}` : entry.path;
    if (entry.type === 'tree') flattenTree(git, entry.sha, path, out);
    else out.set(path, { mode: entry.mode, sha: entry.sha });
  }
  return out;
}

/** Builds nested trees from a flat file map; returns the root tree SHA. */
export function buildTree(git: GitData, files: FileMap): string {
  interface Dir {
    files: Map<string, FileEntry>;
    dirs: Map<string, Dir>;
  }
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const [path, entry] of files) {
    const segments = path.split('/');
    const name = segments.pop() ?? path;
    let dir = root;
    for (const segment of segments) {
      let next = dir.dirs.get(segment);
      if (!next) {
        next = { files: new Map(), dirs: new Map() };
        dir.dirs.set(segment, next);
      }
      dir = next;
    }
    dir.files.set(name, entry);
  }
  const write = (dir: Dir): string => {
    const entries: TreeEntry[] = [];
    for (const [name, sub] of dir.dirs) entries.push({ path: name, mode: '040000', type: 'tree', sha: write(sub) });
    for (const [name, file] of dir.files) entries.push({ path: name, mode: file.mode, type: file.mode === '160000' ? 'commit' : 'blob', sha: file.sha });
    return writeTree(git, entries);
  };
  return write(root);
}

export interface PathEntry {
  type: 'blob' | 'tree' | 'commit';
  mode: TreeEntry['mode'];
  sha: string;
}

/** The entry at `path` in a tree (`''` is the tree itself). */
export function readPath(git: GitData, treeSha: string, path: string): PathEntry | undefined {
  const segments = path.split('/').filter((s) => s !== '');
  let current: PathEntry = { type: 'tree', mode: '040000', sha: treeSha };
  for (const segment of segments) {
    if (current.type !== 'tree') return undefined;
    const tree = git.trees.get(current.sha);
    const entry = tree?.entries.find((e) => e.path === segment);
    if (!entry) return undefined;
    current = { type: entry.type, mode: entry.mode, sha: entry.sha };
  }
  return current;
}

/** Every commit reachable from `sha`, itself included. */
function ancestors(git: GitData, sha: string): Set<string> {
  const seen = new Set<string>();
  const stack = [sha];
  while (stack.length) {
    const next = stack.pop();
    if (next === undefined || seen.has(next)) continue;
    const commit = git.commits.get(next);
    if (!commit) continue;
    seen.add(next);
    stack.push(...commit.parents);
  }
  return seen;
}

export function isAncestor(git: GitData, ancestor: string, descendant: string): boolean {
  return ancestors(git, descendant).has(ancestor);
}

/** Each commit's generation (1 for a root, else one more than its highest parent), per repository; commits never change. */
const generations = new WeakMap<GitData, Map<string, number>>();

function generationOf(git: GitData, sha: string): number {
  let known = generations.get(git);
  if (!known) {
    known = new Map();
    generations.set(git, known);
  }
  const cached = known.get(sha);
  if (cached !== undefined) return cached;
  // Iteratively, parents first: a history of thousands of commits must not recurse that deep.
  const stack = [sha];
  while (stack.length) {
    const next = stack[stack.length - 1] as string;
    if (known.has(next)) {
      stack.pop();
      continue;
    }
    const parents = (git.commits.get(next)?.parents ?? []).filter((parent) => git.commits.has(parent));
    const missing = parents.filter((parent) => !known.has(parent));
    if (missing.length) {
      stack.push(...missing);
      continue;
    }
    known.set(next, 1 + Math.max(0, ...parents.map((parent) => known.get(parent) ?? 0)));
    stack.pop();
  }
  return known.get(sha) ?? 0;
}

const FROM_A = 1;
const FROM_B = 2;
const STALE = 4;

/**
 * The best common ancestor: a common ancestor that no other common ancestor descends from (of
 * several, the latest). Git's own walk: down from both sides at once, highest generation first,
 * so a commit is looked at only after every commit above it; it stops once what is left to walk
 * lies below a common ancestor already found. It walks only as far as the two sides part, not
 * the whole history (a repository with thousands of merged PRs asks this once per PR).
 */
export function mergeBase(git: GitData, a: string, b: string): string | undefined {
  if (!git.commits.has(a) || !git.commits.has(b)) return undefined;
  if (a === b) return a;
  const flags = new Map<string, number>([
    [a, FROM_A],
    [b, FROM_B],
  ]);
  // A binary heap on generation, highest first.
  const heap: [number, string][] = [];
  const push = (sha: string) => {
    heap.push([generationOf(git, sha), sha]);
    for (let i = heap.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if ((heap[up] as [number, string])[0] >= (heap[i] as [number, string])[0]) break;
      [heap[up], heap[i]] = [heap[i] as [number, string], heap[up] as [number, string]];
      i = up;
    }
  };
  const pop = (): string => {
    const top = heap[0] as [number, string];
    const last = heap.pop() as [number, string];
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < heap.length && (heap[left] as [number, string])[0] > (heap[largest] as [number, string])[0]) largest = left;
        if (right < heap.length && (heap[right] as [number, string])[0] > (heap[largest] as [number, string])[0]) largest = right;
        if (largest === i) break;
        [heap[largest], heap[i]] = [heap[i] as [number, string], heap[largest] as [number, string]];
        i = largest;
      }
    }
    return top[1];
  };
  push(a);
  push(b);
  const queued = new Set([a, b]);
  const found: string[] = [];
  while (heap.some(([, sha]) => ((flags.get(sha) ?? 0) & STALE) === 0)) {
    const sha = pop();
    queued.delete(sha);
    let mark = (flags.get(sha) ?? 0) & (FROM_A | FROM_B | STALE);
    if (mark === (FROM_A | FROM_B)) {
      found.push(sha);
      mark |= STALE;
      flags.set(sha, (flags.get(sha) ?? 0) | STALE);
    }
    for (const parent of git.commits.get(sha)?.parents ?? []) {
      if (!git.commits.has(parent)) continue;
      const before = flags.get(parent) ?? 0;
      if ((before & mark) === mark) continue;
      flags.set(parent, before | mark);
      if (!queued.has(parent)) {
        queued.add(parent);
        push(parent);
      }
    }
  }
  // Exact: everything above a commit is walked before it, so one below a common ancestor already found is stale when its turn comes.
  return found.sort((x, y) => commitTime(git, y) - commitTime(git, x))[0];
}

function commitTime(git: GitData, sha: string): number {
  const commit = git.commits.get(sha);
  return commit ? new Date(commit.committer.date).getTime() : 0;
}

/**
 * Commits reachable from `head` but not from `base` (git's `base..head`), oldest first, parents
 * before children.
 */
export function commitsBetween(git: GitData, base: string | undefined, head: string): CommitRecord[] {
  const excluded = base ? ancestors(git, base) : new Set<string>();
  const included = [...ancestors(git, head)].filter((sha) => !excluded.has(sha));
  const set = new Set(included);
  const ordered: CommitRecord[] = [];
  const done = new Set<string>();
  const visit = (sha: string): void => {
    if (done.has(sha) || !set.has(sha)) return;
    done.add(sha);
    const commit = git.commits.get(sha);
    if (!commit) return;
    for (const parent of commit.parents) visit(parent);
    ordered.push(commit);
  };
  const byTime = [...included].sort((x, y) => commitTime(git, x) - commitTime(git, y));
  for (const sha of byTime) visit(sha);
  return ordered;
}

/** Newest-first history from `head` (what `git log` and GitHub's commit list show). */
export function history(git: GitData, head: string): CommitRecord[] {
  return commitsBetween(git, undefined, head).reverse();
}

/**
 * Resolves what GitHub accepts wherever a `ref` is taken: a branch or tag name, `heads/x`,
 * `refs/heads/x`, `tags/x`, a full SHA or an unambiguous abbreviated SHA (7+ characters).
 */
export function resolveRef(git: GitData, ref: string): string | undefined {
  const name = ref.replace(/^refs\//, '');
  for (const candidate of [name, `heads/${name}`, `tags/${name}`]) {
    const sha = git.refs.get(candidate);
    if (sha) return peelToCommit(git, sha);
  }
  if (/^[0-9a-f]{40}$/i.test(ref)) return git.commits.has(ref.toLowerCase()) ? ref.toLowerCase() : undefined;
  if (/^[0-9a-f]{7,39}$/i.test(ref)) {
    const matches = [...git.commits.keys()].filter((sha) => sha.startsWith(ref.toLowerCase()));
    return matches.length === 1 ? matches[0] : undefined;
  }
  return undefined;
}

/** Annotated tags are not modelled; a ref pointing at a commit is already peeled. */
function peelToCommit(git: GitData, sha: string): string | undefined {
  return git.commits.has(sha) ? sha : undefined;
}

export function objectType(git: GitData, sha: string): 'blob' | 'tree' | 'commit' | undefined {
  if (git.commits.has(sha)) return 'commit';
  if (git.trees.has(sha)) return 'tree';
  if (git.blobs.has(sha)) return 'blob';
  return undefined;
}
