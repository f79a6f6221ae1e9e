/**
 * Source file paths written in an alert's text (`app/refunds/ledger.py:88`, `src/cart.ts line 12`),
 * found in linear time. It finds exactly what this pattern finds, scanned from the left:
 *
 *   (?<![\w.])((?:[\w.@-]+/)*[\w@-][\w.@-]*\.(?:EXT))(?!\w)(?::(\d+))?(?:[^\S\n]*\(?line (\d+))?
 *
 * A regular expression for it is quadratic: every `-`, `@` or `/` of a long run of path characters
 * starts another attempt that reads to the end of the run, and alert descriptions are untrusted.
 * Here the text is cut into runs of path characters (`[\w.@/-]`) first; within a run, what each
 * possible start would match is known from its `/`-separated segment alone, read once.
 */

export interface WrittenFile {
  /** Where the path starts in the text. */
  index: number;
  /** The path as written, without the line. */
  written: string;
  /** The line after it (`:88`, ` line 88`, ` (line 88`), as written. */
  line?: string;
}

const SLASH = 47;
const DOT = 46;

function isWord(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

function isPathCharacter(code: number): boolean {
  return isWord(code) || code === DOT || code === SLASH || code === 45 /* - */ || code === 64 /* @ */;
}

/** `:88` or `, line 88` right after a path: one anchored attempt, so linear. */
const LINE_AFTER = /(?::(\d+))?(?:[^\S\n]*\(?line (\d+))?/y;

/** Every file path in `text` whose extension (case as written) is in `extensions`, in order. */
export function* writtenFiles(text: string, extensions: ReadonlySet<string>): Generator<WrittenFile> {
  let resume = 0;
  let start = 0;
  while (start < text.length) {
    if (!isPathCharacter(text.charCodeAt(start))) {
      start++;
      continue;
    }
    let end = start;
    while (end < text.length && isPathCharacter(text.charCodeAt(end))) end++;
    for (const found of filesInRun(text, start, end, resume, extensions)) {
      if (found.end === end) {
        LINE_AFTER.lastIndex = end;
        const after = LINE_AFTER.exec(text);
        resume = end + (after?.[0].length ?? 0);
        const line = after?.[1] ?? after?.[2];
        yield { index: found.start, written: text.slice(found.start, found.end), ...(line ? { line } : {}) };
      } else {
        resume = found.end;
        yield { index: found.start, written: text.slice(found.start, found.end) };
      }
    }
    start = end;
  }
}

interface Segment {
  start: number;
  end: number;
  /** The last `.` of the segment followed by a whole extension (`.py` then a non-word character), and where that extension ends. */
  dot?: number;
  dotEnd?: number;
}

/**
 * The paths in the run `text[start, end)` (a maximal run of path characters), starting at `from`
 * or later, leftmost first. A path may start at the run's start or after a `-`, `@` or `/`. From
 * there it takes as many `segment/` as it can (none empty) as long as the segment it ends in
 * begins a file name (`[\w@-]`) that has an extension; failing that, it ends in its own segment at
 * that segment's last extension, which must lie past its first character.
 */
function* filesInRun(text: string, start: number, end: number, from: number, extensions: ReadonlySet<string>): Generator<{ start: number; end: number }> {
  const segments: Segment[] = [];
  let segmentStart = start;
  for (let i = start; i <= end; i++) {
    if (i < end && text.charCodeAt(i) !== SLASH) continue;
    const segment: Segment = { start: segmentStart, end: i };
    for (let dot = i - 1; dot >= segmentStart; dot--) {
      if (text.charCodeAt(dot) !== DOT) continue;
      let extensionEnd = dot + 1;
      while (extensionEnd < i && isWord(text.charCodeAt(extensionEnd))) extensionEnd++;
      if (extensions.has(text.slice(dot + 1, extensionEnd))) {
        segment.dot = dot;
        segment.dotEnd = extensionEnd;
        break;
      }
    }
    segments.push(segment);
    segmentStart = i + 1;
  }
  // furthest[j]: the furthest segment a path entering segment j at its start can end in (through non-empty segments).
  const furthest: (number | undefined)[] = new Array<number | undefined>(segments.length + 1).fill(undefined);
  for (let j = segments.length - 1; j >= 0; j--) {
    const segment = segments[j] as Segment;
    const empty = segment.start === segment.end;
    const endsHere = !empty && text.charCodeAt(segment.start) !== DOT && segment.dot !== undefined && segment.dot >= segment.start + 1;
    furthest[j] = !empty && furthest[j + 1] !== undefined ? furthest[j + 1] : endsHere ? j : undefined;
  }
  let j = 0;
  for (let s = Math.max(start, from); s < end; s++) {
    while ((segments[j] as Segment).end < s) j++;
    const code = text.charCodeAt(s);
    if (code === SLASH) continue;
    const before = s === start ? undefined : text.charCodeAt(s - 1);
    if (before !== undefined && before !== SLASH && before !== 45 && before !== 64) continue;
    const segment = segments[j] as Segment;
    const last = furthest[j + 1];
    let found: number | undefined;
    if (last !== undefined) found = (segments[last] as Segment).dotEnd;
    else if (code !== DOT && segment.dot !== undefined && segment.dot >= s + 1) found = segment.dotEnd;
    if (found === undefined) continue;
    yield { start: s, end: found };
    s = found - 1;
  }
}
