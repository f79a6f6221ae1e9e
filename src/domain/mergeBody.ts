/**
 * Generated parts of a body are fenced:
 *
 *   <!-- firewatch:begin alerts -->
 *   ...
 *   <!-- firewatch:end alerts -->
 *
 * A section whose begin marker says `once` is written the first time only and then belongs to
 * humans. A section marked `tasks` (`<!-- firewatch:begin first-steps tasks -->`) is a checklist
 * firewatch keeps ticking: it is regenerated, but a box a human ticked stays ticked and lines a
 * human added to it stay (see {@link mergeTasks}). Everything outside the fences belongs to humans
 * and survives every re-render.
 */
export interface BodySection {
  name: string;
  once: boolean;
  tasks: boolean;
  /** The whole section, markers included. */
  text: string;
  start: number;
  end: number;
}

const SECTION = /<!-- firewatch:begin ([\w-]+)( once| tasks)? -->[\s\S]*?<!-- firewatch:end \1 -->/g;
const STATE_BLOCK = /\n*<!-- firewatch:state \{[^>]*\} -->\s*$/;
const ANY_STATE_BLOCK = /\n*<!-- firewatch:state \{[^>]*\} -->[ \t]*/g;

export function findSections(body: string): BodySection[] {
  return [...body.matchAll(SECTION)].map((match) => ({
    name: match[1] ?? '',
    once: match[2] === ' once',
    tasks: match[2] === ' tasks',
    text: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function section(name: string, content: string, options: { once?: boolean; tasks?: boolean } = {}): string {
  return `<!-- firewatch:begin ${name}${options.once ? ' once' : options.tasks ? ' tasks' : ''} -->\n${content.trim()}\n<!-- firewatch:end ${name} -->`;
}

const TASK = /^\s*[-*+] \[([ xX])\] (.*)$/;

/** A checklist item's identity: its bold lead (`**Acknowledge**`) when it has one, so a reworded step is still the same step. */
function taskKey(text: string): string {
  const lead = /^\*\*([^*]{1,80})\*\*/.exec(text);
  return (lead?.[1] ?? text).trim().toLowerCase();
}

/**
 * A `tasks` section regenerated: `fresh`'s items, each ticked when firewatch ticks it or a human
 * ticked the same item in `current`; lines a human added to `current` (anything that is not one of
 * `fresh`'s items) follow, as they were.
 */
export function mergeTasks(current: string, fresh: string): string {
  const body = (text: string) => text.split('\n').slice(1, -1);
  const ticked = new Set<string>();
  const freshKeys = new Set<string>();
  for (const line of body(fresh)) {
    const item = TASK.exec(line);
    if (item) freshKeys.add(taskKey(item[2] ?? ''));
  }
  const added: string[] = [];
  for (const line of body(current)) {
    const item = TASK.exec(line);
    if (item && freshKeys.has(taskKey(item[2] ?? ''))) {
      if (item[1] !== ' ') ticked.add(taskKey(item[2] ?? ''));
      continue;
    }
    // Our own heading and blank lines are in `fresh` already.
    if (line.trim() && !body(fresh).includes(line)) added.push(line);
  }
  const lines = fresh.split('\n');
  const merged = lines.map((line) => {
    const item = TASK.exec(line);
    return item && item[1] === ' ' && ticked.has(taskKey(item[2] ?? '')) ? line.replace('[ ]', '[x]') : line;
  });
  return [...merged.slice(0, -1), ...added, merged[merged.length - 1] ?? ''].join('\n');
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
      // The template decides: a section it marks `once` keeps what humans made of it.
      const replacement = wanted.once && current.once ? current.text : wanted.tasks ? mergeTasks(current.text, wanted.text) : wanted.text;
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
