import type { IncidentState, TimelineEntry } from './incidentState.ts';
import { CLOSED_STATUSES, type IncidentStatus } from './incidentStatus.ts';
import { formatDuration } from './durations.ts';
import { formatTime } from './incidentView.ts';
import { escapeInline, quietMention } from '../text/markdown.ts';
import type { EscalationTarget, StatusCommandValue } from '../commands/readCommand.ts';
import type { Severity } from './severity.ts';

/** Label firewatch puts on incidents someone escalated; outside the contract, never removed by us. */
const ESCALATED_LABEL = 'escalated';

/** A change to an incident, from a command or from something a person did in GitHub's UI. */
export type IncidentCommand =
  | { name: 'ack' }
  | { name: 'severity'; severity: Severity; reason?: string }
  | { name: 'status'; status: StatusCommandValue; message?: string; internal?: boolean }
  | { name: 'commander' | 'comms'; login: string }
  | { name: 'responder'; action: 'add' | 'remove'; login: string }
  | { name: 'note'; at?: string; text: string }
  /** `assignable`: whether GitHub accepts the user as an assignee (a fact the caller looked up). */
  | { name: 'escalate'; target: EscalationTarget; reason?: string; assignable: boolean }
  /**
   * `/escalate` without a target: the next escalation-policy step (`step`), or the on-call people
   * not on the incident yet (no `step`). `assignable`: those of `users` GitHub accepts as assignees.
   */
  | { name: 'escalate-next'; step?: { index: number; count: number }; users: string[]; teams: string[]; assignable: string[]; reason?: string }
  | { name: 'resolve'; summary?: string }
  | { name: 'cancel'; reason?: string }
  | { name: 'reopen' }
  | { name: 'followup'; repo: string; number: number; title: string }
  | { name: 'followup-state'; repo: string; number: number; done: boolean };

export interface TransitionFacts {
  /** Who did it (GitHub login). */
  actor: string;
  now: Date;
  /** `github`: done by hand in GitHub's UI (labels, close, reopen) and reconciled afterwards. */
  via?: 'command' | 'github';
  /** The comment that asked for it. */
  ref?: number;
  /** For times in replies. */
  timezone?: string;
}

type RefusalReason = 'closed' | 'canceled' | 'resolved' | 'already' | 'unchanged' | 'not-closed' | 'not-found' | 'too-early';

/**
 * How far before the trigger a back-dated `/note` may go: what led up to an incident (the deploy,
 * the first customer report) is recorded; a date years off is a typo, and would sit first in the
 * timeline and the postmortem.
 */
const NOTE_LOOKBACK_DAYS = 7;

export type TransitionResult =
  | {
      ok: true;
      state: IncidentState;
      /** Timeline entries added (also in `state.timeline`). */
      entries: TimelineEntry[];
      /** One line of Markdown for the reply; user text escaped. */
      message: string;
      /** Logins to assign / unassign on the issue. */
      assign: string[];
      unassign: string[];
      /** Labels outside the contract to add (`escalated`). */
      addLabels: string[];
    }
  | { ok: false; reason: RefusalReason; message: string };

function isClosedStatus(status: IncidentStatus): boolean {
  return CLOSED_STATUSES.includes(status);
}

/** Someone named without notifying them: `@login` as inline code. */
function who(login: string): string {
  return quietMention(login);
}

/**
 * Someone firewatch means to notify (a newly named commander, communications officer or
 * responder): a real mention, written once, in the reply. The login was validated as one
 * (and as assignable) before the change ran.
 */
function notify(login: string): string {
  return `@${login}`;
}

function quoted(text: string | undefined): string {
  return text ? `: ${escapeInline(text)}` : '';
}

/**
 * The incident after `command`, or why it cannot happen. Pure: the caller looked up every fact
 * (who, when, whether a user can be assigned) and turns the result into GitHub writes. A refused
 * command changes nothing.
 */
