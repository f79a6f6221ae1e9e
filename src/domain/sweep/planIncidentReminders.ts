import type { IncidentState } from '../incident/incidentState.ts';
import type { PostmortemRules } from '../postmortem/postmortemConfig.ts';
import { needsPostmortem } from '../postmortem/needsPostmortem.ts';
import { notifiedEscalationSteps } from '../schedule/decideEscalation.ts';
import { nextEscalationStep, type EscalationDecision } from '../schedule/escalation.ts';
import type { EscalationStep, ScheduleConfig } from '../schedule/scheduleConfig.ts';
import { whoIsOnCall } from '../schedule/whoIsOnCall.ts';
import { isAckSloBreached } from '../slo/ackDeadline.ts';
import type { AckSloConfig } from '../slo/ackSloConfig.ts';
import type { SweepConfig } from './sweepConfig.ts';

export const SLO_BREACHED_LABEL = 'slo:breached';

/** A postmortem reminder is sent within this many days after it fell due; later, it is history. */
export const POSTMORTEM_REMINDER_WINDOW_DAYS = 7;

const MINUTE = 60_000;
const DAY = 86_400_000;

/** An incident issue as listed by the sweep (one list request for many incidents). */
export interface IncidentFacts {
  number: number;
  title: string;
  url: string;
  open: boolean;
  labels: string[];
  assignees: string[];
  /** The issue's `updated_at`: changes with every comment, so it keys what was read of the comments. */
  updatedAt: string;
  state: IncidentState;
}

/** What the incident's comments say, read only when a reminder may be due. */
export interface CommentFacts {
  /** Reminder keys already posted (from our hidden markers). */
  reminders: ReadonlySet<string>;
  /** The postmortem draft, when a comment links one. */
  postmortem: { url: string | null; reviewed: boolean } | null;
  /** Deploy correlation (a comment of ours) named likely suspects: the review's change-related share. */
  suspects?: boolean;
}

export const NO_COMMENT_FACTS: CommentFacts = { reminders: new Set(), postmortem: null };

export interface PolicyFacts {
  oncall: ScheduleConfig;
  ack: AckSloConfig;
  sweeps: SweepConfig;
  /** `postmortem.rules`: which incidents need a postmortem, the same rule drafting follows. */
  postmortem: PostmortemRules;
}

export type IncidentReminder =
  | {
      kind: 'ack-slo';
      keys: string[];
      /** Whether the escalation comment still has to be posted (false: only the label is missing). */
      comment: boolean;
      addLabel: boolean;
      deadline: Date;
      onCall: string[];
      /** The escalation step brought in now (`due`), or the one that comes next (`waiting`). */
      escalation: EscalationDecision;
    }
  | { kind: 'escalation'; keys: string[]; index: number; step: EscalationStep; onCall: string[]; next: EscalationDecision }
  | { kind: 'stale'; keys: string[]; lastUpdate: Date; thresholdMinutes: number; mention: string[] }
  | { kind: 'postmortem'; keys: string[]; resolvedAt: Date; mention: string[] };

const ACTIVE_STATUSES = new Set(['acknowledged', 'investigating', 'identified', 'monitoring']);

function onCallLogins(oncall: ScheduleConfig, now: Date): string[] {
  return [...new Set(whoIsOnCall(oncall, now).layers.flatMap((entry) => (entry.login ? [entry.login] : [])))];
}


/** The last instant the incident's timeline moved, as people see it (our own reminders do not count). */
function lastTimelineUpdate(state: IncidentState): Date {
  const instants = [state.triggeredAt, state.acknowledgedAt, state.mitigatedAt, ...state.timeline.map((entry) => entry.at), ...state.statusUpdates.map((update) => update.at)]
    .flatMap((text) => (text ? [Date.parse(text)] : []))
    .filter(Number.isFinite);
  return new Date(Math.max(...instants));
}

function uniqueLogins(...groups: (string | null | undefined)[][]): string[] {
  return [...new Set(groups.flat().filter((login): login is string => typeof login === 'string' && login.length > 0))];
}

