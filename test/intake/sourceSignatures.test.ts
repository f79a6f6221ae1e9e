import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPLAY_WINDOW_MS,
  signGrafanaBody,
  signSentryBody,
  verifyGrafanaSignature,
  verifySentrySignature,
} from '../../src/adapters/intake/sourceSignatures.ts';
import { alertFixtureText } from '../support/alertFixtures.ts';

const secret = 'grafana-contact-point-secret';
const body = alertFixtureText('grafana', 'firing-values');
const now = new Date('2026-03-01T12:00:00Z');
const nowSeconds = String(now.getTime() / 1000);
/** Computed independently of the module: what Grafana's HMAC option sends. */
const hmac = (key: string, message: string) => createHmac('sha256', key).update(message).digest('hex');

describe('verifyGrafanaSignature', () => {
  it('accepts Grafana’s hex HMAC-SHA256 of the body', () => {
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, body), now })).toEqual({ ok: true });
    expect(verifyGrafanaSignature({ secret, rawBody: Buffer.from(body), signature: hmac(secret, body).toUpperCase(), now })).toEqual({ ok: true });
    expect(signGrafanaBody(secret, body)).toBe(hmac(secret, body));
  });

  it('accepts the signature over "timestamp:body" when a timestamp header is sent', () => {
    const signature = hmac(secret, `${nowSeconds}:${body}`);
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature, timestamp: nowSeconds, now })).toEqual({ ok: true });
    expect(signGrafanaBody(secret, body, nowSeconds)).toBe(signature);
  });

  it('refuses a body-only signature when a timestamp is sent, and the other way round', () => {
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, body), timestamp: nowSeconds, now })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, `${nowSeconds}:${body}`), now })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a replayed request outside the window even with a valid signature, in either direction', () => {
    const window = DEFAULT_REPLAY_WINDOW_MS / 1000;
    for (const offset of [-(window + 1), window + 1]) {
      const timestamp = String(Number(nowSeconds) + offset);
      const result = verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, `${timestamp}:${body}`), timestamp, now });
      expect(result).toMatchObject({ ok: false, reason: 'expired', message: expect.stringContaining('301 s') });
    }
    const edge = String(Number(nowSeconds) - window);
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, `${edge}:${body}`), timestamp: edge, now })).toEqual({ ok: true });
  });

  it('honours a configured window', () => {
    const timestamp = String(Number(nowSeconds) - 30);
    const signature = hmac(secret, `${timestamp}:${body}`);
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature, timestamp, now, replayWindowMs: 10_000 })).toMatchObject({ reason: 'expired' });
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature, timestamp, now, replayWindowMs: 60_000 })).toEqual({ ok: true });
  });

  it('refuses a missing signature, a missing timestamp when one is required, and malformed headers', () => {
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: undefined, now })).toMatchObject({ ok: false, reason: 'missing', message: expect.stringContaining('x-grafana-alerting-signature') });
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, body), now, requireTimestamp: true })).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: 'sha256=abc', now })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac(secret, body), timestamp: '2026-03-01T12:00:00Z', now })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a signature made with another secret or over another body', () => {
    expect(verifyGrafanaSignature({ secret, rawBody: body, signature: hmac('other', body), now })).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('shared secret') });
    expect(verifyGrafanaSignature({ secret, rawBody: `${body} `, signature: hmac(secret, body), now })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts exactly the matching signature for any body and secret', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.uint8Array({ maxLength: 200 }), fc.string(), (key, bytes, other) => {
        const raw = Buffer.from(bytes);
        const signature = createHmac('sha256', key).update(raw).digest('hex');
        expect(verifyGrafanaSignature({ secret: key, rawBody: raw, signature, now }).ok).toBe(true);
        if (other !== signature) expect(verifyGrafanaSignature({ secret: key, rawBody: raw, signature: other, now }).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('verifySentrySignature', () => {
  const clientSecret = 'sentry-client-secret';
  const sentryBody = alertFixtureText('sentry', 'event-alert');

  it('accepts the hex HMAC-SHA256 of the body with the client secret', () => {
    expect(verifySentrySignature({ secret: clientSecret, rawBody: sentryBody, signature: hmac(clientSecret, sentryBody) })).toEqual({ ok: true });
    expect(signSentryBody(clientSecret, sentryBody)).toBe(hmac(clientSecret, sentryBody));
  });

  it('refuses a missing, malformed or wrong signature with a reason', () => {
    expect(verifySentrySignature({ secret: clientSecret, rawBody: sentryBody, signature: '' })).toMatchObject({ ok: false, reason: 'missing', message: expect.stringContaining('sentry-hook-signature') });
    expect(verifySentrySignature({ secret: clientSecret, rawBody: sentryBody, signature: 'zz' })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifySentrySignature({ secret: clientSecret, rawBody: sentryBody, signature: hmac('another', sentryBody) })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(verifySentrySignature({ secret: clientSecret, rawBody: sentryBody.replace('error', 'fatal'), signature: hmac(clientSecret, sentryBody) })).toMatchObject({ ok: false, reason: 'invalid' });
  });
});
