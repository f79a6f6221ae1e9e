import { hash } from 'node:crypto';
import { z } from 'zod';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { Severity } from '../../domain/incident/severity.ts';
import { problemsFromZod, type NormalizeContext, type NormalizeResult } from './normalizer.ts';

/** Levels that monitoring tools commonly use, mapped onto incident severities. */
const LEVEL_SEVERITY = {
  critical: 'P1',
  error: 'P2',
  warning: 'P3',
  info: 'P4',
} as const satisfies Record<string, Severity>;

/** Until routing applies the config's `incidents.defaultSeverity`, unrated alerts land in the middle. */
export const GENERIC_DEFAULT_SEVERITY: Severity = 'P3';
const GENERIC_DEFAULT_SERVICE = 'unknown';

const severity = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(
    z.enum(['p1', 'p2', 'p3', 'p4', 'p5', 'critical', 'error', 'warning', 'info'], {
      error: 'must be one of P1, P2, P3, P4, P5, critical, error, warning, info',
    }),
  )
  .transform((level): Severity => (level in LEVEL_SEVERITY ? LEVEL_SEVERITY[level as keyof typeof LEVEL_SEVERITY] : (level.toUpperCase() as Severity)));

// Only web links: anything else (javascript:, data:) would end up clickable in the issue body.
const webUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048);
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * The documented generic JSON source (README "Generic JSON"). Strict about the types of known
 * fields, tolerant of unknown ones so senders can include their own context.
 */
const genericAlertSchema = z.object({
  title: text(256),
  severity: severity.optional(),
  service: text(128).optional(),
  fingerprint: text(256).optional(),
  status: z.enum(['firing', 'resolved']).default('firing'),
  summary: z.string().max(4096).optional(),
  description: z.string().max(32_768).optional(),
  runbook_url: webUrl.optional(),
  dashboard_url: webUrl.optional(),
  links: z.array(z.object({ title: text(256), url: webUrl })).max(32).default([]),
  labels: z.record(text(128), z.string().max(1024)).default({}),
  started_at: z.iso.datetime({ offset: true }).optional(),
});

export function normalizeGeneric(payload: unknown, context: NormalizeContext): NormalizeResult {
  const parsed = genericAlertSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error) };
  const input = parsed.data;
  if (Object.keys(input.labels).length > 64) {
    return { ok: false, problems: [{ path: 'labels', message: 'too many labels (at most 64)' }] };
  }

  const service = input.service ?? input.labels['service']?.trim() ?? GENERIC_DEFAULT_SERVICE;
  const receivedAt = context.receivedAt.toISOString();
  const alert: NormalizedAlert = {
    source: 'generic',
    fingerprint: input.fingerprint ?? genericFingerprint(service || GENERIC_DEFAULT_SERVICE, input.title),
    status: input.status,
    title: input.title,
    severity: input.severity ?? GENERIC_DEFAULT_SEVERITY,
    service: service || GENERIC_DEFAULT_SERVICE,
    labels: input.labels,
    annotations: {},
    startsAt: input.started_at ? new Date(input.started_at).toISOString() : receivedAt,
    links: { other: input.links },
  };
  if (!input.severity) alert.severityDefaulted = true;
  if (input.status === 'resolved') alert.endsAt = receivedAt;
  if (input.summary) alert.summary = input.summary;
  if (input.description) alert.description = input.description;
  if (input.runbook_url) alert.links.runbook = input.runbook_url;
  if (input.dashboard_url) alert.links.dashboard = input.dashboard_url;
  return { ok: true, alerts: [alert] };
}

/** Same service and title → same problem, unless the sender gives its own fingerprint. */
export function genericFingerprint(service: string, title: string): string {
  return hash('sha256', ['generic', service, title].join('\u0000'), 'hex').slice(0, 16);
}
