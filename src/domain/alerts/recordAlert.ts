import type { NormalizedAlert } from './alert.ts';
import { countUntracked, keepAlerts, keepFingerprints, keepTokens, MAX_FINGERPRINTS, MAX_TRACKED_ALERTS } from '../incident/boundState.ts';
import { fingerprintToken, groupToken } from './fingerprintToken.ts';
import type { IncidentState } from '../incident/incidentState.ts';
import { clipStored, keyLabels, trackAlert } from '../incident/openIncident.ts';

export { MAX_TRACKED_ALERTS } from '../incident/boundState.ts';

/** The incident after one more notification of an alert: {@link recordAlerts} for one. */
export function recordAlert(state: IncidentState, alert: NormalizedAlert, now: Date): IncidentState {
  return recordAlerts(state, [alert], now);
}

/**
 * The incident after a batch of notifications (oldest first): each alert's row is updated (last
 * seen, count, status, value) or added. Then the state is bounded, once for the whole batch so an
 * alert tracked before keeps its row (and its count) against newcomers of the same group: at most
 * {@link MAX_TRACKED_ALERTS} rows, firing before resolved, then the most recently seen, then the
 * most notified; the rest of a group is counted in `untrackedAlerts`. The first summary and
 * description the incident gets stay. Identity fields, severity, status and roles are left alone.
 */
export function recordAlerts(state: IncidentState, batch: readonly NormalizedAlert[], now: Date): IncidentState {
  let next = state;
  for (const alert of batch) next = applyAlert(next, alert, now);
  const alerts = keepAlerts(next.alerts, MAX_TRACKED_ALERTS);
  return countUntracked(
    {
      ...next,
      alerts,
      fingerprints: keepFingerprints(next.fingerprints, alerts, MAX_FINGERPRINTS),
      fingerprintTokens: keepTokens(next.fingerprintTokens, MAX_FINGERPRINTS),
    },
    batch,
  );
}

function applyAlert(state: IncidentState, alert: NormalizedAlert, now: Date): IncidentState {
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
  const tokens = [fingerprintToken(alert.source, alert.fingerprint), ...(alert.groupKey ? [groupToken(alert.source, alert.groupKey)] : [])];
  return {
    ...state,
    ...(state.summary === undefined && alert.summary ? { summary: clipStored(alert.summary) } : {}),
    ...(state.description === undefined && alert.description ? { description: clipStored(alert.description) } : {}),
    fingerprints: state.fingerprints.includes(alert.fingerprint) ? state.fingerprints : [...state.fingerprints, alert.fingerprint],
    fingerprintTokens: [...new Set([...state.fingerprintTokens, ...tokens])],
    groupKeys: alert.groupKey && !state.groupKeys.includes(alert.groupKey) ? [...state.groupKeys, alert.groupKey] : state.groupKeys,
    alerts,
  };
}
