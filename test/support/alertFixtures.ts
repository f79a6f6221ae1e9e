/** Loading the alert payload fixtures of test/fixtures/alerts/ and fuzzing around them. */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';

export type AlertFixtureSource = 'alertmanager' | 'grafana' | 'datadog' | 'sentry';

/** A fresh copy of the fixture's JSON body, so tests may change it. */
export function alertFixture<T = Record<string, unknown>>(source: AlertFixtureSource, name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/alerts/${source}/${name}.json`, import.meta.url), 'utf8')) as T;
}

/** The fixture exactly as stored (for signatures over raw bytes). */
export function alertFixtureText(source: AlertFixtureSource, name: string): string {
  return readFileSync(new URL(`../fixtures/alerts/${source}/${name}.json`, import.meta.url), 'utf8');
}

/** Unknown keys with arbitrary JSON values; the prefix keeps them clear of every known field. */
export const extraKeys = fc.dictionary(
  fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/).map((name) => `x_${name}`),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 4 },
);

/**
 * Adds `extras` to every object in `value` except the maps under `mapKeys` (labels, annotations...)
 * whose entries are data, not fields.
 */
export function withExtraKeys(value: unknown, extras: Record<string, unknown>, mapKeys: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) return value.map((item) => withExtraKeys(item, extras, mapKeys));
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) copy[key] = mapKeys.has(key) ? child : withExtraKeys(child, extras, mapKeys);
  for (const [key, extra] of Object.entries(extras)) if (!(key in copy)) copy[key] = extra;
  return copy;
}
