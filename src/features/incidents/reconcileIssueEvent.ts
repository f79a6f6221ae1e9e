import type { Identity } from '../../services/identity.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import { parseFollowupMarker } from '../../domain/text/followupMarker.ts';
import { readIncidentState, type TimelineEntry } from '../../domain/incident/incidentState.ts';
import { readLabels } from '../../domain/incident/labels.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { reconcileIssueChange, type IssueChange } from '../../domain/incident/reconcileIssueChange.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import type { OctokitWith, RepoRef, RestIssues, RestRepos } from '../../adapters/github/types.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import { autoDraftPostmortem } from '../postmortem/postmortem.ts';
import { tickFollowup } from '../commands/tickFollowup.ts';
import type { Log } from '../../services/log.ts';
import { writeIncident } from './writeIncident.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

export type ReconcileOctokit = OctokitWith<{ issues: Pick<RestIssues, 'get' | 'update' | 'createComment'>; repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'> }>;

/** The facts of an `issues.labeled|unlabeled|closed|reopened` delivery. */
export interface IssueEvent {
  action: 'labeled' | 'unlabeled' | 'closed' | 'reopened';
  repo: RepoRef;
  issue: { number: number; body: string | null; labels: string[]; stateReason: string | null };
  /** The label added or removed, for `labeled`/`unlabeled`. */
  label?: string;
  sender: { login: string; type: string };
}

export interface ReconcileResult {
  outcome: 'skipped' | 'unchanged' | 'reconciled' | 'followup';
  why?: string;
}

export interface ReconcileOptions<O extends ReconcileOctokit> {
  octokit: O;
  event: IssueEvent;
  loadConfig: (octokit: O, repo: RepoRef) => Promise<ConfigResult>;
  clock: Clock;
  log: Log;
  render?: Render;
  /** Verifies and seals the incident's state block; default: no key (unsealed). */
  stateSeal?: StateSeal;
  /** Who firewatch is: only its own changes are echoes to skip; another app's go through the permission check like a person's. */
  identity: Identity;
}

function isContractLabel(name: string | undefined): boolean {
  if (!name) return false;
  const read = readLabels([name]);
  return read.severities.length > 0 || read.statuses.length > 0;
}

/**
 * A change made by hand in GitHub's UI (a severity or status label swapped, the issue closed or
 * reopened) is folded into the incident: recorded in the timeline through the state machine,
 * labels that disagree put right, and one comment saying what was recorded. Events caused by
 * firewatch itself (its own identity, not any bot) are ignored, so our own label writes never loop. A closed
 * or reopened follow-up issue ticks its box in its incident instead. An incident resolved by hand
 * gets its postmortem drafted as `/resolve` would (config rules, `/postmortem skip` respected).
 * The person must be allowed to make the change as a command (closing needs what `/resolve`
 * needs): otherwise it is put back, with one comment saying why.
 */
export async function reconcileIssueEvent<O extends ReconcileOctokit>(options: ReconcileOptions<O>): Promise<ReconcileResult> {
  const { octokit, event, clock, log } = options;
  const scope = stateScope(options.stateSeal ?? UNSEALED, event.repo);
  if (options.identity.isOwnActor(event.sender)) return { outcome: 'skipped', why: 'own change' };

  const followup = parseFollowupMarker(event.issue.body);
  if (followup && (event.action === 'closed' || event.action === 'reopened')) {
    const config = await options.loadConfig(octokit, event.repo);
    await tickFollowup({ octokit, followup, issue: { repo: event.repo, number: event.issue.number }, done: event.action === 'closed', actor: event.sender.login, now: clock(), timezone: config.config.timezone, log, ...(options.stateSeal ? { stateSeal: options.stateSeal } : {}), ...(options.render ? { render: options.render } : {}) });
    return { outcome: 'followup' };
  }
  if (!readIncidentState(event.issue.body, scope).state) return { outcome: 'skipped', why: 'not an incident (or its state block is not firewatch\'s)' };
  if ((event.action === 'labeled' || event.action === 'unlabeled') && !isContractLabel(event.label)) return { outcome: 'skipped', why: 'not a contract label' };

  const config = (await options.loadConfig(octokit, event.repo)).config;
  // The issue now, not as the payload saw it: a swap in the UI sends `unlabeled` and `labeled`.
  const issue = await getIssueSnapshot(octokit, event.repo, event.issue.number);
  const state = readIncidentState(issue.body, scope).state;
  if (!state) return { outcome: 'skipped', why: 'state block gone' };

  let change: IssueChange;
  if (event.action === 'closed') {
    if (issue.state !== 'closed') return { outcome: 'unchanged', why: 'reopened since' };
    change = { kind: 'closed', reason: event.issue.stateReason === 'not_planned' ? 'not_planned' : 'completed' };
  } else if (event.action === 'reopened') {
    if (issue.state !== 'open') return { outcome: 'unchanged', why: 'closed since' };
    change = { kind: 'reopened' };
  } else {
    change = { kind: 'labels', labels: issue.labels, ...(event.action === 'labeled' && event.label ? { added: event.label } : {}) };
  }

  const now = clock();
  // Who did it may do no more by hand than by command: the same permission table, failing closed.
  const permission = await getPermission(octokit, event.repo, event.sender.login);
  const result = reconcileIssueChange(state, change, { actor: event.sender.login, now, via: 'github', timezone: config.timezone }, { permission, overrides: config.commands.permissions });
  // Resolved by hand (closed as completed, or the status label swapped): the same postmortem rules as `/resolve`.
  const drafted =
    state.status !== 'resolved' && result.state.status === 'resolved'
      ? await autoDraftPostmortem(octokit, { incident: { ...event.repo, number: issue.number }, config, state: result.state, labels: issue.labels, now, log, identity: options.identity })
      : null;
  if (drafted?.recorded) {
    const entry: TimelineEntry = { at: now.toISOString(), type: 'postmortem', actor: event.sender.login, text: drafted.recorded, markdown: true };
    result.state = { ...result.state, timeline: [...result.state.timeline, entry] };
    result.entries.push(entry);
  }
  const written = await writeIncident(octokit, event.repo, issue, { state: result.state, assign: result.assign }, { timezone: config.timezone, scope, ...(options.render ? { render: options.render } : {}) });
  if (result.messages.length === 0 && result.entries.length === 0) {
    return { outcome: Object.keys(written).length ? 'reconciled' : 'unchanged' };
  }
  const heading = result.refused && result.entries.length === 0 ? `↩️ Put back a change ${escapeInline(`@${event.sender.login}`)} made in GitHub:` : `📝 Recorded a change ${escapeInline(`@${event.sender.login}`)} made in GitHub:`;
  const text = [heading, '', ...result.messages.map((message) => `- ${message}`), ...(drafted ? ['', drafted.reply] : [])].join('\n');
  await createComment(
    octokit,
    event.repo,
    issue.number,
    text,
    renderEventMarker({ type: 'github-change', at: now.toISOString(), actor: event.sender.login, incident: state.id, ...(result.entries.length ? { entries: result.entries } : {}) }),
  );
  if (result.refused) log.info({ incident: state.id, action: event.action, actor: event.sender.login, permission, fields: Object.keys(written) }, 'put back a change made in GitHub by someone without the permission for it');
  else log.info({ incident: state.id, action: event.action, fields: Object.keys(written) }, 'reconciled a change made in GitHub');
  return { outcome: 'reconciled' };
}
