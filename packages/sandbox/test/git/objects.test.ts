import { describe, expect, it } from 'vitest';
import type { GitData } from '../../src/store.ts';
import {
  EMPTY_TREE_SHA,
  buildTree,
  commitsBetween,
  flattenTree,
  mergeBase,
  readPath,
  resolveRef,
  writeBlob,
  writeCommit,
  writeTree,
} from '../../src/git/objects.ts';

function emptyGit(): GitData {
  return { blobs: new Map(), trees: new Map(), commits: new Map(), refs: new Map() };
}

const bob = { name: 'bob', email: 'bob@example.com', date: '2023-11-14T22:13:20Z' };

describe('git objects', () => {
  it('hashes blobs and the empty tree as git does', () => {
    const git = emptyGit();
    expect(writeBlob(git, 'hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(writeTree(git, [])).toBe(EMPTY_TREE_SHA);
  });

  it('builds nested trees and commits with the SHAs real git computes', () => {
    const git = emptyGit();
    const files = new Map([
      ['hello.txt', { mode: '100644' as const, sha: writeBlob(git, 'hello\n') }],
      ['src/a/b.ts', { mode: '100644' as const, sha: writeBlob(git, 'x') }],
      // `src-file` sorts before the `src` directory because git compares `src/`.
      ['src-file', { mode: '100644' as const, sha: writeBlob(git, 'y\n') }],
    ]);
    const tree = buildTree(git, files);
    expect(tree).toBe('9a8cba766da4c503f02b1d1258cda15581443c73');
    const commit = writeCommit(git, { tree, parents: [], message: 'init\n', author: bob });
    expect(commit.sha).toBe('0e1a3223119f2e128fa0272c9e06bfbd7cf23751');
    expect(flattenTree(git, tree)).toEqual(files);
    expect(readPath(git, tree, 'src/a/b.ts')?.type).toBe('blob');
    expect(readPath(git, tree, 'src/a')?.type).toBe('tree');
    expect(readPath(git, tree, 'src/missing')).toBeUndefined();
  });

  it('finds the merge base and the commits only on one side', () => {
    const git = emptyGit();
    const tree = buildTree(git, new Map());
    const root = writeCommit(git, { tree, parents: [], message: 'root', author: bob }).sha;
    const left = writeCommit(git, { tree, parents: [root], message: 'left', author: { ...bob, date: '2023-11-15T00:00:00Z' } }).sha;
    const right = writeCommit(git, { tree, parents: [root], message: 'right', author: { ...bob, date: '2023-11-15T01:00:00Z' } }).sha;
    const merge = writeCommit(git, { tree, parents: [left, right], message: 'merge', author: { ...bob, date: '2023-11-15T02:00:00Z' } }).sha;
    expect(mergeBase(git, left, right)).toBe(root);
    expect(mergeBase(git, merge, right)).toBe(right);
    expect(commitsBetween(git, left, merge).map((c) => c.message)).toEqual(['right', 'merge']);
    git.refs.set('heads/main', merge);
    expect(resolveRef(git, 'main')).toBe(merge);
    expect(resolveRef(git, 'refs/heads/main')).toBe(merge);
    expect(resolveRef(git, merge.slice(0, 7))).toBe(merge);
    expect(resolveRef(git, 'nope')).toBeUndefined();
  });
});
