import { createHash } from 'node:crypto';
import type { NormalizedAlert } from '../alerts/alert.ts';
import { fingerprintToken, groupToken } from '../alerts/fingerprintToken.ts';
import { incidentStateSchema, STATE_VERSION, type IncidentState, type TrackedAlert } from './incidentState.ts';

/** Labels shown first in the alerts table; the rest follow alphabetically. */
const KEY_LABELS = ['env', 'environment', 'cluster', 'region', 'namespace', 'job', 'instance', 'pod', 'team'];
/** Labels already shown elsewhere in the body. */
const SHOWN_ELSEWHERE = new Set(['alertname', 'severity', 'service']);
const MAX_LABELS = 6;
/** Label names and values longer than this are cut (with `…`): a table cell, not a data store. */
const MAX_LABEL_CHARS = 256;

function clipLabel(text: string): string {
  return text.length <= MAX_LABEL_CHARS ? text : `${text.slice(0, MAX_LABEL_CHARS - 1)}…`;
}

/** Summaries and descriptions are kept to this many characters in the state (the body shows at most 2,000). */
const MAX_STORED_TEXT = 4_000;

/** An alert's summary or description as the state keeps it. */
export function clipStored(text: string): string {
  return text.length <= MAX_STORED_TEXT ? text : `${text.slice(0, MAX_STORED_TEXT - 1)}…`;
}

/** The labels worth a column in the alerts table. */
export function keyLabels(labels: Record<string, string>): Record<string, string> {
  const names = Object.keys(labels).filter((name) => !SHOWN_ELSEWHERE.has(name));
  const rank = (name: string) => (KEY_LABELS.includes(name) ? KEY_LABELS.indexOf(name) : KEY_LABELS.length);
  names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(names.slice(0, MAX_LABELS).map((name) => [clipLabel(name), clipLabel(labels[name] ?? '')]));
}

export function trackAlert(alert: NormalizedAlert, now: Date): TrackedAlert {
  const seen = now.toISOString();
  return {
    fingerprint: alert.fingerprint,
    title: alert.title,
    status: alert.status,
    labels: keyLabels(alert.labels),
    ...(alert.value !== undefined ? { value: alert.value } : {}),
    firstSeen: earliest(alert.startsAt, seen),
    lastSeen: seen,
    count: 1,
    links: {
      ...(alert.links.generator ? { generator: alert.links.generator } : {}),
      ...(alert.links.runbook ? { runbook: alert.links.runbook } : {}),
      ...(alert.links.dashboard ? { dashboard: alert.links.dashboard } : {}),
      ...(alert.links.silence ? { silence: alert.links.silence } : {}),
    },
    ...(alert.responders?.length ? { responders: [...new Set(alert.responders)].slice(0, 20) } : {}),
  };
}

function earliest(startsAt: string, now: string): string {
  const start = Date.parse(startsAt);
  return Number.isNaN(start) || start > Date.parse(now) ? now : new Date(start).toISOString();
}

/**
 * A stable, readable id known before the issue exists (so creating the issue is one request):
 * day, service and a short hash, e.g. `20250114-checkout-3f9a`.
 */
export function incidentId(input: { service: string; triggeredAt: string; seed: string }): string {
  const day = input.triggeredAt.slice(0, 10).replace(/-/g, '');
  const slug = input.service.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32) || 'incident';
  const hash = createHash('sha256').update(`${input.seed}\u0000${input.triggeredAt}`).digest('hex').slice(0, 4);
  return `${day}-${slug}-${hash}`;
}

/** The state of a new incident raised by an alert. */
export function openIncident(alert: NormalizedAlert, now: Date): IncidentState {
  const tracked = trackAlert(alert, now);
  const token = fingerprintToken(alert.source, alert.fingerprint);
  const triggeredAt = tracked.firstSeen;
  return incidentStateSchema.parse({
    version: STATE_VERSION,
    id: incidentId({ service: alert.service, triggeredAt, seed: token }),
    title: alert.title,
    ...(alert.summary ? { summary: clipStored(alert.summary) } : {}),
    ...(alert.description ? { description: clipStored(alert.description) } : {}),
    source: alert.source,
    service: alert.service,
    severity: alert.severity,
    status: 'triggered',
    fingerprints: [alert.fingerprint],
    fingerprintTokens: alert.groupKey ? [token, groupToken(alert.source, alert.groupKey)] : [token],
    groupKeys: alert.groupKey ? [alert.groupKey] : [],
    alerts: [tracked],
    triggeredAt,
    timeline: [{ at: now.toISOString(), type: 'triggered', text: `Triggered by ${alert.source} alert ${alert.title}` }],
  });
}
