import { describe, expect, it } from 'vitest';
import { isPublicChange } from '../../../src/domain/statusPage/publicChange.ts';
import { stateOf } from '../metrics/fixtures.ts';

describe('isPublicChange', () => {
  const confirmed = stateOf({ status: 'investigating', acknowledgedAt: '2026-01-14T09:04:00Z' });
  it('sees status, severity and public updates; not notes, roles or internal updates', () => {
    expect(isPublicChange(confirmed, { ...confirmed, status: 'identified' })).toBe(true);
    expect(isPublicChange(confirmed, { ...confirmed, severity: 'P1' })).toBe(true);
    expect(isPublicChange(confirmed, { ...confirmed, statusUpdates: [{ at: '2026-01-14T09:10:00Z', status: 'investigating', text: 'We are on it.', internal: false }] })).toBe(true);
    expect(isPublicChange(confirmed, { ...confirmed, statusUpdates: [{ at: '2026-01-14T09:10:00Z', status: 'investigating', text: 'db creds', internal: true }] })).toBe(false);
    expect(isPublicChange(confirmed, { ...confirmed, timeline: [{ at: '2026-01-14T09:10:00Z', type: 'note', text: 'x' }], roles: { commander: 'alice', comms: null, responders: [] } })).toBe(false);
  });
  it('treats unconfirmed and canceled incidents as absent from the page', () => {
    const triggered = stateOf();
    expect(isPublicChange(null, triggered)).toBe(false);
    expect(isPublicChange(triggered, { ...triggered, severity: 'P1' })).toBe(false);
    expect(isPublicChange(triggered, confirmed)).toBe(true);
    expect(isPublicChange(confirmed, { ...confirmed, status: 'canceled' })).toBe(true);
  });
});
