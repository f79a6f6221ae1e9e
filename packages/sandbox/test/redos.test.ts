/**
 * The sandbox's parsers of text any client sends (search queries, date qualifiers, Markdown the
 * web UI renders) against the shapes that make backtracking regular expressions quadratic or worse,
 * at 100,000 characters. A linear parser takes a few milliseconds on these; the bound is wide so a
 * loaded machine does not fail it, and a slow run is retried before it counts.
 */
import { describe, expect, it } from 'vitest';
import { parseDateRange, tokenize } from '../src/routes/search.ts';
import { stripHiddenComments } from '../src/web/markdown.ts';

const LENGTH = 100_000;
const BOUND_MS = 250;

/** `unit` repeated to LENGTH characters, then a character that makes the match fail at the end. */
const run = (unit: string, suffix = 'x') => unit.repeat(Math.ceil(LENGTH / unit.length)) + suffix;

const BAD_SHAPES: Record<string, string> = {
  spaces: run(' '),
  tabs: run('\t'),
  newlines: run('\n'),
  crlf: run('\r\n'),
  'line separators': run('\u2028'),
  quotes: run('"'),
  'open quoted values': run('label:"'),
  'qualifier keys': run('a:'),
  'negated qualifiers': run('-a:'),
  dashes: run('-'),
  dots: run('.'),
  'range dots': run('1..'),
  comparisons: run('>='),
  digits: run('1'),
  'date prefixes': run('2026-01-'),
  backticks: run('`'),
  tildes: run('~'),
  'fence lines': run('```\n'),
  'comment openers': run('<!--'),
  'comment closers': run('-->'),
  'code span openers': run('`<!--'),
  'unclosed comments across lines': run('<!--\n'),
};

function milliseconds(work: () => unknown): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** The fastest of up to three runs: one slow run on a busy machine is noise, three are not. */
function timed(work: () => unknown): number {
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= BOUND_MS; attempt++) best = Math.min(best, milliseconds(work));
  return best;
}

const PARSERS: Record<string, (text: string) => unknown> = {
  'search query': (text) => tokenize(text),
  'search query after a qualifier': (text) => tokenize(`repo:acme/shop ${text}`),
  'date range': (text) => {
    try {
      return parseDateRange(text);
    } catch {
      return undefined; // refused as a 422: what matters is how soon
    }
  },
  'hidden comments (web UI Markdown)': (text) => stripHiddenComments(text),
};

describe('no sandbox parser of client text backtracks (ReDoS)', () => {
  it.each(Object.keys(PARSERS))('%s stays linear on 100k-character adversarial input', (name) => {
    const parse = PARSERS[name];
    if (!parse) throw new Error(name);
    // Compiled before it is timed.
    for (const text of Object.values(BAD_SHAPES).slice(0, 2)) parse(text.slice(0, 100));
    const slow = Object.entries(BAD_SHAPES)
      .map(([shape, text]) => ({ shape, ms: Math.round(timed(() => parse(text))) }))
      .filter(({ ms }) => ms >= BOUND_MS);
    expect(slow, `shapes that took ${BOUND_MS} ms or more at ${LENGTH} characters`).toEqual([]);
  });
});
