import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * Building blocks shared by the source normalizers: the same limits and the same leniency
 * everywhere, so a field means the same thing whichever tool sent it.
 */

export const MAX_LABELS = 128;
export const MAX_ANNOTATIONS = 128;

/** Label sets as Prometheus, Grafana and Alertmanager send them: string to string. */
export const labelMapSchema = z
  .record(z.string().min(1).max(256), z.string().max(4096))
  .refine((labels) => Object.keys(labels).length <= MAX_LABELS, { error: `too many labels (at most ${MAX_LABELS})` });

/** Annotations hold prose (descriptions, runbook text), so values may be long. */
export const annotationMapSchema = z
  .record(z.string().min(1).max(256), z.string().max(65_536))
  .refine((annotations) => Object.keys(annotations).length <= MAX_ANNOTATIONS, { error: `too many annotations (at most ${MAX_ANNOTATIONS})` });

/** Go's zero `time.Time`: Alertmanager and Grafana send it for "not set" (e.g. `endsAt` while firing). */
const GO_ZERO_TIME_YEAR = 1;

/**
 * An RFC 3339 timestamp (Go's nanoseconds included) as ISO-8601, or undefined for Go's zero time.
 */
const rfc3339 = z.iso.datetime({ offset: true });

export const sourceTimeSchema = z.string({ error: 'must be an RFC 3339 timestamp' }).transform((value, context): string | undefined => {
  const date = new Date(value);
  if (!rfc3339.safeParse(value).success || Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: 'must be an RFC 3339 timestamp' });
    return z.NEVER;
  }
  return date.getUTCFullYear() <= GO_ZERO_TIME_YEAR ? undefined : date.toISOString();
});

const MAX_URL_LENGTH = 2048;

/**
 * The value when it is an http(s) URL, else undefined. Links from free-text fields (annotations)
 * are taken only when they are web links, so `javascript:` never becomes clickable in an issue and
 * a prose runbook annotation does not make Alertmanager's whole notification fail.
 */
export function webLink(value: string | undefined | null): string | undefined {
  const candidate = value?.trim();
  if (!candidate || candidate.length > MAX_URL_LENGTH) return undefined;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? candidate : undefined;
  } catch {
    return undefined;
  }
}

/** The first non-blank value among `keys`, in order. */
export function firstLabel(labels: Record<string, string>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = labels[key]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Where a label-based source (Alertmanager, Grafana) names the service: the first of these labels that is set. */
export const SERVICE_LABELS = ['service', 'service_name', 'job', 'app', 'namespace'] as const;

export const UNKNOWN_SERVICE = 'unknown';

/** A short, stable identity made of `parts` (16 hex digits, like Alertmanager's own fingerprints). */
export function stableFingerprint(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** Cuts text that ends up in an issue title or table to `max` characters, marking the cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Labels sorted by name, so the same label set always gives the same fingerprint and link. */
export function sortedPairs(labels: Record<string, string>): [string, string][] {
  return Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
