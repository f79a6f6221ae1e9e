/**
 * JSON inside an HTML comment (`<!-- firewatch:KIND {...} -->`). `<`, `>`, `&` and `@` are written as
 * JSON unicode escapes, so no user text inside the JSON can close the comment early or open a tag;
 * `JSON.parse` turns them back.
 */
export function renderHiddenJson(kind: string, value: unknown): string {
  // `@` too: a mention inside a hidden comment must not be able to notify anyone either.
  const json = JSON.stringify(value).replace(/[<>&@\u2028\u2029]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `<!-- firewatch:${kind} ${json} -->`;
}

/** Where one `<!-- firewatch:KIND {...} -->` sits in a text: `text.slice(start, end)` is the whole comment. */
export interface HiddenBlock {
  start: number;
  end: number;
  /** The JSON between the marker and ` -->`, as written (not parsed). */
  json: string;
}

/**
 * Every `<!-- firewatch:KIND {...} -->` in a text, in order, found with `indexOf` scans only: the
 * text is an issue body or comment anyone may write, so a pattern that backtracks would let one
 * stall the event loop (60,000 newlines took seconds). A comment ends at its first `-->`, as in
 * HTML; ours hold one JSON object and no `>`, so anything else is not one of ours.
 */
export function findHiddenBlocks(kind: string, text: string): HiddenBlock[] {
  const open = `<!-- firewatch:${kind} {`;
  const blocks: HiddenBlock[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf(open, from);
    if (start === -1) break;
    const jsonStart = start + open.length - 1;
    const close = text.indexOf('-->', jsonStart);
    // No comment closes after this one: none further can be complete either.
    if (close === -1) break;
    from = close + 3;
    const json = text.slice(jsonStart, close);
    if (!json.endsWith('} ') || json.includes('>')) continue;
    blocks.push({ start, end: close + 3, json: json.slice(0, -1) });
  }
  return blocks;
}

/** Every `<!-- firewatch:KIND {...} -->` in a text, parsed; unparsable ones are skipped. */
export function findHiddenJson(kind: string, text: string): unknown[] {
  const found: unknown[] = [];
  for (const block of findHiddenBlocks(kind, text)) {
    try {
      found.push(JSON.parse(block.json));
    } catch {
      // A hand-edited or foreign block is not ours to trust; callers treat it as absent.
    }
  }
  return found;
}

/**
 * `text` without the given blocks, each taken with the newlines just before it and the spaces
 * after it (`trailing`: also newlines, or spaces and tabs only), replaced by `separator`. Linear.
 */
export function removeHiddenBlocks(text: string, blocks: readonly HiddenBlock[], options: { separator: string; trailing: 'whitespace' | 'blanks' }): string {
  let out = '';
  let cursor = 0;
  for (const block of blocks) {
    let start = block.start;
    while (start > cursor && text[start - 1] === '\n') start--;
    let end = block.end;
    while (end < text.length && (options.trailing === 'whitespace' ? /\s/.test(text[end] ?? '') : text[end] === ' ' || text[end] === '\t')) end++;
    out += text.slice(cursor, start) + options.separator;
    cursor = end;
  }
  return out + text.slice(cursor);
}
