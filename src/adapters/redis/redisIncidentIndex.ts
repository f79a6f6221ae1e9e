import type { Redis } from 'ioredis';
import type { IncidentIndex } from '../../services/incidentIndex.ts';

/** The incident index in Redis, shared by replicas; entries expire so it never outgrows its use. */
export function createRedisIncidentIndex(redis: Redis, options: { prefix?: string; ttlSeconds?: number } = {}): IncidentIndex {
  const prefix = `${options.prefix ?? 'firewatch:'}incident:`;
  const ttl = options.ttlSeconds ?? 30 * 86_400;
  return {
    async get(key) {
      const value = await redis.get(prefix + key);
      return value === null ? undefined : Number(value);
    },
    async set(entries) {
      const pairs = Object.entries(entries);
      if (pairs.length === 0) return;
      const pipeline = redis.pipeline();
      for (const [key, issue] of pairs) pipeline.set(prefix + key, String(issue), 'EX', ttl);
      await pipeline.exec();
    },
    async delete(key) {
      await redis.del(prefix + key);
    },
  };
}
