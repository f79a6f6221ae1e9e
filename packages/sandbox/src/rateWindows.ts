/**
 * The two kinds of window GitHub's limits use, on the sandbox clock (milliseconds). Both answer
 * "when is the earliest a request of this cost fits?", which is what `retry-after` and
 * `x-ratelimit-reset` promise: a client that waits that long is not refused by this window again.
 * Only admitted requests are added, so a refusal never pushes that time back.
 */

/** Rounds up to a whole second: GitHub's resets are epoch seconds, so a window ends on one. */
export function ceilToSecond(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

/**
 * A budget that refills all at once (primary limits, search): it opens with the first request
 * after the previous one closed and closes `lengthMs` later, on a whole second.
 */
export class FixedWindow {
  private closesAt = Number.NEGATIVE_INFINITY;
  private spent = 0;

  constructor(private readonly lengthMs: number) {}

  /** Used so far and when the window closes; a window not yet open reads as one opening now. */
  read(now: number): { used: number; resetAt: number } {
    if (now >= this.closesAt) return { used: 0, resetAt: ceilToSecond(now + this.lengthMs) };
    return { used: this.spent, resetAt: this.closesAt };
  }

  /**
   * When `cost` fits under `limit`: now, or when the window closes. A fresh window admits any
   * single request, so the time given is never a promise the next window cannot keep.
   */
  earliest(now: number, limit: number, cost: number): number {
    const { used, resetAt } = this.read(now);
    return used === 0 || used + cost <= limit ? now : resetAt;
  }

  add(now: number, cost: number): void {
    if (now >= this.closesAt) this.restart(now);
    this.spent += cost;
  }

  /** Opens a new window now (under `off`, a budget that would run out starts again instead). */
  restart(now: number): void {
    this.closesAt = ceilToSecond(now + this.lengthMs);
    this.spent = 0;
  }
}

/**
 * A rolling window (secondary limits: per minute, per hour): what counts at `now` is what was
 * admitted in the last `windowMs`. One log serves several window lengths up to `horizonMs`.
 */
export class SlidingWindow {
  private readonly times: number[] = [];
  private readonly weights: number[] = [];
  /** Entries before this index have left the longest window (dropped in batches, so a busy window costs O(1) a request). */
  private head = 0;

  constructor(private readonly horizonMs: number) {}

  /** Weight admitted in `(now - windowMs, now]` (and later, if the clock was moved back). */
  total(now: number, windowMs: number): number {
    this.prune(now);
    let sum = 0;
    for (let i = this.firstAfter(now - windowMs); i < this.times.length; i += 1) sum += this.weights[i] ?? 0;
    return sum;
  }

  /**
   * When `cost` fits under `limit` within `windowMs`: now, or when enough of the oldest entries
   * have left the window. An empty window admits any single request.
   */
  earliest(now: number, windowMs: number, limit: number, cost: number): number {
    this.prune(now);
    const start = this.firstAfter(now - windowMs);
    let sum = 0;
    for (let i = start; i < this.times.length; i += 1) sum += this.weights[i] ?? 0;
    if (sum === 0 || sum + cost <= limit) return now;
    for (let i = start; i < this.times.length; i += 1) {
      sum -= this.weights[i] ?? 0;
      if (sum === 0 || sum + cost <= limit) return (this.times[i] ?? now) + windowMs;
    }
    return now;
  }

  add(now: number, weight: number): void {
    this.prune(now);
    const last = this.times[this.times.length - 1];
    if (last === undefined || last <= now) {
      this.times.push(now);
      this.weights.push(weight);
      return;
    }
    // The clock was moved back: insert in order.
    const index = this.firstAfter(now);
    this.times.splice(index, 0, now);
    this.weights.splice(index, 0, weight);
  }

  get empty(): boolean {
    return this.head === this.times.length;
  }

  /** Forgets what left the longest window. */
  private prune(now: number): void {
    this.head = this.firstAfter(now - this.horizonMs);
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.weights.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Index of the first live entry later than `time` (binary search; entries are in time order). */
  private firstAfter(time: number): number {
    let low = this.head;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] ?? 0) > time) high = middle;
      else low = middle + 1;
    }
    return low;
  }
}
