import type { Severity } from '../incident/severity.ts';

/**
 * What a PagerDuty or Opsgenie event does to the incident of an alert that is already known, by
 * its key alone (`dedup_key`, `alias`): no labels, no title, only the act. `by` says who, in words
 * (`the PagerDuty integration "checkout-prod"`), for the timeline.
 */
export type AlertAction =
  /** PagerDuty `acknowledge`, Opsgenie `POST …/acknowledge`: the incident is acknowledged, nobody is assigned. */
  | { type: 'acknowledge'; by: string; note?: string }
  /**
   * PagerDuty `resolve`, Opsgenie `POST …/close`, a heartbeat that is back: every firing alert of the
   * incident resolves (and the incident with them, per `alerts.autoResolve`). `note` opens the comment.
   */
  | { type: 'resolve'; by: string; note?: string }
  /** Opsgenie `POST …/notes` (and `note` on other requests): a timeline comment. */
  | { type: 'note'; by: string; text: string }
  /** Opsgenie `PUT …/message`. */
  | { type: 'retitle'; by: string; title: string }
  /** Opsgenie `PUT …/description`. */
  | { type: 'describe'; by: string; description: string }
  /** Opsgenie `PUT …/priority`. */
  | { type: 'reprioritize'; by: string; severity: Severity };

/** An Opsgenie request whose outcome `GET v2/alerts/requests/{requestId}` reports once it is processed. */
export interface VendorRequest {
  id: string;
  /** Opsgenie's action names: `Create`, `Acknowledge`, `Close`, `AddNote`, `UpdateMessage`, `UpdateDescription`, `UpdatePriority`. */
  action: string;
  /** The integration the request came through (its configured name). */
  integration: string;
  alertId: string;
  alias: string;
}

export interface VendorContext {
  /** The integration (PagerDuty routing key, Opsgenie API key, heartbeat) by its configured name. */
  integration: string;
  /** A `routing.services[].name` that takes the alert whatever its labels say (the key's `route`). */
  route?: string;
  /** What the event does besides reporting the alert; the alert's own fields are then placeholders. */
  action?: AlertAction;
  /** Acts on this incident issue (Opsgenie `identifierType=tiny`: the issue number is the tiny id). */
  issue?: number;
  request?: VendorRequest;
}

/** Whether the alert is an act on a known incident rather than a notification about the alert itself. */
export function isActionAlert(alert: { vendor?: VendorContext }): boolean {
  return alert.vendor?.action !== undefined;
}
