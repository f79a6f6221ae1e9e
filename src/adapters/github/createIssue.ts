import { truncateBody } from '../../domain/text/markdown.ts';
import type { IssueData, OctokitWith, RepoRef, RestIssues } from './types.ts';

export interface NewIssue {
  title: string;
  body: string;
  labels?: string[];
  assignees?: string[];
}

/** Opens an issue; the body is cut to GitHub's limit if it must be. */
export async function createIssue(octokit: OctokitWith<{ issues: Pick<RestIssues, 'create'> }>, repo: RepoRef, issue: NewIssue): Promise<IssueData> {
  const { data } = await octokit.rest.issues.create({
    owner: repo.owner,
    repo: repo.repo,
    title: issue.title,
    body: truncateBody(issue.body),
    ...(issue.labels?.length ? { labels: issue.labels } : {}),
    ...(issue.assignees?.length ? { assignees: issue.assignees } : {}),
  });
  return data;
}
