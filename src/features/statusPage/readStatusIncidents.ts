import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { INCIDENT_LABEL } from '../../domain/incident/labels.ts';
import type { StatusIncidentInput } from '../../domain/statusPage/statusPageModel.ts';
import { listIssues, type ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

/**
 * Incidents the status page needs: every open one, and closed ones updated within the history
 * window (resolution updates an issue, so every incident resolved in the window is among them).
 * Only the state block is read: comments never reach the public page.
 */
export async function readStatusIncidents(octokit: ListIssuesOctokit, repo: RepoRef, historyStart: Date, stateSeal: StateSeal = UNSEALED): Promise<StatusIncidentInput[]> {
  const scope = stateScope(stateSeal, repo);
  const open = await listIssues(octokit, repo, { state: 'open', labels: INCIDENT_LABEL });
  const closed = await listIssues(octokit, repo, { state: 'closed', labels: INCIDENT_LABEL, since: historyStart });
  return [...open, ...closed].flatMap((issue) => {
    const state = readIncidentState(issue.body, scope).state;
    return state ? [{ number: issue.number, state }] : [];
  });
}
