import { httpStatus, type IssueData, type OctokitWith, type RepoRef, type RestIssues } from './types.ts';

/** An issue, or `undefined` when it no longer exists (deleted, transferred). */
export async function getIssue(octokit: OctokitWith<{ issues: Pick<RestIssues, 'get'> }>, repo: RepoRef, issueNumber: number): Promise<IssueData | undefined> {
  try {
    const { data } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber });
    return data;
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404 || status === 410 || status === 301) return undefined;
    throw error;
  }
}
