/**
 * Generated parts of a body are fenced:
 *
 *   <!-- firewatch:begin alerts -->
 *   ...
 *   <!-- firewatch:end alerts -->
 *
 * A section whose begin marker says `once` (`<!-- firewatch:begin first-steps once -->`) is
 * written the first time only and then belongs to humans (its checkboxes get ticked).
 * Everything outside the fences belongs to humans and survives every re-render.
 */
export interface BodySection {
  name: string;
  once: boolean;
  /** The whole section, markers included. */
  text: string;
  start: number;
  end: number;
}

const SECTION = /<!-- firewatch:begin ([\w-]+)( once)? -->[\s\S]*?<!-- firewatch:end \1 -->/g;
const STATE_BLOCK = /\n*<!-- firewatch:state \{[^>]*\} -->\s*$/;
const ANY_STATE_BLOCK = /\n*<!-- firewatch:state \{[^>]*\} -->[ \t]*/g;

export function findSections(body: string): BodySection[] {
  return [...body.matchAll(SECTION)].map((match) => ({
    name: match[1] ?? '',
    once: match[2] !== undefined,
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function section(name: string, content: string, options: { once?: boolean } = {}): string {
  return `<!-- firewatch:begin ${name}${options.once ? ' once' : ''} -->\n${content.trim()}\n<!-- firewatch:end ${name} -->`;
}

function splitState(body: string): { main: string; state: string } {
  const match = STATE_BLOCK.exec(body);
  if (!match) return { main: body.replace(ANY_STATE_BLOCK, ''), state: '' };
  return { main: body.slice(0, match.index).replace(ANY_STATE_BLOCK, ''), state: match[0].trim() };
}

/**
 * The body to write: `rendered`'s generated sections replace the same sections of `existing`,
 * human text outside them is kept in place, sections new to this version are inserted after
 * the section that precedes them in `rendered`, and `rendered`'s state block ends the body.
 */
export function mergeBody(existing: string | null | undefined, rendered: string): string {
  const fresh = splitState(rendered);
  const old = splitState(existing ?? '');
  const oldSections = findSections(old.main);
  const tail = fresh.state ? `\n\n${fresh.state}\n` : '\n';

  if (oldSections.length === 0) {
    // Nothing generated yet (e.g. an ordinary issue becoming an incident): keep what people wrote below.
    const human = old.main.trim();
    return `${fresh.main.trim()}${human ? `\n\n${human}` : ''}${tail}`;
  }

  let body = old.main;
  let cursor = 0;
  for (const wanted of findSections(fresh.main)) {
    const current = findSections(body).find((s) => s.name === wanted.name);
    if (current) {
      const replacement = current.once ? current.text : wanted.text;
      body = body.slice(0, current.start) + replacement + body.slice(current.end);
      cursor = current.start + replacement.length;
    } else {
      const insert = `${cursor === 0 ? '' : '\n\n'}${wanted.text}${cursor === 0 ? '\n\n' : ''}`;
      body = body.slice(0, cursor) + insert + body.slice(cursor);
      cursor += insert.length;
    }
  }
  return `${body.trimEnd()}${tail}`;
}
