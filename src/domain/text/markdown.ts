/** GitHub refuses issue and comment bodies longer than this (characters). */
import { HiddenBlockTooLargeError } from '../errors/errors.ts';
export const GITHUB_BODY_LIMIT = 65_536;

/**
 * A mention as GitHub links one: `@login` or `@org/team`, not inside a word (so `bob@example.com`
 * is left alone, as GitHub leaves it).
 */
const MENTION = /(?<![A-Za-z0-9_])@[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)?/g;

// Characters that change meaning anywhere in a line.
const INLINE_SPECIALS = /[\\`*_[\]|~]/g;
// Characters that only change meaning at the start of a line: headings, lists, quotes, rules.
const LINE_START = /^([ \t]*)([#+=-](?=[\s#=-]|$)|\d+(?=[.)](?:\s|$)))/gm;

function escapeText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(INLINE_SPECIALS, (char) => `\\${char}`)
    .replace(LINE_START, (_match, indent: string, marker: string) => (/^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`));
}

/**
 * Escapes untrusted text (alert fields, arguments echoed back) so it renders as the literal text it
 * is: no HTML (`<`, `>`, `&` become entities), no Markdown syntax (backslash escapes), and every
 * `@login` or `@org/team` in it shown as inline code, which GitHub never turns into a mention. The
 * text stays exactly copyable: no invisible characters are added.
 */
export function escapeMarkdown(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    out += escapeText(text.slice(last, match.index)) + inlineCode(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeText(text.slice(last));
}

/** {@link escapeMarkdown} for one line (a table cell, a heading): whitespace runs become one space. */
export function escapeInline(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

/**
 * A person firewatch names without notifying them (roles in the body, who did what): `@login` as
 * inline code, copyable as is. Replies that mean to notify someone write a plain `@login` instead.
 */
export function quietMention(login: string): string {
  return inlineCode(`@${login.replace(/^@/, '')}`);
}

/** User text as inline code: shown verbatim, never a mention or a tag. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/**
 * Markdown (firewatch's own, or escaped user text) made fit for one cell of a GFM table: one line,
 * and every `|` escaped, also inside code spans and link targets, where GFM splits cells before it
 * parses anything else. A pipe already preceded by an odd number of backslashes is escaped already;
 * escaping by that parity rule gives the same cells in GitHub's parser (cmark-gfm) and markdown-it.
 */
export function tableCell(markdown: string): string {
  const flat = markdown.replace(/\s+/g, ' ').trim();
  let out = '';
  let backslashes = 0;
  for (const char of flat) {
    if (char === '|' && backslashes % 2 === 0) out += '\\';
    out += char;
    backslashes = char === '\\' ? backslashes + 1 : 0;
  }
  return out;
}

/** One row of a GFM table from cells of Markdown: `| a | b |`, each cell made safe with {@link tableCell}. */
export function tableRow(cells: readonly (string | number)[]): string {
  return `| ${cells.map((cell) => tableCell(String(cell))).join(' | ')} |`;
}

// Characters with a meaning in Markdown link targets or tables, percent-encoded in every URL we link.
const URL_SPECIALS = /[()<>[\]|\\` ]/g;

/**
 * An http(s) URL as a Markdown link target, or `null` for anything else (`javascript:`, relative,
 * unparsable). The URL is normalised by the WHATWG parser and every character that could end the
 * target or split a table cell is percent-encoded, so no URL can break out of its link.
 */
export function markdownUrl(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  // Control characters and whitespace are already encoded by the parser; the rest is Markdown's.
  return parsed.href.replace(URL_SPECIALS, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Link text and URL, escaped; only http(s) URLs become links, anything else is shown as text. */
export function safeLink(label: string, url: string): string {
  const target = markdownUrl(url);
  return target ? `[${escapeInline(label)}](${target})` : escapeInline(label);
}

/** Cuts text so it fits `limit` characters including `suffix`, never splitting a surrogate pair. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

const HIDDEN_OPEN = '<!-- firewatch:';
const HIDDEN_CLOSE = '-->';

/**
 * Splits off the hidden `<!-- firewatch:… -->` blocks that end a body (the incident's state block,
 * a comment's event marker): they are data, and cutting one would destroy it. Found by scanning
 * from the end, without regular expressions, so a body of any shape is split in linear time.
 */
export function splitHiddenTail(body: string): { main: string; tail: string } {
  const trimEnd = (index: number) => {
    let i = index;
    while (i > 0 && /\s/.test(body[i - 1] ?? '')) i--;
    return i;
  };
  const last = trimEnd(body.length);
  let end = last;
  let start = last;
  // Positions only, no slicing: linear however many blocks end the body.
  while (end >= HIDDEN_CLOSE.length && body.startsWith(HIDDEN_CLOSE, end - HIDDEN_CLOSE.length)) {
    const open = body.lastIndexOf(HIDDEN_OPEN, end - HIDDEN_CLOSE.length);
    // The block must be one comment: no other `-->` between its opening and its end.
    if (open === -1 || body.indexOf(HIDDEN_CLOSE, open) !== end - HIDDEN_CLOSE.length) break;
    start = open;
    end = trimEnd(open);
  }
  if (start === last) return { main: body, tail: '' };
  return { main: body.slice(0, end), tail: body.slice(end) };
}

export interface TruncateOptions {
  limit?: number;
  /** Kept verbatim at the very end (e.g. the hidden state block); never cut. */
  tail?: string;
}

/**
 * Fits a body into GitHub's limit. When it must cut, it says so in the body, so a reader knows
 * something is missing. The tail, and any hidden `<!-- firewatch:… -->` blocks ending the body,
 * are never cut: a tail that cannot fit is an error, not a corrupted block.
 */
export function truncateBody(body: string, options: TruncateOptions = {}): string {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  if (body.length + (options.tail ?? '').length <= limit) return body + (options.tail ?? '');
  const hidden = options.tail === undefined ? splitHiddenTail(body) : { main: body, tail: '' };
  const tail = hidden.tail + (options.tail ?? '');
  const main = hidden.main;
  const note = (omitted: number) => `\n\n> ✂️ Cut to fit GitHub's ${limit.toLocaleString('en-US')}-character limit (${omitted.toLocaleString('en-US')} characters not shown).\n`;
  // The note's length depends on the number it prints; size it for the worst case first.
  const room = limit - tail.length - note(main.length).length;
  if (room < 0) throw new HiddenBlockTooLargeError(tail.length, limit);
  const head = cut(main, room);
  return head + note(main.length - head.length) + tail;
}

/**
 * Markdown firewatch wrote (links, inline code, backslash escapes) as the plain text a reader
 * sees: for places that are not Markdown, such as YAML front matter or a Mermaid diagram.
 */
export function markdownToPlain(markdown: string): string {
  return markdown
    // Starts only at an unescaped `[` (or the first of a run of backticks), so a long run of them is linear.
    .replace(/(?<!\\)\[((?:\\.|[^\]\\[])*)\]\([^()\s]*\)/g, '$1')
    .replace(/(?<!`)`+ ?([^`]*?) ?`+/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\\(.)/g, '$1');
}
