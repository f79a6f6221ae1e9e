import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { VendorRequest } from '../../domain/alerts/vendorEvent.ts';
import type { ProcessedAlerts } from '../../features/alerts/alertProcessor.ts';
import type { RequestLog, RequestStatus } from '../../services/requestLog.ts';

const DONE: Record<string, string> = {
  Create: 'Created alert',
  Acknowledge: 'Acknowledged alert',
  Close: 'Closed alert',
  AddNote: 'Added note',
  UpdateMessage: 'Updated alert message',
  UpdateDescription: 'Updated alert description',
  UpdatePriority: 'Updated alert priority',
};

/** Opsgenie's words for what became of a request, from how its batch was filed. */
function requestStatus(request: VendorRequest, outcome: ProcessedAlerts['outcome'] | 'dropped', at: Date, reason?: string): RequestStatus {
  let success = true;
  let status = DONE[request.action] ?? 'Processed';
  if (outcome === 'dropped') {
    success = false;
    status = 'Alert dropped by a firewatch routing ignore rule';
  } else if (outcome === 'ignored') {
    success = false;
    status = reason === 'no_incident' ? 'Alert does not exist' : reason === 'already_resolved' ? 'Alert is already closed' : `Nothing to do (${reason ?? 'ignored'})`;
  } else if (request.action === 'Create' && outcome === 'updated') {
    status = 'Alert already exists: its count was increased';
  } else if (request.action === 'Create' && outcome === 'reopened') {
    status = 'Alert fired again: its incident was reopened';
  }
  return { success, action: request.action, processedAt: at.toISOString(), integrationId: request.integration, isSuccess: success, status, alertId: request.alertId, alias: request.alias };
}

/**
 * Records how each Opsgenie request of a filed batch went. Requests of alerts that are in no
 * result were dropped by routing (`routing.ignore`). Never throws: a lost status is a nuisance,
 * a failed batch retried for it would file the alerts twice.
 */
export async function recordRequestOutcomes(log: RequestLog, alerts: readonly NormalizedAlert[], results: readonly ProcessedAlerts[], at: Date, onError: (error: unknown) => void): Promise<void> {
  const statuses = new Map<string, RequestStatus>();
  for (const alert of alerts) {
    const request = alert.vendor?.request;
    if (request && !statuses.has(request.id)) statuses.set(request.id, requestStatus(request, 'dropped', at));
  }
  if (statuses.size === 0) return;
  for (const result of results) for (const request of result.requests ?? []) statuses.set(request.id, requestStatus(request, result.outcome, at, result.reason));
  try {
    await Promise.all([...statuses].map(([id, status]) => log.put(id, status)));
  } catch (error) {
    onError(error);
  }
}
