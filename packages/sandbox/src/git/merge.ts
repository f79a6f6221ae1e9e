/**
 * Three-way merges as git does them: per file, then per line (diff3). Changes from both sides
 * that overlap or touch the same lines conflict unless they are identical, which is what makes
 * a revert "not clean" after a later change to the same lines.
 */
import type { GitData } from '../store.ts';
import { hunks, isBinary, splitLines, type Hunk } from './diff.ts';
import { buildTree, flattenTree, readBlob, writeBlob, type FileEntry, type FileMap } from './objects.ts';

export type TextMerge = { clean: true; text: string } | { clean: false };

export function mergeText(base: string, ours: string, theirs: string): TextMerge {
  if (ours === theirs) return { clean: true, text: ours };
  if (ours === base) return { clean: true, text: theirs };
  if (theirs === base) return { clean: true, text: ours };
  const baseLines = splitLines(base);
  const sides: { side: 0 | 1; hunk: Hunk }[] = [
    ...hunks(baseLines, splitLines(ours)).map((hunk) => ({ side: 0 as const, hunk })),
    ...hunks(baseLines, splitLines(theirs)).map((hunk) => ({ side: 1 as const, hunk })),
  ].sort((a, b) => a.hunk.start - b.hunk.start || a.hunk.end - b.hunk.end);

  const out: string[] = [];
  let position = 0;
  let i = 0;
  while (i < sides.length) {
    const first = sides[i] as (typeof sides)[number];
    const group = [first];
    let end = first.hunk.end;
    i++;
    // Hunks that overlap or touch the group's base range belong to it.
    while (i < sides.length && (sides[i] as (typeof sides)[number]).hunk.start <= end) {
      const next = sides[i] as (typeof sides)[number];
      group.push(next);
      end = Math.max(end, next.hunk.end);
      i++;
    }
    const start = first.hunk.start;
    out.push(...baseLines.slice(position, start));
    const versions = ([0, 1] as const).map((side) => {
      const own = group.filter((g) => g.side === side).map((g) => g.hunk);
      if (!own.length) return undefined;
      const lines: string[] = [];
      let at = start;
      for (const hunk of own) {
        lines.push(...baseLines.slice(at, hunk.start), ...hunk.lines);
        at = hunk.end;
      }
      lines.push(...baseLines.slice(at, end));
      return lines;
    });
    const [mine, other] = versions;
    if (mine && other && mine.join('') !== other.join('')) return { clean: false };
    out.push(...(mine ?? other ?? []));
    position = end;
  }
  out.push(...baseLines.slice(position));
  return { clean: true, text: out.join('') };
}

export type TreeMerge = { clean: true; tree: string } | { clean: false; conflicts: string[] };

function same(a: FileEntry | undefined, b: FileEntry | undefined): boolean {
  return a?.sha === b?.sha && a?.mode === b?.mode;
}

/** Merges `theirs` into `ours` relative to `base` (tree SHAs; undefined = empty tree). */
export function mergeTrees(git: GitData, base: string | undefined, ours: string, theirs: string): TreeMerge {
  const baseFiles: FileMap = base ? flattenTree(git, base) : new Map();
  const ourFiles = flattenTree(git, ours);
  const theirFiles = flattenTree(git, theirs);
  const result: FileMap = new Map();
  const conflicts: string[] = [];
  const paths = new Set([...baseFiles.keys(), ...ourFiles.keys(), ...theirFiles.keys()]);
  for (const path of paths) {
    const b = baseFiles.get(path);
    const o = ourFiles.get(path);
    const t = theirFiles.get(path);
    let merged: FileEntry | undefined;
    if (same(o, t)) merged = o;
    else if (same(o, b)) merged = t;
    else if (same(t, b)) merged = o;
    else if (o && t) {
      // Both sides changed the file: merge the lines (an add/add merges against an empty base).
      const contents = [b, o, t].map((entry) => (entry ? (readBlob(git, entry.sha) ?? Buffer.alloc(0)) : Buffer.alloc(0)));
      if (contents.some(isBinary)) {
        conflicts.push(path);
        continue;
      }
      const [baseText, ourText, theirText] = contents.map((c) => c.toString('utf8')) as [string, string, string];
      const text = mergeText(baseText, ourText, theirText);
      if (!text.clean) {
        conflicts.push(path);
        continue;
      }
      merged = { mode: o.mode === (b?.mode ?? o.mode) ? t.mode : o.mode, sha: writeBlob(git, text.text) };
    } else {
      // Modified on one side, deleted on the other.
      conflicts.push(path);
      continue;
    }
    if (merged) result.set(path, merged);
  }
  if (conflicts.length) return { clean: false, conflicts: conflicts.sort() };
  return { clean: true, tree: buildTree(git, result) };
}

function treeOf(git: GitData, commitSha: string): string {
  const commit = git.commits.get(commitSha);
  if (!commit) throw new Error(`unknown commit ${commitSha}`);
  return commit.tree;
}

/**
 * The tree of `onto` with `commitSha` undone (`git revert -m mainline`): the change from the
 * commit's mainline parent to the commit, reversed, merged into `onto`.
 */
export function revertTree(git: GitData, commitSha: string, onto: string, mainline = 1): TreeMerge {
  const commit = git.commits.get(commitSha);
  if (!commit) throw new Error(`unknown commit ${commitSha}`);
  const parent = commit.parents[mainline - 1];
  return mergeTrees(git, commit.tree, treeOf(git, onto), parent ? treeOf(git, parent) : buildTree(git, new Map()));
}

/** The tree of `onto` with the change of `commitSha` (against its first parent) applied. */
export function cherryPickTree(git: GitData, commitSha: string, onto: string): TreeMerge {
  const commit = git.commits.get(commitSha);
  if (!commit) throw new Error(`unknown commit ${commitSha}`);
  const parent = commit.parents[0];
  return mergeTrees(git, parent ? treeOf(git, parent) : undefined, treeOf(git, onto), commit.tree);
}
