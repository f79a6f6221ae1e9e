import { formatDuration } from '../incident/durations.ts';
import type { IncidentState } from '../incident/incidentState.ts';
import type { Severity } from '../incident/severity.ts';

/** Everything a page says, whatever the channel: each adapter lays it out its provider's way. */
export interface PageMessage {
  /** `<login>-<round>`, also the idempotency key adapters pass on where the provider has one. */
  pageId: string;
  login: string;
  round: number;
  incident: string;
  title: string;
  severity: Severity;
  service: string;
  /** `12m`, `1h 05m`: how long the incident has been open. */
  openFor: string;
  issueUrl: string;
  /** `acme/shop#12` */
  issueRef: string;
  /** The one-tap acknowledge link; null where this runtime cannot serve one (the Action without a server). */
  ackUrl: string | null;
}

export function pageMessage(state: IncidentState, issue: { url: string; ref: string }, page: { id: string; login: string; round: number }, now: Date, ackUrl: string | null): PageMessage {
  return {
    pageId: page.id,
    login: page.login,
    round: page.round,
    incident: state.id,
    title: state.title,
    severity: state.severity,
    service: state.service,
    openFor: formatDuration(Math.max(0, now.getTime() - Date.parse(state.triggeredAt))),
    issueUrl: issue.url,
    issueRef: issue.ref,
    ackUrl,
  };
}

/** `P1 checkout: HighErrorRate` */
export function pageHeadline(message: PageMessage): string {
  return `${message.severity} ${message.service}: ${message.title}`;
}

/** The plain-text page (SMS, push bodies, the text part of the e-mail). */
export function pageText(message: PageMessage): string {
  const again = message.round > 1 ? ` (page ${message.round}, still not acknowledged)` : '';
  const ack = message.ackUrl ? `Acknowledge: ${message.ackUrl}` : `Acknowledge with /ack on ${message.issueUrl}`;
  return `${pageHeadline(message)}. Open ${message.openFor}${again}. ${message.issueRef} ${message.issueUrl}\n${ack}`;
}

/** Push priority 1 (min) … 5 (max) by severity, as ntfy numbers them. */
export function pushPriority(severity: Severity): 1 | 2 | 3 | 4 | 5 {
  return ({ P1: 5, P2: 4, P3: 3, P4: 2, P5: 1 } as const)[severity];
}
