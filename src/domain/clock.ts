/** Time is injected everywhere so tests, the sandbox and sweeps agree on "now". */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
