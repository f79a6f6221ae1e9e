import type { Redis } from 'ioredis';
import { runScript } from './runScript.ts';
import type { HeartbeatStore } from '../../services/heartbeatStore.ts';

/** Pings in Redis: shared by replicas and kept across restarts (90 days by default). */
export function createRedisHeartbeatStore(redis: Redis, options: { prefix?: string; ttlSeconds?: number } = {}): HeartbeatStore {
  const prefix = `${options.prefix ?? 'firewatch:'}heartbeat:`;
  const ttl = options.ttlSeconds ?? 90 * 86_400;
  return {
    async ping(name, at) {
      // Never back in time: a delayed request from one replica must not hide a later ping seen by another.
      await runScript(
        redis,
        "local v = redis.call('GET', KEYS[1]) if (not v) or tonumber(v) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end return 1",
        1,
        `${prefix}last:${name}`,
        String(at.getTime()),
        String(ttl),
      );
    },
    async lastPing(name) {
      const value = await redis.get(`${prefix}last:${name}`);
      return value === null ? undefined : new Date(Number(value));
    },
    async watchedSince(name, now) {
      const key = `${prefix}since:${name}`;
      await redis.set(key, String(now.getTime()), 'EX', ttl, 'NX');
      const value = await redis.get(key);
      return new Date(value === null ? now.getTime() : Number(value));
    },
  };
}
