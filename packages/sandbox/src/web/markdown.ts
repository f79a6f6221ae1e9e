/**
 * Markdown as GitHub renders it: GitHub Flavored Markdown (tables, task lists, strikethrough,
 * autolinks), emoji shortcodes, `#123` and `@user` linked when they exist, raw HTML allowed and
 * then sanitized with the allow-list of GitHub's html-pipeline `SanitizationFilter` (tags such as
 * `<details>`, `<sub>`, `<kbd>`; no scripts, styles, event handlers or `javascript:` URLs). HTML
 * comments disappear as on GitHub, except inside code, where GitHub shows them too. Images become
 * links: the page loads no external assets (its CSP allows none).
 *
 * Comments and issue bodies keep their line breaks (as on GitHub); documents (`.md` files) do
 * not, and show their YAML front matter as a table first.
 */
import { load as loadYaml } from 'js-yaml';
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';
import { full as emoji } from 'markdown-it-emoji';
import taskLists from 'markdown-it-task-lists';
import sanitizeHtml from 'sanitize-html';
import { scanReferences } from '../references.ts';
import { escapeHtml } from './html.ts';

/** What `#123`, `owner/repo#123` and `@login` resolve to; unresolved references stay text, as on GitHub. */
export interface References {
  /** The repository a bare `#123` belongs to. */
  repo?: { owner: string; name: string };
  issue?(owner: string, repo: string, number: number): { href: string; title: string } | undefined;
  user?(login: string): string | undefined;
}

export interface RenderOptions {
  /** `document` for files: no hard line breaks, front matter as a table. Default `comment`. */
  kind?: 'comment' | 'document';
  references?: References;
}

const RELS = 'nofollow noopener noreferrer';

function createRenderer(breaks: boolean): InstanceType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: true, linkify: true, breaks, typographer: false });
  // Shortcodes only (`:tada:`): GitHub leaves emoticons such as `:)` and the `:/` of every URL as typed.
  md.use(taskLists).use(emoji, { shortcuts: {} });
  md.core.ruler.after('linkify', 'github-references', linkReferences);
  md.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
    tokens[idx]?.attrSet('rel', RELS);
    return self.renderToken(tokens, idx, options);
  };
  md.renderer.rules.image = (tokens, idx, options, env, self) => {
    const token = tokens[idx];
    if (!token) return '';
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
    return `<a href="${escapeHtml(src)}" rel="${RELS}" class="image-link">🖼 ${escapeHtml(alt)}</a>`;
  };
  // cmark-gfm (GitHub) aligns cells with `align`; markdown-it's `style` would be stripped with every other style.
  for (const rule of ['th_open', 'td_open'] as const) {
    md.renderer.rules[rule] = (tokens, idx, options, _env, self) => {
      const token = tokens[idx];
      const align = /^text-align:(left|center|right)$/.exec(String(token?.attrGet('style') ?? ''))?.[1];
      if (token && align) {
        token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
        token.attrSet('align', align);
      }
      return self.renderToken(tokens, idx, options);
    };
  }
  return md;
}

const renderers = { comment: createRenderer(true), document: createRenderer(false) };

function referenceTokens(state: StateCore, text: string, references: References): Token[] | undefined {
  const out: Token[] = [];
  let last = 0;
  const pushText = (content: string): void => {
    if (!content) return;
    const token = new state.Token('text', '', 0);
    token.content = content;
    out.push(token);
  };
  for (const reference of scanReferences(text)) {
    let link: { href: string; title?: string; className: string } | undefined;
    if (reference.kind === 'user') {
      const href = references.user?.(reference.login);
      if (href) link = { href, className: 'user-mention' };
    } else {
      const target = reference.owner !== undefined && reference.repo !== undefined ? { owner: reference.owner, name: reference.repo } : references.repo;
      const issue = target ? references.issue?.(target.owner, target.name, reference.number) : undefined;
      if (issue) link = { href: issue.href, title: issue.title, className: 'issue-link' };
    }
    if (!link) continue;
    pushText(text.slice(last, reference.start));
    const open = new state.Token('link_open', 'a', 1);
    open.attrs = [['href', link.href], ['class', link.className], ...(link.title ? [['title', link.title] as [string, string]] : [])];
    const content = new state.Token('text', '', 0);
    content.content = reference.text;
    out.push(open, content, new state.Token('link_close', 'a', -1));
    last = reference.start + reference.text.length;
  }
  if (out.length === 0) return undefined;
  pushText(text.slice(last));
  return out;
}

/** Links `#123` and `@login` in text outside links and code, as GitHub's reference filters do. */
function linkReferences(state: StateCore): void {
  const references = (state.env as { githubReferences?: References } | undefined)?.githubReferences;
  if (!references) return;
  for (const block of state.tokens) {
    if (block.type !== 'inline' || !block.children) continue;
    const children: Token[] = [];
    let inLink = 0;
    for (const token of block.children) {
      if (token.type === 'link_open') inLink++;
      if (token.type === 'link_close') inLink--;
      const replaced = token.type === 'text' && inLink === 0 ? referenceTokens(state, token.content, references) : undefined;
      children.push(...(replaced ?? [token]));
    }
    block.children = children;
  }
}

