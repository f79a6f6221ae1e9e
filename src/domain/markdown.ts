/** GitHub refuses issue and comment bodies longer than this (characters). */
export const GITHUB_BODY_LIMIT = 65_536;

const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Makes `@user` and `@org/team` inert: a zero-width space after the `@` keeps the text readable
 * while GitHub no longer links or notifies anyone.
 */
export function neutralizeMentions(text: string): string {
  return text.replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZERO_WIDTH_SPACE}`);
}

// Characters that change meaning anywhere in a line.
const INLINE_SPECIALS = /[\\`*_[\]|~]/g;
// Characters that only change meaning at the start of a line: headings, lists, quotes, rules.
const LINE_START = /^([ \t]*)([#+=-](?=[\s#=-]|$)|\d+(?=[.)](?:\s|$)))/gm;

/**
 * Escapes user text so it renders as the literal text it is: no HTML (`<`, `>`, `&` become
 * entities), no Markdown syntax (backslash escapes), no mentions.
 */
export function escapeMarkdown(text: string): string {
  return neutralizeMentions(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(INLINE_SPECIALS, (char) => `\\${char}`)
      .replace(LINE_START, (_match, indent: string, marker: string) => (/^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`)),
  );
}

/** {@link escapeMarkdown} for one line (a table cell, a heading): whitespace runs become one space. */
export function escapeInline(text: string): string {
  return escapeMarkdown(text.replace(/\s+/g, ' ').trim());
}

/** User text as inline code: shown verbatim, never a mention or a tag. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Link text and URL, escaped; only http(s) URLs become links, anything else is shown as text. */
export function safeLink(label: string, url: string): string {
  if (!/^https?:\/\//i.test(url)) return escapeInline(label);
  const target = url.replace(/[()<>\s]/g, (char) => encodeURIComponent(char));
  return `[${escapeInline(label)}](${target})`;
}

/** Cuts text so it fits `limit` characters including `suffix`, never splitting a surrogate pair. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = Math.max(0, limit);
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

export interface TruncateOptions {
  limit?: number;
  /** Kept verbatim at the very end (e.g. the hidden state block); never cut. */
  tail?: string;
}

/**
 * Fits a body into GitHub's limit. When it must cut, it says so in the body, so a reader knows
 * something is missing.
 */
export function truncateBody(body: string, options: TruncateOptions = {}): string {
  const limit = options.limit ?? GITHUB_BODY_LIMIT;
  const tail = options.tail ?? '';
  if (body.length + tail.length <= limit) return body + tail;
  const note = (omitted: number) => `\n\n> ✂️ Cut to fit GitHub's ${limit.toLocaleString('en-US')}-character limit (${omitted.toLocaleString('en-US')} characters not shown).\n`;
  // The note's length depends on the number it prints; size it for the worst case first.
  const room = limit - tail.length - note(body.length).length;
  const head = cut(body, room);
  return head + note(body.length - head.length) + tail;
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
