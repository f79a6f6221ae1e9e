import { z } from 'zod';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import { problemsFromZod, type NormalizeContext, type NormalizeResult } from './normalizer.ts';
import { rateAlert } from './severityLevels.ts';
import { clip, firstLabel, MAX_LABELS, stableFingerprint, UNKNOWN_SERVICE, webLink } from './sourceFields.ts';

/**
 * The payload to paste into Datadog's webhook integration (Integrations → Webhooks → Payload) for
 * firewatch. Datadog substitutes each `$VARIABLE` as text. The README quotes this constant.
 */
export const DATADOG_PAYLOAD_TEMPLATE = `{
  "id": "$ID",
  "title": "$EVENT_TITLE",
  "body": "$EVENT_MSG",
  "alert_id": "$ALERT_ID",
  "alert_title": "$ALERT_TITLE",
  "alert_transition": "$ALERT_TRANSITION",
  "alert_priority": "$ALERT_PRIORITY",
  "alert_type": "$ALERT_TYPE",
  "alert_status": "$ALERT_STATUS",
  "alert_metric": "$ALERT_METRIC",
  "alert_query": "$ALERT_QUERY",
  "alert_scope": "$ALERT_SCOPE",
  "alert_cycle_key": "$ALERT_CYCLE_KEY",
  "aggreg_key": "$AGGREG_KEY",
  "hostname": "$HOSTNAME",
  "org_id": "$ORG_ID",
  "link": "$LINK",
  "snapshot": "$SNAPSHOT",
  "tags": "$TAGS",
  "date": "$DATE"
}`;

/**
 * A substituted template variable. Numbers are accepted too (a template may leave `$DATE` or
 * `$ALERT_ID` unquoted). Blank values and variables Datadog left unexpanded for this kind of
 * monitor (`"$ALERT_PRIORITY"`) mean "not set".
 */
const variable = (max: number) =>
  z.union([z.string().max(max), z.number()], { error: 'must be a string' }).transform((value): string | undefined => {
    const text = String(value).trim();
    return text === '' || /^\$[A-Z][A-Z_]*$/.test(text) ? undefined : text;
  });

const datadogPayloadSchema = z
  .object({
    id: variable(256).optional(),
    title: variable(1024).optional(),
    body: variable(65_536).optional(),
    alert_id: variable(256).optional(),
    alert_title: variable(1024).optional(),
    alert_transition: variable(64).optional(),
    alert_priority: variable(64).optional(),
    alert_type: variable(64).optional(),
    alert_status: variable(4096).optional(),
    alert_metric: variable(1024).optional(),
    alert_query: variable(8192).optional(),
    alert_scope: variable(8192).optional(),
    alert_cycle_key: variable(256).optional(),
    aggreg_key: variable(256).optional(),
    hostname: variable(1024).optional(),
    org_id: variable(256).optional(),
    link: variable(8192).optional(),
    snapshot: variable(8192).optional(),
    tags: variable(65_536).optional(),
    date: variable(64).optional(),
  })
  .superRefine((payload, context) => {
    const hint = 'use the firewatch payload template (README "Datadog")';
    if (!payload.alert_title && !payload.title) {
      context.addIssue({ code: 'custom', path: ['alert_title'], message: `missing: $ALERT_TITLE or $EVENT_TITLE is needed for the incident title; ${hint}` });
    }
    if (!payload.alert_id && !payload.aggreg_key) {
      context.addIssue({ code: 'custom', path: ['alert_id'], message: `missing: $ALERT_ID (or $AGGREG_KEY) identifies the monitor; ${hint}` });
    }
    if (payload.date !== undefined && parseDatadogDate(payload.date) === undefined) {
      context.addIssue({ code: 'custom', path: ['date'], message: 'must be $DATE: epoch milliseconds (or an ISO-8601 timestamp)' });
    }
  });

/** Service from the monitor's tags, first set of these. */
const DATADOG_SERVICE_TAGS = ['service', 'kube_service', 'app'] as const;

/**
 * One Datadog monitor notification (sent with `DATADOG_PAYLOAD_TEMPLATE`) becomes one alert:
 * - status: `$ALERT_TRANSITION` `Recovered` → resolved; Triggered, Warn, No Data, Renotify (and Re-…) → firing
 * - title: `$ALERT_TITLE` (else `$EVENT_TITLE`) without Datadog's `[Triggered on …]`/`[P1]` prefixes,
 *   so it stays the same from trigger to recovery
 * - severity: `$ALERT_PRIORITY` P1–P5, else `$ALERT_TYPE` (error P2, warning P3, info P4), else defaulted
 * - labels: `$TAGS` and `$ALERT_SCOPE` (`key:value`, comma-separated); service: tag `service`, `kube_service`, `app`
 * - fingerprint: `$ALERT_ID` with the scope (one per monitor group), else `$AGGREG_KEY`
 * - links: `$LINK` (generator), the monitor page, `$SNAPSHOT`
 */
