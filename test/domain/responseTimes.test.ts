import { describe, expect, it } from 'vitest';
import { formatDuration, incidentDurations, incidentStartedAt } from '../../src/domain/incident/durations.ts';
import { renderEventMarker } from '../../src/domain/text/eventMarker.ts';
import { decideRate, RateLimiter } from '../../src/domain/commands/rateLimit.ts';
import { rebuildTimeline } from '../../src/domain/incident/rebuildTimeline.ts';

describe('incidentDurations / formatDuration', () => {
  it('measures acknowledge, mitigate and resolve from the trigger', () => {
    const d = incidentDurations({ triggeredAt: '2026-01-14T09:00:00Z', acknowledgedAt: '2026-01-14T09:04:00Z', mitigatedAt: '2026-01-14T10:05:00Z', resolvedAt: null });
    expect(d).toEqual({ toAcknowledge: 240_000, toMitigate: 3_900_000, toResolve: null });
    expect([formatDuration(d.toAcknowledge), formatDuration(d.toMitigate), formatDuration(d.toResolve)]).toEqual(['4m', '1h 05m', '—']);
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(51 * 3_600_000)).toBe('2d 3h');
  });

  it('rounds to the nearest unit shown, the same way everywhere (issue 14, item 7)', () => {
    const s = 1_000;
    const m = 60 * s;
    const h = 60 * m;
    expect(formatDuration(59 * m + 40 * s)).toBe('1h 00m');
    expect(formatDuration(60 * m)).toBe('1h 00m');
    expect(formatDuration(m + 34 * s)).toBe('2m');
    expect(formatDuration(m + 29 * s)).toBe('1m');
    expect(formatDuration(59.6 * s)).toBe('1m');
    expect(formatDuration(4 * m + 30 * s)).toBe('5m');
    expect(formatDuration(h + 4 * m + 31 * s)).toBe('1h 05m');
    expect(formatDuration(23 * h + 59 * m + 50 * s)).toBe('1d 0h');
    expect(formatDuration(2 * 24 * h + 2 * h + 31 * m)).toBe('2d 3h');
    expect(formatDuration(-5 * s)).toBe('0s');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('incidentStartedAt', () => {
  const base = { triggeredAt: '2026-01-14T09:00:00.000Z', alerts: [], timeline: [] };

  it('is the earliest sign: the trigger, an alert that started before, or a back-dated note; not postmortem bookkeeping', () => {
    expect(incidentStartedAt(base)).toBe('2026-01-14T09:00:00.000Z');
    expect(incidentStartedAt({ ...base, timeline: [{ at: '2026-01-14T08:45:00.000Z', type: 'note', text: 'first report', recordedAt: '2026-01-14T09:10:00.000Z' }] })).toBe('2026-01-14T08:45:00.000Z');
    expect(incidentStartedAt({ ...base, timeline: [{ at: '2026-01-14T08:00:00.000Z', type: 'postmortem-skipped', text: 'x' }] })).toBe('2026-01-14T09:00:00.000Z');
    const alert = { fingerprint: 'f', title: 't', status: 'firing' as const, labels: {}, firstSeen: '2026-01-14T08:58:00.000Z', lastSeen: '2026-01-14T09:00:00.000Z', count: 1, links: {} };
    expect(incidentStartedAt({ ...base, alerts: [alert] })).toBe('2026-01-14T08:58:00.000Z');
  });
});

describe('rate limit', () => {
  const limit = { max: 3, windowSeconds: 60 };

  it('allows up to max commands in the window, then refuses with the wait, telling once', () => {
    const limiter = new RateLimiter();
    expect(limiter.take('bob', 0, 2, limit).ok).toBe(true);
    expect(limiter.take('bob', 1_000, 1, limit).ok).toBe(true);
    expect(limiter.take('bob', 2_000, 1, limit)).toMatchObject({ ok: false, retryAfterSeconds: 58, alreadyTold: false });
    expect(limiter.take('bob', 3_000, 1, limit)).toMatchObject({ ok: false, alreadyTold: true });
    expect(limiter.take('carol', 3_000, 1, limit).ok).toBe(true);
    expect(limiter.take('bob', 61_000, 1, limit).ok).toBe(true);
  });

  it('does not count refused commands', () => {
    expect(decideRate([0, 1, 2], 10, 1, limit).history).toEqual([0, 1, 2]);
  });
});

describe('rebuildTimeline', () => {
  it('rebuilds the timeline from the markers of our comments alone, in time order', () => {
    const entry = (at: string, text: string) => ({ at, type: 'note', actor: 'bob', text });
    const comments = [
      { body: `noted\n\n${renderEventMarker({ type: 'command-reply', at: '2026-01-14T10:00:00Z', entries: [entry('2026-01-14T10:00:00Z', 'b')] })}` },
      { body: '/note a (a person’s comment)' },
      { body: `x\n${renderEventMarker({ type: 'command-reply', at: '2026-01-14T10:05:00Z', entries: [entry('2026-01-14T09:50:00Z', 'a <b>')] })}` },
      { body: null },
    ];
    expect(rebuildTimeline(comments).map((e) => e.text)).toEqual(['a <b>', 'b']);
  });
});
