/**
 * `/{owner}/{repo}/issues` and `/{owner}/{repo}/pulls`: open items first, newest first, with a
 * state filter (`?state=`) and a label filter (`?label=`, what a label chip links to).
 */
import { z } from 'zod';
import type { IssueRecord, PullRecord, RepoRecord } from '../store.ts';
import { displayState, labelChip, stateBadge, timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { repoHeader } from './repoHeader.ts';
import { commentCount, issuePath, issuesOf, repoPath, type WebSandbox } from './webSandbox.ts';

const issueFilter = z.object({ state: z.enum(['open', 'closed', 'all']).default('all'), label: z.string().max(100).optional() });
const pullFilter = z.object({ state: z.enum(['open', 'closed', 'merged', 'all']).default('all'), label: z.string().max(100).optional() });

export type ListQuery = { ok: true; state: string; label?: string } | { ok: false; message: string };

export function parseListQuery(kind: 'issues' | 'pulls', query: URLSearchParams): ListQuery {
  const raw = { state: query.get('state') ?? undefined, label: query.get('label') ?? undefined };
  const parsed = kind === 'issues' ? issueFilter.safeParse(raw) : pullFilter.safeParse(raw);
  if (parsed.success) return { ok: true, state: parsed.data.state, ...(parsed.data.label ? { label: parsed.data.label } : {}) };
  if (parsed.error.issues[0]?.path[0] === 'label') return { ok: false, message: 'The label filter is limited to 100 characters.' };
  const states = kind === 'issues' ? 'open, closed or all' : 'open, closed, merged or all';
  return { ok: false, message: `Unknown state “${raw.state ?? ''}”: use state=${states}.` };
}

function matchesState(issue: IssueRecord, pull: PullRecord | undefined, state: string): boolean {
  if (state === 'all') return true;
  if (state === 'merged') return pull?.merged === true;
  return issue.state === state;
}

function filterLink(repo: RepoRecord, kind: 'issues' | 'pulls', state: string, current: string, label: string | undefined, text: string): SafeHtml {
  const params = new URLSearchParams({ state });
  if (label) params.set('label', label);
  return html`<li><a href="${repoPath(repo)}/${kind}?${params.toString()}"${state === current ? html` aria-current="page"` : ''}>${text}</a></li>`;
}

function rowMeta(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, pull: PullRecord | undefined): SafeHtml {
  const now = sandbox.now();
  const comments = commentCount(repo, issue.number);
  const when = pull?.merged && pull.merged_at
    ? html`by ${issue.user} was merged ${timeAgo(pull.merged_at, now)}${pull.merged_by ? html` by ${pull.merged_by}` : ''}`
    : issue.state === 'closed' && issue.closed_at
      ? html`by ${issue.user} was closed ${timeAgo(issue.closed_at, now)}`
      : html`opened ${timeAgo(issue.created_at, now)} by ${issue.user}`;
  return html`<div class="row-meta">#${issue.number} ${when}${pull && html` · <code>${pull.head.ref}</code> → <code>${pull.base.ref}</code>`}${
    issue.assignees.length > 0 && html` · assigned to ${issue.assignees.join(', ')}`
  }${comments > 0 && html` · ${comments} comment${comments === 1 ? '' : 's'}`}</div>`;
}

function row(sandbox: WebSandbox, repo: RepoRecord, kind: 'issues' | 'pulls', issue: IssueRecord): SafeHtml {
  const pull = repo.pulls.get(issue.number);
  return html`<li>
${stateBadge(displayState(issue, pull), true)}
<a class="row-title" href="${issuePath(repo, issue)}">${issue.title}</a>
${issue.labels.map((name) => html`<a href="${repoPath(repo)}/${kind}?${new URLSearchParams({ state: 'all', label: name }).toString()}">${labelChip(repo, name)}</a>`)}
${rowMeta(sandbox, repo, issue, pull)}
</li>`;
}

export interface ListPageOptions {
  kind: 'issues' | 'pulls';
  state: string;
  label?: string;
  watch?: boolean;
}

export function renderListPage(sandbox: WebSandbox, repo: RepoRecord, options: ListPageOptions): SafeHtml {
  const { kind, state, label } = options;
  const all = issuesOf(repo, kind);
  const labelled = label ? all.filter((i) => i.labels.some((l) => l.toLowerCase() === label.toLowerCase())) : all;
  const shown = labelled
    .filter((i) => matchesState(i, repo.pulls.get(i.number), state))
    .sort((a, b) => (a.state === b.state ? b.number - a.number : a.state === 'open' ? -1 : 1));
  const count = (s: string): number => labelled.filter((i) => matchesState(i, repo.pulls.get(i.number), s)).length;
  const noun = kind === 'issues' ? 'issues' : 'pull requests';
  const watchParams = new URLSearchParams({ state, ...(label ? { label } : {}), ...(options.watch ? {} : { watch: '1' }) });
  return layout({
    title: `${kind === 'issues' ? 'Issues' : 'Pull requests'} · ${repo.owner}/${repo.name}`,
    watch: options.watch === true,
    breadcrumbs: [
      { href: `/${encodeURIComponent(repo.owner)}`, text: repo.owner },
      { href: repoPath(repo), text: repo.name },
    ],
    body: html`${repoHeader(repo, kind)}
<section class="box" aria-labelledby="list-heading">
<div class="box-header">
<h2 id="list-heading" class="sr-only">${kind === 'issues' ? 'Issues' : 'Pull requests'}</h2>
<nav aria-label="Filter by state"><ul class="tabs">
${filterLink(repo, kind, 'all', state, label, `All ${all.length === labelled.length ? labelled.length : count('all')}`)}
${filterLink(repo, kind, 'open', state, label, `Open ${count('open')}`)}
${kind === 'pulls' && filterLink(repo, kind, 'merged', state, label, `Merged ${count('merged')}`)}
${filterLink(repo, kind, 'closed', state, label, `Closed ${count('closed')}`)}
<li class="watch"><a href="${repoPath(repo)}/${kind}?${watchParams.toString()}">${options.watch ? 'Stop watching' : 'Watch live'}</a></li>
</ul></nav>
${label && html`<p>Showing ${noun} labelled ${labelChip(repo, label)} <a href="${repoPath(repo)}/${kind}?state=${state}">clear label filter</a></p>`}
${options.watch && html`<p class="muted">This page refreshes every 5 seconds.</p>`}
</div>
${shown.length === 0
  ? html`<p class="empty">No ${state === 'all' ? '' : `${state} `}${noun}${label ? html` labelled “${label}”` : ''}.</p>`
  : html`<ul class="rows">${shown.map((i) => row(sandbox, repo, kind, i))}</ul>`}
</section>`,
  });
}
