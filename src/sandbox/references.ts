/**
 * GitHub's references in text: `#123`, `owner/repo#123` and `@login`. The web page links them
 * when they exist; the issue events record a `cross-referenced` event on each issue a comment or
 * body mentions, as GitHub does. Both read text outside code and links (see `referencesIn`).
 */
import MarkdownIt from 'markdown-it';

export type Reference = { kind: 'user'; login: string; start: number; text: string } | { kind: 'issue'; owner?: string; repo?: string; number: number; start: number; text: string };

// A login: alphanumerics and single hyphens, at most 39 characters. References follow a non-word character.
const REFERENCE = /(^|[^\w`/@.-])(?:@([a-z\d](?:[a-z\d]|-(?=[a-z\d])){0,38})(?![\w-])|(?:([\w.-]{1,100})\/([\w.-]{1,100}))?#(\d{1,10})(?!\w))/gi;

/** References in plain text (one text run of a Markdown document). Linear: every repetition is bounded. */
export function scanReferences(text: string): Reference[] {
  const found: Reference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    const [whole, before = '', login, owner, repo, number] = match;
    const start = (match.index ?? 0) + before.length;
    const label = whole.slice(before.length);
    if (login !== undefined) found.push({ kind: 'user', login, start, text: label });
    else if (number !== undefined) found.push({ kind: 'issue', ...(owner !== undefined && repo !== undefined ? { owner, repo } : {}), number: Number(number), start, text: label });
  }
  return found;
}

const parser = new MarkdownIt({ html: true, linkify: true });

/** The references in a Markdown text, outside code spans, code blocks, HTML and links. */
export function referencesIn(markdown: string): Reference[] {
  const found: Reference[] = [];
  for (const block of parser.parse(markdown, {})) {
    if (block.type !== 'inline' || !block.children) continue;
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      if (token.type === 'link_close') inLink--;
      if (token.type === 'text' && inLink === 0) found.push(...scanReferences(token.content));
    }
  }
  return found;
}