export function normalizeDatadog(payload: unknown, context: NormalizeContext): NormalizeResult {
  const parsed = datadogPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const input = parsed.data;
  const receivedAt = context.receivedAt.toISOString();

  const scopeTags = parseTags(input.alert_scope);
  const labels = mergeTags(parseTags(input.tags), scopeTags);
  const scope = Object.entries(scopeTags)
    .map(([key, value]) => (value ? `${key}:${value}` : key))
    .sort()
    .join(',');
  const status = datadogStatus(input.alert_transition, input.alert_type);
  const at = input.date !== undefined ? parseDatadogDate(input.date) : undefined;
  const title = datadogTitle((input.alert_title ?? input.title) as string);

  const alert: NormalizedAlert = {
    source: 'datadog',
    fingerprint: stableFingerprint('datadog', input.alert_id ?? '', scope || (input.aggreg_key ?? '')),
    status,
    title: clip(title, 256),
    ...rateAlert(input.alert_priority, input.alert_type),
    service: clip(firstLabel(labels, DATADOG_SERVICE_TAGS) ?? UNKNOWN_SERVICE, 128),
    labels,
    annotations: datadogAnnotations(input),
    startsAt: at ?? receivedAt,
    links: { other: [] },
  };
  if (status === 'resolved') alert.endsAt = at ?? receivedAt;
  if (input.alert_status) alert.summary = clip(input.alert_status, 4096);
  if (input.body) alert.description = input.body;

  const link = webLink(input.link);
  if (link) alert.links.generator = link;
  if (link && input.alert_id && /^\d+$/.test(input.alert_id)) {
    alert.links.other.push({ title: 'Monitor', url: `${new URL(link).origin}/monitors/${input.alert_id}` });
  }
  const snapshot = webLink(input.snapshot);
  if (snapshot) alert.links.other.push({ title: 'Snapshot', url: snapshot });
  return { ok: true, alerts: [alert] };
}

/** Epoch milliseconds (Datadog's `$DATE`), epoch seconds, or ISO-8601 → ISO-8601. */
function parseDatadogDate(value: string): string | undefined {
  let date: Date;
  if (/^\d{1,16}$/.test(value)) {
    const number = Number(value);
    // Anything below 10^11 cannot be milliseconds of a date after 1973: it is seconds.
    date = new Date(number < 1e11 ? number * 1000 : number);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    date = new Date(value);
  } else {
    return undefined;
  }
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const TRANSITION_PREFIX = /^\s*\[(?:P[1-5]|(?:Re-)?(?:Triggered|Recovered|Warn|No Data|Renotify)(?:\s+on\s[^\]]*)?)\]\s*/i;

/** `[P1] [Triggered on {host:web-1}] Checkout error rate` → `Checkout error rate`; `[Triggered] [Memory Alert]` → `Memory Alert`. */
export function datadogTitle(raw: string): string {
  let title = raw.trim();
  for (let guard = 0; guard < 8 && TRANSITION_PREFIX.test(title); guard++) title = title.replace(TRANSITION_PREFIX, '');
  const bracketed = /^\[([^\]]+)\]$/.exec(title);
  if (bracketed?.[1]?.trim()) title = bracketed[1].trim();
  return title || raw.trim();
}

function datadogStatus(transition: string | undefined, alertType: string | undefined): 'firing' | 'resolved' {
  if (transition) return transition.toLowerCase() === 'recovered' ? 'resolved' : 'firing';
  return alertType?.toLowerCase() === 'success' ? 'resolved' : 'firing';
}

/** `env:prod, service:checkout,monitor` → `{ env: 'prod', service: 'checkout', monitor: '' }`; repeated keys keep every value. */
export function parseTags(tags: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const tag of (tags ?? '').split(',')) {
    const trimmed = tag.trim();
    if (!trimmed) continue;
    const colon = trimmed.indexOf(':');
    const key = clip((colon === -1 ? trimmed : trimmed.slice(0, colon)).trim(), 256);
    const value = clip(colon === -1 ? '' : trimmed.slice(colon + 1).trim(), 4096);
    if (!key) continue;
    if (!Object.hasOwn(labels, key) && Object.keys(labels).length >= MAX_LABELS) continue;
    addLabel(labels, key, value);
  }
  return labels;
}

function mergeTags(tags: Record<string, string>, scope: Record<string, string>): Record<string, string> {
  const labels = { ...tags };
  for (const [key, value] of Object.entries(scope)) {
    if (!Object.hasOwn(labels, key) && Object.keys(labels).length >= MAX_LABELS) continue;
    for (const one of value.split(',')) addLabel(labels, key, one);
  }
  return labels;
}

function addLabel(labels: Record<string, string>, key: string, value: string): void {
  // defineProperty: a tag named `__proto__` stays a plain label instead of touching the prototype.
  const existing = Object.hasOwn(labels, key) ? labels[key] : undefined;
  const next = existing === undefined ? value : existing.split(',').includes(value) ? existing : clip(`${existing},${value}`, 4096);
  Object.defineProperty(labels, key, { value: next, enumerable: true, writable: true, configurable: true });
}

function datadogAnnotations(input: z.output<typeof datadogPayloadSchema>): Record<string, string> {
  const annotations: Record<string, string> = {};
  const facts: [string, string | undefined][] = [
    ['transition', input.alert_transition],
    ['alert_type', input.alert_type],
    ['priority', input.alert_priority],
    ['metric', input.alert_metric],
    ['query', input.alert_query],
    ['scope', input.alert_scope],
    ['hostname', input.hostname],
    ['monitor_id', input.alert_id],
    ['event_id', input.id],
    ['aggreg_key', input.aggreg_key],
    ['alert_cycle_key', input.alert_cycle_key],
    ['org_id', input.org_id],
  ];
  for (const [key, value] of facts) if (value) annotations[key] = value;
  return annotations;
}
