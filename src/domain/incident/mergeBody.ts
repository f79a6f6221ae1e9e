import { findHiddenBlocks, removeHiddenBlocks } from '../text/hiddenJson.ts';

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

const BEGIN = '<!-- firewatch:begin ';
const END = '<!-- firewatch:end ';
const NAME = /^[\w-]+/;

type Marker = { name: string; once: boolean; tasks: boolean; end: number };

/** The name after `at` and whether ` once -->`, ` tasks -->` or ` -->` follows it, or nothing when the marker is not ours. */
function readMarker(body: string, at: number, withKind: boolean): Marker | undefined {
  // Section names are short; a long run of word characters is not a name (and bounds the match).
  const name = NAME.exec(body.slice(at, at + 100))?.[0];
  if (!name) return undefined;
  const after = at + name.length;
  if (withKind && body.startsWith(' once -->', after)) return { name, once: true, tasks: false, end: after + 9 };
  if (withKind && body.startsWith(' tasks -->', after)) return { name, once: false, tasks: true, end: after + 10 };
  if (body.startsWith(' -->', after)) return { name, once: false, tasks: false, end: after + 4 };
  return undefined;
}

/**
 * The generated sections of a body, in order. Found with `indexOf` scans and one pass over the
 * end markers: the body is editable by people, and a lazy pattern with a back-reference would be
 * quadratic in the number of unclosed begin markers.
 */
export function findSections(body: string): BodySection[] {
  const ends = new Map<string, number[]>();
  for (let at = body.indexOf(END); at !== -1; at = body.indexOf(END, at + 1)) {
    const marker = readMarker(body, at + END.length, false);
    if (!marker) continue;
    const list = ends.get(marker.name) ?? [];
    list.push(at);
    ends.set(marker.name, list);
  }
  // Per name, the next end marker not yet passed; begin markers are visited left to right, so it only moves forward.
  const next = new Map<string, number>();
  const sections: BodySection[] = [];
  let from = 0;
  for (let at = body.indexOf(BEGIN, from); at !== -1; at = body.indexOf(BEGIN, from)) {
    const marker = readMarker(body, at + BEGIN.length, true);
    from = at + 1;
    if (!marker) continue;
    const list = ends.get(marker.name) ?? [];
    let index = next.get(marker.name) ?? 0;
    while (index < list.length && (list[index] ?? 0) < marker.end) index++;
    next.set(marker.name, index);
    const close = list[index];
    if (close === undefined) continue;
    const end = close + END.length + marker.name.length + 4;
    sections.push({ name: marker.name, once: marker.once, tasks: marker.tasks, text: body.slice(at, end), start: at, end });
    from = end;
  }
  return sections;
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

/** The body without its state blocks, and the last one when it ends the body (only whitespace after it). */
function splitState(body: string): { main: string; state: string } {
  const blocks = findHiddenBlocks('state', body);
  const last = blocks.at(-1);
  const ends = last !== undefined && body.slice(last.end).trim() === '';
  const kept = ends ? blocks.slice(0, -1) : blocks;
  let main = ends ? body.slice(0, last.start) : body;
  if (ends) {
    let cut = main.length;
    while (cut > 0 && main[cut - 1] === '\n') cut--;
    main = main.slice(0, cut);
  }
  return { main: removeHiddenBlocks(main, kept, { separator: '', trailing: 'blanks' }), state: ends ? body.slice(last.start, last.end) : '' };
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
