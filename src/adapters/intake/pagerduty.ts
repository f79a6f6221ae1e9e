/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/overview/), served
 * by firewatch so that senders wired to PagerDuty switch by changing one URL. Alert events
 * (`/v2/enqueue`) become alerts; change events (`/v2/change/enqueue`) become change records for
 * deploy correlation. Validation answers in PagerDuty's words: every problem is one string of
 * `errors`, naming the field as PagerDuty does (`'payload.summary' is missing or blank`).
 */
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { AlertAction } from '../../domain/alerts/vendorEvent.ts';
import { commonLabels, isAlertmanagerText, parseAlertmanagerText, type TextAlert } from './alertmanagerText.ts';
import { rateAlert } from './severityLevels.ts';
import { clip, firstLabel, SERVICE_LABELS, stableFingerprint, UNKNOWN_SERVICE, webLink } from './sourceFields.ts';
import { actionAlert, alertsFromText, vendorContext } from './vendorAlert.ts';
import type { VendorIntegration } from './vendorKeys.ts';

/** "Events API payloads are limited to 512 KB." */
export const PAGERDUTY_BODY_LIMIT = 512 * 1024;
const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
const PAGERDUTY_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
const MAX_DEDUP_KEY_LENGTH = 255;
const MAX_SUMMARY_LENGTH = 1_024;
const MAX_DETAILS = 64;
const MAX_LINKS = 16;
const MAX_VALUE = 4_096;

type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

export interface PagerDutyContext {
  integration: VendorIntegration;
  receivedAt: Date;
  /** A fresh dedup key for a trigger without one (PagerDuty generates a UUID). */
  newDedupKey: () => string;
}

export type PagerDutyResult = { ok: true; action: PagerDutyAction; dedupKey: string; alerts: NormalizedAlert[] } | { ok: false; errors: string[] };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body's `routing_key` when it is a non-blank string. */
export function routingKeyOf(body: unknown): string | undefined {
  const key = isObject(body) ? body['routing_key'] : undefined;
  return typeof key === 'string' && key.trim() ? key.trim() : undefined;
}

/** `2015-07-17T08:42:58.315+0000` (PagerDuty's own examples) as well as RFC 3339; undefined when not a time. */
export function pagerDutyTime(value: string): string | undefined {
  const text = value.trim().replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** Collects PagerDuty-style problems while reading fields. */
class Problems {
  readonly errors: string[] = [];
  missing(field: string): void {
    this.errors.push(`'${field}' is missing or blank`);
  }
  add(message: string): void {
    this.errors.push(message);
  }
  /** An optional string field: undefined when absent, a problem when of another type. */
  text(object: Json, key: string, field: string, max?: number): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      this.add(`'${field}' must be a string`);
      return undefined;
    }
    if (max !== undefined && value.length > max) this.add(`Length of '${field}' is incorrect (should be at most ${max} characters)`);
    return value;
  }
}

/** `custom_details` as annotations: strings as they are, other values as JSON, bounded. */
function detailsAsText(details: unknown): Record<string, string> {
  if (details === undefined || details === null) return {};
  if (!isObject(details)) return { details: clip(typeof details === 'string' ? details : JSON.stringify(details), MAX_VALUE) };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(details)) {
    if (Object.keys(out).length === MAX_DETAILS) break;
    const name = key.trim().slice(0, 256);
    if (!name || value === undefined || value === null) continue;
    out[name] = clip(typeof value === 'string' ? value : JSON.stringify(value), MAX_VALUE);
  }
  return out;
}

interface Link {
  title: string;
  url: string;
}

/** Top-level `links` (`href`, `text`) and `images` (`src`, `href`, `alt`): web links only. */
function contextLinks(body: Json, problems: Problems): Link[] {
  const links: Link[] = [];
  const list = (key: string): Json[] => {
    const value = body[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every(isObject)) {
      problems.add(`'${key}' must be an array of objects`);
      return [];
    }
    return value;
  };
  list('links').forEach((link, index) => {
    const href = problems.text(link, 'href', `links[${index}].href`);
    const text = problems.text(link, 'text', `links[${index}].text`);
    if (href === undefined) problems.missing(`links[${index}].href`);
    const url = webLink(href);
    if (url) links.push({ title: clip(text?.trim() || url, 256), url });
  });
  list('images').forEach((image, index) => {
    const src = problems.text(image, 'src', `images[${index}].src`);
    const href = problems.text(image, 'href', `images[${index}].href`);
    const alt = problems.text(image, 'alt', `images[${index}].alt`);
    if (src === undefined) problems.missing(`images[${index}].src`);
    const url = webLink(href) ?? webLink(src);
    if (url) links.push({ title: clip(alt?.trim() || 'image', 256), url });
  });
  return links.slice(0, MAX_LINKS);
}

