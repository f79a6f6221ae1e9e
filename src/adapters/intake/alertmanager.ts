import { z } from 'zod';
import type { AlertSource, NormalizedAlert } from '../../domain/alerts/alert.ts';
import { problemsFromZod, type NormalizeContext, type NormalizeResult, type NotificationGroup } from './normalizer.ts';
import { rateAlert } from './severityLevels.ts';
import { trimEndChars } from '../../domain/text/trimChars.ts';
import {
  annotationMapSchema,
  clip,
  firstLabel,
  labelMapSchema,
  SERVICE_LABELS,
  sortedPairs,
  sourceTimeSchema,
  stableFingerprint,
  UNKNOWN_SERVICE,
  webLink,
} from './sourceFields.ts';

const alertStatus = z.enum(['firing', 'resolved'], { error: 'must be "firing" or "resolved"' });

/** One alert of an Alertmanager webhook notification (version 4). */
export const alertmanagerAlertSchema = z.object({
  status: alertStatus,
  labels: labelMapSchema,
  annotations: annotationMapSchema.default({}),
  startsAt: sourceTimeSchema.optional(),
  endsAt: sourceTimeSchema.optional(),
  generatorURL: z.string().max(8192).optional(),
  fingerprint: z.string().trim().min(1).max(256).optional(),
});

/**
 * Alertmanager's webhook notification, version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Unknown keys are
 * ignored, so newer Alertmanagers keep working.
 */
export const alertmanagerPayloadSchema = z.object({
  version: z.string().max(16).optional(),
  groupKey: z.string().max(8192).optional(),
  truncatedAlerts: z.number().int().min(0).default(0),
  status: alertStatus.optional(),
  receiver: z.string().max(1024).optional(),
  groupLabels: labelMapSchema.default({}),
  commonLabels: labelMapSchema.default({}),
  commonAnnotations: annotationMapSchema.default({}),
  externalURL: z.string().max(8192).optional(),
  alerts: z.array(alertmanagerAlertSchema).min(1, { error: 'a notification carries at least one alert' }),
});

export type AlertmanagerAlert = z.output<typeof alertmanagerAlertSchema>;
type ParsedPayload = z.output<typeof alertmanagerPayloadSchema>;

/** Labels that may carry the alert's level, in order (values per `SEVERITY_LEVELS`). */
const SEVERITY_LABELS = ['severity', 'priority'] as const;

/** Annotations read into dedicated fields, first match wins. */
const RUNBOOK_ANNOTATIONS = ['runbook_url', 'runbook'];
const DASHBOARD_ANNOTATIONS = ['dashboard_url', 'dashboard'];
const MAX_OTHER_LINKS = 16;

/**
 * Every alert of the group becomes one NormalizedAlert with its own fingerprint and the group's
 * `groupKey`. Field by field:
 * - title: label `alertname` (else the group's `alertname`, else annotation `summary`)
 * - service: the first set label of `service`, `service_name`, `job`, `app`, `namespace`, else `unknown`
 * - severity: label `severity`, else `priority` (see `SEVERITY_LEVELS`), else defaulted
 * - summary / description: annotations `summary` (or `message`) / `description`; value: annotation `value`
 * - links: `generatorURL`; annotations `runbook_url`/`runbook`, `dashboard_url`/`dashboard`, other
 *   `*_url` annotations; a silence link into Alertmanager's UI built from `externalURL`
 */
export function normalizeAlertmanager(payload: unknown, context: NormalizeContext): NormalizeResult {
  const parsed = alertmanagerPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const notification = parsed.data;
  const externalURL = webLink(notification.externalURL);

  const alerts = notification.alerts.map((alert) => {
    const normalized = labelledAlert('alertmanager', alert, notification, context);
    const silence = externalURL ? alertmanagerSilenceLink(externalURL, alert.labels) : undefined;
    if (silence) normalized.links.silence = silence;
    return normalized;
  });

  return { ok: true, alerts, ...groupFacts('Alertmanager', notification) };
}

/**
 * The parts of an alert that Alertmanager and Grafana (whose webhook extends Alertmanager's) share.
 * Sources add their own links afterwards.
 */
