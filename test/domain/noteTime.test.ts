import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseNoteTime } from '../../src/domain/incident/noteTime.ts';

const now = new Date('2026-01-14T15:30:00.000Z');
const berlin = { now, timezone: 'Europe/Berlin' };

describe('parseNoteTime', () => {
  it('reads 14:05 as today in the configured zone', () => {
    expect(parseNoteTime('14:05 deploy started', berlin)).toEqual({ ok: true, at: '2026-01-14T13:05:00.000Z', text: 'deploy started' });
    expect(parseNoteTime('9:05 first page', { now, timezone: 'UTC' })).toEqual({ ok: true, at: '2026-01-14T09:05:00.000Z', text: 'first page' });
  });

  it('reads -15m, -1h30m and -2d as that long ago', () => {
    expect(parseNoteTime('-15m customer report', berlin)).toEqual({ ok: true, at: '2026-01-14T15:15:00.000Z', text: 'customer report' });
    expect(parseNoteTime('-1h30m x', berlin)).toMatchObject({ at: '2026-01-14T14:00:00.000Z' });
    expect(parseNoteTime('-2d x', berlin)).toMatchObject({ at: '2026-01-12T15:30:00.000Z' });
  });

  it('reads ISO-8601 with an offset, and without one in the configured zone', () => {
    expect(parseNoteTime('2026-01-14T09:05Z db failover', berlin)).toEqual({ ok: true, at: '2026-01-14T09:05:00.000Z', text: 'db failover' });
    expect(parseNoteTime('2026-01-14T09:05 db failover', berlin)).toMatchObject({ at: '2026-01-14T08:05:00.000Z' });
    expect(parseNoteTime('2026-01-14T09:05:30+05:30 x', berlin)).toMatchObject({ at: '2026-01-14T03:35:30.000Z' });
  });

  it('refuses times in the future, and says how to name an earlier day', () => {
    const result = parseNoteTime('17:00 later', berlin);
    expect(result).toMatchObject({ ok: false, reason: 'future' });
    expect(result.ok ? '' : result.message).toContain('is in the future');
    expect(result.ok ? '' : result.message).toContain('-30m');
    expect(parseNoteTime('2026-02-01T00:00Z x', berlin)).toMatchObject({ ok: false, reason: 'future' });
  });

  it('treats text that does not start with a time as the whole note, at now', () => {
    expect(parseNoteTime('3 pods restarted', berlin)).toEqual({ ok: true, at: undefined, text: '3 pods restarted' });
    expect(parseNoteTime('- see logs', berlin)).toEqual({ ok: true, at: undefined, text: '- see logs' });
    expect(parseNoteTime('25:99 nope', berlin)).toEqual({ ok: true, at: undefined, text: '25:99 nope' });
  });

  it('refuses an impossible ISO date', () => {
    expect(parseNoteTime('2026-02-30T10:00Z x', berlin)).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('never throws and never returns a future time (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata'), (text, timezone) => {
        const result = parseNoteTime(text, { now, timezone });
        if (result.ok && result.at) expect(Date.parse(result.at)).toBeLessThanOrEqual(now.getTime());
      }),
    );
  });
});
