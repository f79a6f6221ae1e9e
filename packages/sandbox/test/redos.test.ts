/**
 * The sandbox's parsers of text any client sends (search queries, date qualifiers, Markdown the
 * web UI renders) against the shapes that make backtracking regular expressions quadratic or worse,
 * at 100,000 characters. A linear parser takes a few milliseconds on these; the bound is wide so a
 * loaded machine does not fail it, and a slow run is retried before it counts.
 */
import { describe, expect, it } from 'vitest';
import { parseDateRange, tokenize } from '../src/routes/search.ts';
import { renderMarkdown } from '../src/web/markdown.ts';

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
  urls: run('https://'),
  brackets: run('['),
  'backtick pairs': run('`a'),
  'command lines': run('/a\n'),
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

/** The shape at a quarter of its length, keeping its end (the part that makes a match fail). */
const quarter = (text: string): string => text.slice(0, Math.floor(text.length / 4) - 40) + text.slice(-40);

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
  'web UI Markdown': (text) => renderMarkdown(text, { references: { repo: { owner: 'acme', name: 'shop' }, issue: () => undefined, user: () => undefined } }),
};

/**
 * A whole renderer (Markdown to sanitized HTML) does ~2 µs of work a character: on a loaded
 * machine its linear runs pass 250 ms. Its bound is 1 s; the quadratic emoticon pass it once had
 * took 2.6–3.8 s at this length.
 */
const BOUNDS_MS: Record<string, number> = { 'web UI Markdown': 1_000 };

describe('no sandbox parser of client text backtracks (ReDoS)', () => {
  it.each(Object.keys(PARSERS))('%s stays linear on 100k-character adversarial input', (name) => {
    const parse = PARSERS[name];
    if (!parse) throw new Error(name);
    // Compiled before it is timed.
    for (const text of Object.values(BAD_SHAPES).slice(0, 2)) parse(text.slice(0, 100));
    // Slow and superlinear: at least BOUND_MS and more than 8 times the quarter length (linear
    // work grows 4 times, quadratic 16); a renderer merely busy on a loaded machine is not flagged.
    const slow = Object.entries(BAD_SHAPES)
      .map(([shape, text]) => ({ shape, ms: Math.round(timed(() => parse(text))), text }))
      .filter(({ ms }) => ms >= (BOUNDS_MS[name] ?? BOUND_MS))
      .map(({ shape, ms, text }) => ({ shape, ms, quarterMs: Math.round(Math.min(...[1, 2, 3].map(() => milliseconds(() => parse(quarter(text)))))) }))
      .filter(({ ms, quarterMs }) => ms > 8 * Math.max(quarterMs, 1));
    expect(slow, `shapes that took ${BOUNDS_MS[name] ?? BOUND_MS} ms or more at ${LENGTH} characters and over 8 times as long as at a quarter of it`).toEqual([]);
  });
});
