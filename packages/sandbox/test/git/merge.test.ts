import { describe, expect, it } from 'vitest';
import type { GitData } from '../../src/store.ts';
import { mergeText, revertTree } from '../../src/git/merge.ts';
import { buildTree, flattenTree, readBlob, writeBlob, writeCommit, type FileMap } from '../../src/git/objects.ts';

const base = 'one\ntwo\nthree\nfour\nfive\nsix\nseven\n';

describe('three-way text merge', () => {
  it('combines changes to distant lines', () => {
    const ours = base.replace('one', 'ONE');
    const theirs = base.replace('seven', 'SEVEN');
    expect(mergeText(base, ours, theirs)).toEqual({ clean: true, text: base.replace('one', 'ONE').replace('seven', 'SEVEN') });
  });

  it('conflicts on different changes to the same or adjacent lines', () => {
    expect(mergeText(base, base.replace('two', 'TWO'), base.replace('two', 'deux'))).toEqual({ clean: false });
    expect(mergeText(base, base.replace('two', 'TWO'), base.replace('three', 'THREE'))).toEqual({ clean: false });
  });

  it('accepts the same change made on both sides', () => {
    const changed = base.replace('four', 'FOUR');
    expect(mergeText(base, changed, changed)).toEqual({ clean: true, text: changed });
  });
});

function git(): GitData {
  return { blobs: new Map(), trees: new Map(), commits: new Map(), refs: new Map() };
}

function commit(g: GitData, files: Record<string, string>, parents: string[], message: string): string {
  const map: FileMap = new Map(Object.entries(files).map(([path, text]) => [path, { mode: '100644' as const, sha: writeBlob(g, text) }]));
  return writeCommit(g, { tree: buildTree(g, map), parents, message, author: { name: 'a', email: 'a@x', date: '2024-01-01T00:00:00Z' } }).sha;
}

function text(g: GitData, tree: string): Record<string, string> {
  return Object.fromEntries([...flattenTree(g, tree)].map(([path, entry]) => [path, readBlob(g, entry.sha)?.toString('utf8') ?? '']));
}

describe('revert', () => {
  it('undoes a commit cleanly when later changes touch other files or lines', () => {
    const g = git();
    const c0 = commit(g, { 'app.ts': base, 'README.md': 'hi\n' }, [], 'init');
    const c1 = commit(g, { 'app.ts': base.replace('two', 'TWO'), 'README.md': 'hi\n', 'new.ts': 'x\n' }, [c0], 'feature');
    const c2 = commit(g, { 'app.ts': base.replace('two', 'TWO').replace('six', 'SIX'), 'README.md': 'hello\n', 'new.ts': 'x\n' }, [c1], 'later');
    const result = revertTree(g, c1, c2);
    expect(result.clean).toBe(true);
    if (!result.clean) return;
    expect(text(g, result.tree)).toEqual({ 'app.ts': base.replace('six', 'SIX'), 'README.md': 'hello\n' });
  });

  it('lists the files a later change conflicts in', () => {
    const g = git();
    const c0 = commit(g, { 'config.yaml': 'replicas: 2\ntimeout: 5\n', 'other.ts': 'a\n' }, [], 'init');
    const c1 = commit(g, { 'config.yaml': 'replicas: 2\ntimeout: 30\n', 'other.ts': 'b\n' }, [c0], 'raise timeout');
    const c2 = commit(g, { 'config.yaml': 'replicas: 2\ntimeout: 60\n', 'other.ts': 'b\n' }, [c1], 'raise more');
    expect(revertTree(g, c1, c2)).toEqual({ clean: false, conflicts: ['config.yaml'] });
  });

  it('reports modify/delete as a conflict', () => {
    const g = git();
    const c0 = commit(g, { 'keep.ts': 'k\n' }, [], 'init');
    const c1 = commit(g, { 'keep.ts': 'k\n', 'added.ts': 'v1\n' }, [c0], 'add');
    const c2 = commit(g, { 'keep.ts': 'k\n', 'added.ts': 'v2\n' }, [c1], 'edit');
    expect(revertTree(g, c1, c2)).toEqual({ clean: false, conflicts: ['added.ts'] });
  });
});
