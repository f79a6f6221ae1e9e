import type { Identity } from '../../services/identity.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { INCIDENT_LABEL } from '../../domain/incident/labels.ts';
import type { IncidentRecord } from '../../domain/metrics/incidentMetrics.ts';
import { listIssueComments, type ListCommentsOctokit, type ListedComment } from '../../adapters/github/listIssueComments.ts';
import { firstCommentsOf, type FirstComments } from '../../adapters/github/firstComments.ts';
import type { GraphqlClient } from '../../adapters/github/fetchChanges.ts';
import { listIssues, type ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import { labelNames, type RepoRef } from '../../adapters/github/types.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

/** With `graphql`, the comments of 50 incidents come in one query; without, one REST request each. */
export type ReadRecordsOctokit = ListIssuesOctokit & ListCommentsOctokit & Partial<GraphqlClient>;

/** What was read of each incident's comments, by issue number, with the issue's `updated_at` then. Kept by the caller between reads. */
export type CommentVerdictCache = Map<number, { updatedAt: string; hasSuspects: boolean }>;

export interface ReadRecordsOptions {
  /** Who firewatch is: only its own suspects comments are correlation's verdict. */
  identity: Identity;
  /** Filled and reused by this read; entries of issues no longer measured are dropped. */
  cache?: CommentVerdictCache;
  /** Verifies incident state blocks; default: no key (unsealed). */
  stateSeal?: StateSeal;
  /** Called after each incident of the period was read (`done` of `total`), for progress on long reads. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Incident issues of `repo` triggered since `since`, with what their comments say about suspects.
 * Issues updated before `since` cannot have been triggered after it, so the list asks GitHub only
 * for those; comments are read only for incidents in the period. Issues without a valid state
 * block are skipped: they are not incidents firewatch can measure. The suspects comment is among
 * an incident's first comments (correlation posts it right after filing), so with GraphQL the
 * first comments of 50 incidents come in one query, and only an incident whose first comments
 * hold no verdict while it has more is read whole by REST. With a `cache`, an issue whose
 * `updated_at` is unchanged (a new comment changes it) is not read again.
 */
export async function readIncidentRecords(octokit: ReadRecordsOctokit, repo: RepoRef, since: Date, options: ReadRecordsOptions): Promise<IncidentRecord[]> {
  const issues = await listIssues(octokit, repo, { state: 'all', labels: INCIDENT_LABEL, since });
  const records: IncidentRecord[] = [];
  const { cache } = options;
  const scope = stateScope(options.stateSeal ?? UNSEALED, repo);
  const inPeriod = issues.flatMap((issue) => {
    const state = readIncidentState(issue.body, scope).state;
    return state && Date.parse(state.triggeredAt) >= since.getTime() ? [{ issue, state }] : [];
  });
  // A suspects block pasted by a person is not correlation's verdict.
  const ownSuspects = (comments: readonly Pick<ListedComment, 'body' | 'user'>[]) =>
    comments.some((comment) => options.identity.isOwnActor(comment.user) && parseSuspectsBlock(comment.body)?.verdict === 'suspects');
  const unchanged = (issue: { number: number; updated_at: string }) => cache?.get(issue.number)?.updatedAt === issue.updated_at;
  const toRead = inPeriod.filter(({ issue }) => !unchanged(issue)).map(({ issue }) => issue.number);
  const first: Map<number, FirstComments> = typeof octokit.graphql === 'function' && toRead.length > 0 ? (await firstCommentsOf({ graphql: octokit.graphql }, repo, toRead)).found : new Map();
  for (const { issue, state } of inPeriod) {
    const cached = cache?.get(issue.number);
    let hasSuspects: boolean;
    if (cached && unchanged(issue)) hasSuspects = cached.hasSuspects;
    else {
      const early = first.get(issue.number);
      hasSuspects = early && (early.complete || ownSuspects(early.comments)) ? ownSuspects(early.comments) : ownSuspects(await listIssueComments(octokit, repo, issue.number));
      cache?.set(issue.number, { updatedAt: issue.updated_at, hasSuspects });
    }
    records.push({ repo: `${repo.owner}/${repo.repo}`, number: issue.number, url: issue.html_url, labels: labelNames(issue.labels), state, hasSuspects });
    options.onProgress?.(records.length, inPeriod.length);
  }
  if (cache) {
    const measured = new Set(records.map((record) => record.number));
    for (const number of cache.keys()) if (!measured.has(number)) cache.delete(number);
  }
  return records;
}
