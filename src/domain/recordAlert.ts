import type { NormalizedAlert } from './alert.ts';
import { fingerprintToken, groupToken } from './fingerprintToken.ts';
import type { IncidentState } from './incidentState.ts';
import { keyLabels, trackAlert } from './openIncident.ts';

/** Alerts kept in the state block; older ones drop off so the body stays far below GitHub's limit. */
export const MAX_TRACKED_ALERTS = 50;

/**
 * The incident after one more notification of an alert: its row is updated (last seen, count,
 * status, value) or added. Identity fields, severity, status and roles are left alone.
 */
export function recordAlert(state: IncidentState, alert: NormalizedAlert, now: Date): IncidentState {
  const seen = now.toISOString();
  const existing = state.alerts.find((a) => a.fingerprint === alert.fingerprint);
  const alerts = existing
    ? state.alerts.map((a) =>
        a === existing
          ? {
              ...a,
              title: alert.title,
              status: alert.status,
              labels: keyLabels(alert.labels),
              ...(alert.value !== undefined ? { value: alert.value } : {}),
              lastSeen: seen > a.lastSeen ? seen : a.lastSeen,
              count: a.count + 1,
              ...(alert.responders?.length ? { responders: [...new Set([...(a.responders ?? []), ...alert.responders])].slice(0, 20) } : {}),
            }
          : a,
      )
    : [...state.alerts, trackAlert(alert, now)];
  alerts.sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  const tokens = [fingerprintToken(alert.source, alert.fingerprint), ...(alert.groupKey ? [groupToken(alert.source, alert.groupKey)] : [])];
  return {
    ...state,
    fingerprints: state.fingerprints.includes(alert.fingerprint) ? state.fingerprints : [...state.fingerprints, alert.fingerprint],
    fingerprintTokens: [...new Set([...state.fingerprintTokens, ...tokens])],
    groupKeys: alert.groupKey && !state.groupKeys.includes(alert.groupKey) ? [...state.groupKeys, alert.groupKey] : state.groupKeys,
    alerts: alerts.length > MAX_TRACKED_ALERTS ? [...alerts].sort((a, b) => b.lastSeen.localeCompare(a.lastSeen)).slice(0, MAX_TRACKED_ALERTS).sort((a, b) => a.firstSeen.localeCompare(b.firstSeen)) : alerts,
  };
}
