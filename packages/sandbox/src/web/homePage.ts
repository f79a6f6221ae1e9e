/**
 * `/`: the repositories with their open issue and PR counts, and how to drive the sandbox (who
 * you can be, and the two curl lines that fire an alert and talk to firewatch as bob).
 */
import type { RepoRecord } from '../store.ts';
import { timeAgo } from './components.ts';
import { html, type SafeHtml } from './html.ts';
import { layout } from './layout.ts';
import { actingUsers, incidentRepo, issuesOf, permissionOn, repoPath, type WebSandbox } from './webSandbox.ts';

const ALERT_TOKEN = 'sandbox-alerts';
const EXAMPLE_ALERT = '{"title":"HighErrorRate","severity":"P2","service":"checkout"}';

function repoRow(sandbox: WebSandbox, repo: RepoRecord): SafeHtml {
  const openIssues = issuesOf(repo, 'issues').filter((i) => i.state === 'open').length;
  const openPulls = issuesOf(repo, 'pulls').filter((i) => i.state === 'open').length;
  return html`<li>
<a class="row-title" href="${repoPath(repo)}">${repo.owner}/${repo.name}</a>
${repo.private && html` <span class="association">Private</span>`}
${repo.description && html`<div>${repo.description}</div>`}
<div class="row-meta"><a href="${repoPath(repo)}/issues?state=open">${openIssues} open issue${openIssues === 1 ? '' : 's'}</a> ·
<a href="${repoPath(repo)}/pulls?state=open">${openPulls} open pull request${openPulls === 1 ? '' : 's'}</a> ·
updated ${timeAgo(repo.updated_at, sandbox.now())}</div>
</li>`;
}

/** The issue bob's `/help` goes to: the newest open incident, or the newest open issue. */
function helpTarget(repo: RepoRecord | undefined): number | undefined {
  if (!repo) return undefined;
  const open = issuesOf(repo, 'issues')
    .filter((i) => i.state === 'open')
    .sort((a, b) => b.number - a.number);
  return (open.find((i) => i.labels.includes('incident')) ?? open[0])?.number;
}

/** The app's own address, from where the sandbox delivers its webhooks (it runs on a port of its own). */
function appOrigin(sandbox: WebSandbox): string | undefined {
  const target = sandbox.webhookTarget();
  if (!target) return undefined;
  try {
    return new URL(target).origin;
  } catch {
    return undefined;
  }
}

function driveBox(sandbox: WebSandbox, owner?: string): SafeHtml {
  const repo = incidentRepo(sandbox.state);
  const users = actingUsers(sandbox.state);
  const target = helpTarget(repo);
  // The first alert becomes the repository's next issue number (nothing else is counted on).
  const next = repo?.nextNumber ?? 1;
  const repoName = repo ? `${repo.owner}/${repo.name}` : 'acme/shop';
  if (owner && repo && repo.owner.toLowerCase() !== owner.toLowerCase()) return html``;
  const app = appOrigin(sandbox);
  const alertCurl = `curl -sS -X POST "${app ?? 'http://127.0.0.1:${PORT:-3000}'}/alerts/generic" \\
  -H 'Authorization: Bearer ${ALERT_TOKEN}' \\
  -H 'Content-Type: application/json' \\
  -d '${EXAMPLE_ALERT}'`;
  const helpCurl = `curl -sS -X POST "${sandbox.apiUrl}/repos/${repoName}/issues/${target ?? next}/comments" \\
  -H 'Authorization: Bearer sandbox-bob' \\
  -H 'Content-Type: application/json' \\
  -d '{"body":"/help"}'`;
  return html`<section class="box" aria-labelledby="drive-heading">
<h2 id="drive-heading">How to drive this sandbox</h2>
<div class="box-body">
<p>This is an in-memory GitHub. firewatch talks to it exactly as it would talk to github.com: its REST API is at <code>${sandbox.apiUrl}</code>. Act as any of these people with their token, from curl, Octokit or the comment form on every issue page.</p>
<table>
<caption class="sr-only">Seeded users and their tokens</caption>
<thead><tr><th scope="col">User</th><th scope="col">Name</th><th scope="col">Permission on ${repoName}</th><th scope="col">Token</th></tr></thead>
<tbody>${users.map(
    (u) => html`<tr><th scope="row">${u.login}</th><td>${u.name ?? ''}</td><td>${permissionOn(repo, u.login)}</td><td><code>${u.token}</code></td></tr>`,
  )}</tbody>
</table>
<h3>1. Fire an alert at firewatch</h3>
<p>${app ? html`firewatch listens at <code>${app}</code> and turns` : html`Once firewatch runs against this sandbox (<code>npm start</code>), it turns`} it into an incident issue in <a href="${repo ? `${repoPath(repo)}/issues` : '/'}">${repoName}</a> within seconds${target === undefined && html`: issue #${next}`}.</p>
<pre><code>${alertCurl}</code></pre>
<h3>2. Comment <code>/help</code> as bob</h3>
<p>${target === undefined ? html`The alert above becomes issue #${next}; until then this comment has nothing to land on.` : html`Issue <a href="${repo ? `${repoPath(repo)}/issues/${target}` : '/'}">#${target}</a> is the newest open ${repo?.issues.get(target)?.labels.includes('incident') ? 'incident' : 'issue'}.`} firewatch replies with the commands it understands.</p>
<pre><code>${helpCurl}</code></pre>
<h3>Or take the guided tour</h3>
<p>A whole incident played here, step by step, with the page to look at after each one (it resets this sandbox first):</p>
<pre><code>npx firewatch demo</code></pre>
<p>Notifications firewatch sends to this sandbox land in <a href="/notifications">the notification inbox</a>.</p>
</div>
</section>`;
}

export function renderHomePage(sandbox: WebSandbox, owner?: string): SafeHtml {
  const repos = [...sandbox.state.repos.values()]
    .filter((r) => !owner || r.owner.toLowerCase() === owner.toLowerCase())
    .sort((a, b) => `${a.owner}/${a.name}`.localeCompare(`${b.owner}/${b.name}`));
  const owners = [...new Set(repos.map((r) => r.owner))];
  return layout({
    title: owner ?? 'Repositories',
    ...(owner ? { breadcrumbs: [{ href: `/${encodeURIComponent(owner)}`, text: owner }] } : {}),
    body: html`<h1>${owner ?? 'Repositories'}</h1>
${owners.length === 0 && html`<div class="box"><p class="empty">No repositories yet.</p></div>`}
${owners.map(
  (o) => html`<section class="box" aria-labelledby="owner-${o}">
<h2 id="owner-${o}">${o}</h2>
<ul class="rows">${repos.filter((r) => r.owner === o).map((r) => repoRow(sandbox, r))}</ul>
</section>`,
)}
${driveBox(sandbox, owner)}`,
  });
}
