import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diffLines, splitLines, unifiedDiff } from '../../src/git/diff.ts';

describe('unified diff', () => {
  it('renders a hunk like git (length one omitted)', () => {
    expect(unifiedDiff('hello\n', 'hello\nworld\n')).toEqual({ patch: '@@ -1 +1,2 @@\n hello\n+world', additions: 1, deletions: 0 });
  });

  it('keeps three lines of context and splits distant changes into hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}\n`).join('');
    const after = before.replace('line 2\n', 'line two\n').replace('line 18\n', '');
    const { patch, additions, deletions } = unifiedDiff(before, after);
    expect(additions).toBe(1);
    expect(deletions).toBe(2);
    expect(patch).toBe(
      [
        '@@ -1,5 +1,5 @@',
        ' line 1',
        '-line 2',
        '+line two',
        ' line 3',
        ' line 4',
        ' line 5',
        '@@ -15,6 +15,5 @@',
        ' line 15',
        ' line 16',
        ' line 17',
        '-line 18',
        ' line 19',
        ' line 20',
      ].join('\n'),
    );
  });

  it('marks a missing newline at end of file and new files from line zero', () => {
    expect(unifiedDiff('', 'a\nb')).toEqual({ patch: '@@ -0,0 +1,2 @@\n+a\n+b\n\\ No newline at end of file', additions: 2, deletions: 0 });
    expect(unifiedDiff('a\n', '').patch).toBe('@@ -1 +0,0 @@\n-a');
  });

  it('produces an edit script that turns one text into the other', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd')), fc.array(fc.constantFrom('a\n', 'b\n', 'c\n', 'd')), (a, b) => {
        const ops = diffLines(a, b);
        expect(ops.filter((op) => op.kind !== 'insert').map((op) => op.line)).toEqual(a);
        expect(ops.filter((op) => op.kind !== 'delete').map((op) => op.line)).toEqual(b);
      }),
    );
    expect(splitLines('x\ny')).toEqual(['x\n', 'y']);
  });
});
