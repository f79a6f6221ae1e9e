import { ALERT_SOURCES, type AlertSource } from '../domain/alert.ts';
import { normalizeGeneric } from './generic.ts';
import type { Normalizer } from './normalizer.ts';

/** The sources with a normalizer today; the other `ALERT_SOURCES` arrive with issue 4. */
export const NORMALIZERS: Partial<Record<AlertSource, Normalizer>> = {
  generic: normalizeGeneric,
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
