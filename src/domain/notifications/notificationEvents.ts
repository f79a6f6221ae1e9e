import type { IncidentState } from '../incident/incidentState.ts';
import { SEVERITIES, type Severity } from '../incident/severity.ts';
import type { NotificationConfig, NotificationKind, NotificationTarget } from './notificationConfig.ts';

export interface NotificationEvent {
  kind: NotificationKind;
  at: string;
  incident: { id: string; title: string; service: string; severity: Severity; status: IncidentState['status']; url: string };
  /** One line for people: what happened. */
  text: string;
}

/**
 * What changed between two versions of an incident that people outside the issue should hear
 * about. Pure. Internal status messages stay internal here too.
 */
export function notificationEvents(before: IncidentState | null, after: IncidentState, context: { url: string; at: string; sloBreached?: boolean }): NotificationEvent[] {
  const incident = { id: after.id, title: after.title, service: after.service, severity: after.severity, status: after.status, url: context.url };
  const event = (kind: NotificationKind, text: string): NotificationEvent => ({ kind, at: context.at, incident, text });
  const events: NotificationEvent[] = [];
  if (context.sloBreached) events.push(event('slo-breached', `Ack SLO breached: ${after.severity} ${after.title} is not acknowledged`));
  if (!before) {
    events.push(event('opened', `${after.severity} incident opened: ${after.title}`));
    return events;
  }
  if (before.severity !== after.severity) events.push(event('severity', `Severity ${before.severity} → ${after.severity}: ${after.title}`));
  const newUpdates = after.statusUpdates.slice(before.statusUpdates.length).filter((update) => !update.internal && update.status !== 'resolved');
  for (const update of newUpdates) events.push({ ...event('status-update', `${update.status}: ${update.text}`), at: update.at });
  if (before.status !== 'resolved' && after.status === 'resolved') {
    const summary = after.statusUpdates.at(-1);
    events.push(event('resolved', `Resolved: ${after.title}${summary?.status === 'resolved' && !summary.internal ? ` (${summary.text})` : ''}`));
  }
  return events;
}

/** The targets that want `event`: by kind, service and minimum severity. */
export function targetsFor(config: NotificationConfig, event: NotificationEvent): NotificationTarget[] {
  const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);
  return config.targets.filter(
    (target) =>
      target.events.includes(event.kind) &&
      (target.services.length === 0 || target.services.includes(event.incident.service)) &&
      rank(event.incident.severity) <= rank(target.minSeverity),
  );
}

/** Slack's incoming-webhook body: plain text with a link, mentions disarmed. */
export function slackPayload(event: NotificationEvent): { text: string } {
  const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return { text: `:rotating_light: *${escape(event.incident.service)}* ${escape(event.text)} — <${event.incident.url}|${escape(event.incident.id)}>` };
}

/** The generic webhook body: a versioned, documented shape. */
export function webhookPayload(event: NotificationEvent): { version: 1; event: NotificationKind; at: string; incident: NotificationEvent['incident']; text: string } {
  return { version: 1, event: event.kind, at: event.at, incident: event.incident, text: event.text };
}
