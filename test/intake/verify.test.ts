import { describe, expect, it } from 'vitest';
import { signAlertBody, verifyAlertRequest } from '../../src/adapters/intake/verify.ts';

const body = Buffer.from('{"title":"HighErrorRate"}');

describe('verifyAlertRequest with a bearer token', () => {
  const auth = { token: 'correct-horse-battery' };

  it('accepts the configured token', () => {
    expect(verifyAlertRequest(auth, { authorization: 'Bearer correct-horse-battery' })).toEqual({ ok: true, method: 'token' });
  });

  it('accepts the scheme in any case and surrounding spaces', () => {
    expect(verifyAlertRequest(auth, { authorization: '  bearer correct-horse-battery ' })).toMatchObject({ ok: true });
  });

  it('refuses a wrong token', () => {
    expect(verifyAlertRequest(auth, { authorization: 'Bearer correct-horse-batter' })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a token that only shares a prefix with the configured one', () => {
    expect(verifyAlertRequest(auth, { authorization: 'Bearer correct-horse-battery-staple' })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses the token under another scheme', () => {
    expect(verifyAlertRequest(auth, { authorization: 'token correct-horse-battery' })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a request without credentials and says what to send', () => {
    const result = verifyAlertRequest(auth, {});
    expect(result).toMatchObject({ ok: false, reason: 'missing' });
    expect(!result.ok && result.message).toContain('Authorization: Bearer');
  });

  it('ignores a signature when no secret is configured', () => {
    const signature = `sha256=${signAlertBody('anything', body)}`;
    expect(verifyAlertRequest(auth, { signature, rawBody: body })).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('verifyAlertRequest with an HMAC signature', () => {
  const auth = { secret: 's3cret' };

  it('accepts sha256=<hex> of the raw body', () => {
    const signature = `sha256=${signAlertBody('s3cret', body)}`;
    expect(verifyAlertRequest(auth, { signature, rawBody: body })).toEqual({ ok: true, method: 'signature' });
  });

  it('accepts the hex digest in upper case', () => {
    const signature = `sha256=${signAlertBody('s3cret', body).toUpperCase()}`;
    expect(verifyAlertRequest(auth, { signature, rawBody: body })).toMatchObject({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    const signature = `sha256=${signAlertBody('not-the-secret', body)}`;
    expect(verifyAlertRequest(auth, { signature, rawBody: body })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a signature of a different body', () => {
    const signature = `sha256=${signAlertBody('s3cret', body)}`;
    expect(verifyAlertRequest(auth, { signature, rawBody: Buffer.from('{"title":"Other"}') })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('refuses a bare hex digest without the sha256= prefix', () => {
    expect(verifyAlertRequest(auth, { signature: signAlertBody('s3cret', body), rawBody: body })).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('accepts either credential when both token and secret are configured', () => {
    const both = { token: 'tok-tok-tok', secret: 's3cret' };
    expect(verifyAlertRequest(both, { authorization: 'Bearer tok-tok-tok' })).toMatchObject({ ok: true, method: 'token' });
    expect(verifyAlertRequest(both, { authorization: 'Bearer wrong', signature: `sha256=${signAlertBody('s3cret', body)}`, rawBody: body })).toMatchObject({
      ok: true,
      method: 'signature',
    });
  });
});

describe('verifyAlertRequest without configuration', () => {
  it('refuses everything, even credentials that would match an empty token', () => {
    expect(verifyAlertRequest({}, { authorization: 'Bearer ' })).toMatchObject({ ok: false, reason: 'not_configured' });
    expect(verifyAlertRequest({ token: '' }, { authorization: 'Bearer x' })).toMatchObject({ ok: false, reason: 'not_configured' });
    const signature = `sha256=${signAlertBody('', body)}`;
    expect(verifyAlertRequest({ secret: '' }, { signature, rawBody: body })).toMatchObject({ ok: false, reason: 'not_configured' });
  });
});
