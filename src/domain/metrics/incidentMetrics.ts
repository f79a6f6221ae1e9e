import type { IncidentState, TimelineEntry } from '../incident/incidentState.ts';
import type { IncidentStatus } from '../incident/incidentStatus.ts';
import { isRollbackEntry } from '../postmortem/needsPostmortem.ts';
import type { Severity } from '../incident/severity.ts';
import { SLO_BREACHED_LABEL } from '../sweep/planIncidentReminders.ts';

/** What the report knows about one incident issue: its state block, labels and what its comments said. */
export interface IncidentRecord {
  repo: string;
  number: number;
  url: string;
  labels: readonly string[];
  state: IncidentState;
  /** Whether deploy correlation named at least one likely suspect (its comment's verdict was `suspects`). */
  hasSuspects: boolean;
}

type PostmortemOutcome = 'drafted' | 'skipped' | 'missing';

export interface IncidentMetrics {
  repo: string;
  number: number;
  url: string;
  id: string;
  title: string;
  service: string;
  severity: Severity;
  status: IncidentStatus;
  triggeredAt: string;
  /** Calendar month of the trigger in UTC, `2026-11`. */
  month: string;
  /** Milliseconds from the trigger; `null` when it has not happened (yet). */
  timeToAcknowledge: number | null;
  timeToMitigate: number | null;
  /** To the last resolution: a reopened incident is not over until it is resolved again. */
  timeToResolve: number | null;
  /** How often it was reopened after being resolved or canceled. */
  reopened: number;
  sloBreached: boolean;
  /** `null` while the incident is not resolved: a postmortem cannot be due yet. */
  postmortem: PostmortemOutcome | null;
  /** A change was blamed: correlation named suspects, or something was rolled back. */
  changeRelated: boolean;
  rolledBack: boolean;
}

/** Entries that say what happened to the incident; notes only describe, whatever time they carry. */
const LIFECYCLE = new Set(['acknowledged', 'status', 'resolved', 'reopened', 'canceled']);

function since(from: string, to: string | null | undefined): number | null {
  if (!to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** Timeline entries in the order they happened (stable for equal times), not the order written down. */
function chronological(timeline: readonly TimelineEntry[]): TimelineEntry[] {
  return timeline
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/**
 * Response times and outcomes of one incident. The state's timestamps win; the timeline fills in
 * for states written before a timestamp existed. Back-dated notes (`/note -2h ...`) never move a
 * timestamp: they describe the incident, they are not a response to it. After a reopen only the
 * last resolution counts.
 */
export function incidentMetrics(record: IncidentRecord): IncidentMetrics {
  const { state } = record;
  const events = chronological(state.timeline).filter((entry) => LIFECYCLE.has(entry.type));
  const lastReopen = events.findLastIndex((entry) => entry.type === 'reopened');
  const afterReopen = events.slice(lastReopen + 1);
  const closed = state.status === 'resolved' || state.status === 'canceled';

  const acknowledgedAt = state.acknowledgedAt ?? events.find((entry) => entry.type === 'acknowledged' || entry.type === 'status')?.at ?? null;
  const resolvedAt = state.status === 'resolved' ? (state.resolvedAt ?? afterReopen.findLast((entry) => entry.type === 'resolved')?.at ?? null) : null;
  const mitigatedAt = state.mitigatedAt ?? resolvedAt;

  const types = new Set(state.timeline.map((entry) => entry.type));
  const rolledBack = state.timeline.some(isRollbackEntry);
  const postmortem: PostmortemOutcome | null = state.status !== 'resolved' ? null : types.has('postmortem') ? 'drafted' : types.has('postmortem-skipped') ? 'skipped' : 'missing';

  return {
    repo: record.repo,
    number: record.number,
    url: record.url,
    id: state.id,
    title: state.title,
    service: state.service || 'unknown',
    severity: state.severity,
    status: state.status,
    triggeredAt: state.triggeredAt,
    month: new Date(state.triggeredAt).toISOString().slice(0, 7),
    timeToAcknowledge: since(state.triggeredAt, acknowledgedAt),
    timeToMitigate: closed || state.mitigatedAt ? since(state.triggeredAt, mitigatedAt) : null,
    timeToResolve: since(state.triggeredAt, resolvedAt),
    reopened: events.filter((entry) => entry.type === 'reopened').length,
    sloBreached: record.labels.some((label) => label.toLowerCase() === SLO_BREACHED_LABEL) || types.has('slo-breached'),
    postmortem,
    changeRelated: record.hasSuspects || rolledBack,
    rolledBack,
  };
}