/**
 * The reminders an incident is due for at `now`, minus those its comments show as posted. Called
 * first with `NO_COMMENT_FACTS` to learn whether the comments are worth reading at all: a sweep
 * where nothing is due reads no comments.
 */
export function planIncidentReminders(incident: IncidentFacts, comments: CommentFacts, policy: PolicyFacts, now: Date): IncidentReminder[] {
  const { state } = incident;
  const reminders: IncidentReminder[] = [];
  const posted = comments.reminders;

  if (incident.open && state.status === 'triggered' && state.acknowledgedAt === null) {
    const slo = isAckSloBreached(policy.ack, new Date(state.triggeredAt), null, now);
    if (slo.breached && slo.deadline) {
      const minutes = (now.getTime() - Date.parse(state.triggeredAt)) / MINUTE;
      const decision = nextEscalationStep(policy.oncall.escalation, minutes, notifiedEscalationSteps(state, posted));
      const onCall = onCallLogins(policy.oncall, now);
      const hasLabel = incident.labels.includes(SLO_BREACHED_LABEL);
      if (!posted.has('ack-slo')) {
        // The breach comment itself takes the step that is due, so people are paged once, not twice.
        const keys = ['ack-slo', ...(decision.kind === 'due' ? [`escalation-${decision.index}`] : [])];
        reminders.push({ kind: 'ack-slo', keys, comment: true, addLabel: !hasLabel, deadline: slo.deadline, onCall, escalation: decision });
      } else {
        if (!hasLabel) reminders.push({ kind: 'ack-slo', keys: [], comment: false, addLabel: true, deadline: slo.deadline, onCall, escalation: decision });
        if (decision.kind === 'due') {
          const next = nextEscalationStep(policy.oncall.escalation, minutes, [...notifiedEscalationSteps(state, posted), decision.index]);
          reminders.push({ kind: 'escalation', keys: [`escalation-${decision.index}`], index: decision.index, step: decision.step, onCall, next });
        }
      }
    }
  }

  const threshold = policy.sweeps.staleMinutes[state.severity];
  if (incident.open && threshold !== undefined && ACTIVE_STATUSES.has(state.status)) {
    const lastUpdate = lastTimelineUpdate(state);
    const key = `stale:${lastUpdate.toISOString()}`;
    if (now.getTime() - lastUpdate.getTime() >= threshold * MINUTE && !posted.has(key)) {
      const mention = uniqueLogins([state.roles.commander, state.roles.comms]);
      reminders.push({ kind: 'stale', keys: [key], lastUpdate, thresholdMinutes: threshold, mention: mention.length ? mention : uniqueLogins(incident.assignees) });
    }
  }

  const { postmortem } = policy.sweeps;
  if (!incident.open && state.status === 'resolved' && state.resolvedAt && needsPostmortem(policy.postmortem, { ...state, labels: incident.labels }, now).needed) {
    const due = Date.parse(state.resolvedAt) + postmortem.afterDays * DAY;
    const inWindow = now.getTime() >= due && now.getTime() < due + POSTMORTEM_REMINDER_WINDOW_DAYS * DAY;
    // A draft linked in a comment, labelled, or recorded on the timeline; or `/postmortem skip`.
    const settled = state.timeline.some((entry) => entry.type === 'postmortem' || entry.type === 'postmortem-skipped');
    const hasDraft = settled || comments.postmortem !== null || incident.labels.some((label) => label === 'postmortem' || label.startsWith('postmortem:'));
    if (inWindow && !hasDraft && !posted.has('postmortem')) {
      const mention = uniqueLogins([state.roles.commander], [state.acknowledgedBy]);
      reminders.push({ kind: 'postmortem', keys: ['postmortem'], resolvedAt: new Date(state.resolvedAt), mention: mention.length ? mention : uniqueLogins(incident.assignees) });
    }
  }
  return reminders;
}
