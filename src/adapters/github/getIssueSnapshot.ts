import { z } from 'zod';
import type { IssueSnapshot } from '../../domain/incident/planIssueUpdate.ts';
import type { OctokitWith, RepoRef, RestIssues } from './types.ts';

const issueSchema = z.object({
  number: z.number().int().positive(),
  html_url: z.string(),
  title: z.string(),
  body: z.string().nullish(),
  state: z.enum(['open', 'closed']),
  labels: z.array(z.union([z.string(), z.object({ name: z.string().nullish() })])).default([]),
  assignees: z.array(z.object({ login: z.string() }).nullable()).nullish(),
  pull_request: z.unknown().optional(),
});

export type IssueWithSnapshot = IssueSnapshot & { number: number; html_url: string; isPullRequest: boolean };

/** The issue as it is now, with the fields a plan is diffed against, checked rather than trusted. */
export async function getIssueSnapshot(octokit: OctokitWith<{ issues: Pick<RestIssues, 'get'> }>, repo: RepoRef, issueNumber: number): Promise<IssueWithSnapshot> {
  const { data } = await octokit.rest.issues.get({ owner: repo.owner, repo: repo.repo, issue_number: issueNumber });
  const issue = issueSchema.parse(data);
  return {
    number: issue.number,
    html_url: issue.html_url,
    title: issue.title,
    body: issue.body ?? null,
    state: issue.state,
    labels: issue.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter(Boolean),
    assignees: (issue.assignees ?? []).flatMap((user) => (user ? [user.login] : [])),
    isPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
  };
}
