/**
 * `/{owner}/{repo}/issues/{n}` and `/pull/{n}`: the conversation as a newcomer watches firewatch
 * run it — title, state, labels, assignees, body and comments (Markdown, hidden markers hidden),
 * reactions, a PR's commits and changed files, and the "Comment as" form.
 */
import { pullCommits, pullFiles } from '../git/pull-facts.ts';
import { timelineOf } from '../issueEvents.ts';
import type { IssueEventRecord, IssueRecord, PullRecord, ReactionRecord, RepoRecord, SandboxState } from '../store.ts';
import type { FileDiff } from '../git/diff.ts';
import type { CommentFormValues, FormError } from './commentForm.ts';
import { MAX_COMMENT_CHARS } from './commentForm.ts';
import { displayState, labelChip, reactionList, stateBadge, timeAgo } from './components.ts';
import { diffStat, fileDiffList } from './diffView.ts';
import { html, trustedHtml, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import { groupEvents, timelineRow } from './timeline.ts';
import { actingUsers, commentCount, commitPath, gitPath, issuePath, permissionOn, referencesFor, repoPath, userPath, type WebSandbox } from './webSandbox.ts';

export interface IssuePageOptions {
  watch?: boolean;
  /** Re-rendering after a refused post keeps what the visitor typed. */
  form?: { values: CommentFormValues; errors: readonly FormError[] };
}

function reactionsFor(repo: RepoRecord, subject: ReactionRecord['subject']): ReactionRecord[] {
  return [...repo.reactions.values()].filter((r) =>
    subject.kind === 'issue' ? r.subject.kind === 'issue' && r.subject.number === subject.number : r.subject.kind === 'comment' && r.subject.id === subject.id,
  );
}

function role(state: SandboxState, repo: RepoRecord, login: string): string {
  const user = state.users.get(login);
  if (user?.type === 'Bot') return 'bot';
  const permission = permissionOn(repo, login);
  return permission === 'none' ? '' : permission;
}

function commentBox(sandbox: WebSandbox, repo: RepoRecord, options: { id: string; author: string; createdAt: string; body: string | null; reactions: ReactionRecord[]; verb: string; emptyText?: string }): SafeHtml {
  const markup = renderMarkdown(options.body, { references: referencesFor(sandbox, repo) });
  const who = role(sandbox.state, repo, options.author);
  return html`<article class="box comment" id="${options.id}" aria-label="${options.author} ${options.verb}">
<div class="box-header"><a class="author" href="${userPath(options.author)}">${options.author}</a>
<a href="#${options.id}" class="muted">${options.verb} ${timeAgo(options.createdAt, sandbox.now())}</a>
${who && html`<span class="association" title="${options.author}'s permission on ${repo.owner}/${repo.name}">${who}</span>`}</div>
<div class="box-body markdown">${markup ? trustedHtml(markup) : html`<p class="muted"><em>${options.emptyText ?? 'No description provided.'}</em></p>`}</div>
${reactionList(options.reactions)}
</article>`;
}

function filesSection(repo: RepoRecord, pull: PullRecord): SafeHtml {
  const files: readonly FileDiff[] = pullFiles(repo, pull);
  const commits = pullCommits(repo, pull);
  return html`<section class="box" aria-labelledby="commits-heading">
<h2 id="commits-heading">Commits <span class="association">${commits.length}</span></h2>
${commits.length === 0
  ? html`<p class="empty">No commits.</p>`
  : html`<ul class="rows">${commits.map(
      (c) => html`<li><a href="${commitPath(repo, c.sha)}"><code>${c.sha.slice(0, 7)}</code></a> ${c.message.split('\n')[0] ?? ''} <span class="row-meta">by ${c.authorLogin ?? c.author.name}</span></li>`,
    )}</ul>`}
</section>
<section class="box" aria-labelledby="files-heading" id="files">
<h2 id="files-heading">Files changed <span class="association">${files.length}</span>
${diffStat(files)}</h2>
${fileDiffList(files, (f) => gitPath(repo, 'blob', pull.head.sha, f.filename))}
</section>`;
}

function commentForm(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, options: IssuePageOptions): SafeHtml {
  if (options.watch) {
    return html`<p class="notice notice-info">This page refreshes every 5 seconds. <a href="${issuePath(repo, issue)}">Stop watching</a> to comment.</p>`;
  }
  const users = actingUsers(sandbox.state);
  const values = options.form?.values;
  const errors = options.form?.errors ?? [];
  const selected = values?.user || (users.some((u) => u.login === 'bob') ? 'bob' : (users[0]?.login ?? ''));
  const errorFor = (field: FormError['field']): FormError | undefined => errors.find((e) => e.field === field);
  const userError = errorFor('user');
  const bodyError = errorFor('body');
  return html`<form class="box" method="post" action="${issuePath(repo, issue)}#comment-form" id="comment-form" aria-labelledby="comment-heading">
<h2 id="comment-heading">Add a comment</h2>
<div class="box-body">
${errors.length > 0 &&
  html`<div class="notice notice-error" role="alert" id="form-errors"><strong>Your comment was not posted.</strong><ul>${errors.map((e) => html`<li>${e.message}</li>`)}</ul></div>`}
<div class="field">
<label for="comment-user">Comment as</label>
<select id="comment-user" name="user" required${userError ? html` aria-invalid="true" aria-describedby="comment-user-error"` : ''}>
${users.map((u) => html`<option value="${u.login}"${u.login === selected ? html` selected` : ''}>${u.login} (${permissionOn(repo, u.login)})</option>`)}
</select>
${userError && html`<p class="field-error" id="comment-user-error">${userError.message}</p>`}
</div>
<div class="field">
<label for="comment-body">Comment <span class="muted">(Markdown)</span></label>
<textarea id="comment-body" name="body" required maxlength="${MAX_COMMENT_CHARS}" placeholder="Try /help"${
    bodyError ? html` aria-invalid="true" aria-describedby="comment-body-error"` : ''
  }>
${values?.body ?? ''}</textarea>
${bodyError && html`<p class="field-error" id="comment-body-error">${bodyError.message}</p>`}
</div>
<p class="muted">Posted through the REST API with the chosen user's token, so permissions and webhooks apply as on GitHub. Slash commands such as <code>/help</code> reach firewatch.</p>
<button type="submit">Comment</button>
</div>
</form>`;
}

function headline(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, pull: PullRecord | undefined): SafeHtml {
  const now = sandbox.now();
  if (pull) {
    const commits = pull.commits.length;
    const what = html`${commits} commit${commits === 1 ? '' : 's'} into <code>${pull.base.ref}</code> from <code>${pull.head.ref}</code>`;
    if (pull.merged) return html`<strong>${pull.merged_by ?? issue.user}</strong> merged ${what}${pull.merged_at && html` ${timeAgo(pull.merged_at, now)}`}`;
    if (issue.state === 'closed') return html`<strong>${issue.user}</strong> proposed ${what}; closed ${issue.closed_at && timeAgo(issue.closed_at, now)}`;
    return html`<strong>${issue.user}</strong> wants to merge ${what}`;
  }
  return html`<strong>${issue.user}</strong> opened this issue ${timeAgo(issue.created_at, now)}${
    issue.state === 'closed' && issue.closed_at && html` · closed ${timeAgo(issue.closed_at, now)}${issue.closed_by && html` by ${issue.closed_by}`}`
  }`;
}

function sidebar(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, pull: PullRecord | undefined): SafeHtml {
  const apiPath = `${sandbox.apiUrl}/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/${pull ? 'pulls' : 'issues'}/${issue.number}`;
  return html`<aside aria-label="Details">
<section><h2>Assignees</h2>${issue.assignees.length > 0 ? html`<ul class="rows">${issue.assignees.map((a) => html`<li>${a}</li>`)}</ul>` : html`<p class="muted">No one assigned</p>`}</section>
<section><h2>Labels</h2>${issue.labels.length > 0 ? html`<div>${issue.labels.map((name) => html`<a href="${repoPath(repo)}/${pull ? 'pulls' : 'issues'}?${new URLSearchParams({ state: 'all', label: name }).toString()}">${labelChip(repo, name)}</a>`)}</div>` : html`<p class="muted">None yet</p>`}</section>
${pull && pull.requested_reviewers.length > 0 && html`<section><h2>Reviewers</h2><p>${pull.requested_reviewers.join(', ')}</p></section>`}
${pull?.merge_commit_sha && html`<section><h2>Merge commit</h2><p><a href="${commitPath(repo, pull.merge_commit_sha)}"><code>${pull.merge_commit_sha.slice(0, 7)}</code></a></p></section>`}
${issue.locked && html`<section><h2>Conversation</h2><p>🔒 Locked${issue.active_lock_reason && html` as ${issue.active_lock_reason}`}</p></section>`}
<section><h2>API</h2><p><a href="${apiPath}">JSON for #${issue.number}</a></p></section>
</aside>`;
}

/** Comments and events in the order they happened; events between two comments grouped as GitHub groups them. */
function conversation(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord): SafeHtml {
  const parts: SafeHtml[] = [];
  let pending: IssueEventRecord[] = [];
  const flush = (): void => {
    for (const row of groupEvents(pending)) parts.push(timelineRow(sandbox, repo, issue, row));
    pending = [];
  };
  for (const item of timelineOf(repo, issue.number)) {
    if (item.kind === 'event') {
      pending.push(item.event);
      continue;
    }
    flush();
    const c = repo.comments.get(item.commentId);
    if (c) parts.push(commentBox(sandbox, repo, { id: `issuecomment-${c.id}`, author: c.user, createdAt: c.created_at, body: c.body, reactions: reactionsFor(repo, { kind: 'comment', id: c.id }), verb: 'commented', emptyText: 'No text.' }));
  }
  flush();
  return html`<div class="timeline">${parts}</div>`;
}

export function renderIssuePage(sandbox: WebSandbox, repo: RepoRecord, issue: IssueRecord, options: IssuePageOptions = {}): SafeHtml {
  const pull = issue.isPullRequest ? repo.pulls.get(issue.number) : undefined;
  const count = commentCount(repo, issue.number);
  const path = issuePath(repo, issue);
  return layout({
    title: `${issue.title} · #${issue.number} · ${repo.owner}/${repo.name}`,
    watch: options.watch === true,
    breadcrumbs: [
      { href: `/${encodeURIComponent(repo.owner)}`, text: repo.owner },
      { href: repoPath(repo), text: repo.name },
      { href: `${repoPath(repo)}/${pull ? 'pulls' : 'issues'}`, text: pull ? 'Pull requests' : 'Issues' },
      { href: path, text: `#${issue.number}` },
    ],
    body: html`<h1>${issue.title} <span class="number">#${issue.number}</span></h1>
<p>${stateBadge(displayState(issue, pull))} ${headline(sandbox, repo, issue, pull)} · ${count} comment${count === 1 ? '' : 's'} ·
<a class="watch" href="${path}${options.watch ? '' : '?watch=1'}">${options.watch ? 'Stop watching' : 'Watch live'}</a></p>
<div class="layout">
<div>
${commentBox(sandbox, repo, { id: 'issue-body', author: issue.user, createdAt: issue.created_at, body: issue.body, reactions: reactionsFor(repo, { kind: 'issue', number: issue.number }), verb: 'opened' })}
${pull && filesSection(repo, pull)}
${conversation(sandbox, repo, issue)}
${issue.locked && html`<p class="notice notice-info">🔒 This conversation is locked${issue.active_lock_reason && html` as ${issue.active_lock_reason}`}: only collaborators with write access can comment.</p>`}
${commentForm(sandbox, repo, issue, options)}
</div>
${sidebar(sandbox, repo, issue, pull)}
</div>`,
  });
}
