import type { NormalizedAlert } from '../alerts/alert.ts';
import { renderStateBlock, type IncidentState, type TrackedAlert } from './incidentState.ts';

/**
 * An incident's state lives in its issue body, and GitHub refuses bodies over 65,536 characters.
 * However large an alert group (Kubernetes sends one notification for every crash-looping pod),
 * the state must keep fitting, whole: these bounds keep it small, and {@link fitState} is the last
 * resort before a write. Alerts beyond the bounds are counted, not tracked.
 */

/** Alerts with a row of their own (and a count of notifications); the rest of a group is counted. */
export const MAX_TRACKED_ALERTS = 50;
/** Fingerprints (and their search tokens) remembered; the group's token still finds the incident. */
export const MAX_FINGERPRINTS = 100;
/** Characters the state block may take in a body, leaving room for everything a reader sees. */
export const STATE_BLOCK_BUDGET = 40_000;

/**
 * Which alerts keep a row when there are too many: firing before resolved, then the most recently
 * seen, then the most notified (an alert tracked for a while keeps its row against a newcomer of
 * the same notification, so its count goes on), then those that started first.
 */
function byKeepPriority(a: TrackedAlert, b: TrackedAlert): number {
  return (
    Number(a.status === 'resolved') - Number(b.status === 'resolved') ||
    b.lastSeen.localeCompare(a.lastSeen) ||
    b.count - a.count ||
    a.firstSeen.localeCompare(b.firstSeen) ||
    a.fingerprint.localeCompare(b.fingerprint)
  );
}

/** At most `max` alerts, oldest first as the state keeps them. */
export function keepAlerts(alerts: readonly TrackedAlert[], max: number): TrackedAlert[] {
  const sorted = [...alerts].sort((a, b) => a.firstSeen.localeCompare(b.firstSeen));
  if (sorted.length <= max) return sorted;
  const kept = new Set([...sorted].sort(byKeepPriority).slice(0, max));
  return sorted.filter((alert) => kept.has(alert));
}

/** The fingerprints to remember: every tracked alert's, then the most recent others, in their original order. */
export function keepFingerprints(fingerprints: readonly string[], alerts: readonly TrackedAlert[], max: number): string[] {
  if (fingerprints.length <= max) return [...fingerprints];
  const tracked = new Set(alerts.map((alert) => alert.fingerprint));
  const others = fingerprints.filter((fingerprint) => !tracked.has(fingerprint));
  const keep = new Set([...tracked, ...others.slice(Math.max(0, others.length - Math.max(0, max - tracked.size)))]);
  return fingerprints.filter((fingerprint) => keep.has(fingerprint));
}

/** Search tokens: every group token (`fwgk…`, the one that finds a group's incident), then the most recent fingerprint tokens. */
export function keepTokens(tokens: readonly string[], max: number): string[] {
  const groups = tokens.filter((token) => token.startsWith('fwgk'));
  const fingerprints = tokens.filter((token) => !token.startsWith('fwgk'));
  const keep = new Set([...groups, ...fingerprints.slice(Math.max(0, fingerprints.length - max))]);
  return tokens.filter((token) => keep.has(token));
}

/**
 * After a batch of notifications: how many alerts of the group it reported have no row, by their
 * latest status. A group notification (Alertmanager, Grafana) lists the whole group each time, so
 * this is the group as it is now; batches without a group leave the count as it was.
 */
export function countUntracked(state: IncidentState, batch: readonly NormalizedAlert[]): IncidentState {
  if (!batch.some((alert) => alert.groupKey)) return state;
  const tracked = new Set(state.alerts.map((alert) => alert.fingerprint));
  const latest = new Map<string, NormalizedAlert['status']>();
  for (const alert of batch) if (!tracked.has(alert.fingerprint)) latest.set(alert.fingerprint, alert.status);
  const counts = { firing: 0, resolved: 0 };
  for (const status of latest.values()) counts[status] += 1;
  const { untrackedAlerts: _previous, ...rest } = state;
  return counts.firing || counts.resolved ? { ...rest, untrackedAlerts: counts } : rest;
}

/** Timeline entries the state always keeps, however long the incident. */
export const MIN_TIMELINE_KEPT = 20;

/**
 * The state made to fit {@link STATE_BLOCK_BUDGET} when the bounds above were not enough (very
 * long labels, links or fingerprints): fewer alert rows (the dropped ones counted as untracked),
 * then fewer remembered fingerprints, then (an incident with thousands of notes) the oldest
 * timeline entries, counted in `earlierTimeline`: every one of them is still in the event marker
 * of the firewatch comment that recorded it. Roles and the last {@link MIN_TIMELINE_KEPT} entries
 * are never dropped; a state still too large is returned as it is, and the write refuses it.
 */
export function fitState(state: IncidentState, budget = STATE_BLOCK_BUDGET): IncidentState {
  const fits = (candidate: IncidentState) => renderStateBlock(candidate).length <= budget;
  if (fits(state)) return state;
  let current = state;
  for (const max of [25, 10, 3, 1, 0]) {
    if (current.alerts.length > max) current = dropAlerts(current, max);
    if (fits(current)) return current;
    const fingerprints = keepFingerprints(current.fingerprints, current.alerts, Math.max(current.alerts.length, max * 2));
    current = { ...current, fingerprints, fingerprintTokens: keepTokens(current.fingerprintTokens, fingerprints.length) };
    if (fits(current)) return current;
  }
  return dropOldestEntries(current, fits);
}

/** The fewest oldest timeline entries left out for the state to fit (a binary search: states with thousands of entries are large). */
function dropOldestEntries(state: IncidentState, fits: (candidate: IncidentState) => boolean): IncidentState {
  const timeline = [...state.timeline].sort((a, b) => a.at.localeCompare(b.at));
  const most = timeline.length - MIN_TIMELINE_KEPT;
  if (most <= 0) return state;
  const without = (count: number): IncidentState => {
    const last = timeline[count - 1];
    if (count === 0 || !last) return state;
    return { ...state, timeline: timeline.slice(count), earlierTimeline: { count: (state.earlierTimeline?.count ?? 0) + count, until: last.at } };
  };
  if (!fits(without(most))) return without(most);
  let low = 1;
  let high = most;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (fits(without(middle))) high = middle;
    else low = middle + 1;
  }
  return without(low);
}

function dropAlerts(state: IncidentState, max: number): IncidentState {
  const alerts = keepAlerts(state.alerts, max);
  const dropped = state.alerts.filter((alert) => !alerts.includes(alert));
  const untracked = { firing: state.untrackedAlerts?.firing ?? 0, resolved: state.untrackedAlerts?.resolved ?? 0 };
  for (const alert of dropped) untracked[alert.status] += 1;
  return { ...state, alerts, untrackedAlerts: untracked };
}