export function labelledAlert(
  source: AlertSource,
  alert: AlertmanagerAlert,
  notification: Pick<ParsedPayload, 'groupKey' | 'groupLabels'>,
  context: NormalizeContext,
): NormalizedAlert {
  const { labels, annotations } = alert;
  const fingerprint = alert.fingerprint ?? stableFingerprint(source, ...sortedPairs(labels).flat());
  const title = firstLabel(labels, ['alertname']) ?? firstLabel(notification.groupLabels, ['alertname']) ?? firstLabel(annotations, ['summary']) ?? `Alert ${fingerprint}`;
  const receivedAt = context.receivedAt.toISOString();

  const normalized: NormalizedAlert = {
    source,
    fingerprint,
    status: alert.status,
    title: clip(title, 256),
    ...rateAlert(...SEVERITY_LABELS.map((name) => labels[name])),
    service: clip(firstLabel(labels, SERVICE_LABELS) ?? UNKNOWN_SERVICE, 128),
    labels,
    annotations,
    startsAt: alert.startsAt ?? receivedAt,
    links: { other: otherLinks(annotations) },
  };
  if (notification.groupKey) normalized.groupKey = notification.groupKey;
  if (alert.status === 'resolved') normalized.endsAt = alert.endsAt ?? receivedAt;
  const summary = firstLabel(annotations, ['summary', 'message']);
  if (summary) normalized.summary = summary;
  const description = firstLabel(annotations, ['description']);
  if (description) normalized.description = description;
  const value = firstLabel(annotations, ['value']);
  if (value) normalized.value = clip(value, 256);

  const generator = webLink(alert.generatorURL);
  if (generator) normalized.links.generator = generator;
  const runbook = firstWebLink(annotations, RUNBOOK_ANNOTATIONS);
  if (runbook) normalized.links.runbook = runbook;
  const dashboard = firstWebLink(annotations, DASHBOARD_ANNOTATIONS);
  if (dashboard) normalized.links.dashboard = dashboard;
  return normalized;
}

/** Group facts and the notes worth surfacing, shared with Grafana. */
export function groupFacts(
  sender: string,
  notification: Pick<ParsedPayload, 'groupKey' | 'status' | 'truncatedAlerts' | 'alerts'>,
): { group: NotificationGroup; notes?: string[] } {
  const allResolved = notification.truncatedAlerts === 0 && notification.alerts.every((alert) => alert.status === 'resolved');
  const group: NotificationGroup = {
    status: notification.status ?? (allResolved ? 'resolved' : 'firing'),
    truncatedAlerts: notification.truncatedAlerts,
  };
  if (notification.groupKey) group.key = notification.groupKey;
  if (notification.truncatedAlerts === 0) return { group };
  const count = notification.truncatedAlerts;
  return {
    group,
    notes: [
      `${sender} left ${count} more alert${count === 1 ? '' : 's'} of this group out of the notification (the receiver's max_alerts); ` +
        'they are tracked once a notification includes them.',
    ],
  };
}

/**
 * The link Alertmanager's own UI uses to pre-fill a new silence: `#/silences/new?filter={...}` with
 * one equality matcher per label of the alert (`alertname` first), values quoted as matchers require.
 */
export function alertmanagerSilenceLink(externalURL: string, labels: Record<string, string>): string {
  const pairs = sortedPairs(labels).sort(([a], [b]) => Number(b === 'alertname') - Number(a === 'alertname'));
  const matchers = pairs.map(([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `${trimEndChars(externalURL, '/')}/#/silences/new?filter=${encodeURIComponent(`{${matchers.join(', ')}}`)}`;
}

function firstWebLink(annotations: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const link = webLink(annotations[key]);
    if (link) return link;
  }
  return undefined;
}

/** Other `*_url` annotations (logs, traces, ...) become extra links, named after the annotation. */
function otherLinks(annotations: Record<string, string>): { title: string; url: string }[] {
  const dedicated = new Set([...RUNBOOK_ANNOTATIONS, ...DASHBOARD_ANNOTATIONS]);
  const links: { title: string; url: string }[] = [];
  for (const [key, value] of sortedPairs(annotations)) {
    if (dedicated.has(key) || !key.endsWith('_url')) continue;
    const url = webLink(value);
    if (url) links.push({ title: clip(key.slice(0, -'_url'.length).replace(/_/g, ' ') || key, 256), url });
    if (links.length === MAX_OTHER_LINKS) break;
  }
  return links;
}