/** Alertmanager's `custom_details` (`firing` / `resolved` text lists), read back into alerts; empty for other senders. */
function alertmanagerAlerts(details: unknown): TextAlert[] {
  if (!isObject(details)) return [];
  const firing = isAlertmanagerText(details['firing']) ? parseAlertmanagerText(details['firing'], 'firing') : [];
  const resolved = isAlertmanagerText(details['resolved']) ? parseAlertmanagerText(details['resolved'], 'resolved') : [];
  return [...firing, ...resolved];
}

/**
 * One alert event as firewatch alerts, or PagerDuty's list of problems. `dedup_key` and the
 * routing key's name together are the alert's identity: the same `dedup_key` through another key
 * is another alert, as in PagerDuty.
 *
 * - `trigger`: from Alertmanager (`custom_details.firing`), one alert per alert of its group with
 *   the labels and annotations read back from the text; otherwise one alert: `summary` is the
 *   title and summary, `severity` gives P1..P4 (and a `severity` label for `routing.severity`),
 *   `source`, `component`, `group`, `class` become labels (`instance` for the source),
 *   `custom_details` annotations, `links`/`images` links, `client_url` the generator link.
 * - `acknowledge`, `resolve`: acts on the incident of the `dedup_key` (required).
 */
export function normalizePagerDuty(body: unknown, context: PagerDutyContext): PagerDutyResult {
  if (!isObject(body)) return { ok: false, errors: ['Event object is invalid: the body must be a JSON object'] };
  const problems = new Problems();
  const rawAction = problems.text(body, 'event_action', 'event_action');
  let action: PagerDutyAction | undefined;
  if (rawAction === undefined || !rawAction.trim()) problems.missing('event_action');
  else if ((PAGERDUTY_ACTIONS as readonly string[]).includes(rawAction)) action = rawAction as PagerDutyAction;
  else problems.add(`'event_action' is invalid (must be one of ${PAGERDUTY_ACTIONS.join(', ')})`);

  const rawKey = body['dedup_key'];
  const givenKey = problems.text(body, 'dedup_key', 'dedup_key', MAX_DEDUP_KEY_LENGTH)?.trim() || undefined;
  // A key of another type is reported as such above.
  if (action && action !== 'trigger' && !givenKey && (rawKey === undefined || rawKey === null || typeof rawKey === 'string')) problems.missing('dedup_key');

  const payload = body['payload'];
  const client = problems.text(body, 'client', 'client');
  const clientUrl = problems.text(body, 'client_url', 'client_url');
  const links = contextLinks(body, problems);

  if (action === 'trigger') {
    if (!isObject(payload)) {
      problems.missing('payload');
      return { ok: false, errors: problems.errors };
    }
    const summary = problems.text(payload, 'summary', 'payload.summary', MAX_SUMMARY_LENGTH);
    if (!summary?.trim()) problems.missing('payload.summary');
    const source = problems.text(payload, 'source', 'payload.source');
    if (!source?.trim()) problems.missing('payload.source');
    const severity = problems.text(payload, 'severity', 'payload.severity');
    if (!severity?.trim()) problems.missing('payload.severity');
    else if (!(PAGERDUTY_SEVERITIES as readonly string[]).includes(severity)) problems.add(`'payload.severity' is invalid (must be one of ${PAGERDUTY_SEVERITIES.join(', ')})`);
    const timestamp = problems.text(payload, 'timestamp', 'payload.timestamp');
    const startsAt = timestamp === undefined ? undefined : pagerDutyTime(timestamp);
    if (timestamp !== undefined && !startsAt) problems.add(`'payload.timestamp' is invalid (must be an ISO 8601 timestamp)`);
    const component = problems.text(payload, 'component', 'payload.component');
    const group = problems.text(payload, 'group', 'payload.group');
    const eventClass = problems.text(payload, 'class', 'payload.class');
    if (problems.errors.length || !summary || !source || !severity) return { ok: false, errors: problems.errors };

    const dedupKey = givenKey ?? context.newDedupKey();
    const parsed = alertmanagerAlerts(payload['custom_details']);
    if (parsed.length) {
      return {
        ok: true,
        action,
        dedupKey,
        alerts: alertsFromText('pagerduty', parsed, { integration: context.integration, groupKey: dedupKey, receivedAt: context.receivedAt, ...(startsAt ? { startsAt } : {}), ...(clientUrl ? { alertmanagerLink: clientUrl } : {}) }),
      };
    }
    const labels: Record<string, string> = { severity, instance: clip(source.trim(), MAX_VALUE) };
    if (component?.trim()) labels['component'] = clip(component.trim(), MAX_VALUE);
    if (group?.trim()) labels['group'] = clip(group.trim(), MAX_VALUE);
    if (eventClass?.trim()) labels['class'] = clip(eventClass.trim(), MAX_VALUE);
    const alert: NormalizedAlert = {
      source: 'pagerduty',
      fingerprint: stableFingerprint('pagerduty', context.integration.name, dedupKey),
      groupKey: `${context.integration.name}/${dedupKey}`,
      status: 'firing',
      title: clip(summary.replace(/\s+/g, ' ').trim(), 256),
      summary: summary.trim(),
      ...rateAlert(severity),
      service: context.integration.service ?? UNKNOWN_SERVICE,
      labels,
      annotations: detailsAsText(payload['custom_details']),
      startsAt: startsAt ?? context.receivedAt.toISOString(),
      links: { other: links },
      vendor: vendorContext(context.integration),
    };
    const generator = webLink(clientUrl);
    if (generator) {
      alert.links.generator = generator;
      if (client?.trim()) alert.links.other = [{ title: clip(client.trim(), 256), url: generator }, ...links].slice(0, MAX_LINKS);
    }
    return { ok: true, action, dedupKey, alerts: [alert] };
  }

  if (problems.errors.length || !action || !givenKey) return { ok: false, errors: problems.errors };
  const by = `the PagerDuty integration "${context.integration.name}"`;
  const act: AlertAction = action === 'acknowledge' ? { type: 'acknowledge', by } : { type: 'resolve', by };
  // Alertmanager's resolve still lists the group's alerts: their labels route the act as the alerts were.
  const parsed = isObject(payload) ? alertmanagerAlerts(payload['custom_details']) : [];
  const common = commonLabels(parsed);
  return {
    ok: true,
    action,
    dedupKey: givenKey,
    alerts: [
      actionAlert('pagerduty', act, {
        integration: context.integration,
        groupKey: givenKey,
        fingerprint: stableFingerprint('pagerduty', context.integration.name, givenKey),
        receivedAt: context.receivedAt,
        labels: common,
        ...(firstLabel(common, SERVICE_LABELS) ? { service: firstLabel(common, SERVICE_LABELS) } : {}),
      }),
    ],
  };
}

