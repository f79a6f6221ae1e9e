import type { NormalizedAlert } from './alert.ts';
import type { IncidentState, TimelineEntry } from '../incident/incidentState.ts';
import { escapeInline } from '../text/markdown.ts';
import { openIncident } from '../incident/openIncident.ts';
import { recordAlerts } from './recordAlert.ts';

/** What is known about the incident an alert batch belongs to, as found on GitHub. */
export interface FoundIncident {
  number: number;
  open: boolean;
  state: IncidentState;
  /** When the issue was closed (GitHub's `closed_at`), for incidents closed without a state update. */
  closedAt?: string | null;
}

export interface BatchSettings {
  /** At most one "still firing / new alert joined" comment per incident per this many ms. */
  noticeIntervalMs: number;
  /** Firing again this soon after resolution reopens the incident; later opens a new one. */
  reopenWindowMs: number;
  /** Close the incident as resolved once all of its alerts have resolved. */
  autoResolve: boolean;
}

/** Timeline entry types written by alert intake; the notice throttle reads them back. */
const NOTICE_TYPE = 'alerts.notice';
export const RESOLVED_TYPE = 'alerts.resolved';
const REOPENED_TYPE = 'reopened';
const AUTO_RESOLVED_TYPE = 'resolved';
/** Comments for what a vendor API did to the incident (acknowledged, a note, a new priority): see `decideAlertActions`. */
export const ACTION_TYPE = 'alerts.action';

export interface Notice {
  type: typeof NOTICE_TYPE | typeof RESOLVED_TYPE | typeof REOPENED_TYPE | typeof AUTO_RESOLVED_TYPE | typeof ACTION_TYPE;
  /** Markdown for the timeline comment; alert text already escaped. */
  text: string;
}

export type BatchDecision =
  | { kind: 'ignore'; reason: 'resolved_without_incident' | 'already_resolved' | 'no_incident'; message: string }
  | { kind: 'open'; state: IncidentState; previous?: { number: number; resolvedAt: string } }
  | {
      kind: 'update';
      number: number;
      state: IncidentState;
      /** Timeline comments to post, in order (usually none). */
      comments: Notice[];
      /** Reopen a closed incident (status back to triggered). */
      reopen?: true;
      /** Close the incident as resolved (autoResolve). */
      resolve?: true;
    };

function allResolved(state: IncidentState): boolean {
  return state.alerts.length > 0 && state.alerts.every((alert) => alert.status === 'resolved');
}

function lastNoticeAt(state: IncidentState): number {
  const times = state.timeline.filter((entry) => entry.type === NOTICE_TYPE || entry.type === REOPENED_TYPE).map((entry) => Date.parse(entry.at));
  return Math.max(Date.parse(state.triggeredAt), ...times.filter((t) => !Number.isNaN(t)));
}

function names(alerts: { title: string }[]): string {
  const unique = [...new Set(alerts.map((alert) => alert.title))];
  const shown = unique.slice(0, 5).map((title) => `**${escapeInline(title)}**`);
  return unique.length > shown.length ? `${shown.join(', ')} and ${unique.length - shown.length} more` : shown.join(', ');
}

function minutes(ms: number): string {
  const total = Math.max(1, Math.round(ms / 60_000));
  return total < 120 ? `${total} min` : `${Math.round(total / 60)} h`;
}

function withTimeline(state: IncidentState, entry: TimelineEntry): IncidentState {
  return { ...state, timeline: [...state.timeline, entry] };
}

/**
 * What one batch of notifications (same key, same repository, oldest first) does to its incident.
 * Pure: the caller found the incident (or none) on GitHub and turns the decision into requests.
 *
 * - no incident: firing alerts open one; resolved-only batches are dropped (nothing to resolve)
 * - open incident: updated in place; a comment only when all alerts have just resolved, or (at
 *   most once per `noticeIntervalMs`) when a new alert joined or alerts keep firing
 * - closed incident: firing again within `reopenWindowMs` of its resolution reopens it; later
 *   opens a new incident that links the previous one
 */
