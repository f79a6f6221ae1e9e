import type { IncidentState } from './incidentState.ts';
import { planLabels } from './labels.ts';
import type { Severity } from './severity.ts';

/** An issue as GitHub has it right now (the facts a plan is diffed against). */
export interface IssueSnapshot {
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  labels: string[];
  assignees: string[];
}

/** Only the fields that must change; an empty object means GitHub already shows the right thing. */
export interface IssueUpdate {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  state_reason?: 'completed' | 'not_planned' | 'reopened';
  labels?: string[];
  assignees?: string[];
}

/** GitHub accepts at most this many assignees per issue. */
const MAX_ASSIGNEES = 10;

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** `[P2] checkout: …` → `[P1] checkout: …`; titles without our prefix are left as people wrote them. */
export function retitle(title: string, severity: Severity): string {
  return /^\[P[1-5]\]/i.test(title) ? title.replace(/^\[P[1-5]\]/i, `[${severity}]`) : title;
}

/**
 * What to write so the issue shows `state`: contract labels (plus `addLabels`), title prefix,
 * body, open/closed with the contract's reason, assignees. Pure; diffed field by field so a
 * re-run writes nothing.
 */
export function planIssueUpdate(
  current: IssueSnapshot,
  desired: { state: IncidentState; body: string; addLabels?: readonly string[]; assign?: readonly string[]; unassign?: readonly string[] },
): IssueUpdate {
  const update: IssueUpdate = {};
  const { state } = desired;

  const plan = planLabels(current.labels, { severity: state.severity, status: state.status });
  const extra = (desired.addLabels ?? []).filter((label) => !current.labels.some((have) => same(have, label)) && !plan.add.some((add) => same(add, label)));
  if (plan.add.length || plan.remove.length || extra.length) {
    update.labels = [...current.labels.filter((label) => !plan.remove.some((r) => same(r, label))), ...plan.add, ...extra];
  }

  const title = retitle(current.title, state.severity);
  if (title !== current.title) update.title = title;
  if (desired.body !== (current.body ?? '')) update.body = desired.body;

  const wantClosed = state.status === 'resolved' || state.status === 'canceled';
  if (wantClosed && current.state !== 'closed') {
    update.state = 'closed';
    update.state_reason = state.status === 'resolved' ? 'completed' : 'not_planned';
  } else if (!wantClosed && current.state !== 'open') {
    update.state = 'open';
    update.state_reason = 'reopened';
  }

  const unassign = desired.unassign ?? [];
  let assignees = current.assignees.filter((login) => !unassign.some((u) => same(u, login)));
  for (const login of desired.assign ?? []) {
    if (!assignees.some((have) => same(have, login)) && assignees.length < MAX_ASSIGNEES) assignees = [...assignees, login];
  }
  if (assignees.length !== current.assignees.length || assignees.some((login, i) => login !== current.assignees[i])) update.assignees = assignees;
  return update;
}
