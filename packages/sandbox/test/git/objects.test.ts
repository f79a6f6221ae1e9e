import fc from 'fast-check';
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
  it('finds the same merge base as a walk of the whole history would, on any history (merges, criss-crosses, clock skew)', () => {
    // Each commit picks up to two earlier commits as parents; dates are random, so they need not follow the history.
    const histories = fc.array(fc.record({ parents: fc.uniqueArray(fc.nat(), { maxLength: 2 }), minutes: fc.integer({ min: 0, max: 10_000 }) }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(histories, fc.nat(), fc.nat(), (shape, x, y) => {
        const git = emptyGit();
        const tree = buildTree(git, new Map());
        const shas: string[] = [];
        shape.forEach(({ parents, minutes }, i) => {
          const picked = i === 0 ? [] : [...new Set(parents.map((p) => shas[p % i] as string))];
          const date = new Date(Date.UTC(2023, 10, 14) + minutes * 60_000).toISOString().replace('.000', '');
          shas.push(writeCommit(git, { tree, parents: picked, message: `c${i}`, author: { ...bob, date } }).sha);
        });
        const a = shas[x % shas.length] as string;
        const b = shas[y % shas.length] as string;
        // By definition: the common ancestors no other common ancestor descends from; of several, the latest.
        const ancestorsOf = (sha: string): Set<string> => {
          const seen = new Set<string>();
          const stack = [sha];
          while (stack.length) {
            const next = stack.pop() as string;
            if (seen.has(next)) continue;
            seen.add(next);
            stack.push(...(git.commits.get(next)?.parents ?? []));
          }
          return seen;
        };
        const fromA = ancestorsOf(a);
        const common = [...ancestorsOf(b)].filter((sha) => fromA.has(sha));
        const best = common.filter((sha) => !common.some((other) => other !== sha && ancestorsOf(other).has(sha)));
        const time = (sha: string) => Date.parse(git.commits.get(sha)?.committer.date ?? '');
        const latest = Math.max(...best.map(time));
        const answer = mergeBase(git, a, b);
        if (best.length === 0) expect(answer).toBeUndefined();
        else {
          expect(best).toContain(answer);
          expect(time(answer as string)).toBe(latest);
        }
      }),
      { numRuns: 300, seed: 17 },
    );
  });

  it('in a history of 5,000 merged PRs, walks only as far as the two sides part, not the whole history each time', () => {
    const git = emptyGit();
    const tree = buildTree(git, new Map());
    let main = writeCommit(git, { tree, parents: [], message: 'root', author: bob }).sha;
    const heads: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const head = writeCommit(git, { tree, parents: [main], message: `change ${i}`, author: bob }).sha;
      heads.push(head);
      main = writeCommit(git, { tree, parents: [main, head], message: `merge ${i}`, author: bob }).sha;
    }
    const commits = new Map(git.commits);
    let looked = 0;
    // Counting the commits the walk reads: a whole-history walk reads about 10,000 for each.
    git.commits = new Proxy(commits, {
      get(target, key) {
        if (key === 'get' || key === 'has') looked++;
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }) as Map<string, (typeof commits extends Map<string, infer V> ? V : never)>;
    mergeBase(git, heads[0] as string, main);
    looked = 0;
    // The last 100 PRs lie within 200 commits of main's head; the whole history is 10,001.
    for (const head of heads.slice(-100)) expect(mergeBase(git, main, head)).toBe(head);
    expect(looked / 100).toBeLessThan(1_000);
  });
});
