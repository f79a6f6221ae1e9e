import { findCommand } from '../commands/commands.ts';
import type { IncidentState, TimelineEntry } from './incidentState.ts';
import type { IncidentStatus } from './incidentStatus.ts';
import { readLabels, severityLabel, statusLabel } from './labels.ts';
import { escapeInline } from '../text/markdown.ts';
import { canRun, requiredPermission, type PermissionLevel, type PermissionOverrides } from '../commands/permissions.ts';
import type { Severity } from './severity.ts';
import { transition, type IncidentCommand, type TransitionFacts } from './transition.ts';

/** Something a person did to an incident issue in GitHub's UI (an `issues.*` webhook). */
export type IssueChange =
  | { kind: 'labels'; /** Labels on the issue now. */ labels: string[]; /** The label just added, for `labeled`. */ added?: string }
  | { kind: 'closed'; reason: 'completed' | 'not_planned' }
  | { kind: 'reopened' };

export interface Reconciliation {
  state: IncidentState;
  entries: TimelineEntry[];
  /** Lines for the comment that records the change (Markdown, escaped). */
  messages: string[];
  assign: string[];
  /** A change the actor may not make was left out (the caller's plan puts GitHub back as it was). */
  refused?: true;
}

/**
 * Who made the change, as the command permission table sees them: the same rules as the commands
 * (`commands.permissions` overrides included), so closing the issue needs what `/resolve` needs.
 */
export interface ChangeAccess {
  permission: PermissionLevel;
  overrides?: PermissionOverrides;
}

/** What a change by hand does, for the refusal: `Closing the issue resolves the incident`. */
function describeChange(change: IssueChange, command: IncidentCommand, label: string | undefined): string {
  const effect =
    command.name === 'resolve' ? 'resolves the incident' : command.name === 'cancel' ? 'cancels the incident' : command.name === 'reopen' ? 'reopens the incident' : command.name === 'severity' ? 'changes the severity' : command.name === 'ack' ? 'acknowledges the incident' : 'changes the status';
  if (change.kind === 'closed') return `Closing the issue${change.reason === 'not_planned' ? ' as not planned' : ''} ${effect}`;
  if (change.kind === 'reopened') return `Reopening the issue ${effect}`;
  return `\`${label ?? ''}\` ${effect}`;
}

function putBack(change: IssueChange, state: IncidentState, command: IncidentCommand): string {
  if (change.kind === 'closed') return 'Reopened it';
  if (change.kind === 'reopened') return 'Closed it again';
  return `Put \`${command.name === 'severity' ? severityLabel(state.severity) : statusLabel(state.status)}\` back`;
}

/** Of several labels of one dimension, the one just added wins; else the one that differs from the state. */
function newest<T extends string>(values: T[], added: T | undefined, current: T): T {
  if (values.length === 0) return current;
  if (added !== undefined && values.includes(added)) return added;
  return values.find((value) => value !== current) ?? current;
}

function statusCommand(status: IncidentStatus, current: IncidentStatus): IncidentCommand | undefined {
  switch (status) {
    case 'resolved':
      return { name: 'resolve' };
    case 'canceled':
      return { name: 'cancel' };
    case 'acknowledged':
      return current === 'triggered' ? { name: 'ack' } : undefined;
    case 'investigating':
    case 'identified':
    case 'monitoring':
      return { name: 'status', status };
    case 'triggered':
      return undefined;
  }
}

/**
 * Folds a change made by hand into the incident, so the state agrees with what people see: the
 * change runs through the same state machine as the commands (recorded in the timeline as done
 * in GitHub); labels it leaves inconsistent (two severities, none, a status the machine refuses)
 * are put back by the caller's plan from the returned state. A change the actor may not make
 * (`access`: the same permission table as the commands, so carol with triage cannot resolve by
 * closing the issue) is not applied either, and said so; the plan then puts it back. Pure.
 */
export function reconcileIssueChange(state: IncidentState, change: IssueChange, facts: TransitionFacts, access: ChangeAccess): Reconciliation {
  const result: Reconciliation = { state, entries: [], messages: [], assign: [] };
  /** `true` when the actor may make the change; otherwise says why on the issue and leaves the state as it is. */
  const permitted = (command: IncidentCommand, label?: string): boolean => {
    const spec = findCommand(command.name);
    if (spec && canRun(access.permission, spec, access.overrides)) return true;
    const need = spec ? requiredPermission(spec, access.overrides) : 'admin';
    const actor = escapeInline(`@${facts.actor}`);
    result.messages.push(
      `⚠️ ${describeChange(change, command, label)}, which needs **${need}** access; ${actor} has **${access.permission}**. ${putBack(change, result.state, command)}: ask someone with ${need} access to run \`/${command.name}\`.`,
    );
    result.refused = true;
    return false;
  };
  const apply = (command: IncidentCommand): string | undefined => {
    const outcome = transition(result.state, command, { ...facts, via: 'github' });
    if (!outcome.ok) return outcome.message;
    result.state = outcome.state;
    result.entries.push(...outcome.entries);
    result.messages.push(outcome.message);
    result.assign.push(...outcome.assign);
    return undefined;
  };

  if (change.kind === 'closed') {
    const wanted = change.reason === 'not_planned' ? 'canceled' : 'resolved';
    const command: IncidentCommand = change.reason === 'not_planned' ? { name: 'cancel' } : { name: 'resolve' };
    if (state.status !== wanted && permitted(command)) {
      const refused = apply(command);
      if (refused) result.messages.push(`⚠️ Closing by hand could not be recorded: ${refused}`);
    }
    return result;
  }
  if (change.kind === 'reopened') {
    if ((state.status === 'resolved' || state.status === 'canceled') && permitted({ name: 'reopen' })) apply({ name: 'reopen' });
    return result;
  }

  const read = readLabels(change.labels);
  const added = change.added?.toLowerCase();
  const addedSeverity = read.severities.find((s) => added === severityLabel(s).toLowerCase());
  const addedStatus = read.statuses.find((s) => added === statusLabel(s).toLowerCase());

  const severity: Severity = newest(read.severities, addedSeverity, state.severity);
  if (read.severities.length === 0) {
    result.messages.push(`🏷️ The severity label was removed; put \`${severityLabel(state.severity)}\` back (an incident always has one). Use \`/severity\` to change it.`);
  } else if (read.severities.length > 1) {
    result.messages.push(`🏷️ Several severity labels; kept the newest, \`${severityLabel(severity)}\`.`);
  }
  if (severity !== state.severity && permitted({ name: 'severity', severity }, severityLabel(severity))) apply({ name: 'severity', severity });

  const status: IncidentStatus = newest(read.statuses, addedStatus, state.status);
  if (read.statuses.length === 0) {
    result.messages.push(`🏷️ The status label was removed; put \`${statusLabel(state.status)}\` back. Use \`/status\` to change it.`);
  } else if (read.statuses.length > 1) {
    result.messages.push(`🏷️ Several status labels; kept the newest, \`${statusLabel(status)}\`.`);
  }
  if (status !== state.status) {
    const command = statusCommand(status, state.status);
    if (!command || permitted(command, statusLabel(status))) {
      const refused = command ? apply(command) : `an incident cannot go back to ${status} from ${state.status}.`;
      if (refused) result.messages.push(`⚠️ \`${statusLabel(status)}\` cannot be applied: ${refused} Put \`${statusLabel(result.state.status)}\` back.`);
    }
  }
  return result;
}
