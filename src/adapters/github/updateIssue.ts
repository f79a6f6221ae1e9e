import { truncateBody } from '../../domain/text/markdown.ts';
import type { IssueData, OctokitWith, RepoRef, RestIssues } from './types.ts';

/** Rewrites fields of an issue (only those given). */
export async function updateIssue(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'update'> }>,
  repo: RepoRef,
  issueNumber: number,
  changes: { title?: string; body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' | 'reopened'; labels?: string[]; assignees?: string[] },
): Promise<IssueData> {
  const { data } = await octokit.rest.issues.update({
    owner: repo.owner,
    repo: repo.repo,
    issue_number: issueNumber,
    ...changes,
    ...(changes.body !== undefined ? { body: truncateBody(changes.body) } : {}),
  });
  return data;
}
