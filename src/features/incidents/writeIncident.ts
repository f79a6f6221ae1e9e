import type { IncidentState } from '../../domain/incident/incidentState.ts';
import { planIssueUpdate, retitle, type IssueSnapshot, type IssueUpdate } from '../../domain/incident/planIssueUpdate.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import { updateIssue } from '../../adapters/github/updateIssue.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import { planFieldWrite } from '../../domain/plan/planWrite.ts';
import { renderIncidentBody } from './renderIncidentBody.ts';
import type { StateScope } from '../../domain/incident/stateSeal.ts';

export interface DesiredIncident {
  state: IncidentState;
  addLabels?: readonly string[];
  assign?: readonly string[];
  unassign?: readonly string[];
  /** A whole new title (an issue becoming an incident). */
  title?: string;
}

/**
 * Plan, diff, write: renders the body for `desired.state`, compares labels, title, body, open or
 * closed and assignees with what GitHub has, and sends one `PATCH` with only what differs (none
 * when nothing does). Returns what was written.
 */
export async function writeIncident(
  octokit: OctokitWith<{ issues: Pick<RestIssues, 'update'> }>,
  repo: RepoRef,
  issue: IssueSnapshot & { number: number },
  desired: DesiredIncident,
  options: { timezone: string; render?: Render; scope: StateScope },
): Promise<IssueUpdate> {
  const body = renderIncidentBody(desired.state, { timezone: options.timezone, existingBody: issue.body, scope: options.scope, ...(options.render ? { render: options.render } : {}) });
  const update = planIssueUpdate(issue, {
    state: desired.state,
    body,
    ...(desired.addLabels ? { addLabels: desired.addLabels } : {}),
    ...(desired.assign ? { assign: desired.assign } : {}),
    ...(desired.unassign ? { unassign: desired.unassign } : {}),
  });
  if (desired.title !== undefined) {
    const title = retitle(desired.title, desired.state.severity);
    if (title !== issue.title) update.title = title;
    else delete update.title;
  }
  if (planFieldWrite(update).action === 'update') await updateIssue(octokit, repo, issue.number, update);
  return update;
}
