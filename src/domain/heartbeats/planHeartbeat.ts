import type { NormalizedAlert } from '../alerts/alert.ts';
import type { IncidentState } from '../incident/incidentState.ts';
import { formatTime } from '../incident/incidentView.ts';
import { stableFingerprintOf } from './heartbeatFingerprint.ts';
import { intervalMs, type HeartbeatConfig } from './heartbeatConfig.ts';

/** An incident as a sweep read it: open or not, with its state. */
export interface KnownIncident {
  number: number;
  open: boolean;
  state: IncidentState;
}

export interface HeartbeatFacts {
  heartbeat: HeartbeatConfig;
  /** The last ping this process (or Redis) knows of. */
  lastPing?: Date;
  /** Since when the heartbeat is watched: a heartbeat that never pinged is missed an interval after that. */
  watchedSince: Date;
  /** The incidents the sweep read (open, and recently closed). */
  incidents: readonly KnownIncident[];
  now: Date;
  timezone: string;
}

export type HeartbeatDecision =
  | { kind: 'ok' }
  /** Already reported and not back yet: nothing to do. */
  | { kind: 'reported'; issue: number }
  | { kind: 'missed'; alert: NormalizedAlert; silentMs: number }
  | { kind: 'back'; alert: NormalizedAlert; issue: number };

const HEARTBEAT_INTEGRATION = 'heartbeats';

/** `10 minutes`, `1 hour`, `2 hours 5 minutes`. */
function spoken(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const part = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (hours === 0) return part(minutes, 'minute');
  return rest ? `${part(hours, 'hour')} ${part(rest, 'minute')}` : part(hours, 'hour');
}

/** The alert of a missed heartbeat; its fingerprint depends on the name only, so every sweep and replica files the same one. */
function heartbeatAlert(heartbeat: HeartbeatConfig, status: 'firing' | 'resolved', at: Date, startsAt: Date, summary?: string): NormalizedAlert {
  const alert: NormalizedAlert = {
    source: 'heartbeat',
    fingerprint: stableFingerprintOf(heartbeat.name),
    status,
    title: `No heartbeat from ${heartbeat.name}`,
    severity: heartbeat.severity,
    service: heartbeat.service ?? heartbeat.name,
    labels: { heartbeat: heartbeat.name, ...(heartbeat.service ? { service: heartbeat.service } : {}) },
    annotations: {},
    startsAt: startsAt.toISOString(),
    links: { other: [] },
    vendor: { integration: HEARTBEAT_INTEGRATION },
  };
  if (summary) alert.summary = summary;
  if (status === 'resolved') alert.endsAt = at.toISOString();
  return alert;
}

/**
 * Whether a heartbeat is missed, back, or fine. Pure: the state that matters is on GitHub (the
 * heartbeat's alert, firing in an incident, means "missed and reported"), the pings come from the
 * store. So a restart or a second replica neither reports a miss twice nor forgets one.
 *
 * - Missed: no ping for longer than the interval (since watching began, for one that never
 *   pinged), and no incident holds its alert firing, or it does but a ping came after it (that
 *   episode is over, even if people closed the incident before).
 * - Back: a ping came after the alert fired and the incident is still open: its alert resolves,
 *   with a comment saying when the heartbeat came back.
 */
export function planHeartbeat(facts: HeartbeatFacts): HeartbeatDecision {
  const { heartbeat, lastPing, now } = facts;
  const fingerprint = stableFingerprintOf(heartbeat.name);
  const interval = intervalMs(heartbeat);
  const reference = lastPing ?? facts.watchedSince;
  const silentMs = now.getTime() - reference.getTime();
  const holding = facts.incidents
    .map((incident) => ({ incident, alert: incident.state.alerts.find((alert) => alert.fingerprint === fingerprint && alert.status === 'firing') }))
    .filter((found) => found.alert !== undefined)
    .sort((a, b) => Number(b.incident.open) - Number(a.incident.open) || b.incident.number - a.incident.number)[0];
  const pingedSince = holding?.alert && lastPing !== undefined && lastPing.getTime() > Date.parse(holding.alert.lastSeen);

  if (holding && !pingedSince) return { kind: 'reported', issue: holding.incident.number };
  if (silentMs > interval) {
    const last = lastPing ? `the last one arrived at ${formatTime(lastPing.toISOString(), facts.timezone)}` : `none arrived since firewatch started watching at ${formatTime(facts.watchedSince.toISOString(), facts.timezone)}`;
    const summary = `No heartbeat from ${heartbeat.name} for ${spoken(silentMs)}: one is expected at least every ${spoken(interval)}, and ${last}.`;
    return { kind: 'missed', alert: heartbeatAlert(heartbeat, 'firing', now, new Date(reference.getTime() + interval), summary), silentMs };
  }
  if (holding && pingedSince && holding.incident.open && lastPing && holding.alert) {
    const alert = heartbeatAlert(heartbeat, 'resolved', now, new Date(Date.parse(holding.alert.firstSeen)));
    const gap = lastPing.getTime() - (Date.parse(holding.alert.firstSeen) - interval);
    alert.vendor = {
      integration: HEARTBEAT_INTEGRATION,
      action: { type: 'resolve', by: `heartbeat ${heartbeat.name}`, note: `💓 Heartbeat ${heartbeat.name} is back: a ping arrived at ${formatTime(lastPing.toISOString(), facts.timezone)}, after about ${spoken(gap)} without one.` },
    };
    return { kind: 'back', alert, issue: holding.incident.number };
  }
  return { kind: 'ok' };
}
