/** How many commands one person may run in a window. */
export interface RateLimit {
  max: number;
  windowSeconds: number;
}

export type RateDecision =
  | { ok: true; /** Timestamps to keep (ms), this request included. */ history: number[] }
  | {
      ok: false;
      history: number[];
      /** Seconds until the oldest counted command leaves the window. */
      retryAfterSeconds: number;
      /** Whether this person was already told in the current window (tell them once, not per comment). */
      alreadyTold: boolean;
    };

/**
 * Sliding window: `count` more commands at `now` are allowed when the window then holds at most
 * `max`. Refused commands do not count, so a flood cannot extend its own ban. Pure.
 */
export function decideRate(history: readonly number[], now: number, count: number, limit: RateLimit, toldAt?: number): RateDecision {
  const windowMs = limit.windowSeconds * 1000;
  const recent = history.filter((at) => at > now - windowMs);
  if (recent.length + count <= limit.max) return { ok: true, history: [...recent, ...Array.from({ length: count }, () => now)] };
  const oldest = recent[0] ?? now;
  return { ok: false, history: recent, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)), alreadyTold: toldAt !== undefined && toldAt > now - windowMs };
}

/**
 * Per-user command counts for one process (replicas each count their own; a flood still hits
 * every one of them). Keyed by repository and login.
 */
export class RateLimiter {
  private readonly history = new Map<string, number[]>();
  private readonly told = new Map<string, number>();

  /** Records `count` commands by `key` at `now` when allowed. */
  take(key: string, now: number, count: number, limit: RateLimit): RateDecision {
    const decision = decideRate(this.history.get(key) ?? [], now, count, limit, this.told.get(key));
    if (decision.history.length) this.history.set(key, decision.history);
    else this.history.delete(key);
    if (!decision.ok && !decision.alreadyTold) this.told.set(key, now);
    return decision;
  }
}
