import type { IncidentState } from '../incident/incidentState.ts';

/** What of an incident the status page shows; anything else changing does not need a rebuild. */
function publicFacts(state: IncidentState | null): string {
  // Unconfirmed and canceled incidents are not on the page (see statusPageModel).
  if (!state || state.status === 'triggered' || state.status === 'canceled') return 'none';
  return JSON.stringify([
    state.status,
    state.severity,
    state.service,
    state.triggeredAt,
    state.resolvedAt,
    state.statusUpdates.filter((update) => !update.internal).map((update) => [update.at, update.status, update.text]),
  ]);
}

/** Whether an edit of an incident body changed what the public page shows. */
export function isPublicChange(before: IncidentState | null, after: IncidentState | null): boolean {
  if (!after && !before) return false;
  return publicFacts(before) !== publicFacts(after);
}
