import { ownComments, type Identity } from '../../services/identity.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { parseEventMarker } from '../../domain/text/eventMarker.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { INCIDENT_LABEL } from '../../domain/incident/labels.ts';
import type { CommentFacts, IncidentFacts } from '../../domain/sweep/planIncidentReminders.ts';
import { settledReminders } from '../../domain/sweep/reminderMarker.ts';
import { listIssueComments, type ListCommentsOctokit, type ListedComment } from '../../adapters/github/listIssueComments.ts';
import { listIssues, type ListedIssue, type ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import { labelNames, type RepoRef } from '../../adapters/github/types.ts';
import type { SweepMemory } from './sweepMemory.ts';
import { stateScope, UNSEALED, type StateScope, type StateSeal } from '../../domain/incident/stateSeal.ts';

export function toIncidentFacts(issue: ListedIssue, scope?: StateScope): IncidentFacts | null {
  const state = readIncidentState(issue.body, scope ?? stateScope(UNSEALED, { owner: '', repo: '' })).state;
  if (!state) return null;
  return {
    number: issue.number,
    title: issue.title,
    url: issue.html_url,
    open: issue.state === 'open',
    labels: labelNames(issue.labels),
    assignees: (issue.assignees ?? []).map((assignee) => assignee.login),
    updatedAt: issue.updated_at,
    state,
  };
}

/**
 * The incidents a sweep looks at, in two list requests whatever their number (below 100 each):
 * every open incident, and those closed issues updated since `closedSince` (resolution updates
 * the issue, so recently resolved incidents are all there).
 */
export async function readIncidents(octokit: ListIssuesOctokit, repo: RepoRef, closedSince: Date, stateSeal: StateSeal = UNSEALED): Promise<IncidentFacts[]> {
  const scope = stateScope(stateSeal, repo);
  const open = await listIssues(octokit, repo, { state: 'open', labels: INCIDENT_LABEL });
  const closed = await listIssues(octokit, repo, { state: 'closed', labels: INCIDENT_LABEL, since: closedSince });
  return [...open, ...closed].flatMap((issue) => toIncidentFacts(issue, scope) ?? []);
}

/**
 * Reminders posted (markers on firewatch's own comments, `identity`; a person or another app
 * pasting one is not trusted), whether correlation named suspects, and the
 * postmortem draft: a `postmortem…` event marker of ours, or anyone's link to a pull request in
 * the postmortems repository.
 */
export function commentFactsOf(comments: readonly ListedComment[], postmortemsRepo: RepoRef, identity: Identity): CommentFacts {
  const ours = ownComments(comments, identity);
  let draft = false;
  let draftUrl: string | null = null;
  let reviewed = false;
  let suspects = false;
  for (const comment of comments) {
    const body = comment.body ?? '';
    const ours = identity.isOwnActor(comment.user);
    // A suspects block pasted by a person is not correlation's verdict.
    if (ours && parseSuspectsBlock(body)?.verdict === 'suspects') suspects = true;
    const marker = ours ? parseEventMarker(body) : null;
    if (marker && /^postmortem-reviewed$/.test(marker.type)) reviewed = true;
    const link = pullRequestLink(body, postmortemsRepo);
    if ((marker && /^postmortem/.test(marker.type) && marker.type !== 'postmortem-reminder') || link) {
      draft = true;
      draftUrl = link ?? draftUrl;
    }
  }
  return { reminders: settledReminders(ours.map((comment) => comment.body)), postmortem: draft ? { url: draftUrl, reviewed } : null, suspects };
}

const MAX_LINK_PREFIX = 2_048;

/**
 * The first `http(s)://…/OWNER/REPO/pull/N` in a comment anyone may write. Found from the fixed
 * `/OWNER/REPO/pull/` part outwards: a pattern starting at `https?://[^\s)]+` is retried at every
 * `http` of a long run of them (100,000 characters of `https://` took seconds).
 */
function pullRequestLink(body: string, repo: RepoRef): string | null {
  const lower = body.toLowerCase();
  const path = `/${repo.owner}/${repo.repo}/pull/`.toLowerCase();
  for (let at = lower.indexOf(path); at !== -1; at = lower.indexOf(path, at + 1)) {
    let end = at + path.length;
    while (end < body.length && (body[end] ?? '') >= '0' && (body[end] ?? '') <= '9') end++;
    if (end === at + path.length) continue;
    // Back to the start of the word (no whitespace or `)`), then its first `http://` or `https://`.
    // Links are short: looking back a bounded way keeps many repeated paths linear too.
    let start = at;
    while (start > 0 && at - start < MAX_LINK_PREFIX && !/[\s)]/.test(body[start - 1] ?? '')) start--;
    const word = lower.slice(start, at);
    const scheme = [word.indexOf('https://'), word.indexOf('http://')].filter((index) => index !== -1);
    if (!scheme.length) continue;
    const first = Math.min(...scheme);
    const hostStart = first + (word.startsWith('https://', first) ? 8 : 7);
    if (hostStart >= word.length) continue;
    return body.slice(start + first, end);
  }
  return null;
}

/** Comment facts of an incident: from memory when the issue has not changed, else one more request. */
export async function readCommentFacts(
  octokit: ListCommentsOctokit,
  repo: RepoRef,
  incident: IncidentFacts,
  postmortemsRepo: RepoRef,
  memory: SweepMemory | undefined,
  identity: Identity,
): Promise<CommentFacts> {
  const key = `${repo.owner}/${repo.repo}#${incident.number}`.toLowerCase();
  const known = memory?.commentFacts(key, incident.updatedAt);
  if (known) return known;
  const facts = commentFactsOf(await listIssueComments(octokit, repo, incident.number), postmortemsRepo, identity);
  memory?.rememberComments(key, incident.updatedAt, facts);
  return facts;
}
