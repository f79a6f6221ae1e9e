/** The lifecycle of an incident, in the order a typical incident moves through it. */
export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'investigating', 'identified', 'monitoring', 'resolved', 'canceled'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses whose incident issue is closed (`completed` / `not_planned`). */
export const CLOSED_STATUSES: readonly IncidentStatus[] = ['resolved', 'canceled'];

export function isIncidentStatus(value: unknown): value is IncidentStatus {
  return typeof value === 'string' && (INCIDENT_STATUSES as readonly string[]).includes(value);
}