// html-pipeline's SanitizationFilter allow-list (github/html-pipeline, lib/html_pipeline/sanitization_filter.rb).
const GITHUB_TAGS = [
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'br', 'b', 'i', 'strong', 'em', 'a', 'pre', 'code', 'img', 'tt', 'div', 'ins', 'del', 'sup', 'sub', 'p',
  'ol', 'ul', 'table', 'thead', 'tbody', 'tfoot', 'blockquote', 'dl', 'dt', 'dd', 'kbd', 'q', 'samp', 'var', 'hr', 'ruby', 'rt', 'rp', 'li', 'tr', 'td',
  'th', 's', 'strike', 'summary', 'details', 'caption', 'figure', 'figcaption', 'abbr', 'bdo', 'cite', 'dfn', 'mark', 'small', 'span', 'time', 'wbr',
];
const GITHUB_ATTRIBUTES_ON_ALL = [
  'abbr', 'accept', 'accept-charset', 'accesskey', 'action', 'align', 'alt', 'aria-describedby', 'aria-hidden', 'aria-label', 'aria-labelledby', 'axis',
  'border', 'cellpadding', 'cellspacing', 'char', 'charoff', 'charset', 'checked', 'clear', 'cols', 'colspan', 'color', 'compact', 'coords', 'datetime',
  'dir', 'disabled', 'enctype', 'for', 'frame', 'headers', 'height', 'hreflang', 'hspace', 'ismap', 'label', 'lang', 'maxlength', 'media', 'method',
  'multiple', 'name', 'nohref', 'noshade', 'nowrap', 'open', 'progress', 'prompt', 'readonly', 'rel', 'rev', 'role', 'rows', 'rowspan', 'rules', 'scope',
  'selected', 'shape', 'size', 'span', 'start', 'summary', 'tabindex', 'target', 'title', 'type', 'usemap', 'valign', 'value', 'vspace', 'width', 'itemprop',
];

const SANITIZE: sanitizeHtml.IOptions = {
  // The task list's checkboxes are added after sanitizing on GitHub; here they pass as disabled checkboxes only.
  allowedTags: [...GITHUB_TAGS, 'input'],
  allowedAttributes: {
    a: ['href'],
    img: ['src', 'longdesc'],
    div: ['itemscope', 'itemtype'],
    blockquote: ['cite'],
    del: ['cite'],
    ins: ['cite'],
    q: ['cite'],
    '*': GITHUB_ATTRIBUTES_ON_ALL,
  },
  allowedClasses: {
    a: ['user-mention', 'issue-link', 'image-link'],
    li: ['task-list-item'],
    ul: ['contains-task-list'],
    ol: ['contains-task-list'],
    input: ['task-list-item-checkbox'],
    div: ['front-matter-error'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'xmpp'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'longdesc', 'action'],
  allowProtocolRelative: true,
  // GitHub removes what is inside these, not only the tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'iframe', 'object', 'svg', 'math', 'xmp'],
  // Inputs other than (disabled) checkboxes are dropped.
  exclusiveFilter: (frame) => frame.tag === 'input' && frame.attribs['type'] !== 'checkbox',
  transformTags: {
    input: (_tag, attribs) => ({
      tagName: 'input',
      attribs: { type: attribs['type']?.toLowerCase() ?? 'text', class: 'task-list-item-checkbox', disabled: '', ...(attribs['checked'] !== undefined ? { checked: '' } : {}) },
    }),
    img: (_tag, attribs) => ({
      tagName: 'a',
      attribs: { href: attribs['src'] ?? '', rel: RELS, class: 'image-link' },
      text: `🖼 ${attribs['alt'] || attribs['src'] || 'image'}`,
    }),
    a: (_tag, attribs) => ({ tagName: 'a', attribs: { ...attribs, rel: RELS } }),
  },
};

/** Markdown (comment or document) to sanitized HTML; `''` for nothing to show. */
export function renderMarkdown(source: string | null, options: RenderOptions = {}): string {
  if (!source?.trim()) return '';
  const kind = options.kind ?? 'comment';
  // Not `references`: markdown-it keeps reference-style link definitions there.
  const env = { githubReferences: options.references };
  if (kind === 'document') {
    const split = splitFrontMatter(source);
    const body = renderers.document.render(split.body, env);
    return sanitizeHtml((split.frontMatter === undefined ? '' : frontMatterTable(split.frontMatter)) + body, SANITIZE);
  }
  return sanitizeHtml(renderers.comment.render(source, env), SANITIZE);
}

/** YAML front matter: a `---` line first, up to the next `---` (or `...`) line. */
function splitFrontMatter(source: string): { frontMatter?: string; body: string } {
  const match = /^---[ \t]*\r?\n([\s\S]*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m.exec(source);
  if (!match || match.index !== 0) return { body: source };
  return { frontMatter: match[1] ?? '', body: source.slice(match[0].length) };
}

function yamlCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `<table><tbody><tr>${value.map((v) => `<td>${yamlCell(v)}</td>`).join('')}</tr></tbody></table>`;
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (typeof value === 'object') return yamlTable(value as Record<string, unknown>);
  return escapeHtml(String(value));
}

function yamlTable(map: Record<string, unknown>): string {
  const keys = Object.keys(map);
  return `<table><thead><tr>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr></thead><tbody><tr>${keys.map((k) => `<td>${yamlCell(map[k])}</td>`).join('')}</tr></tbody></table>`;
}

/** GitHub shows a file's front matter as a table of its keys (nested maps and lists as nested tables), or the error for invalid YAML. */
function frontMatterTable(yaml: string): string {
  let data: unknown;
  try {
    data = loadYaml(yaml);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    return `<div class="front-matter-error"><p><strong>Error in user YAML:</strong> ${escapeHtml(message)}</p><pre><code>${escapeHtml(yaml)}</code></pre></div>`;
  }
  if (data === null || data === undefined) return '';
  if (typeof data !== 'object' || Array.isArray(data)) return `<table><tbody><tr><td>${yamlCell(data)}</td></tr></tbody></table>`;
  return yamlTable(data as Record<string, unknown>);
}
