/**
 * `/{owner}/{repo}/deployments`: each environment with what is live there now, and every
 * deployment, newest first, with its ref, commit, creator and the history of its statuses.
 */
import type { DeploymentRecord, DeploymentStatusRecord, RepoRecord } from '../store.ts';
import { timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { repoBreadcrumbs, repoHeader } from './repoHeader.ts';
import { commitPath, userPath, type WebSandbox } from './webSandbox.ts';

function latest(deployment: DeploymentRecord): DeploymentStatusRecord | undefined {
  return [...deployment.statuses].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id - b.id).at(-1);
}

/** Only http(s) URLs become links: a status's URLs come from whoever created it. */
function externalLink(url: string, text: string): SafeHtml {
  return /^https?:\/\//i.test(url) ? html`<a href="${url}" rel="nofollow noopener noreferrer">${text}</a>` : html``;
}

function stateChip(state: DeploymentStatusRecord['state'] | 'none'): SafeHtml {
  return html`<span class="deploy-state deploy-${state}">${state === 'none' ? 'no status' : state.replace('_', ' ')}</span>`;
}

function deploymentRow(sandbox: WebSandbox, repo: RepoRecord, deployment: DeploymentRecord): SafeHtml {
  const now = sandbox.now();
  const statuses = [...deployment.statuses].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const current = statuses[0];
  const commit = repo.git.commits.get(deployment.sha);
  return html`<li id="deployment-${deployment.id}">
${stateChip(current?.state ?? 'none')} <strong>${deployment.environment}</strong> · <code>${deployment.ref}</code> at
<a href="${commitPath(repo, deployment.sha)}"><code>${deployment.sha.slice(0, 7)}</code></a>${commit && html` ${commit.message.split('\n')[0] ?? ''}`}
<div class="row-meta">deployed by <a href="${userPath(deployment.creator)}">${deployment.creator}</a> ${timeAgo(deployment.created_at, now)}${deployment.task !== 'deploy' && html` · task ${deployment.task}`}${
    deployment.description && html` · ${deployment.description}`
  }${current?.environment_url && html` · ${externalLink(current.environment_url, 'View deployment')}`}</div>
${statuses.length > 0 &&
  html`<details><summary>${statuses.length} status${statuses.length === 1 ? '' : 'es'}</summary><ol class="deploy-statuses">${statuses.map(
    (s) => html`<li>${stateChip(s.state)} ${s.description && html`${s.description} · `}by ${s.creator} ${timeAgo(s.created_at, now)}${s.log_url && html` · ${externalLink(s.log_url, 'logs')}`}</li>`,
  )}</ol></details>`}
</li>`;
}

export function renderDeploymentsPage(sandbox: WebSandbox, repo: RepoRecord): SafeHtml {
  const deployments = [...repo.deployments.values()].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const environments = [...new Set(deployments.map((d) => d.environment))].sort();
  return layout({
    title: `Deployments · ${repo.owner}/${repo.name}`,
    breadcrumbs: repoBreadcrumbs(repo),
    body: html`${repoHeader(repo, 'deployments')}
<section class="box" aria-labelledby="environments-heading">
<h2 id="environments-heading">Environments</h2>
${environments.length === 0
  ? html`<p class="empty">No deployments yet.</p>`
  : html`<ul class="rows">${environments.map((environment) => {
      const live = deployments.find((d) => d.environment === environment && latest(d)?.state === 'success');
      return html`<li><strong>${environment}</strong> ${
        live ? html`· live: <a href="#deployment-${live.id}"><code>${live.sha.slice(0, 7)}</code></a> (${live.ref}) ${timeAgo(latest(live)?.created_at ?? live.created_at, sandbox.now())}` : html`<span class="muted">· nothing live</span>`
      }</li>`;
    })}</ul>`}
</section>
<section class="box" aria-labelledby="deployments-heading">
<h2 id="deployments-heading">Deployments <span class="association">${deployments.length}</span></h2>
${deployments.length > 0 && html`<ul class="rows">${deployments.map((d) => deploymentRow(sandbox, repo, d))}</ul>`}
</section>`,
  });
}
