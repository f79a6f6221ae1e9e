/**
 * Markdown as GitHub renders issue bodies and comments, minus raw HTML: markdown-it with
 * `html: false` shows any tag as text, so nothing from a body can become markup. HTML comments
 * (`<!-- firewatch:state {...} -->`) are hidden as GitHub hides them, except inside code, where
 * GitHub shows them too. Images become links: the page loads no external assets.
 */
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true, typographer: false });

markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx]?.attrSet('rel', 'nofollow noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};

markdown.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (!token) return '';
  const src = String(token.attrGet('src') ?? '');
  const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
  return `<a href="${markdown.utils.escapeHtml(src)}" rel="nofollow noopener noreferrer" class="image-link">🖼 ${markdown.utils.escapeHtml(alt)}</a>`;
};

/** A fence line (up to 3 spaces, then 3 or more backticks or tildes): its marker and what follows. Scanned by hand: no backtracking on long lines. */
function fenceOf(line: string): { char: string; length: number; info: string } | undefined {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const char = line[i];
  if (char !== '`' && char !== '~') return undefined;
  const begin = i;
  while (line[i] === char) i++;
  return i - begin >= 3 ? { char, length: i - begin, info: line.slice(i) } : undefined;
}

/**
 * Removes `<!-- ... -->` outside fenced code and code spans. An unclosed comment hides the rest
 * of the text, as it would in HTML.
 */
export function stripHiddenComments(source: string): string {
  const out: string[] = [];
  let fence: { char: string; length: number } | undefined;
  let inComment = false;
  for (const line of source.split('\n')) {
    if (inComment) {
      const end = line.indexOf('-->');
      if (end === -1) continue;
      const rest = stripLine(line.slice(end + 3));
      inComment = rest.unclosed;
      out.push(rest.text);
      continue;
    }
    if (fence) {
      out.push(line);
      const close = fenceOf(line);
      if (close && close.char === fence.char && close.length >= fence.length && !close.info.trim()) fence = undefined;
      continue;
    }
    const open = fenceOf(line);
    // A backtick fence's info string cannot contain backticks (CommonMark): such a line is a code span.
    if (open && !(open.char === '`' && open.info.includes('`'))) {
      fence = { char: open.char, length: open.length };
      out.push(line);
      continue;
    }
    const stripped = stripLine(line);
    inComment = stripped.unclosed;
    out.push(stripped.text);
  }
  return out.join('\n');
}

/** One line without its comments; code spans (a run of backticks up to the next run of the same length) keep theirs. Linear. */
function stripLine(line: string): { text: string; unclosed: boolean } {
  const runs: { start: number; length: number }[] = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    const start = i;
    while (line[i] === '`') i++;
    runs.push({ start, length: i - start });
  }
  // For each run, the next run of the same length, found in one pass from the end.
  const closing: (number | undefined)[] = [];
  const later = new Map<number, number>();
  for (let index = runs.length - 1; index >= 0; index--) {
    const run = runs[index];
    if (!run) continue;
    closing[index] = later.get(run.length);
    later.set(run.length, index);
  }
  let text = '';
  let i = 0;
  let run = 0;
  while (i < line.length) {
    while (run < runs.length && (runs[run]?.start ?? 0) < i) run++;
    const comment = line.indexOf('<!--', i);
    const next = runs[run];
    if (comment === -1) break;
    if (next && next.start < comment) {
      const close = closing[run];
      const to = close === undefined ? next.start + next.length : (runs[close]?.start ?? 0) + next.length;
      text += line.slice(i, to);
      i = to;
      continue;
    }
    text += line.slice(i, comment);
    const end = line.indexOf('-->', comment + 4);
    if (end === -1) return { text, unclosed: true };
    i = end + 3;
  }
  return { text: text + line.slice(i), unclosed: false };
}

/** Body/comment Markdown to safe HTML. */
export function renderMarkdown(source: string | null): string {
  if (!source?.trim()) return '';
  return markdown.render(stripHiddenComments(source));
}