export function transition(state: IncidentState, command: IncidentCommand, facts: TransitionFacts): TransitionResult {
  const now = facts.now.toISOString();
  const zone = facts.timezone ?? 'UTC';
  const byHand = facts.via === 'github';
  const closed = isClosedStatus(state.status);
  const entries: TimelineEntry[] = [];
  const record = (type: string, text: string, extra: Partial<TimelineEntry> = {}): TimelineEntry => {
    const entry: TimelineEntry = { at: now, type, actor: facts.actor, text: byHand ? `${text} (in GitHub)` : text, ...(facts.ref !== undefined ? { ref: facts.ref } : {}), ...extra };
    entries.push(entry);
    return entry;
  };
  const refuse = (reason: RefusalReason, message: string): TransitionResult => ({ ok: false, reason, message });
  const done = (next: IncidentState, message: string, changes: { assign?: string[]; unassign?: string[]; addLabels?: string[] } = {}): TransitionResult => ({
    ok: true,
    state: { ...next, timeline: [...state.timeline, ...entries] },
    entries,
    message,
    assign: changes.assign ?? [],
    unassign: changes.unassign ?? [],
    addLabels: changes.addLabels ?? [],
  });
  const canceledAt = [...state.timeline].reverse().find((entry) => entry.type === 'canceled')?.at;
  const closedRefusal = (what: string): TransitionResult =>
    state.status === 'canceled'
      ? refuse('canceled', `Cannot ${what}: this incident was canceled${canceledAt ? ` at ${formatTime(canceledAt, zone)}` : ''} (not an incident). If it was one after all, \`/reopen\` it first.`)
      : refuse('resolved', `Cannot ${what}: this incident is resolved${state.resolvedAt ? ` since ${formatTime(state.resolvedAt, zone)}` : ''}. If the impact is back, \`/reopen\` it first; to add context, use \`/note\`.`);
  const acknowledge = (next: IncidentState): IncidentState =>
    next.acknowledgedAt ? next : { ...next, acknowledgedAt: now, acknowledgedBy: next.acknowledgedBy ?? facts.actor };

  switch (command.name) {
    case 'ack': {
      if (closed) return closedRefusal('acknowledge it');
      if (state.status !== 'triggered' || state.acknowledgedAt) {
        const by = state.acknowledgedBy ? ` by ${who(state.acknowledgedBy)}` : '';
        const at = state.acknowledgedAt ? ` at ${formatTime(state.acknowledgedAt, zone)}` : '';
        return refuse('already', `Already acknowledged${by}${at} (status: ${state.status}). Nothing to do; \`/status\` moves it on.`);
      }
      record('acknowledged', 'Acknowledged');
      const next = { ...state, status: 'acknowledged' as const, acknowledgedAt: now, acknowledgedBy: facts.actor };
      return done(next, `✅ Acknowledged by ${who(facts.actor)}: status **acknowledged**, assigned to them.`, { assign: [facts.actor] });
    }
    case 'severity': {
      if (state.status === 'canceled') return closedRefusal('change the severity');
      if (state.severity === command.severity) return refuse('unchanged', `The severity is already **${command.severity}**; nothing changed.`);
      record('severity', `Severity ${state.severity} → ${command.severity}${command.reason ? `: ${command.reason}` : ''}`);
      return done({ ...state, severity: command.severity }, `🌡️ Severity **${state.severity} → ${command.severity}**${quoted(command.reason)}.`);
    }
    case 'status': {
      if (command.status === 'resolved') {
        return transition(state, { name: 'resolve', ...(command.message ? { summary: command.message } : {}) }, facts);
      }
      if (closed) return closedRefusal(`set the status to ${command.status}`);
      if (state.status === command.status && !command.message) {
        return refuse('unchanged', `The status is already **${command.status}**; nothing changed. Add a message to post a status update.`);
      }
      let next: IncidentState = acknowledge({ ...state, status: command.status });
      const wasAcknowledged = state.acknowledgedAt !== null;
      if (command.status === 'monitoring' && !next.mitigatedAt) next = { ...next, mitigatedAt: now };
      // Going back from monitoring means the fix did not hold: the incident is not mitigated yet.
      if (state.status === 'monitoring' && command.status !== 'monitoring') next = { ...next, mitigatedAt: null };
      if (command.message) {
        next = { ...next, statusUpdates: [...state.statusUpdates, { at: now, actor: facts.actor, status: command.status, text: command.message, internal: command.internal ?? false }] };
      }
      const change = state.status === command.status ? `Status update (${command.status})` : `Status ${state.status} → ${command.status}`;
      record('status', `${change}${command.message ? `: ${command.message}` : ''}${command.internal ? ' (internal)' : ''}`);
      const internal = command.internal ? ' _(internal: kept off public pages)_' : '';
      return done(next, `📣 ${state.status === command.status ? 'Status update' : `Status **${state.status} → ${command.status}**`}${quoted(command.message)}${internal}.`, wasAcknowledged ? {} : { assign: [facts.actor] });
    }
    case 'commander':
    case 'comms': {
      if (closed) return closedRefusal('change roles');
      const role = command.name === 'commander' ? 'commander' : 'comms';
      const title = role === 'commander' ? 'incident commander' : 'communications officer';
      const current = state.roles[role];
      if (current?.toLowerCase() === command.login.toLowerCase()) return refuse('unchanged', `${who(command.login)} is already the ${title}; nothing changed.`);
      record('role', `${role === 'commander' ? 'Incident commander' : 'Communications officer'}: ${command.login}${current ? ` (was ${current})` : ''}`);
      const next = { ...state, roles: { ...state.roles, [role]: command.login } };
      return done(next, `🧭 ${notify(command.login)} is now the **${title}**${current ? ` (was ${who(current)})` : ''}, assigned to the issue.`, { assign: [command.login] });
    }
    case 'responder': {
      if (closed) return closedRefusal('change responders');
      const present = state.roles.responders.some((login) => login.toLowerCase() === command.login.toLowerCase());
      if (command.action === 'add') {
        if (present) return refuse('unchanged', `${who(command.login)} is already a responder; nothing changed.`);
        record('responder', `Responder added: ${command.login}`);
        return done({ ...state, roles: { ...state.roles, responders: [...state.roles.responders, command.login] } }, `🙋 ${notify(command.login)} joined as a **responder**, assigned to the issue.`, { assign: [command.login] });
      }
      if (!present) return refuse('not-found', `${who(command.login)} is not a responder${state.roles.responders.length ? ` (responders: ${state.roles.responders.map(who).join(', ')})` : ''}; nothing changed.`);
      record('responder', `Responder removed: ${command.login}`);
      const responders = state.roles.responders.filter((login) => login.toLowerCase() !== command.login.toLowerCase());
      const holdsRole = [state.roles.commander, state.roles.comms].some((login) => login?.toLowerCase() === command.login.toLowerCase());
      return done({ ...state, roles: { ...state.roles, responders } }, `👋 ${who(command.login)} is no longer a responder${holdsRole ? ' (still assigned: they hold a role)' : ''}.`, holdsRole ? {} : { unassign: [command.login] });
    }
    case 'note': {
      const at = command.at ?? now;
      const earliest = Date.parse(state.triggeredAt) - NOTE_LOOKBACK_DAYS * 86_400_000;
      if (Date.parse(at) < earliest) {
        return refuse(
          'too-early',
          `Cannot note it at ${formatTime(at, zone)}: that is ${formatDuration(Date.parse(state.triggeredAt) - Date.parse(at))} before this incident was triggered (${formatTime(state.triggeredAt, zone)}), and a note may go back at most ${NOTE_LOOKBACK_DAYS} days before that. Check the date, or write the time into the note's text.`,
        );
      }
      record('note', command.text, command.at ? { at, recordedAt: now } : {});
      return done(state, `📝 Noted${command.at ? ` at ${formatTime(at, zone)}` : ''}: ${escapeInline(command.text)}`);
    }
    case 'escalate': {
      if (closed) return closedRefusal('escalate it');
      const target = command.target;
      const name = target.kind === 'user' ? target.login : `${target.org}/${target.slug}`;
      record('escalated', `Escalated to ${name}${command.reason ? `: ${command.reason}` : ''}`);
      let next = state;
      const assign: string[] = [];
      if (target.kind === 'user' && !state.roles.responders.some((login) => login.toLowerCase() === target.login.toLowerCase())) {
        next = { ...state, roles: { ...state.roles, responders: [...state.roles.responders, target.login] } };
      }
      if (target.kind === 'user' && command.assignable) assign.push(target.login);
      // The one deliberate mention firewatch writes: the target was validated as a login or team.
      const note = target.kind === 'team' ? ' (teams cannot be assigned; they are notified)' : command.assignable ? ', assigned' : ' (not assignable in this repository: notified only)';
      return done(next, `🆘 Escalated to ${notify(name)}${note}${quoted(command.reason)}.`, { assign, addLabels: [ESCALATED_LABEL] });
    }
    case 'escalate-next': {
      if (closed) return closedRefusal('escalate it');
      const names = [...command.users, ...command.teams];
      const step = command.step ? `step ${command.step.index + 1}` : 'on call';
      record('escalated', `Escalated to ${names.map((name) => `@${name}`).join(', ')} (${step})${command.reason ? `: ${command.reason}` : ''}`, command.step ? { step: command.step.index } : {});
      const known = new Set(state.roles.responders.map((login) => login.toLowerCase()));
      const joining = command.users.filter((login) => !known.has(login.toLowerCase()));
      const next = joining.length ? { ...state, roles: { ...state.roles, responders: [...state.roles.responders, ...joining] } } : state;
      const assignable = new Set(command.assignable.map((login) => login.toLowerCase()));
      const assign = command.users.filter((login) => assignable.has(login.toLowerCase()));
      const notAssignable = command.users.filter((login) => !assignable.has(login.toLowerCase()));
      const what = command.step ? `Escalation step ${command.step.index + 1} of ${command.step.count}` : 'Escalated to the on-call people';
      const notes = [
        ...(assign.length ? [`assigned: ${assign.map(who).join(', ')}`] : []),
        ...(notAssignable.length ? [`not assignable in this repository, notified only: ${notAssignable.map(who).join(', ')}`] : []),
        ...(command.teams.length ? ['teams cannot be assigned; they are notified'] : []),
      ];
      // Deliberate mentions: this is the page. Names come from the validated config, never from the comment.
      return done(next, `🆘 ${what}: ${names.map(notify).join(', ')}${notes.length ? ` (${notes.join('; ')})` : ''}${quoted(command.reason)}.`, { assign, addLabels: [ESCALATED_LABEL] });
    }
    case 'resolve': {
      if (state.status === 'canceled') return closedRefusal('resolve it');
      if (state.status === 'resolved') return refuse('already', `Already resolved${state.resolvedAt ? ` at ${formatTime(state.resolvedAt, zone)}` : ''}; nothing changed. To add context, use \`/note\`.`);
      // Resolving while alerts still fire is allowed (the impact may be over before the source agrees), but never silent.
      const firing = state.alerts.filter((alert) => alert.status === 'firing').length + (state.untrackedAlerts?.firing ?? 0);
      const stillFiring = firing ? `${firing} ${firing === 1 ? 'alert' : 'alerts'} still firing; resolving anyway` : '';
      record('resolved', `Resolved${stillFiring ? ` (${stillFiring})` : ''}${command.summary ? `: ${command.summary}` : ''}`);
      const next: IncidentState = {
        ...state,
        status: 'resolved',
        resolvedAt: now,
        mitigatedAt: state.mitigatedAt ?? now,
        statusUpdates: command.summary ? [...state.statusUpdates, { at: now, actor: facts.actor, status: 'resolved', text: command.summary, internal: false }] : state.statusUpdates,
      };
      const rows = firing === 1 ? 'its row changes when the source reports it' : 'their rows change when the source reports them';
      const warning = stillFiring ? ` ⚠️ ${stillFiring}. Repeat notifications do not reopen the incident; ${rows} resolved.` : '';
      return done(next, `✅ **Resolved**${quoted(command.summary)}. The issue is closed as completed.${warning}`);
    }
    case 'cancel': {
      if (state.status === 'canceled') return refuse('already', `Already canceled; nothing changed.`);
      if (state.status === 'resolved') return refuse('resolved', `Cannot cancel: this incident is resolved, so it was an incident. To add context, use \`/note\`.`);
      record('canceled', `Canceled (not an incident)${command.reason ? `: ${command.reason}` : ''}`);
      return done({ ...state, status: 'canceled' }, `🚫 **Canceled**: not an incident${quoted(command.reason)}. The issue is closed as not planned.`);
    }
    case 'reopen': {
      if (!closed) return refuse('not-closed', `Cannot reopen: this incident is open (status: ${state.status}). Nothing to do.`);
      const status: IncidentStatus = state.acknowledgedAt ? 'investigating' : 'triggered';
      record('reopened', `Reopened (was ${state.status})`);
      return done({ ...state, status, resolvedAt: null, mitigatedAt: null }, `🔁 **Reopened** (was ${state.status}): status **${status}**; the time to resolve restarts.`);
    }
    case 'followup': {
      const key = `${command.repo}#${command.number}`;
      if (state.followups.some((f) => `${f.repo}#${f.number}` === key)) return refuse('unchanged', `${escapeInline(key)} is already a follow-up.`);
      record('followup', `Follow-up opened: ${key} ${command.title}`);
      return done({ ...state, followups: [...state.followups, { repo: command.repo, number: command.number, title: command.title, done: false }] }, `📌 Follow-up opened: ${escapeInline(key)} ${escapeInline(command.title)}`);
    }
    case 'followup-state': {
      const key = `${command.repo}#${command.number}`;
      const followup = state.followups.find((f) => `${f.repo}#${f.number}` === key);
      if (!followup) return refuse('not-found', `${escapeInline(key)} is not a follow-up of this incident.`);
      if (followup.done === command.done) return refuse('unchanged', `Follow-up ${escapeInline(key)} is already ${command.done ? 'done' : 'open'}.`);
      record('followup', `Follow-up ${key} ${command.done ? 'closed' : 'reopened'}`);
      const followups = state.followups.map((f) => (f === followup ? { ...f, done: command.done } : f));
      return done({ ...state, followups }, `☑️ Follow-up ${escapeInline(key)} ${command.done ? 'done' : 'reopened'}.`);
    }
  }
}
