/**
 * The file paths correlation reads in an alert's text, found without a backtracking regular
 * expression: the same as the pattern they replaced found (checked against it on generated text),
 * and linear on long runs of path characters, which made that pattern quadratic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fileReferences } from '../../../src/domain/correlation/alertText.ts';
import { splitIdentifier } from '../../../src/domain/correlation/terms.ts';
import { writtenFiles } from '../../../src/domain/correlation/writtenFiles.ts';

const CODE_EXTENSIONS = 'py|rb|go|java|kt|kts|scala|groovy|ts|tsx|js|jsx|mjs|cjs|rs|ex|exs|erl|php|cs|fs|swift|c|cc|cpp|h|hpp|m|mm|dart|lua|pl|sql|tf|ya?ml|json|toml|conf|proto';
const EXTENSIONS = new Set(CODE_EXTENSIONS.replace('ya?ml', 'yaml|yml').split('|'));
/** The pattern writtenFiles replaced: the reference it must agree with. */
const BACKTRACKING = new RegExp(`(?<![\\w.])((?:[\\w.@-]+/)*[\\w@-][\\w.@-]*\\.(?:${CODE_EXTENSIONS}))(?![\\w])(?::(\\d+))?(?:[^\\S\\n]*\\(?line (\\d+))?`, 'g');

function byPattern(text: string): { index: number; written: string; line?: string }[] {
  return [...text.matchAll(BACKTRACKING)].map((match) => {
    const line = match[2] ?? match[3];
    return { index: match.index, written: match[1] ?? '', ...(line ? { line } : {}) };
  });
}

const pieces = fc.constantFrom('a', 'B', '_', '1', '-', '@', '/', '//', '.', '..', 'py', 'ts', 'tsx', 'yml', 'yaml', 'ya', 'PY', 'c', 'cc', ':', ':12', ' ', '\n', '(', ' line 7', ' (line 8', 'line ', 'x.py', '.ts', 'é', '\\');
const text = fc.array(pieces, { maxLength: 40 }).map((parts) => parts.join(''));

describe('writtenFiles', () => {
  it('finds what the backtracking pattern found, where and with which line (property)', () => {
    fc.assert(fc.property(text, (sample) => {
      expect([...writtenFiles(sample, EXTENSIONS)]).toEqual(byPattern(sample));
    }), { numRuns: 3_000 });
  });

  it('reads paths, lines and trace frames as before', () => {
    const samples = [
      'at handler (src/payments/refund.ts:88:12)\nFile app/refunds/ledger.py line 12',
      'LabelRenderer.java:213 and ./lib/a-b/@scope/pkg/index.mjs (line 4), then x.py.bak, v1.2.json, a//b.go',
      '--app/x.py @team/y.rb /abs/path/z.tsx:7-more/w.c',
    ];
    for (const sample of samples) expect([...writtenFiles(sample, EXTENSIONS)]).toEqual(byPattern(sample));
    expect([...writtenFiles('see app/refunds/ledger.py:88 now', EXTENSIONS)]).toEqual([{ index: 4, written: 'app/refunds/ledger.py', line: '88' }]);
  });

  it('stays linear on 50,000 path characters that never make a path', () => {
    // The pattern took 0.15 s on 8,000 dashes and 6.2 s on these 50,000.
    for (const unit of ['-', '@', 'a-', '/a', '@/', '-.']) {
      const sample = `${unit.repeat(50_000 / unit.length)}!`;
      let best = Infinity;
      // The fastest of three: one slow run on a busy machine is noise. Linear takes under 20 ms.
      for (let attempt = 0; attempt < 3 && best >= 250; attempt++) {
        const started = performance.now();
        fileReferences(sample);
        splitIdentifier(sample.toUpperCase());
        best = Math.min(best, performance.now() - started);
      }
      expect(best, JSON.stringify(unit)).toBeLessThan(250);
    }
  });
});

describe('splitIdentifier', () => {
  it('splits a run of capitals before the word they start as before (property)', () => {
    const backtracking = (identifier: string) =>
      identifier
        .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
        .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
        .replace(/([A-Za-z])(\d)/g, '$1 $2')
        .replace(/(\d)([A-Za-z])/g, '$1 $2')
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean);
    const identifier = fc.array(fc.constantFrom('A', 'B', 'a', 'b', '1', '_', '-', 'HTTP', 'Client'), { maxLength: 30 }).map((parts) => parts.join(''));
    fc.assert(fc.property(identifier, (sample) => {
      expect(splitIdentifier(sample)).toEqual(backtracking(sample));
    }), { numRuns: 2_000 });
  });
});
