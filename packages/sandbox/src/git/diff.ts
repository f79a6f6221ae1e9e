/**
 * Line diffs as git computes them (Myers), rendered the way GitHub's `files[].patch` shows them:
 * unified hunks with three lines of context and no file headers. Also the tree diff that turns
 * two commits into GitHub's `files` entries.
 */
import type { GitData } from '../store.ts';
import { flattenTree, readBlob, type FileEntry } from './objects.ts';

/** Lines keep their `\n`, so a missing newline at the end of a file is a difference too. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/(?<=\n)/);
  return lines;
}

export type EditOp = { kind: 'equal' | 'delete' | 'insert'; line: string };

/** Myers' O((N+M)D) shortest edit script. */
export function diffLines(a: string[], b: string[]): EditOp[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0))) x = v[offset + k + 1] ?? 0;
      else x = (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v.slice());
  // Walk back through the saved frontiers to recover the path.
  const ops: EditOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d > 0; d--) {
    const frontier = trace[d] as Int32Array;
    const k = x - y;
    const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
    const prevK = down ? k + 1 : k - 1;
    const prevX = frontier[offset + prevK] ?? 0;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'equal', line: a[x - 1] as string });
      x--;
      y--;
    }
    if (down) ops.push({ kind: 'insert', line: b[y - 1] as string });
    else ops.push({ kind: 'delete', line: a[x - 1] as string });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'equal', line: a[x - 1] as string });
    x--;
    y--;
  }
  return ops.reverse();
}

/** A change to a range of the old lines: `[start, end)` replaced by `lines`. */
export interface Hunk {
  start: number;
  end: number;
  lines: string[];
}

export function hunks(a: string[], b: string[]): Hunk[] {
  const result: Hunk[] = [];
  let index = 0;
  let current: Hunk | undefined;
  for (const op of diffLines(a, b)) {
    if (op.kind === 'equal') {
      if (current) result.push(current);
      current = undefined;
      index++;
      continue;
    }
    current ??= { start: index, end: index, lines: [] };
    if (op.kind === 'delete') {
      current.end++;
      index++;
    } else current.lines.push(op.line);
  }
  if (current) result.push(current);
  return result;
}

export interface TextDiff {
  patch: string;
  additions: number;
  deletions: number;
}

function renderLine(prefix: string, line: string): string {
  return line.endsWith('\n') ? `${prefix}${line.slice(0, -1)}` : `${prefix}${line}\n\\ No newline at end of file`;
}

function range(start: number, length: number): string {
  // Git prints the line before an empty range, and omits a length of one.
  if (length === 0) return `${start},0`;
  return length === 1 ? `${start + 1}` : `${start + 1},${length}`;
}

export function unifiedDiff(oldText: string, newText: string, context = 3): TextDiff {
  const ops = diffLines(splitLines(oldText), splitLines(newText));
  let additions = 0;
  let deletions = 0;
  const changed: number[] = [];
  ops.forEach((op, i) => {
    if (op.kind === 'insert') additions++;
    if (op.kind === 'delete') deletions++;
    if (op.kind !== 'equal') changed.push(i);
  });
  if (!changed.length) return { patch: '', additions, deletions };
  // Group changed ops whose context windows touch.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * context + 1) last[1] = i;
    else groups.push([i, i]);
  }
  // Old/new line numbers at every op index.
  const oldAt: number[] = [];
  const newAt: number[] = [];
  let o = 0;
  let n = 0;
  for (const op of ops) {
    oldAt.push(o);
    newAt.push(n);
    if (op.kind !== 'insert') o++;
    if (op.kind !== 'delete') n++;
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const oldLength = slice.filter((op) => op.kind !== 'insert').length;
    const newLength = slice.filter((op) => op.kind !== 'delete').length;
    out.push(`@@ -${range(oldAt[from] ?? 0, oldLength)} +${range(newAt[from] ?? 0, newLength)} @@`);
    for (const op of slice) out.push(renderLine(op.kind === 'equal' ? ' ' : op.kind === 'delete' ? '-' : '+', op.line));
  }
  return { patch: out.join('\n'), additions, deletions };
}

export function isBinary(content: Buffer): boolean {
  return content.subarray(0, 8000).includes(0);
}

type FileStatus = 'added' | 'removed' | 'modified' | 'renamed';

export interface FileDiff {
  filename: string;
  previous_filename?: string;
  status: FileStatus;
  /** The new blob, or the old one for a removed file. */
  sha: string;
  additions: number;
  deletions: number;
  changes: number;
  /** Absent for binary files, as on GitHub. */
  patch?: string;
}

function textOf(git: GitData, entry: FileEntry | undefined): { text: string; binary: boolean } {
  if (!entry) return { text: '', binary: false };
  const content = readBlob(git, entry.sha) ?? Buffer.alloc(0);
  return isBinary(content) ? { text: '', binary: true } : { text: content.toString('utf8'), binary: false };
}

function fileDiff(git: GitData, filename: string, before: FileEntry | undefined, after: FileEntry | undefined, status: FileStatus): FileDiff {
  const a = textOf(git, before);
  const b = textOf(git, after);
  const sha = (after ?? before)?.sha ?? '';
  if (a.binary || b.binary) return { filename, status, sha, additions: 0, deletions: 0, changes: 0 };
  const diff = unifiedDiff(a.text, b.text);
  return {
    filename,
    status,
    sha,
    additions: diff.additions,
    deletions: diff.deletions,
    changes: diff.additions + diff.deletions,
    ...(diff.patch ? { patch: diff.patch } : {}),
  };
}

/** Trees are immutable, so a diff between two of them can be kept for as long as the repository lives. */
const diffCache = new WeakMap<GitData, Map<string, readonly FileDiff[]>>();

/** Files that differ between two trees (undefined = empty tree), sorted by path like git. */
export function diffTrees(git: GitData, baseTree: string | undefined, headTree: string): readonly FileDiff[] {
  let cache = diffCache.get(git);
  if (!cache) {
    cache = new Map();
    diffCache.set(git, cache);
  }
  const key = `${baseTree ?? ''}..${headTree}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = computeTreeDiff(git, baseTree, headTree);
  cache.set(key, result);
  return result;
}

function computeTreeDiff(git: GitData, baseTree: string | undefined, headTree: string): FileDiff[] {
  const before = baseTree ? flattenTree(git, baseTree) : new Map<string, FileEntry>();
  const after = flattenTree(git, headTree);
  const removed = [...before.keys()].filter((p) => !after.has(p));
  const added = [...after.keys()].filter((p) => !before.has(p));
  const result: FileDiff[] = [];
  // Exact renames only (same blob), the common case for moves.
  const renamedFrom = new Map<string, string>();
  for (const path of added) {
    const sha = after.get(path)?.sha;
    const source = removed.find((old) => before.get(old)?.sha === sha && ![...renamedFrom.values()].includes(old));
    if (source) renamedFrom.set(path, source);
  }
  const consumed = new Set(renamedFrom.values());
  for (const [path, entry] of after) {
    const old = before.get(path);
    if (!old) {
      const source = renamedFrom.get(path);
      if (source) result.push({ ...fileDiff(git, path, before.get(source), entry, 'renamed'), previous_filename: source });
      else result.push(fileDiff(git, path, undefined, entry, 'added'));
    } else if (old.sha !== entry.sha || old.mode !== entry.mode) result.push(fileDiff(git, path, old, entry, 'modified'));
  }
  for (const path of removed) if (!consumed.has(path)) result.push(fileDiff(git, path, before.get(path), undefined, 'removed'));
  return result.sort((x, y) => (x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : 0));
}
