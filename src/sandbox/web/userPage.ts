/**
 * `/{login}`: a person's profile, where `@login` mentions and author names link: who they are,
 * their permission on each repository, and the issues and pull requests they opened or are
 * assigned to.
 */
import type { SandboxUser } from '../store.ts';
import { displayState, stateBadge, timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { issuePath, permissionOn, repoPath, userPath, type WebSandbox } from './webSandbox.ts';

const MAX_ITEMS = 30;

export function renderUserPage(sandbox: WebSandbox, user: SandboxUser): SafeHtml {
  const repos = [...sandbox.state.repos.values()].sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
  const items = repos
    .flatMap((repo) => [...repo.issues.values()].filter((i) => i.user === user.login || i.assignees.includes(user.login)).map((issue) => ({ repo, issue })))
    .sort((a, b) => b.issue.updated_at.localeCompare(a.issue.updated_at));
  const now = sandbox.now();
  return layout({
    title: user.login,
    breadcrumbs: [{ href: userPath(user.login), text: user.login }],
    body: html`<h1>${user.name ?? user.login} ${user.name && html`<span class="number">${user.login}</span>`}</h1>
<p class="muted">${user.type === 'Bot' ? 'A GitHub App’s bot account' : user.type === 'Organization' ? 'Organization' : 'User'}${user.email && html` · ${user.email}`}</p>
<section class="box" aria-labelledby="access-heading">
<h2 id="access-heading">Repositories</h2>
<table><caption class="sr-only">Permission on each repository</caption><thead><tr><th scope="col">Repository</th><th scope="col">Permission</th></tr></thead>
<tbody>${repos.map((repo) => html`<tr><th scope="row"><a href="${repoPath(repo)}">${repo.owner}/${repo.name}</a></th><td>${user.type === 'Bot' ? 'app installation' : permissionOn(repo, user.login)}</td></tr>`)}</tbody></table>
</section>
<section class="box" aria-labelledby="activity-heading">
<h2 id="activity-heading">Issues and pull requests</h2>
${items.length === 0
  ? html`<p class="empty">${user.login} has not opened or been assigned anything.</p>`
  : html`<ul class="rows">${items.slice(0, MAX_ITEMS).map(
      ({ repo, issue }) => html`<li>${stateBadge(displayState(issue, repo.pulls.get(issue.number)), true)} <a class="row-title" href="${issuePath(repo, issue)}">${issue.title}</a>
<div class="row-meta">${repo.owner}/${repo.name}#${issue.number} · ${issue.user === user.login ? 'opened' : 'assigned'} · updated ${timeAgo(issue.updated_at, now)}</div></li>`,
    )}</ul>`}
</section>`,
  });
}
