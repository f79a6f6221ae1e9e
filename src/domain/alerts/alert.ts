import type { Severity } from '../incident/severity.ts';
import type { VendorContext } from './vendorEvent.ts';

/**
 * Where alerts come from: `POST /alerts/{source}` sources, the vendor-compatible APIs
 * (`pagerduty`, `opsgenie`) and missed dead man's switches (`heartbeat`).
 */
export const ALERT_SOURCES = ['alertmanager', 'grafana', 'generic', 'datadog', 'sentry', 'pagerduty', 'opsgenie', 'heartbeat'] as const;
export type AlertSource = (typeof ALERT_SOURCES)[number];

/**
 * One alert as every source is turned into it by `src/intake/`. Everything downstream
 * (routing, dedup, the incident body) works on this shape only.
 */
export interface NormalizedAlert {
  source: AlertSource;
  /** Stable identity of the problem: same fingerprint while it is the same problem. */
  fingerprint: string;
  /** Alertmanager group key (or a source's own grouping), when the source has one. */
  groupKey?: string;
  status: 'firing' | 'resolved';
  /** Alert name, e.g. `HighErrorRate`. */
  title: string;
  severity: Severity;
  /** Set when the source did not give a severity: routing then applies config `incidents.defaultSeverity`. */
  severityDefaulted?: true;
  service: string;
  summary?: string;
  description?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ISO-8601. */
  startsAt: string;
  endsAt?: string;
  /** Human-readable current value, e.g. `5.2%`. */
  value?: string;
  links: {
    generator?: string;
    runbook?: string;
    dashboard?: string;
    silence?: string;
    other: { title: string; url: string }[];
  };
  /** Set by the vendor-compatible APIs and heartbeats: the integration, and what the event does besides reporting the alert. */
  vendor?: VendorContext;
  /**
   * Whom the sender asked to be paged for this alert, as it named them: Opsgenie's `responders`
   * (`user:jane@example.com`, `team:ops`, `schedule:primary`) or GitHub logins. Paging finds them
   * among the people it can reach (`domain/paging/responders.ts`) and pages them with the people on call.
   */
  responders?: string[];
}
