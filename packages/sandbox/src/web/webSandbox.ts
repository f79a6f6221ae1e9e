/**
 * What the pages read from the sandbox, and the URLs they link to. Pages take this narrow view
 * (not the whole SandboxApi) so they render from a hand-built state in tests.
 */
import type { IssueRecord, Permission, RepoRecord, SandboxState, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';

export type WebSandbox = Pick<SandboxApi, 'state' | 'url' | 'apiUrl' | 'now'>;

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
