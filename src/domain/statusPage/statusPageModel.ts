import type { IncidentState } from '../incident/incidentState.ts';
import type { IncidentStatus } from '../incident/incidentStatus.ts';
import type { Severity } from '../incident/severity.ts';

export type ServiceLevel = 'operational' | 'degraded' | 'outage';

/** What the status page may read of an incident issue; everything else stays private. */
export interface StatusIncidentInput {
  number: number;
  state: IncidentState;
}

interface PublicUpdate {
  at: string;
  status: IncidentStatus;
  text: string;
}

/** An incident as the public sees it: no issue title, alert names, people, notes or internal updates. */
export interface PublicIncident {
  /** Stable public id (the incident id), for feed entries and anchors. */
  id: string;
  service: string;
  level: Exclude<ServiceLevel, 'operational'>;
  status: IncidentStatus;
  startedAt: string;
  resolvedAt: string | null;
  /** Newest first. */
  updates: PublicUpdate[];
}

interface ServiceDay {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  level: ServiceLevel;
}

interface ServiceStatus {
  name: string;
  level: ServiceLevel;
  /** Oldest first, one per day of the history window, today last. */
  days: ServiceDay[];
  /** Share (0..1) of the window without an outage, rounded down to 0.0001. */
  uptime: number;
}

export interface StatusPageModel {
  generatedAt: string;
  historyDays: number;
  overall: ServiceLevel;
  services: ServiceStatus[];
  active: PublicIncident[];
  /** Resolved incidents of the window, newest first. */
  past: PublicIncident[];
}

export interface StatusPageOptions {
  now: Date;
  /** Services always listed, even without incidents (they show as operational). */
  services?: readonly string[];
  historyDays?: number;
  /** Severities that mean an outage; the rest degrade a service. */
  outageSeverities?: readonly Severity[];
}

const DAY_MS = 86_400_000;
const RANK: Record<ServiceLevel, number> = { operational: 0, degraded: 1, outage: 2 };
export const DEFAULT_HISTORY_DAYS = 90;
const DEFAULT_OUTAGE_SEVERITIES: readonly Severity[] = ['P1', 'P2'];

function worst(a: ServiceLevel, b: ServiceLevel): ServiceLevel {
  return RANK[b] > RANK[a] ? b : a;
}

/**
 * Whether the public should see an incident at all: canceled ones were not incidents, and one
 * nobody acknowledged yet may be a false alarm; responders confirm impact by acting on it.
 */
function isConfirmed(state: IncidentState): boolean {
  return state.status !== 'canceled' && state.status !== 'triggered';
}

function levelOf(state: IncidentState, outageSeverities: readonly Severity[]): Exclude<ServiceLevel, 'operational'> {
  // A fix in place and being watched is no longer a full outage.
  if (state.status === 'monitoring') return 'degraded';
  return outageSeverities.includes(state.severity) ? 'outage' : 'degraded';
}

function publicIncident(state: IncidentState, outageSeverities: readonly Severity[]): PublicIncident {
  const published = state.statusUpdates.filter((update) => !update.internal);
  // The public sees the stage of the last update it was given, not one announced only internally.
  const status: IncidentStatus = state.status === 'resolved' ? 'resolved' : (published.at(-1)?.status ?? 'investigating');
  return {
    id: state.id,
    service: state.service || 'unknown',
    level: levelOf({ ...state, status: state.status === 'resolved' ? 'investigating' : state.status }, outageSeverities),
    status,
    startedAt: state.triggeredAt,
    resolvedAt: state.status === 'resolved' ? state.resolvedAt : null,
    updates: published
      .map((update) => ({ at: update.at, status: update.status, text: update.text }))
      .reverse(),
  };
}

/**
 * The status page from incident states. Pure: `now` comes in. Only `/status` messages responders
 * did not mark `--internal` are published; titles, alerts, notes and people never are.
 */
export function statusPageModel(incidents: readonly StatusIncidentInput[], options: StatusPageOptions): StatusPageModel {
  const historyDays = options.historyDays ?? DEFAULT_HISTORY_DAYS;
  const outageSeverities = options.outageSeverities ?? DEFAULT_OUTAGE_SEVERITIES;
  const nowMs = options.now.getTime();
  const todayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const windowStart = todayStart - (historyDays - 1) * DAY_MS;

  const confirmed = incidents.map((incident) => incident.state).filter(isConfirmed);
  const relevant = confirmed.filter((state) => state.status !== 'resolved' || Date.parse(state.resolvedAt ?? state.triggeredAt) >= windowStart);
  const names = [...new Set([...(options.services ?? []), ...relevant.map((state) => state.service || 'unknown')])].sort((a, b) => a.localeCompare(b));

  const services = names.map((name): ServiceStatus => {
    const own = relevant.filter((state) => (state.service || 'unknown') === name);
    const open = own.filter((state) => state.status !== 'resolved');
    const level = open.reduce<ServiceLevel>((current, state) => worst(current, levelOf(state, outageSeverities)), 'operational');
    const spans = own.map((state) => ({
      from: Date.parse(state.triggeredAt),
      to: state.status === 'resolved' && state.resolvedAt ? Date.parse(state.resolvedAt) : nowMs,
      level: levelOf({ ...state, status: state.status === 'resolved' ? 'investigating' : state.status }, outageSeverities),
    }));
    const days: ServiceDay[] = [];
    for (let start = windowStart; start <= todayStart; start += DAY_MS) {
      const end = start + DAY_MS;
      const dayLevel = spans.filter((span) => span.from < end && span.to >= start).reduce<ServiceLevel>((current, span) => worst(current, span.level), 'operational');
      days.push({ date: new Date(start).toISOString().slice(0, 10), level: dayLevel });
    }
    // Rounded down to 0.01 %, so a rebuild minutes later is identical unless something changed.
    const uptime = Math.floor((1 - outageMs(spans, windowStart, nowMs) / Math.max(1, nowMs - windowStart)) * 10_000) / 10_000;
    return { name, level, days, uptime };
  });

  const active = relevant.filter((state) => state.status !== 'resolved').map((state) => publicIncident(state, outageSeverities));
  const past = relevant.filter((state) => state.status === 'resolved').map((state) => publicIncident(state, outageSeverities));
  const byStartDesc = (a: PublicIncident, b: PublicIncident): number => Date.parse(b.startedAt) - Date.parse(a.startedAt);
  return {
    generatedAt: options.now.toISOString(),
    historyDays,
    overall: services.reduce<ServiceLevel>((current, service) => worst(current, service.level), 'operational'),
    services,
    active: active.sort(byStartDesc),
    past: past.sort(byStartDesc),
  };
}

/** Milliseconds within `[from, to)` covered by outage spans, overlaps counted once. */
function outageMs(spans: readonly { from: number; to: number; level: ServiceLevel }[], from: number, to: number): number {
  const clipped = spans
    .filter((span) => span.level === 'outage')
    .map((span) => ({ from: Math.max(from, span.from), to: Math.min(to, span.to) }))
    .filter((span) => span.to > span.from)
    .sort((a, b) => a.from - b.from);
  let total = 0;
  let end = -Infinity;
  for (const span of clipped) {
    if (span.to <= end) continue;
    total += span.to - Math.max(span.from, end);
    end = span.to;
  }
  return total;
}
