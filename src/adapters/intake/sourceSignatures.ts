import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Source-native request signatures, checked when a secret for that source is configured (on top of,
 * or instead of, the contract's bearer token / `X-Firewatch-Signature`). Pure: the clock comes in.
 */
export type SourceSignatureResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired'; message: string };

/** Grafana's default signature header (contact point → Webhook → HMAC Signature → Header). */
const GRAFANA_SIGNATURE_HEADER = 'x-grafana-alerting-signature';
/** Grafana has no default timestamp header; this is the name firewatch documents and reads. */
const GRAFANA_TIMESTAMP_HEADER = 'x-grafana-alerting-signature-timestamp';
const SENTRY_SIGNATURE_HEADER = 'sentry-hook-signature';

/** How old (or how far in the future) a signed Grafana timestamp may be. */
export const DEFAULT_REPLAY_WINDOW_MS = 5 * 60 * 1000;

export interface GrafanaSignatureCheck {
  secret: string;
  rawBody: Buffer | string;
  /** The signature header as sent: lowercase hex HMAC-SHA256. */
  signature: string | undefined;
  /** The timestamp header as sent (Unix seconds), when the contact point is configured with one. */
  timestamp?: string | undefined;
  now: Date;
  replayWindowMs?: number;
  /** Refuse requests without a timestamp, so every accepted request is replay-protected. */
  requireTimestamp?: boolean;
}

/**
 * Grafana signs the body, or `timestamp:body` when a timestamp header is configured
 * (hex HMAC-SHA256). A timestamp outside the replay window is refused even when the signature
 * matches, so a captured request cannot be sent again later.
 */
export function verifyGrafanaSignature(check: GrafanaSignatureCheck): SourceSignatureResult {
  const signature = check.signature?.trim();
  if (!signature) return { ok: false, reason: 'missing', message: `missing ${GRAFANA_SIGNATURE_HEADER} header` };
  const timestamp = check.timestamp?.trim();
  if (!timestamp && check.requireTimestamp) {
    return { ok: false, reason: 'missing', message: `missing ${GRAFANA_TIMESTAMP_HEADER} header: set it as the contact point's HMAC timestamp header` };
  }
  if (timestamp !== undefined && timestamp !== '') {
    if (!/^\d{1,12}$/.test(timestamp)) {
      return { ok: false, reason: 'malformed', message: `${GRAFANA_TIMESTAMP_HEADER} must be Unix seconds` };
    }
    const windowMs = check.replayWindowMs ?? DEFAULT_REPLAY_WINDOW_MS;
    const skewMs = Math.abs(check.now.getTime() - Number(timestamp) * 1000);
    if (skewMs > windowMs) {
      return {
        ok: false,
        reason: 'expired',
        message: `the signed timestamp is ${Math.round(skewMs / 1000)} s away from now (allowed: ${Math.round(windowMs / 1000)} s); check the sender's clock`,
      };
    }
  }
  const expected = hmacHex(check.secret, timestamp ? [`${timestamp}:`, check.rawBody] : [check.rawBody]);
  return compareHex(signature, expected, GRAFANA_SIGNATURE_HEADER);
}

export interface SentrySignatureCheck {
  /** The integration's client secret. */
  secret: string;
  rawBody: Buffer | string;
  signature: string | undefined;
}

/** Sentry signs the request body with the integration's client secret (hex HMAC-SHA256). */
export function verifySentrySignature(check: SentrySignatureCheck): SourceSignatureResult {
  const signature = check.signature?.trim();
  if (!signature) return { ok: false, reason: 'missing', message: `missing ${SENTRY_SIGNATURE_HEADER} header` };
  return compareHex(signature, hmacHex(check.secret, [check.rawBody]), SENTRY_SIGNATURE_HEADER);
}

/** What Grafana sends in `X-Grafana-Alerting-Signature` (for docs and tests). */
export function signGrafanaBody(secret: string, body: Buffer | string, timestamp?: string): string {
  return hmacHex(secret, timestamp ? [`${timestamp}:`, body] : [body]);
}

/** What Sentry sends in `Sentry-Hook-Signature` (for docs and tests). */
export function signSentryBody(secret: string, body: Buffer | string): string {
  return hmacHex(secret, [body]);
}

function hmacHex(secret: string, parts: (Buffer | string)[]): string {
  const hmac = createHmac('sha256', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

function compareHex(given: string, expectedHex: string, header: string): SourceSignatureResult {
  if (!/^[0-9a-f]{64}$/i.test(given)) {
    return { ok: false, reason: 'malformed', message: `${header} must be 64 hex digits (HMAC-SHA256)` };
  }
  // Both sides are 32 bytes here, so the comparison time says nothing about the content.
  const matches = timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expectedHex, 'hex'));
  return matches ? { ok: true } : { ok: false, reason: 'invalid', message: `${header} does not match the body: check the shared secret` };
}

/** The secrets of the sources that sign their requests (`FIREWATCH_GRAFANA_SECRET`, `FIREWATCH_SENTRY_SECRET`). */
export interface SourceSecrets {
  grafanaSecret?: string;
  sentrySecret?: string;
}

/** How one source signs its requests, when its secret is configured. */
export interface NativeSignature {
  /** The header that carries the signature (lower case). */
  header: string;
  /** The environment variable that holds the secret, for hints. */
  variable: string;
  verify(rawBody: Buffer, headers: (name: string) => string | undefined, now: Date): SourceSignatureResult;
}

/** `undefined` when the source does not sign its requests, or its secret is not configured. */
export function nativeSignatureFor(source: string, secrets: SourceSecrets): NativeSignature | undefined {
  const { grafanaSecret, sentrySecret } = secrets;
  if (source === 'grafana' && grafanaSecret) {
    return {
      header: GRAFANA_SIGNATURE_HEADER,
      variable: 'FIREWATCH_GRAFANA_SECRET',
      verify: (rawBody, headers, now) =>
        verifyGrafanaSignature({ secret: grafanaSecret, rawBody, signature: headers(GRAFANA_SIGNATURE_HEADER), timestamp: headers(GRAFANA_TIMESTAMP_HEADER), now }),
    };
  }
  if (source === 'sentry' && sentrySecret) {
    return {
      header: SENTRY_SIGNATURE_HEADER,
      variable: 'FIREWATCH_SENTRY_SECRET',
      verify: (rawBody, headers) => verifySentrySignature({ secret: sentrySecret, rawBody, signature: headers(SENTRY_SIGNATURE_HEADER) }),
    };
  }
  return undefined;
}
