/**
 * Alertmanager's PagerDuty and Opsgenie receivers send no labels as data: its default templates
 * print each alert as text (`__text_alert_list`, in PagerDuty's `custom_details.firing` /
 * `resolved` and in Opsgenie's `description`):
 *
 *     Labels:
 *      - alertname = CheckoutHighErrorRate
 *      - service = checkout
 *     Annotations:
 *      - summary = Checkout error rate 41.41%
 *     Source: http://prometheus:9090/graph?g0.expr=…
 *
 * Opsgenie's description puts the firing alerts under `Alerts Firing:` and the resolved ones
 * under `Alerts Resolved:`, after a line of the common annotations. Grafana's PagerDuty and Opsgenie
 * contact points render the same list (under `**Firing**`, with `Value:`, `Silence:` and `Dashboard:`
 * lines). This reads the text back into labels and annotations, so these alerts are filed as well as
 * webhook notifications are.
 */
import { MAX_ANNOTATIONS, MAX_LABELS } from './sourceFields.ts';

export interface TextAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The `Source:` line (Prometheus' link to the rule's expression), when set. */
  generatorURL?: string;
}

/** Alerts read from one text at most (Alertmanager sends every alert of the group). */
const MAX_TEXT_ALERTS = 200;
const MAX_LABEL_VALUE = 4_096;
const MAX_ANNOTATION_VALUE = 65_536;

const PAIR = /^ - (.+?) = (.*)$/;
/** Alertmanager's `Alerts Firing:` and Grafana's `**Firing**` headings (Grafana renders the same list). */
const SECTION = /^(?:Alerts (Firing|Resolved):|\*\*(Firing|Resolved)\*\*)\s*$/;
/** Lines after an alert's annotations in Grafana's rendering: they end the list, they do not continue a value. */
const TRAILER = /^(Silence|Dashboard|Panel|Value): /;

/** Whether `text` looks like Alertmanager's alert list (so it is worth parsing). */
export function isAlertmanagerText(text: unknown): text is string {
  return typeof text === 'string' && /(^|\n)Labels:\n - /.test(text);
}

/**
 * The alerts in Alertmanager's text rendering, in order. `status` is `initial` until an
 * `Alerts Firing:` / `Alerts Resolved:` heading says otherwise. Lines that continue a value
 * (multi-line descriptions) are joined to it; anything outside a list is ignored. Never throws.
 */
export function parseAlertmanagerText(text: string, initial: TextAlert['status'] = 'firing'): TextAlert[] {
  const alerts: TextAlert[] = [];
  let status = initial;
  let current: TextAlert | undefined;
  let section: 'labels' | 'annotations' | undefined;
  let lastKey: string | undefined;

  const target = (): Record<string, string> | undefined => (current && section ? (section === 'labels' ? current.labels : current.annotations) : undefined);
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    const heading = SECTION.exec(line);
    if (heading) {
      status = (heading[1] ?? heading[2]) === 'Resolved' ? 'resolved' : 'firing';
      section = undefined;
      lastKey = undefined;
      continue;
    }
    if (line === 'Labels:') {
      if (alerts.length === MAX_TEXT_ALERTS) break;
      current = { status, labels: {}, annotations: {} };
      alerts.push(current);
      section = 'labels';
      lastKey = undefined;
      continue;
    }
    if (line === 'Annotations:' && current) {
      section = 'annotations';
      lastKey = undefined;
      continue;
    }
    if (TRAILER.test(line)) {
      section = undefined;
      lastKey = undefined;
      continue;
    }
    if (line.startsWith('Source:') && current) {
      const url = line.slice('Source:'.length).trim();
      if (url) current.generatorURL = url;
      section = undefined;
      lastKey = undefined;
      continue;
    }
    const into = target();
    if (!into) continue;
    const pair = PAIR.exec(line);
    const limit = section === 'labels' ? MAX_LABELS : MAX_ANNOTATIONS;
    if (pair?.[1] && Object.keys(into).length < limit) {
      lastKey = pair[1].slice(0, 256);
      into[lastKey] = (pair[2] ?? '').slice(0, section === 'labels' ? MAX_LABEL_VALUE : MAX_ANNOTATION_VALUE);
    } else if (lastKey !== undefined && !pair) {
      const max = section === 'labels' ? MAX_LABEL_VALUE : MAX_ANNOTATION_VALUE;
      into[lastKey] = `${into[lastKey] ?? ''}\n${line}`.slice(0, max);
    }
  }
  // Values end where the next line starts; the template's own line breaks are not part of them.
  for (const alert of alerts) {
    for (const map of [alert.labels, alert.annotations]) for (const key of Object.keys(map)) map[key] = trimEnd(map[key] ?? '', '\n');
  }
  return alerts.filter((alert) => Object.keys(alert.labels).length > 0);
}

/** `text` without the `char`s it ends with (a loop: no regular expression to backtrack on long runs). */
export function trimEnd(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** Labels every alert has with the same value (Alertmanager's `CommonLabels`). */
export function commonLabels(alerts: readonly TextAlert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([name, value]) => rest.every((alert) => alert.labels[name] === value)));
}

/** `http://alertmanager:9093/#/alerts?receiver=x` (Alertmanager's `client_url` and Opsgenie `source`) → its external URL. */
export function alertmanagerExternalUrl(link: string | undefined): string | undefined {
  const match = /^(https?:\/\/[^#\s]+?)\/?#\/alerts(\?|$)/.exec(link?.trim() ?? '');
  return match?.[1];
}
