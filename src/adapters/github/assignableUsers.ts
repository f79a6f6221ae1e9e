import { httpStatus, type OctokitWith, type RepoRef, type RestIssues } from './types.ts';

/**
 * Splits logins into those GitHub will accept as assignees on the repository and those it
 * would reject (creating an issue with one of the latter fails as a whole).
 */
export async function assignableUsers(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'checkUserCanBeAssigned'> }>,
  repo: RepoRef,
  logins: readonly string[],
): Promise<{ assignable: string[]; rejected: string[] }> {
  const assignable: string[] = [];
  const rejected: string[] = [];
  for (const login of new Set(logins)) {
    try {
      await octokit.rest.issues.checkUserCanBeAssigned({ owner: repo.owner, repo: repo.repo, assignee: login });
      assignable.push(login);
    } catch (error) {
      if (httpStatus(error) !== 404) throw error;
      rejected.push(login);
    }
  }
  return { assignable, rejected };
}
