/**
 * A repository's files as GitHub shows them: the tree (`/{owner}/{repo}` and `/tree/{ref}/{path}`)
 * with the folder's README rendered below, a file (`/blob/{ref}/{path}`: Markdown rendered, with
 * its front matter as a table, `?plain=1` for the source; other text with line numbers), the raw
 * bytes (`/raw/{ref}/{path}`), the history (`/commits/{ref}`) and a commit with its diff
 * (`/commit/{sha}`).
 */
import { commitFiles } from '../git/commit-json.ts';
import { isBinary } from '../git/diff.ts';
import { history, readBlob, readPath, resolveRef } from '../git/objects.ts';
import type { CommitRecord, RepoRecord, TreeEntry } from '../store.ts';
import { timeAgo } from './components.ts';
import { diffStat, fileDiffList } from './diffView.ts';
import { html, trustedHtml, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import { repoBreadcrumbs, repoHeader } from './repoHeader.ts';
import { commitPath, gitPath, referencesFor, userPath, type WebSandbox } from './webSandbox.ts';

/** Files larger than this are not shown inline (GitHub's limit is about 1 MB too). */
const MAX_SHOWN_BYTES = 1024 * 1024;
const MAX_COMMITS_LISTED = 100;

export interface GitLocation {
  ref: string;
  sha: string;
  path: string;
}

/**
 * `main/docs/a.md` → ref `main`, path `docs/a.md`. Branch names may hold slashes
 * (`firewatch/revert-7`), so the longest prefix that names a ref wins, as on GitHub.
 */
export function locate(repo: RepoRecord, segments: readonly string[]): GitLocation | undefined {
  for (let i = segments.length; i >= 1; i--) {
    const ref = segments.slice(0, i).join('/');
    const sha = resolveRef(repo.git, ref);
    if (sha) return { ref, sha, path: segments.slice(i).join('/') };
  }
  return undefined;
}

export type CodePage = { ok: true; page: SafeHtml } | { ok: false; status: 404; message: string } | { ok: 'redirect'; location: string };

function pathCrumbs(repo: RepoRecord, ref: string, path: string): SafeHtml {
  const parts = path.split('/').filter((s) => s !== '');
  return html`<p class="path"><a href="${gitPath(repo, 'tree', ref)}">${repo.name}</a>${parts.map(
    (part, i) => html` / ${i === parts.length - 1 ? html`<strong>${part}</strong>` : html`<a href="${gitPath(repo, 'tree', ref, parts.slice(0, i + 1).join('/'))}">${part}</a>`}`,
  )} <span class="association">${ref}</span></p>`;
}

function lastCommit(sandbox: WebSandbox, repo: RepoRecord, commit: CommitRecord | undefined): SafeHtml {
  if (!commit) return html``;
  return html`<div class="box-header"><a class="author" href="${userPath(commit.authorLogin ?? commit.author.name)}">${commit.authorLogin ?? commit.author.name}</a>
<a href="${commitPath(repo, commit.sha)}">${commit.message.split('\n')[0] ?? ''}</a> <span class="muted"><code>${commit.sha.slice(0, 7)}</code> ${timeAgo(commit.committer.date, sandbox.now())}</span>
<a class="muted" href="${gitPath(repo, 'commits', commit.sha)}">History</a></div>`;
}

function sortEntries(entries: readonly TreeEntry[]): TreeEntry[] {
  return [...entries].sort((a, b) => (a.type === b.type ? a.path.localeCompare(b.path) : a.type === 'tree' ? -1 : 1));
}

export function renderTreePage(sandbox: WebSandbox, repo: RepoRecord, location: GitLocation): CodePage {
  const commit = repo.git.commits.get(location.sha);
  const entry = commit ? readPath(repo.git, commit.tree, location.path) : undefined;
  if (!commit || !entry) return { ok: false, status: 404, message: `${repo.owner}/${repo.name} has no ${location.path || 'tree'} at ${location.ref}.` };
  if (entry.type === 'blob') return { ok: 'redirect', location: gitPath(repo, 'blob', location.ref, location.path) };
  const tree = repo.git.trees.get(entry.sha);
  const entries = sortEntries(tree?.entries ?? []);
  const readme = entries.find((e) => e.type === 'blob' && /^readme(\.md|\.markdown)?$/i.test(e.path));
  const readmeText = readme ? readBlob(repo.git, readme.sha)?.toString('utf8') : undefined;
  const child = (e: TreeEntry): string => [location.path, e.path].filter(Boolean).join('/');
  return {
    ok: true,
    page: layout({
      title: `${location.path || repo.name} at ${location.ref} · ${repo.owner}/${repo.name}`,
      breadcrumbs: repoBreadcrumbs(repo),
      body: html`${repoHeader(repo, 'code')}
${pathCrumbs(repo, location.ref, location.path)}
<section class="box" aria-label="Files">
${lastCommit(sandbox, repo, commit)}
<ul class="rows tree">${entries.map(
  (e) => html`<li><span aria-hidden="true">${e.type === 'tree' ? '📁' : '📄'}</span> <a href="${gitPath(repo, e.type === 'tree' ? 'tree' : 'blob', location.ref, child(e))}">${e.path}</a>${e.type === 'tree' && html`<span class="sr-only"> (folder)</span>`}</li>`,
)}</ul>
</section>
${readme && readmeText !== undefined && html`<section class="box" aria-labelledby="readme-heading"><h2 id="readme-heading">${readme.path}</h2>
<div class="box-body markdown">${trustedHtml(renderMarkdown(readmeText, { kind: 'document', references: referencesFor(sandbox, repo) }))}</div></section>`}`,
    }),
  };
}

function isMarkdownPath(path: string): boolean {
  return /\.(md|markdown|mdown|mkdn)$/i.test(path);
}

function sourceLines(text: string): SafeHtml {
  const lines = text.replace(/\n$/, '').split('\n');
  return html`<table class="source"><tbody>${lines.map((line, i) => html`<tr id="L${i + 1}"><td class="line-number"><a href="#L${i + 1}">${i + 1}</a></td><td><code>${line}</code></td></tr>`)}</tbody></table>`;
}

export function renderBlobPage(sandbox: WebSandbox, repo: RepoRecord, location: GitLocation, plain: boolean): CodePage {
  const commit = repo.git.commits.get(location.sha);
  const entry = commit ? readPath(repo.git, commit.tree, location.path) : undefined;
  if (!commit || !entry) return { ok: false, status: 404, message: `${repo.owner}/${repo.name} has no file ${location.path} at ${location.ref}.` };
  if (entry.type === 'tree') return { ok: 'redirect', location: gitPath(repo, 'tree', location.ref, location.path) };
  const content = readBlob(repo.git, entry.sha) ?? Buffer.alloc(0);
  const rawHref = gitPath(repo, 'raw', location.ref, location.path);
  const markdown = isMarkdownPath(location.path);
  const lineCount = content.length === 0 ? 0 : content.toString('utf8').replace(/\n$/, '').split('\n').length;
  let view: SafeHtml;
  if (isBinary(content)) view = html`<p class="empty">Binary file not shown. <a href="${rawHref}">View raw</a></p>`;
  else if (content.length > MAX_SHOWN_BYTES) view = html`<p class="empty">This file is too large to show (${content.length.toLocaleString('en-US')} bytes). <a href="${rawHref}">View raw</a></p>`;
  else if (markdown && !plain) view = html`<div class="box-body markdown">${trustedHtml(renderMarkdown(content.toString('utf8'), { kind: 'document', references: referencesFor(sandbox, repo) }))}</div>`;
  else view = sourceLines(content.toString('utf8'));
  const blobHref = gitPath(repo, 'blob', location.ref, location.path);
  return {
    ok: true,
    page: layout({
      title: `${location.path} at ${location.ref} · ${repo.owner}/${repo.name}`,
      breadcrumbs: repoBreadcrumbs(repo),
      body: html`${repoHeader(repo, 'code')}
${pathCrumbs(repo, location.ref, location.path)}
<section class="box" aria-label="${location.path}">
<div class="box-header file-header"><span>${lineCount} line${lineCount === 1 ? '' : 's'} · ${content.length.toLocaleString('en-US')} bytes</span>
${markdown && html`<nav aria-label="View"><ul class="tabs"><li><a href="${blobHref}"${!plain ? html` aria-current="page"` : ''}>Preview</a></li><li><a href="${blobHref}?plain=1"${plain ? html` aria-current="page"` : ''}>Code</a></li></ul></nav>`}
<a href="${rawHref}">Raw</a> <a href="${gitPath(repo, 'commits', location.ref)}">History</a></div>
${view}
</section>`,
    }),
  };
}

export function renderCommitsPage(sandbox: WebSandbox, repo: RepoRecord, location: GitLocation): SafeHtml {
  const commits = history(repo.git, location.sha).sort((a, b) => b.committer.date.localeCompare(a.committer.date));
  const shown = commits.slice(0, MAX_COMMITS_LISTED);
  return layout({
    title: `Commits · ${location.ref} · ${repo.owner}/${repo.name}`,
    breadcrumbs: repoBreadcrumbs(repo),
    body: html`${repoHeader(repo, 'code')}
<h2>Commits on <code>${location.ref}</code></h2>
<section class="box" aria-label="Commits"><ul class="rows">${shown.map(
  (c) => html`<li><a class="row-title" href="${commitPath(repo, c.sha)}">${c.message.split('\n')[0] ?? ''}</a>
<div class="row-meta">${c.authorLogin ?? c.author.name} committed ${timeAgo(c.committer.date, sandbox.now())} · <code>${c.sha.slice(0, 7)}</code> · <a href="${gitPath(repo, 'tree', c.sha)}">Browse files</a></div></li>`,
)}</ul>${commits.length > shown.length && html`<p class="muted">Showing the newest ${MAX_COMMITS_LISTED} of ${commits.length} commits.</p>`}</section>`,
  });
}

export function renderCommitPage(sandbox: WebSandbox, repo: RepoRecord, sha: string): CodePage {
  const full = resolveRef(repo.git, sha);
  const commit = full ? repo.git.commits.get(full) : undefined;
  if (!commit) return { ok: false, status: 404, message: `${repo.owner}/${repo.name} has no commit ${sha}.` };
  if (commit.sha !== sha) return { ok: 'redirect', location: commitPath(repo, commit.sha) };
  const [title = '', ...rest] = commit.message.split('\n');
  const description = rest.join('\n').trim();
  const files = commitFiles(repo, commit);
  const author = commit.authorLogin ?? commit.author.name;
  return {
    ok: true,
    page: layout({
      title: `${title} · ${repo.owner}/${repo.name}@${commit.sha.slice(0, 7)}`,
      breadcrumbs: [...repoBreadcrumbs(repo), { href: commitPath(repo, commit.sha), text: commit.sha.slice(0, 7) }],
      body: html`${repoHeader(repo, 'code')}
<section class="box commit" aria-labelledby="commit-title">
<div class="box-header"><h2 id="commit-title">${title}</h2>${description && html`<pre class="commit-description">${description}</pre>`}</div>
<div class="box-body"><a class="author" href="${userPath(author)}">${author}</a> committed ${timeAgo(commit.committer.date, sandbox.now())}${
        commit.committer.name !== commit.author.name && html` <span class="muted">(committed by ${commit.committer.name})</span>`
      }
<p class="muted">commit <code>${commit.sha}</code> · ${commit.parents.length === 0 ? 'no parents' : html`${commit.parents.length === 1 ? 'parent' : 'parents'} ${commit.parents.map((p, i) => html`${i > 0 ? ' + ' : ''}<a href="${commitPath(repo, p)}"><code>${p.slice(0, 7)}</code></a>`)}`} ·
<a href="${gitPath(repo, 'tree', commit.sha)}">Browse files</a></p></div>
</section>
<section class="box" aria-labelledby="files-heading" id="files">
<h2 id="files-heading">${files.length} changed file${files.length === 1 ? '' : 's'} ${diffStat(files)}</h2>
${fileDiffList(files, (f) => gitPath(repo, 'blob', commit.sha, f.filename))}
</section>`,
    }),
  };
}


export function renderEmptyRepoPage(repo: RepoRecord): SafeHtml {
  return layout({
    title: `${repo.owner}/${repo.name}`,
    breadcrumbs: repoBreadcrumbs(repo),
    body: html`${repoHeader(repo, 'code')}<section class="box"><p class="empty">This repository is empty: its ${repo.default_branch} branch has no commits yet.</p></section>`,
  });
}
