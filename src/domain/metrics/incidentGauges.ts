import type { Severity } from '../incident/severity.ts';
import { aggregate, type MetricsAggregate } from './aggregateMetrics.ts';
import type { IncidentMetrics } from './incidentMetrics.ts';

/** The report's figures for one repository, service and severity, plus what is still open. */
export interface IncidentGaugeGroup {
  repository: string;
  service: string;
  severity: Severity;
  /** Triggered in the window and neither resolved nor canceled. */
  open: number;
  figures: MetricsAggregate;
}

const SEVERITY_ORDER: readonly string[] = ['P1', 'P2', 'P3', 'P4', 'P5'];

/**
 * Incidents grouped by repository, service and severity (never by month: a month label would make
 * a new series every month; per-month figures stay in the report), each measured by the report's
 * own `aggregate`. Groups with only canceled incidents are left out: the report measures those
 * nowhere.
 */
export function incidentGaugeGroups(incidents: readonly IncidentMetrics[]): IncidentGaugeGroup[] {
  const groups = new Map<string, IncidentMetrics[]>();
  for (const incident of incidents) {
    const key = JSON.stringify([incident.repo, incident.service, incident.severity]);
    groups.set(key, [...(groups.get(key) ?? []), incident]);
  }
  return [...groups.values()]
    .flatMap((members) => {
      const first = members[0];
      if (!first) return [];
      const figures = aggregate(`${first.service} ${first.severity}`, members);
      if (figures.count === 0) return [];
      const open = members.filter((incident) => incident.status !== 'resolved' && incident.status !== 'canceled').length;
      return [{ repository: first.repo, service: first.service, severity: first.severity, open, figures }];
    })
    .sort((a, b) => a.repository.localeCompare(b.repository) || a.service.localeCompare(b.service) || SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

export type IncidentPhase = 'acknowledge' | 'mitigate' | 'resolve';

/** One duration for a histogram: how long an incident took to reach `phase`. */
export interface IncidentObservation {
  phase: IncidentPhase;
  /** `acme/shop#12`: a histogram takes each incident once per phase. */
  incident: string;
  repository: string;
  service: string;
  severity: Severity;
  seconds: number;
  /** When the phase was reached. */
  at: string;
}

const PHASES: readonly [IncidentPhase, (incident: IncidentMetrics) => number | null][] = [
  ['acknowledge', (incident) => incident.timeToAcknowledge],
  ['mitigate', (incident) => incident.timeToMitigate],
  ['resolve', (incident) => incident.timeToResolve],
];

/**
 * Durations reached at or after `since`, at most one per incident and phase. Canceled incidents
 * give none (not an incident). A histogram counts events as they happen, so what was reached
 * before `since` (before the process started) is left out: re-observing a whole window after each
 * restart would look like a burst of resolutions to `increase()`.
 */
export function incidentObservations(incidents: readonly IncidentMetrics[], since: Date): IncidentObservation[] {
  const observations: IncidentObservation[] = [];
  for (const incident of incidents) {
    if (incident.status === 'canceled') continue;
    for (const [phase, duration] of PHASES) {
      const ms = duration(incident);
      if (ms === null) continue;
      const at = Date.parse(incident.triggeredAt) + ms;
      if (at < since.getTime()) continue;
      observations.push({
        phase,
        incident: `${incident.repo}#${incident.number}`,
        repository: incident.repo,
        service: incident.service,
        severity: incident.severity,
        seconds: ms / 1000,
        at: new Date(at).toISOString(),
      });
    }
  }
  return observations;
}
