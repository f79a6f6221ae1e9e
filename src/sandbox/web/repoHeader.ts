/**
 * The top of every repository page, as on GitHub: `owner/name`, its description, and the tabs
 * (Code, Issues, Pull requests, Deployments) with open counts, the current one marked.
 */
import type { RepoRecord } from '../store.ts';
import { html, type SafeHtml } from './html.ts';
import { issuesOf, repoPath } from './webSandbox.ts';

export type RepoTab = 'code' | 'issues' | 'pulls' | 'deployments';

export function repoBreadcrumbs(repo: RepoRecord): { href: string; text: string }[] {
  return [
    { href: `/${encodeURIComponent(repo.owner)}`, text: repo.owner },
    { href: repoPath(repo), text: repo.name },
  ];
}

export function repoHeader(repo: RepoRecord, current: RepoTab): SafeHtml {
  const openIssues = issuesOf(repo, 'issues').filter((i) => i.state === 'open').length;
  const openPulls = issuesOf(repo, 'pulls').filter((i) => i.state === 'open').length;
  const tab = (name: RepoTab, href: string, text: string, count?: number): SafeHtml =>
    html`<li><a href="${href}"${name === current ? html` aria-current="page"` : ''}>${text}${count !== undefined && html` <span class="association">${count}</span>`}</a></li>`;
  return html`<h1>${repo.owner}/${repo.name}${repo.private && html` <span class="association">Private</span>`}</h1>
${repo.description && html`<p class="muted">${repo.description}</p>`}
<nav aria-label="Repository"><ul class="tabs">
${tab('code', repoPath(repo), 'Code')}
${tab('issues', `${repoPath(repo)}/issues`, 'Issues', openIssues)}
${tab('pulls', `${repoPath(repo)}/pulls`, 'Pull requests', openPulls)}
${tab('deployments', `${repoPath(repo)}/deployments`, 'Deployments', repo.deployments.size)}
</ul></nav>`;
}
