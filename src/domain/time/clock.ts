/** Time is injected everywhere so tests, the sandbox and sweeps agree on "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/**
 * Whether work last done at `last` (ms) is due again at `now` (ms), every `intervalMs`. A clock
 * moved back before `last` (the sandbox's, a test's) makes it due rather than silent for as long.
 */
export function isDue(last: number | null | undefined, now: number, intervalMs: number): boolean {
  return last === null || last === undefined || now < last || now - last >= intervalMs;
}
