import { ALERT_SOURCES, type AlertSource } from '../../domain/alerts/alert.ts';
import { normalizeAlertmanager } from './alertmanager.ts';
import { normalizeDatadog } from './datadog.ts';
import { normalizeGeneric } from './generic.ts';
import { normalizeGrafana } from './grafana.ts';
import type { Normalizer } from './normalizer.ts';
import { normalizeSentry } from './sentry.ts';

/** The normalizer of each alert source, by the `{source}` of `POST /alerts/{source}`. */
export const NORMALIZERS: Partial<Record<AlertSource, Normalizer>> = {
  generic: normalizeGeneric,
  alertmanager: normalizeAlertmanager,
  grafana: normalizeGrafana,
  datadog: normalizeDatadog,
  sentry: normalizeSentry,
};

export function isAlertSource(name: string): name is AlertSource {
  return (ALERT_SOURCES as readonly string[]).includes(name);
}

export function supportedSources(): AlertSource[] {
  return ALERT_SOURCES.filter((source) => NORMALIZERS[source] !== undefined);
}

export function normalizerFor(source: string): Normalizer | undefined {
  return isAlertSource(source) ? NORMALIZERS[source] : undefined;
}
