import type { ProbotOctokit } from 'probot';
import type { RepoRef } from '../github/types.ts';
import type { WrittenIssue } from './incidentMetricsTask.ts';

export type IssueWritten = (repo: RepoRef, issue: WrittenIssue) => void;

/** `POST /repos/{owner}/{repo}/issues` and `PATCH /repos/{owner}/{repo}/issues/{issue_number}` (as a route or a path): GitHub answers with the whole issue. */
const CREATE = /^\/repos\/[^/]+\/[^/]+\/issues$/;
const UPDATE = /^\/repos\/[^/]+\/[^/]+\/issues\/[^/]+$/;
const REPOSITORY_URL = /\/repos\/([^/]+)\/([^/]+)$/;

function writtenIssue(data: unknown): { repo: RepoRef; issue: WrittenIssue } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const issue = data as Partial<WrittenIssue> & { repository_url?: unknown };
  const match = typeof issue.repository_url === 'string' ? REPOSITORY_URL.exec(issue.repository_url) : null;
  if (!match?.[1] || !match[2] || typeof issue.number !== 'number' || !Array.isArray(issue.labels) || typeof issue.updated_at !== 'string' || typeof issue.html_url !== 'string') return undefined;
  return { repo: { owner: decodeURIComponent(match[1]), repo: decodeURIComponent(match[2]) }, issue: issue as WrittenIssue };
}

/**
 * Tells `onIssue` about every issue the app creates or updates, as GitHub answered the write, so
 * what is derived from incident issues (the incident figures of `/metrics`) follows firewatch's own
 * changes at once instead of at the next read. A listener that throws never fails the request.
 */
export function octokitIssueWrites(onIssue: IssueWritten, onError: (error: unknown) => void = () => {}) {
  return function firewatchIssueWritesPlugin(octokit: Pick<InstanceType<typeof ProbotOctokit>, 'hook'>) {
    octokit.hook.after('request', (response, options) => {
      const method = String(options.method ?? '').toUpperCase();
      if (method !== 'POST' && method !== 'PATCH') return;
      const path = String(options.url ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/^\/api\/v3(?=\/)/, '').split('?')[0] ?? '';
      if (!(method === 'POST' ? CREATE : UPDATE).test(path)) return;
      const written = writtenIssue(response.data);
      if (!written) return;
      try {
        onIssue(written.repo, written.issue);
      } catch (error) {
        onError(error);
      }
    });
    return {};
  };
}
