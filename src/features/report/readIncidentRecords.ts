import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { parseStateBlock } from '../../domain/incidentState.ts';
import { INCIDENT_LABEL } from '../../domain/labels.ts';
import type { IncidentRecord } from '../../domain/metrics/incidentMetrics.ts';
import { listIssueComments, type ListCommentsOctokit } from '../../github/listIssueComments.ts';
import { listIssues, type ListIssuesOctokit } from '../../github/listIssues.ts';
import { labelNames, type RepoRef } from '../../github/types.ts';

export type ReadRecordsOctokit = ListIssuesOctokit & ListCommentsOctokit;

function isBot(user: { login: string; type?: string } | null | undefined): boolean {
  return user !== null && user !== undefined && (user.type === 'Bot' || user.login.endsWith('[bot]'));
}

/**
 * Incident issues of `repo` triggered since `since`, with what their comments say about suspects.
 * Issues updated before `since` cannot have been triggered after it, so the list asks GitHub only
 * for those; comments are read only for incidents in the period. Issues without a valid state
 * block are skipped: they are not incidents firewatch can measure.
 */
export async function readIncidentRecords(octokit: ReadRecordsOctokit, repo: RepoRef, since: Date, options: { trustedActors?: ReadonlySet<string> } = {}): Promise<IncidentRecord[]> {
  const issues = await listIssues(octokit, repo, { state: 'all', labels: INCIDENT_LABEL, since });
  const records: IncidentRecord[] = [];
  for (const issue of issues) {
    const state = parseStateBlock(issue.body);
    if (!state || Date.parse(state.triggeredAt) < since.getTime()) continue;
    const comments = await listIssueComments(octokit, repo, issue.number);
    // A suspects block pasted by a person is not correlation's verdict.
    const hasSuspects = comments.some(
      (comment) => (isBot(comment.user) || (comment.user && options.trustedActors?.has(comment.user.login.toLowerCase()))) && parseSuspectsBlock(comment.body)?.verdict === 'suspects',
    );
    records.push({ repo: `${repo.owner}/${repo.repo}`, number: issue.number, url: issue.html_url, labels: labelNames(issue.labels), state, hasSuspects });
  }
  return records;
}
