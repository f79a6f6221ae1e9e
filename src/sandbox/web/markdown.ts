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

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/**
 * Removes `<!-- ... -->` outside fenced code and code spans. An unclosed comment hides the rest
 * of the text, as it would in HTML.
 */
export function stripHiddenComments(source: string): string {
  const out: string[] = [];
  let fence: RegExp | undefined;
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
      if (fence.test(line)) fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    const marker = open?.[1];
    // A backtick fence's info string cannot contain backticks (CommonMark): such a line is a code span.
    if (marker && !(marker.startsWith('`') && (open[2] ?? '').includes('`'))) {
      fence = new RegExp(`^ {0,3}${marker.startsWith('`') ? '`' : '~'}{${marker.length},}\\s*$`);
      out.push(line);
      continue;
    }
    const stripped = stripLine(line);
    inComment = stripped.unclosed;
    out.push(stripped.text);
  }
  return out.join('\n');
}

function stripLine(line: string): { text: string; unclosed: boolean } {
  let unclosed = false;
  // Code spans are matched first so a comment inside backticks stays visible.
  const text = line.replace(/(`+)[^`][\s\S]*?\1(?!`)|<!--[\s\S]*?(?:-->|$)/g, (match, ticks: string | undefined) => {
    if (ticks) return match;
    if (!match.endsWith('-->') || match.length < 7) unclosed = true;
    return '';
  });
  return { text, unclosed };
}

/** Body/comment Markdown to safe HTML. */
export function renderMarkdown(source: string | null): string {
  if (!source?.trim()) return '';
  return markdown.render(stripHiddenComments(source));
}
