import { INCIDENT_STATUSES, isIncidentStatus, type IncidentStatus } from './incidentStatus.ts';
import { SEVERITIES, isSeverity, type Severity } from './severity.ts';

/** The contract labels of an incident issue (ARCHITECTURE "Incident issue"). */
export const INCIDENT_LABEL = 'incident';
const SEVERITY_LABEL_PREFIX = 'sev:';
const STATUS_LABEL_PREFIX = 'status:';

export interface LabelSpec {
  name: string;
  /** Six hex digits, no `#`, as the labels API wants it. */
  color: string;
  description: string;
}

const SEVERITY_LOOK: Record<Severity, { color: string; description: string }> = {
  P1: { color: 'b60205', description: 'Critical: widespread impact, all hands now' },
  P2: { color: 'd93f0b', description: 'High: major function degraded for many users' },
  P3: { color: 'fbca04', description: 'Moderate: partial or limited impact' },
  P4: { color: 'c2e0c6', description: 'Low: minor impact or no production impact' },
  P5: { color: 'e4e669', description: 'Informational: no impact, kept for the record' },
};

const STATUS_LOOK: Record<IncidentStatus, { color: string; description: string }> = {
  triggered: { color: 'e11d21', description: 'Incident raised, nobody has acknowledged it yet' },
  acknowledged: { color: 'f9d0c4', description: 'Someone is on it' },
  investigating: { color: 'fef2c0', description: 'Looking for the cause' },
  identified: { color: 'bfd4f2', description: 'Cause known, fix under way' },
  monitoring: { color: 'c5def5', description: 'Fix applied, watching that it holds' },
  resolved: { color: '0e8a16', description: 'Impact is over' },
  canceled: { color: 'cccccc', description: 'Not an incident after all' },
};

export function severityLabel(severity: Severity): string {
  return `${SEVERITY_LABEL_PREFIX}${severity}`;
}

export function statusLabel(status: IncidentStatus): string {
  return `${STATUS_LABEL_PREFIX}${status}`;
}

export const CONTRACT_LABELS: readonly LabelSpec[] = [
  { name: INCIDENT_LABEL, color: 'd73a4a', description: 'An incident managed by firewatch' },
  ...SEVERITIES.map((severity) => ({ name: severityLabel(severity), ...SEVERITY_LOOK[severity] })),
  ...INCIDENT_STATUSES.map((status) => ({ name: statusLabel(status), ...STATUS_LOOK[status] })),
];

/** GitHub compares label names case-insensitively. */
const sameLabel = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

function severityOf(label: string): Severity | undefined {
  if (label.slice(0, SEVERITY_LABEL_PREFIX.length).toLowerCase() !== SEVERITY_LABEL_PREFIX) return undefined;
  const value = label.slice(SEVERITY_LABEL_PREFIX.length).toUpperCase();
  return isSeverity(value) ? value : undefined;
}

function statusOf(label: string): IncidentStatus | undefined {
  if (label.slice(0, STATUS_LABEL_PREFIX.length).toLowerCase() !== STATUS_LABEL_PREFIX) return undefined;
  const value = label.slice(STATUS_LABEL_PREFIX.length).toLowerCase();
  return isIncidentStatus(value) ? value : undefined;
}

export interface LabelReading {
  incident: boolean;
  /** Every contract severity label present (more than one means someone added one by hand). */
  severities: Severity[];
  statuses: IncidentStatus[];
}

/** What the contract labels on an issue say; labels outside the contract are ignored. */
export function readLabels(current: readonly string[]): LabelReading {
  return {
    incident: current.some((label) => sameLabel(label, INCIDENT_LABEL)),
    severities: current.map(severityOf).filter((s): s is Severity => s !== undefined),
    statuses: current.map(statusOf).filter((s): s is IncidentStatus => s !== undefined),
  };
}

export interface LabelPlan {
  add: string[];
  remove: string[];
}

/**
 * The label changes that leave an issue with `incident`, exactly one severity and exactly one
 * status. Labels outside the contract (team labels, `escalated`, ...) are never touched.
 */
export function planLabels(current: readonly string[], desired: { severity: Severity; status: IncidentStatus }): LabelPlan {
  const wanted = [INCIDENT_LABEL, severityLabel(desired.severity), statusLabel(desired.status)];
  const add = wanted.filter((label) => !current.some((have) => sameLabel(have, label)));
  const remove = current.filter((label) => {
    const dimension = severityOf(label) ?? statusOf(label);
    return dimension !== undefined && !wanted.some((want) => sameLabel(want, label));
  });
  return { add, remove };
}
