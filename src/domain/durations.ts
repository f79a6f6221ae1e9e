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

/** `45s`, `4m`, `1h 05m`, `2d 3h`: precise enough to compare incidents, short enough for a table. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
