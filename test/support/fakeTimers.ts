import type { PacerClock } from '../../src/adapters/octokit/githubPacer.ts';

/** A clock that moves only when told, with the timers set on it (the pacer's tests). */
export function fakeClock(start = 0): PacerClock & { advance(ms: number): Promise<void>; sleep(ms: number): Promise<void>; timers(): number } {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; run: () => void }>();
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  const clock = {
    now: () => now,
    setTimer(run: () => void, ms: number) {
      const id = nextId++;
      timers.set(id, { at: now + ms, run });
      return () => void timers.delete(id);
    },
    sleep: (ms: number) => new Promise<void>((resolve) => clock.setTimer(resolve, ms)),
    /** Moves the clock by `ms`, running each timer at its time, in order, and what it sets off. */
    async advance(ms: number) {
      const end = now + ms;
      await settle();
      for (;;) {
        const due = [...timers].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].run();
        await settle();
      }
      now = end;
      await settle();
    },
    timers: () => timers.size,
  };
  return clock;
}
