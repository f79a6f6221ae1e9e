import type { IncidentState } from './incidentState.ts';

export interface IncidentDurations {
  /** Milliseconds from trigger to acknowledgement, to mitigation, to resolution; `null` until it happened. */
  toAcknowledge: number | null;
  toMitigate: number | null;
  toResolve: number | null;
}

function between(from: string, to: string | null): number | null {
  if (!to) return null;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

/** The response times the runbooks track, measured from the trigger. */
export function incidentDurations(state: Pick<IncidentState, 'triggeredAt' | 'acknowledgedAt' | 'mitigatedAt' | 'resolvedAt'>): IncidentDurations {
  return {
    toAcknowledge: between(state.triggeredAt, state.acknowledgedAt),
    toMitigate: between(state.triggeredAt, state.mitigatedAt),
    toResolve: between(state.triggeredAt, state.resolvedAt),
  };
}

/**
 * `45s`, `4m`, `1h 05m`, `2d 3h`: precise enough to compare incidents, short enough for a table.
 * Rounded to the nearest unit shown, the same way everywhere (body, summary, status page, report,
 * metrics): 59 min 40 s is `1h 00m`, 1 min 34 s is `2m`, 23 h 59 min 50 s is `1d 0h`.
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const positive = Math.max(0, ms);
  const seconds = Math.round(positive / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.round(positive / 60_000);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
  const hours = Math.round(positive / 3_600_000);
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

/**
 * When the incident started, as the body's "Started at", `/summary`, the postmortem and its
 * `started_at` all say it: the earliest of the trigger, the first alert's start and any timeline
 * entry dated before them (a back-dated `/note -15m first report from support`). The postmortem's
 * own bookkeeping entries do not count.
 */
export function incidentStartedAt(state: Pick<IncidentState, 'triggeredAt' | 'alerts' | 'timeline'>): string {
  let earliest = state.triggeredAt;
  const candidates = [...state.alerts.map((alert) => alert.firstSeen), ...state.timeline.filter((entry) => !entry.type.startsWith('postmortem')).map((entry) => entry.at)];
  for (const at of candidates) if (Date.parse(at) < Date.parse(earliest)) earliest = at;
  return earliest;
}
