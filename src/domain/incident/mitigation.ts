import type { IncidentState } from './incidentState.ts';

/** Timeline entries after which the impact is mitigated: a rollback merged, a redeploy succeeded. */
export const MITIGATING_ENTRIES = ['rollback-merged', 'redeploy-succeeded'] as const;

/**
 * The incident once something mitigated it at `at` (a rollback merged, a redeploy succeeded):
 * `mitigatedAt` is the earliest mitigation, so the time to mitigate, the postmortem's
 * `mitigated_at` and the metrics all say when the service came back, not when someone resolved
 * the incident afterwards. A canceled incident, or a mitigation after the resolution, changes nothing.
 */
export function recordMitigation(state: IncidentState, at: string): IncidentState {
  if (state.status === 'canceled') return state;
  if (state.resolvedAt && Date.parse(at) > Date.parse(state.resolvedAt)) return state;
  if (state.mitigatedAt && Date.parse(state.mitigatedAt) <= Date.parse(at)) return state;
  return { ...state, mitigatedAt: at };
}
