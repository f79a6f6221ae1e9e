import type { OctokitWith, Params, RepoRef } from './types.ts';

export interface RestAddLabels {
  addLabels(params: RepoRef & { issue_number: number; labels: string[] } & Params): Promise<unknown>;
}

/** Adds labels to an issue, keeping the others; GitHub creates labels that do not exist yet. */
export async function addLabels(octokit: OctokitWith<{ issues: RestAddLabels }>, repo: RepoRef, issueNumber: number, labels: string[]): Promise<void> {
  if (labels.length === 0) return;
  await octokit.rest.issues.addLabels({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber, labels });
}
