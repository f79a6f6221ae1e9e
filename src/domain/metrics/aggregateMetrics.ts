import type { IncidentMetrics } from './incidentMetrics.ts';
import { percentile } from './percentile.ts';

export type MetricsDimension = 'service' | 'severity' | 'month';

/** Figures for a group of incidents; `null` when the group has nothing to measure (no ack yet, ...). */
export interface MetricsAggregate {
  /** The service, severity or month; `all` for the whole period. */
  key: string;
  /** Real incidents: canceled ones (not an incident) are counted apart and measured nowhere. */
  count: number;
  canceled: number;
  resolved: number;
  mttaMedian: number | null;
  mttaP90: number | null;
  mttrMedian: number | null;
  mttrP90: number | null;
  /** Shares from 0 to 1 of `count`, except postmortem completion: of resolved incidents. */
  sloBreachRate: number | null;
  /** Resolved incidents with a postmortem drafted or explicitly skipped (`/postmortem skip`). */
  postmortemCompletionRate: number | null;
  changeRelatedShare: number | null;
  rollbackShare: number | null;
}

function share(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

export function aggregate(key: string, incidents: readonly IncidentMetrics[]): MetricsAggregate {
  const real = incidents.filter((incident) => incident.status !== 'canceled');
  const resolved = real.filter((incident) => incident.postmortem !== null);
  const acks = real.flatMap((incident) => (incident.timeToAcknowledge === null ? [] : [incident.timeToAcknowledge]));
  const resolutions = real.flatMap((incident) => (incident.timeToResolve === null ? [] : [incident.timeToResolve]));
  return {
    key,
    count: real.length,
    canceled: incidents.length - real.length,
    resolved: resolved.length,
    mttaMedian: percentile(acks, 0.5),
    mttaP90: percentile(acks, 0.9),
    mttrMedian: percentile(resolutions, 0.5),
    mttrP90: percentile(resolutions, 0.9),
    sloBreachRate: share(real.filter((incident) => incident.sloBreached).length, real.length),
    postmortemCompletionRate: share(resolved.filter((incident) => incident.postmortem !== 'missing').length, resolved.length),
    changeRelatedShare: share(real.filter((incident) => incident.changeRelated).length, real.length),
    rollbackShare: share(real.filter((incident) => incident.rolledBack).length, real.length),
  };
}

const SEVERITY_ORDER = ['P1', 'P2', 'P3', 'P4', 'P5'];

/** One aggregate per value of `dimension`, in a reading order: months ascending, severities P1 first, services by name. */
export function aggregateBy(incidents: readonly IncidentMetrics[], dimension: MetricsDimension): MetricsAggregate[] {
  const groups = new Map<string, IncidentMetrics[]>();
  for (const incident of incidents) {
    const key = incident[dimension];
    groups.set(key, [...(groups.get(key) ?? []), incident]);
  }
  const keys = [...groups.keys()].sort((a, b) => (dimension === 'severity' ? SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b) : a.localeCompare(b)));
  return keys.map((key) => aggregate(key, groups.get(key) ?? []));
}
