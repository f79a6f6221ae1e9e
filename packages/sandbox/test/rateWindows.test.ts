import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedWindow, SlidingWindow, ceilToSecond } from '../src/rateWindows.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('FixedWindow', () => {
  it('opens with the first request, closes on the whole second an hour later, and then starts afresh', () => {
    const window = new FixedWindow(HOUR);
    expect(window.read(500)).toEqual({ used: 0, resetAt: ceilToSecond(500 + HOUR) });
    window.add(500, 1);
    window.add(90_000, 1);
    expect(window.read(90_000)).toEqual({ used: 2, resetAt: HOUR + 1000 });
    expect(window.earliest(90_000, 2, 1)).toBe(HOUR + 1000);
    expect(window.earliest(90_000, 3, 1)).toBe(90_000);
    expect(window.read(HOUR + 999).used).toBe(2);
    expect(window.read(HOUR + 1000)).toEqual({ used: 0, resetAt: 2 * HOUR + 1000 });
    expect(window.earliest(HOUR + 1000, 2, 1)).toBe(HOUR + 1000);
  });

  it('admits any single request into a fresh window, however costly', () => {
    const window = new FixedWindow(HOUR);
    expect(window.earliest(0, 5, 51)).toBe(0);
    window.add(0, 51);
    expect(window.earliest(1, 5, 1)).toBe(HOUR);
  });
});

describe('SlidingWindow', () => {
  it('counts what was admitted in the last minute and the last hour from one log', () => {
    const window = new SlidingWindow(HOUR);
    for (const t of [0, 30_000, 59_999, 60_000]) window.add(t, 1);
    expect(window.total(60_000, MINUTE)).toBe(3);
    expect(window.total(119_999, MINUTE)).toBe(1);
    expect(window.total(120_000, MINUTE)).toBe(0);
    expect(window.total(120_000, HOUR)).toBe(4);
    expect(window.total(HOUR + 60_000, HOUR)).toBe(0);
    expect(window.empty).toBe(true);
  });

  it('says when enough weight has left the window for a request of the given cost', () => {
    const window = new SlidingWindow(MINUTE);
    window.add(0, 5);
    window.add(10_000, 5);
    window.add(20_000, 1);
    expect(window.earliest(30_000, MINUTE, 11, 1)).toBe(60_000);
    expect(window.earliest(30_000, MINUTE, 11, 5)).toBe(60_000);
    expect(window.earliest(30_000, MINUTE, 10, 5)).toBe(70_000);
    expect(window.earliest(30_000, MINUTE, 16, 5)).toBe(30_000);
  });

  it('keeps entries in time order when the clock was moved back', () => {
    const window = new SlidingWindow(MINUTE);
    window.add(50_000, 1);
    window.add(10_000, 1);
    expect(window.earliest(20_000, MINUTE, 2, 1)).toBe(70_000);
    expect(window.total(75_000, MINUTE)).toBe(1);
  });

  it('a client that waits until earliest() is admitted then, and not a millisecond before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 40 }),
        (limit, requests) => {
          const window = new SlidingWindow(MINUTE);
          let now = 0;
          for (const [gap, cost] of requests) {
            now += gap;
            const at = window.earliest(now, MINUTE, limit, cost);
            expect(at).toBeGreaterThanOrEqual(now);
            if (at > now) {
              expect(window.earliest(at - 1, MINUTE, limit, cost)).toBeGreaterThan(at - 1);
              expect(window.earliest(at, MINUTE, limit, cost)).toBe(at);
              now = at;
            }
            window.add(now, cost);
            expect(window.total(now, MINUTE) <= limit || window.total(now, MINUTE) === cost).toBe(true);
          }
        },
      ),
    );
  });
});
