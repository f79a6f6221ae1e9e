/**
 * What the pages read from the sandbox, and the URLs they link to. Pages take this narrow view
 * (not the whole SandboxApi) so they render from a hand-built state in tests.
 */
import { repoKey, type IssueRecord, type Permission, type RepoRecord, type SandboxState, type SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import type { References } from './markdown.ts';

export type WebSandbox = Pick<SandboxApi, 'state' | 'url' | 'apiUrl' | 'now' | 'webhookTarget' | 'notifications'>;

function segment(text: string): string {
  return encodeURIComponent(text);
}

export function repoPath(repo: RepoRecord): string {
  return `/${segment(repo.owner)}/${segment(repo.name)}`;
}

export function issuePath(repo: RepoRecord, issue: Pick<IssueRecord, 'number' | 'isPullRequest'>): string {
  return `${repoPath(repo)}/${issue.isPullRequest ? 'pull' : 'issues'}/${issue.number}`;
}

/** Seeded people a visitor may act as: users with a personal token (not the app's bot). */
export function actingUsers(state: SandboxState): SandboxUser[] {
  return [...state.users.values()].filter((u) => u.type === 'User' && typeof u.token === 'string' && u.token !== '');
}

export function permissionOn(repo: RepoRecord | undefined, login: string): Permission {
  if (!repo) return 'none';
  return repo.collaborators.get(login) ?? (repo.private ? 'none' : 'read');
}

/** Where alerts without a route land (`acme/shop` in the seed). */
export function incidentRepo(state: SandboxState): RepoRecord | undefined {
  const account = state.installation.account.toLowerCase();
  const repos = [...state.repos.values()];
  return repos.find((r) => r.owner.toLowerCase() === account && r.name === 'shop') ?? repos.find((r) => r.owner.toLowerCase() === account) ?? repos[0];
}

export function issuesOf(repo: RepoRecord, kind: 'issues' | 'pulls'): IssueRecord[] {
  return [...repo.issues.values()].filter((i) => i.isPullRequest === (kind === 'pulls'));
}

export function commentCount(repo: RepoRecord, number: number): number {
  let n = 0;
  for (const c of repo.comments.values()) if (c.issueNumber === number) n++;
  return n;
}

export function userPath(login: string): string {
  return `/${segment(login)}`;
}

/** `/{owner}/{repo}/{kind}/{ref}/{path}` with each path segment encoded. */
export function gitPath(repo: RepoRecord, kind: 'tree' | 'blob' | 'raw' | 'commits', ref: string, path = ''): string {
  const rest = [ref, ...path.split('/').filter((s) => s !== '')].map(segment).join('/');
  return `${repoPath(repo)}/${kind}/${rest}`;
}

export function commitPath(repo: RepoRecord, sha: string): string {
  return `${repoPath(repo)}/commit/${sha}`;
}

/** How `#123`, `owner/repo#123` and `@login` in this repository's text link, as on GitHub: only to what exists. */
export function referencesFor(sandbox: WebSandbox, repo: RepoRecord): References {
  return {
    repo: { owner: repo.owner, name: repo.name },
    issue: (owner, name, number) => {
      const target = sandbox.state.repos.get(repoKey(owner, name));
      const issue = target?.issues.get(number);
      // A private repository's titles are not shown outside it.
      if (!target || !issue || (target.private && target !== repo)) return undefined;
      return { href: issuePath(target, issue), title: issue.title };
    },
    user: (login) => {
      const user = [...sandbox.state.users.values()].find((u) => u.login.toLowerCase() === login.toLowerCase());
      return user ? userPath(user.login) : undefined;
    },
  };
}
