import { hash } from 'node:crypto';
import yaml from 'js-yaml';
import { z } from 'zod';

/**
 * The credentials of the vendor-compatible APIs: PagerDuty routing keys (in the event body) and
 * Opsgenie API keys (`Authorization: GenieKey <key>`). They are server secrets, never in a
 * repository: `FIREWATCH_PAGERDUTY_KEYS` / `FIREWATCH_OPSGENIE_KEYS` hold the list (YAML or JSON),
 * or `…_FILE` names a file that does. Each key has a name (logs, timelines, dedup scope) and may
 * say where its alerts belong: a `service`, or a `route` (a `routing.services[].name`).
 */
export interface VendorKey {
  name: string;
  key: string;
  service?: string;
  route?: string;
}

/** A key as the rest of firewatch sees it: everything but the secret. */
export type VendorIntegration = Omit<VendorKey, 'key'>;

/** Accepted in sandbox mode on loopback, as `sandbox-alerts` is (ARCHITECTURE "HTTP (server)"). */
export const SANDBOX_PAGERDUTY_KEY = 'sandbox-pagerduty';
export const SANDBOX_OPSGENIE_KEY = 'sandbox-opsgenie';
export const SANDBOX_INTEGRATION = 'sandbox';

/** Short keys are guessable; PagerDuty's are 32 characters, Opsgenie's are UUIDs. */
const MIN_KEY_LENGTH = 16;

const name = z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'must be letters, digits, . _ - (at most 64), e.g. checkout-prod');
const vendorKeySchema = z.strictObject({
  name,
  key: z
    .string()
    .trim()
    .min(MIN_KEY_LENGTH, `must be at least ${MIN_KEY_LENGTH} characters (a random secret, e.g. \`openssl rand -hex 16\`)`)
    .max(256)
    .regex(/^\S+$/, 'must not contain spaces'),
  service: z.string().trim().min(1).max(128).optional(),
  route: z.string().trim().min(1).max(128).optional(),
});
const vendorKeysSchema = z
  .array(vendorKeySchema)
  .max(1_000)
  .superRefine((keys, context) => {
    const names = new Set<string>();
    const secrets = new Set<string>();
    keys.forEach((entry, index) => {
      if (names.has(entry.name)) context.addIssue({ code: 'custom', path: [index, 'name'], message: `"${entry.name}" is used twice` });
      if (secrets.has(entry.key)) context.addIssue({ code: 'custom', path: [index, 'key'], message: 'the same key is listed twice' });
      names.add(entry.name);
      secrets.add(entry.key);
    });
  });

/**
 * The keys in `text` (a YAML or JSON list of `{name, key, service?, route?}`), or what is wrong
 * with it. Problems never quote a key.
 */
export function parseVendorKeys(text: string): { ok: true; keys: VendorKey[] } | { ok: false; problems: string[] } {
  let parsed: unknown;
  try {
    parsed = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (error) {
    return { ok: false, problems: [`is not YAML or JSON: ${error instanceof yaml.YAMLException ? error.reason : String(error)}`] };
  }
  const result = vendorKeysSchema.safeParse(parsed ?? []);
  if (!result.success) {
    const where = (path: readonly PropertyKey[]) => path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('').replace(/^\./, '');
    return { ok: false, problems: result.error.issues.map((issue) => `${issue.path.length ? `${where(issue.path)}: ` : ''}${issue.message}`) };
  }
  return { ok: true, keys: result.data.map((entry) => ({ ...entry })) };
}

export interface Keyring {
  /** The integration of `key`, or undefined for a key nobody configured. */
  find(key: string): VendorIntegration | undefined;
  size: number;
}

/**
 * Keys looked up by their SHA-256, so the lookup's timing says nothing about the secrets (a Map
 * lookup by the given key itself would compare it character by character).
 */
export function createKeyring(keys: readonly VendorKey[]): Keyring {
  const byDigest = new Map<string, VendorIntegration>();
  for (const { key, ...integration } of keys) byDigest.set(hash('sha256', key, 'hex'), integration);
  return {
    find: (key) => (key ? byDigest.get(hash('sha256', key, 'hex')) : undefined),
    size: byDigest.size,
  };
}
