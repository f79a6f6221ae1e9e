/**
 * Building blocks shared by the vendor-compatible APIs (PagerDuty, Opsgenie): alerts read from
 * Alertmanager's text, and "action" alerts that carry an act on a known incident.
 */
import type { AlertSource, NormalizedAlert } from '../../domain/alerts/alert.ts';
import { DEFAULT_SEVERITY } from './severityLevels.ts';
import type { AlertAction, VendorContext } from '../../domain/alerts/vendorEvent.ts';
import { alertmanagerSilenceLink, labelledAlert } from './alertmanager.ts';
import { alertmanagerExternalUrl, type TextAlert } from './alertmanagerText.ts';
import { clip, sortedPairs, stableFingerprint, UNKNOWN_SERVICE } from './sourceFields.ts';
import type { VendorIntegration } from './vendorKeys.ts';

export function vendorContext(integration: VendorIntegration, extra: Omit<VendorContext, 'integration' | 'route'> = {}): VendorContext {
  return { integration: integration.name, ...(integration.route ? { route: integration.route } : {}), ...extra };
}

/**
 * Alerts of a vendor event that Alertmanager rendered as text: one per alert of its group, in one
 * group (`groupKey`), each with its own fingerprint (the group's and its labels), title, severity,
 * service and links as the webhook source would give them, and a silence link into Alertmanager
 * when the event says where Alertmanager is (`client_url`, Opsgenie `source`).
 */
export function alertsFromText(
  source: AlertSource,
  parsed: readonly TextAlert[],
  options: { integration: VendorIntegration; groupKey: string; receivedAt: Date; startsAt?: string; alertmanagerLink?: string; context?: Omit<VendorContext, 'integration' | 'route'> },
): NormalizedAlert[] {
  const externalURL = alertmanagerExternalUrl(options.alertmanagerLink);
  return parsed.map((text) => {
    const fingerprint = stableFingerprint(source, options.integration.name, options.groupKey, ...sortedPairs(text.labels).flat());
    const alert = labelledAlert(
      source,
      {
        status: text.status,
        labels: text.labels,
        annotations: text.annotations,
        fingerprint,
        ...(options.startsAt ? { startsAt: options.startsAt } : {}),
        ...(text.generatorURL ? { generatorURL: text.generatorURL } : {}),
      },
      { groupKey: `${options.integration.name}/${options.groupKey}`, groupLabels: {} },
      { receivedAt: options.receivedAt },
    );
    if (alert.service === UNKNOWN_SERVICE && options.integration.service) alert.service = options.integration.service;
    if (externalURL) alert.links.silence = alertmanagerSilenceLink(externalURL, text.labels);
    alert.vendor = vendorContext(options.integration, options.context);
    return alert;
  });
}

/**
 * An act on the incident of a known alert (`groupKey` and `fingerprint` find it): the alert's own
 * fields are placeholders, `labels` only help routing find the same repository as its alerts.
 */
export function actionAlert(
  source: AlertSource,
  action: AlertAction,
  options: {
    integration: VendorIntegration;
    groupKey?: string;
    fingerprint: string;
    receivedAt: Date;
    labels?: Record<string, string>;
    service?: string;
    context?: Omit<VendorContext, 'integration' | 'route' | 'action'>;
  },
): NormalizedAlert {
  const at = options.receivedAt.toISOString();
  return {
    source,
    fingerprint: options.fingerprint,
    ...(options.groupKey ? { groupKey: `${options.integration.name}/${options.groupKey}` } : {}),
    status: action.type === 'resolve' ? 'resolved' : 'firing',
    title: clip(`${action.type} ${options.groupKey ?? options.fingerprint}`, 256),
    severity: DEFAULT_SEVERITY,
    severityDefaulted: true,
    service: options.service ?? options.integration.service ?? UNKNOWN_SERVICE,
    labels: options.labels ?? {},
    annotations: {},
    startsAt: at,
    links: { other: [] },
    vendor: vendorContext(options.integration, { ...options.context, action }),
  };
}
