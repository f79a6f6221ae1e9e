/**
 * When each heartbeat last pinged, and since when it is watched. Only the pings live here: what
 * they mean (missed, back) is on GitHub, as the heartbeat's incident and its alert. In Redis when
 * configured, so a restart or another replica sees the same pings; otherwise in this process,
 * and after a restart a heartbeat is watched afresh (a full interval before it can be missed).
 */
export interface HeartbeatStore {
  ping(name: string, at: Date): Promise<void>;
  lastPing(name: string): Promise<Date | undefined>;
  /** When watching `name` began: the first time it was asked for (kept, in Redis, across restarts). */
  watchedSince(name: string, now: Date): Promise<Date>;
}

/** Names remembered at most in memory, so pings for made-up names cannot grow it without bound. */
const MEMORY_LIMIT = 1_000;

export function createMemoryHeartbeatStore(): HeartbeatStore {
  const pings = new Map<string, number>();
  const since = new Map<string, number>();
  const bounded = (map: Map<string, number>) => {
    while (map.size > MEMORY_LIMIT) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  };
  return {
    async ping(name, at) {
      pings.delete(name);
      pings.set(name, at.getTime());
      bounded(pings);
    },
    async lastPing(name) {
      const ms = pings.get(name);
      return ms === undefined ? undefined : new Date(ms);
    },
    async watchedSince(name, now) {
      if (!since.has(name)) since.set(name, now.getTime());
      bounded(since);
      return new Date(since.get(name) ?? now.getTime());
    },
  };
}
