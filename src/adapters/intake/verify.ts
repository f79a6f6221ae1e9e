import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { VendorKey } from './vendorKeys.ts';

/**
 * How alert senders prove who they are (ARCHITECTURE "HTTP (server)"): a shared bearer token, or an
 * HMAC-SHA256 of the raw body. Either may be configured; with neither, every alert is refused.
 */
export interface IntakeAuth {
  token?: string;
  secret?: string;
  /** `FIREWATCH_GRAFANA_SECRET`: a valid `X-Grafana-Alerting-Signature` authenticates `/alerts/grafana`. */
  grafanaSecret?: string;
  /** `FIREWATCH_SENTRY_SECRET` (the integration's client secret): a valid `Sentry-Hook-Signature` authenticates `/alerts/sentry`. */
  sentrySecret?: string;
  /** PagerDuty routing keys accepted by the Events API v2 routes (the key is the credential). */
  pagerdutyKeys?: readonly VendorKey[];
  /** Opsgenie API keys accepted with `Authorization: GenieKey <key>`. */
  opsgenieKeys?: readonly VendorKey[];
}

export interface AlertCredentials {
  /** The `Authorization` header as sent. */
  authorization?: string;
  /** The `X-Firewatch-Signature` header as sent (`sha256=<hex>`). */
  signature?: string;
  /** Needed for the signature only. */
  rawBody?: Buffer;
}

export type VerifyResult =
  | { ok: true; method: 'token' | 'signature' }
  | { ok: false; reason: 'not_configured' | 'missing' | 'invalid'; message: string };

export const SIGNATURE_HEADER = 'x-firewatch-signature';

/** Whether the contract's bearer token or HMAC secret is set (source-native secrets open one source only). */
export function isIntakeConfigured(auth: IntakeAuth): boolean {
  return Boolean(auth.token) || Boolean(auth.secret);
}

export function verifyAlertRequest(auth: IntakeAuth, credentials: AlertCredentials): VerifyResult {
  if (!isIntakeConfigured(auth)) {
    return {
      ok: false,
      reason: 'not_configured',
      message: 'alert intake is closed: neither FIREWATCH_ALERT_TOKEN nor FIREWATCH_ALERT_SECRET is configured',
    };
  }
  const bearer = bearerToken(credentials.authorization);
  if (auth.token && bearer !== undefined && safeEqual(bearer, auth.token)) return { ok: true, method: 'token' };

  const signature = credentials.signature?.trim();
  if (auth.secret && signature && credentials.rawBody) {
    const expected = `sha256=${signAlertBody(auth.secret, credentials.rawBody)}`;
    if (safeEqual(signature.toLowerCase(), expected)) return { ok: true, method: 'signature' };
  }

  if (!credentials.authorization?.trim() && !signature) {
    return {
      ok: false,
      reason: 'missing',
      message: 'missing credentials: send "Authorization: Bearer <token>" or "X-Firewatch-Signature: sha256=<hex>"',
    };
  }
  return { ok: false, reason: 'invalid', message: 'the alert token or signature does not match' };
}

/** Hex HMAC-SHA256 of the body, as senders compute it for `X-Firewatch-Signature: sha256=<hex>`. */
export function signAlertBody(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Compares SHA-256 digests of both sides so neither the content nor the length leaks through
 * timing. This runs for every alert of a storm, so the configured side's digest is kept and the
 * given side is hashed one-shot (two HMAC objects per request showed up in the storm benchmark's
 * CPU profile).
 */
function safeEqual(given: string, expected: string): boolean {
  if (expectedDigest?.value !== expected) expectedDigest = { value: expected, digest: hash('sha256', expected, 'buffer') };
  return timingSafeEqual(hash('sha256', given, 'buffer'), expectedDigest.digest);
}

/** The last configured value compared against (the token or the expected signature) and its digest. */
let expectedDigest: { value: string; digest: Buffer } | undefined;
