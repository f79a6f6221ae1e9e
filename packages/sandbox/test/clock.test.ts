import { describe, expect, it } from 'vitest';
import { SandboxClock } from '../src/clock.ts';

/** A real-time source the test moves by hand. */
function realTime(start = Date.parse('2030-01-01T00:00:00Z')) {
  let now = start;
  return { now: () => now, pass: (ms: number) => (now += ms) };
}

describe('SandboxClock', () => {
  it('without a start time runs on real time', () => {
    const real = realTime();
    const clock = new SandboxClock(undefined, real.now);
    expect(clock.read()).toEqual({ now: new Date('2030-01-01T00:00:00Z'), running: true });
    real.pass(1_500);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:00:01.500Z');
  });

  it('a set time stands still however much real time passes', () => {
    const real = realTime();
    const clock = new SandboxClock(new Date('2026-02-10T08:00:00Z'), real.now);
    real.pass(59_999);
    expect(clock.read()).toEqual({ now: new Date('2026-02-10T08:00:00Z'), running: false });
    expect(clock.change({ now: new Date('2026-02-10T09:00:00Z') })).toBe(true);
    real.pass(3_600_000);
    expect(clock.now().toISOString()).toBe('2026-02-10T09:00:00.000Z');
  });

  it('setting the time of a running clock stops it there unless told to run', () => {
    const real = realTime();
    const clock = new SandboxClock(undefined, real.now);
    clock.change({ now: new Date('2026-02-10T08:00:00Z') });
    real.pass(10_000);
    expect(clock.read()).toEqual({ now: new Date('2026-02-10T08:00:00Z'), running: false });
    clock.change({ now: new Date('2026-02-10T08:00:00Z'), running: true });
    real.pass(10_000);
    expect(clock.read()).toEqual({ now: new Date('2026-02-10T08:00:10Z'), running: true });
  });

  it('advancing keeps the clock running or standing as it was', () => {
    const real = realTime();
    const standing = new SandboxClock(new Date('2026-02-10T08:00:00Z'), real.now);
    standing.change({ advanceMs: 30 * 60_000 });
    real.pass(5_000);
    expect(standing.read()).toEqual({ now: new Date('2026-02-10T08:30:00Z'), running: false });
    const running = new SandboxClock(undefined, real.now);
    const before = running.now().getTime();
    running.change({ advanceMs: 60_000 });
    real.pass(1_000);
    expect(running.read()).toEqual({ now: new Date(before + 61_000), running: true });
  });

  it('starting or stopping alone does not move the time', () => {
    const real = realTime();
    const clock = new SandboxClock(new Date('2026-02-10T08:00:00Z'), real.now);
    expect(clock.change({ running: true })).toBe(false);
    real.pass(2_000);
    expect(clock.change({ running: false })).toBe(false);
    real.pass(2_000);
    expect(clock.read()).toEqual({ now: new Date('2026-02-10T08:00:02Z'), running: false });
  });

  it('puts back a saved reading', () => {
    const real = realTime();
    const clock = new SandboxClock(new Date('2026-02-10T08:00:00Z'), real.now);
    const restore = clock.save();
    clock.change({ now: new Date('2027-01-01T00:00:00Z'), running: true });
    real.pass(1_000);
    restore();
    real.pass(1_000);
    expect(clock.read()).toEqual({ now: new Date('2026-02-10T08:00:00Z'), running: false });
  });
});
