import type { Severity } from '../../domain/incident/severity.ts';

/**
 * The levels alert sources use, mapped onto incident severities. These are defaults: routing
 * applies per-service overrides later. Matching ignores case and surrounding space.
 *
 * - `P1`…`P5` as themselves (Datadog `$ALERT_PRIORITY`, Grafana/Alertmanager labels that carry a priority)
 * - Alertmanager/Grafana `severity` label: `critical`/`page` → P1, `error`/`high` → P2,
 *   `warning` → P3, `info`/`low` → P4, `none`/`debug` → P5 (plus the common synonyms below)
 * - Sentry `level`: `fatal` → P1, `error` → P2, `warning` → P3, `info` → P4, `debug` → P5
 * - Datadog `$ALERT_TYPE`: `error` → P2, `warning` → P3, `info` → P4 (`success` is a recovery, not a level)
 */
const SEVERITY_LEVELS: Readonly<Record<string, Severity>> = {
  p1: 'P1',
  p2: 'P2',
  p3: 'P3',
  p4: 'P4',
  p5: 'P5',
  critical: 'P1',
  crit: 'P1',
  page: 'P1',
  fatal: 'P1',
  emergency: 'P1',
  disaster: 'P1',
  error: 'P2',
  err: 'P2',
  high: 'P2',
  major: 'P2',
  warning: 'P3',
  warn: 'P3',
  medium: 'P3',
  minor: 'P3',
  average: 'P3',
  info: 'P4',
  informational: 'P4',
  notice: 'P4',
  low: 'P4',
  debug: 'P5',
  none: 'P5',
  trace: 'P5',
};

/** Until routing applies the config's `incidents.defaultSeverity`, unrated alerts land in the middle. */
export const DEFAULT_SEVERITY: Severity = 'P3';

/** The severity a level names, or undefined when the level is missing or not one we know. */
export function severityFromLevel(level: string | undefined): Severity | undefined {
  if (level === undefined) return undefined;
  const key = level.trim().toLowerCase();
  return Object.hasOwn(SEVERITY_LEVELS, key) ? SEVERITY_LEVELS[key] : undefined;
}

/**
 * The first candidate level that maps onto a severity; otherwise the default, flagged so routing
 * knows the source gave none it understood.
 */
export function rateAlert(...levels: (string | undefined)[]): { severity: Severity; severityDefaulted?: true } {
  for (const level of levels) {
    const severity = severityFromLevel(level);
    if (severity) return { severity };
  }
  return { severity: DEFAULT_SEVERITY, severityDefaulted: true };
}