export function decideAlertBatch(input: { incident?: FoundIncident; alerts: NormalizedAlert[]; now: Date; settings: BatchSettings }): BatchDecision {
  const { incident, alerts, now, settings } = input;
  const at = now.toISOString();
  const firing = alerts.filter((alert) => alert.status === 'firing');

  if (!incident || (!incident.open && incident.state.status === 'canceled' && firing.length > 0)) {
    const [first] = firing;
    if (!first) return { kind: 'ignore', reason: 'resolved_without_incident', message: 'resolved alerts without an incident: nothing to resolve' };
    // Alerts that resolved before the incident even opened are not worth a row.
    const fired = new Set([first.fingerprint]);
    const rest: NormalizedAlert[] = [];
    for (const alert of alerts) {
      if (alert === first) continue;
      if (alert.status === 'firing') fired.add(alert.fingerprint);
      if (fired.has(alert.fingerprint)) rest.push(alert);
    }
    const state = recordAlerts(openIncident(first, now), rest, now);
    return { kind: 'open', state, ...(incident ? { previous: { number: incident.number, resolvedAt: incident.closedAt ?? at } } : {}) };
  }

  if (!incident.open) {
    const resolvedAt = incident.state.resolvedAt ?? incident.closedAt ?? at;
    // "Fires again": a new firing, not a repeat of a notification from before the resolution.
    const again = firing.filter((alert) => {
      const tracked = incident.state.alerts.find((candidate) => candidate.fingerprint === alert.fingerprint);
      return !tracked || tracked.status === 'resolved' || Date.parse(alert.startsAt) > Date.parse(resolvedAt);
    });
    const [first] = again;
    if (!first) {
      // The source now reports resolved what was still firing when the incident closed: the rows say so, nothing else changes.
      const firingRows = new Set(incident.state.alerts.filter((tracked) => tracked.status === 'firing').map((tracked) => tracked.fingerprint));
      const catchingUp = alerts.filter((alert) => alert.status === 'resolved' && (firingRows.has(alert.fingerprint) || (alert.groupKey !== undefined && (incident.state.untrackedAlerts?.firing ?? 0) > 0)));
      if (catchingUp.length === 0) return { kind: 'ignore', reason: 'already_resolved', message: `incident #${incident.number} is closed and no alert of it fired again` };
      return { kind: 'update', number: incident.number, state: recordAlerts(incident.state, catchingUp, now), comments: [] };
    }
    const sinceResolved = now.getTime() - Date.parse(resolvedAt);
    if (sinceResolved > settings.reopenWindowMs) {
      let state = recordAlerts(
        openIncident(first, now),
        again.filter((alert) => alert !== first),
        now,
      );
      state = withTimeline(state, { at, type: 'previous', text: `Fired before in #${incident.number}, resolved ${minutes(sinceResolved)} earlier` });
      return { kind: 'open', state, previous: { number: incident.number, resolvedAt } };
    }
    let state = recordAlerts(incident.state, alerts, now);
    const text = `🔁 Reopened: ${names(again)} fired again ${minutes(sinceResolved)} after the incident was resolved (reopen window ${minutes(settings.reopenWindowMs)}).`;
    state = withTimeline({ ...state, status: 'triggered', resolvedAt: null }, { at, type: REOPENED_TYPE, text: `Reopened: ${again.map((a) => a.title).join(', ')} fired again` });
    return { kind: 'update', number: incident.number, state, comments: [{ type: REOPENED_TYPE, text }], reopen: true };
  }

  const before = incident.state;
  let state = recordAlerts(before, alerts, now);
  const comments: Notice[] = [];

  if (!allResolved(before) && allResolved(state)) {
    const text = `✅ All ${state.alerts.length === 1 ? 'alerts have' : `${state.alerts.length} alerts have`} resolved: ${names(state.alerts)}.${settings.autoResolve ? ' Resolving the incident (autoResolve).' : ' The incident stays open until someone resolves it.'}`;
    state = withTimeline(state, { at, type: RESOLVED_TYPE, text: 'All alerts resolved' });
    comments.push({ type: RESOLVED_TYPE, text });
    if (settings.autoResolve && state.status !== 'resolved') {
      state = withTimeline({ ...state, status: 'resolved', resolvedAt: at }, { at, type: AUTO_RESOLVED_TYPE, text: 'Resolved automatically: all alerts resolved' });
      return { kind: 'update', number: incident.number, state, comments, resolve: true };
    }
    return { kind: 'update', number: incident.number, state, comments };
  }

  const stillFiring = state.alerts.filter((alert) => alert.status === 'firing');
  if (firing.length > 0 && stillFiring.length > 0 && now.getTime() - lastNoticeAt(before) >= settings.noticeIntervalMs) {
    const joined = stillFiring.filter((alert) => !before.fingerprints.includes(alert.fingerprint));
    const refired = allResolved(before);
    const count = stillFiring.reduce((sum, alert) => sum + alert.count, 0);
    const text = joined.length
      ? `➕ New alert joined: ${names(joined)}. ${stillFiring.length} alert${stillFiring.length === 1 ? '' : 's'} firing now.`
      : refired
        ? `🔴 Firing again: ${names(stillFiring)}.`
        : `🔴 Still firing: ${names(stillFiring)} (${count} notifications so far).`;
    state = withTimeline(state, { at, type: NOTICE_TYPE, text: joined.length ? `New alert joined: ${joined.map((a) => a.title).join(', ')}` : refired ? 'Firing again' : 'Still firing' });
    comments.push({ type: NOTICE_TYPE, text });
  }
  return { kind: 'update', number: incident.number, state, comments };
}
