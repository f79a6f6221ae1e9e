import type { ProbotOctokit } from 'probot';
import type { RepoRef } from '../github/types.ts';
import type { WrittenIssue } from '../../features/metrics/incidentMetricsTask.ts';

/** What the app wrote to issues, as GitHub answered each write. */
export interface IssueWrites {
  issue(repo: RepoRef, issue: WrittenIssue): void;
  comment(repo: RepoRef, issueNumber: number, body: string): void;
  /** A listener threw: logged by the caller; the write itself succeeded. */
  failed?(error: unknown): void;
}

/** Routes (or paths) whose answer is the whole issue, or the whole comment. */
const ISSUE_WRITES: { method: string; path: RegExp; kind: 'issue' | 'comment' }[] = [
  { method: 'POST', path: /^\/repos\/[^/]+\/[^/]+\/issues$/, kind: 'issue' },
  { method: 'PATCH', path: /^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+$/, kind: 'issue' },
  { method: 'POST', path: /^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+\/comments$/, kind: 'comment' },
  { method: 'PATCH', path: /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/[^/]+$/, kind: 'comment' },
];
const REPOSITORY_URL = /\/repos\/([^/]+)\/([^/]+)$/;
const ISSUE_URL = /\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/;

function repoOf(owner: string | undefined, repo: string | undefined): RepoRef | undefined {
  return owner && repo ? { owner: decodeURIComponent(owner), repo: decodeURIComponent(repo) } : undefined;
}

function writtenIssue(data: unknown): { repo: RepoRef; issue: WrittenIssue } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const issue = data as Partial<WrittenIssue> & { repository_url?: unknown };
  const match = typeof issue.repository_url === 'string' ? REPOSITORY_URL.exec(issue.repository_url) : null;
  const repo = repoOf(match?.[1], match?.[2]);
  if (!repo || typeof issue.number !== 'number' || !Array.isArray(issue.labels) || typeof issue.updated_at !== 'string' || typeof issue.html_url !== 'string') return undefined;
  return { repo, issue: issue as WrittenIssue };
}

function writtenComment(data: unknown): { repo: RepoRef; issueNumber: number; body: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const comment = data as { issue_url?: unknown; body?: unknown };
  const match = typeof comment.issue_url === 'string' ? ISSUE_URL.exec(comment.issue_url) : null;
  const repo = repoOf(match?.[1], match?.[2]);
  if (!repo || typeof comment.body !== 'string') return undefined;
  return { repo, issueNumber: Number(match?.[3]), body: comment.body };
}

/**
 * Tells `listener` about every issue and issue comment the app creates or updates, as GitHub
 * answered the write, so what is derived from incident issues (the incident figures of `/metrics`)
 * follows firewatch's own changes at once instead of at the next read. A listener that throws
 * never fails the request.
 */
export function octokitIssueWrites(listener: IssueWrites) {
  return function firewatchIssueWritesPlugin(octokit: Pick<InstanceType<typeof ProbotOctokit>, 'hook'>) {
    octokit.hook.after('request', (response, options) => {
      const method = String(options.method ?? '').toUpperCase();
      if (method !== 'POST' && method !== 'PATCH') return;
      const path = String(options.url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/^\/api\/v3(?=\/)/, '').split('?')[0] ?? '';
      const write = ISSUE_WRITES.find((candidate) => candidate.method === method && candidate.path.test(path));
      try {
        if (write?.kind === 'issue') {
          const written = writtenIssue(response.data);
          if (written) listener.issue(written.repo, written.issue);
        } else if (write?.kind === 'comment') {
          const written = writtenComment(response.data);
          if (written) listener.comment(written.repo, written.issueNumber, written.body);
        }
      } catch (error) {
        listener.failed?.(error);
      }
    });
    return {};
  };
}
