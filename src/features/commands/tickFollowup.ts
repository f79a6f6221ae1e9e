import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import type { FollowupMarker } from '../../domain/text/followupMarker.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { transition } from '../../domain/incident/transition.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssueSnapshot } from '../../adapters/github/getIssueSnapshot.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import type { Log } from '../../services/log.ts';
import { writeIncident } from '../incidents/writeIncident.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

export interface TickFollowupOptions {
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'get' | 'update' | 'createComment'> }>;
  followup: FollowupMarker;
  /** The follow-up issue that was closed or reopened. */
  issue: { repo: RepoRef; number: number };
  done: boolean;
  actor: string;
  now: Date;
  timezone: string;
  log: Log;
  render?: Render;
  /** Verifies and seals the incident's state block; default: no key (unsealed). */
  stateSeal?: StateSeal;
}

/**
 * A follow-up issue was closed (or reopened): tick (or untick) its box in the incident's task
 * list, with a timeline entry and one comment on the incident that records it.
 */
export async function tickFollowup(options: TickFollowupOptions): Promise<'ticked' | 'unchanged'> {
  const { octokit, followup, log } = options;
  const [owner = '', repo = ''] = followup.repo.split('/');
  const incidentRepo = { owner, repo };
  const incident = await getIssueSnapshot(octokit, incidentRepo, followup.issue);
  const scope = stateScope(options.stateSeal ?? UNSEALED, incidentRepo);
  const state = readIncidentState(incident.body, scope).state;
  if (!state || state.id !== followup.incident) {
    log.warn({ followup: followup.issue, incident: followup.incident }, 'follow-up points at an issue that is not its incident; ignored');
    return 'unchanged';
  }
  const result = transition(state, { name: 'followup-state', repo: `${options.issue.repo.owner}/${options.issue.repo.repo}`, number: options.issue.number, done: options.done }, { actor: options.actor, now: options.now, via: 'command', timezone: options.timezone });
  if (!result.ok) return 'unchanged';
  await writeIncident(octokit, incidentRepo, incident, { state: result.state }, { timezone: options.timezone, scope, ...(options.render ? { render: options.render } : {}) });
  await createComment(octokit, incidentRepo, incident.number, result.message, renderEventMarker({ type: 'followup-state', at: options.now.toISOString(), actor: options.actor, incident: state.id, entries: result.entries }));
  return 'ticked';
}