/** A PagerDuty change event (https://developer.pagerduty.com/docs/events-api-v2/send-change-events/). */
export interface PagerDutyChange {
  summary: string;
  source?: string;
  /** ISO-8601; the time it was received when the event gives none. */
  at: string;
  details: Record<string, string>;
  links: Link[];
}

export type PagerDutyChangeResult = { ok: true; change: PagerDutyChange } | { ok: false; errors: string[] };

/** `payload.summary` (≤ 1024) is required; `source`, `timestamp`, `custom_details` and `links` are optional. */
export function normalizePagerDutyChange(body: unknown, context: { receivedAt: Date }): PagerDutyChangeResult {
  if (!isObject(body)) return { ok: false, errors: ['Event object is invalid: the body must be a JSON object'] };
  const problems = new Problems();
  const payload = body['payload'];
  if (!isObject(payload)) {
    problems.missing('payload');
    return { ok: false, errors: problems.errors };
  }
  const summary = problems.text(payload, 'summary', 'payload.summary', MAX_SUMMARY_LENGTH);
  if (!summary?.trim()) problems.missing('payload.summary');
  const source = problems.text(payload, 'source', 'payload.source', 1_024);
  const timestamp = problems.text(payload, 'timestamp', 'payload.timestamp');
  const at = timestamp === undefined ? undefined : pagerDutyTime(timestamp);
  if (timestamp !== undefined && !at) problems.add(`'payload.timestamp' is invalid (must be an ISO 8601 timestamp)`);
  const links = contextLinks(body, problems);
  if (problems.errors.length || !summary) return { ok: false, errors: problems.errors };
  return {
    ok: true,
    change: {
      summary: summary.trim(),
      ...(source?.trim() ? { source: source.trim() } : {}),
      at: at ?? context.receivedAt.toISOString(),
      details: detailsAsText(payload['custom_details']),
      links,
    },
  };
}
