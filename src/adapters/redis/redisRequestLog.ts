import type { Redis } from 'ioredis';
import type { RequestLog, RequestStatus } from '../../services/requestLog.ts';

/** Processed Opsgenie requests in Redis: shared by replicas and kept a week across restarts. */
export function createRedisRequestLog(redis: Redis, options: { prefix?: string; ttlSeconds?: number } = {}): RequestLog {
  const prefix = `${options.prefix ?? 'firewatch:'}opsgenie-request:`;
  const ttl = options.ttlSeconds ?? 7 * 86_400;
  return {
    async put(id, status) {
      await redis.set(prefix + id, JSON.stringify(status), 'EX', ttl);
    },
    async get(id) {
      const text = await redis.get(prefix + id);
      if (text === null) return undefined;
      try {
        return JSON.parse(text) as RequestStatus;
      } catch {
        return undefined;
      }
    },
  };
}
