/**
 * Changed files with their patches, as a pull request's "Files changed" and a commit page show
 * them: one collapsible entry per file with its status and line counts.
 */
import type { FileDiff } from '../git/diff.ts';
import { html, type SafeHtml } from './html.ts';

/** Patches longer than this are cut on the page (the full diff stays available through the API). */
const MAX_PATCH_CHARS = 20_000;

function patchLines(patch: string): SafeHtml {
  const cut = patch.length > MAX_PATCH_CHARS;
  const lines = (cut ? patch.slice(0, MAX_PATCH_CHARS) : patch).split('\n');
  return html`<pre class="diff"><code>${lines.map((line) => {
    const kind = line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
    return html`<span class="${kind}">${line || ' '}</span>`;
  })}</code></pre>${cut && html`<p class="muted">Diff cut at ${MAX_PATCH_CHARS.toLocaleString('en-US')} characters.</p>`}`;
}

export function diffStat(files: readonly FileDiff[]): SafeHtml {
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return html`<span class="diffstat-add">+${additions}</span> <span class="diffstat-del">−${deletions}</span>`;
}

/** `fileHref` links each file to its view at the new revision (not for removed files). */
export function fileDiffList(files: readonly FileDiff[], fileHref?: (file: FileDiff) => string | undefined): SafeHtml {
  if (files.length === 0) return html`<p class="empty">No changed files.</p>`;
  return html`<ul class="rows files">${files.map((f) => {
    const href = f.status === 'removed' ? undefined : fileHref?.(f);
    return html`<li><details${files.length <= 5 ? html` open` : ''}><summary>${f.previous_filename ? html`${f.previous_filename} → ` : ''}${href ? html`<a href="${href}">${f.filename}</a>` : f.filename}
<span class="muted">${f.status}</span> <span class="diffstat-add">+${f.additions}</span> <span class="diffstat-del">−${f.deletions}</span></summary>
${f.patch ? patchLines(f.patch) : html`<p class="muted">Binary file or no textual change.</p>`}</details></li>`;
  })}</ul>`;
}
