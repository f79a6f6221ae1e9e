import type { Redis } from 'ioredis';
import { INDEX_BUILT_TTL_MS, sharedBuilds, type IncidentIndex } from '../../services/incidentIndex.ts';

/**
 * The incident index in Redis, shared by replicas: entries expire so it never outgrows its use;
 * a repository's "built" mark expires sooner (an hour), and every rebuild renews the entries of
 * the incidents it lists, so a marked repository never misses an entry its listing set.
 */
export function createRedisIncidentIndex(redis: Redis, options: { prefix?: string; ttlSeconds?: number; builtTtlMs?: number } = {}): IncidentIndex {
  const prefix = `${options.prefix ?? 'firewatch:'}incident:`;
  const builtPrefix = `${options.prefix ?? 'firewatch:'}incident-index-built:`;
  const ttl = options.ttlSeconds ?? 30 * 86_400;
  const builtTtlMs = Math.min(options.builtTtlMs ?? INDEX_BUILT_TTL_MS, ttl * 1000);
  const set: IncidentIndex['set'] = async (entries) => {
    const pairs = Object.entries(entries);
    if (pairs.length === 0) return;
    const pipeline = redis.pipeline();
    for (const [key, issue] of pairs) pipeline.set(prefix + key, String(issue), 'EX', ttl);
    await pipeline.exec();
  };
  return {
    async get(key) {
      const value = await redis.get(prefix + key);
      return value === null ? undefined : Number(value);
    },
    set,
    async delete(key) {
      await redis.del(prefix + key);
    },
    ensureBuilt: sharedBuilds(
      {
        isBuilt: async (repo) => (await redis.exists(builtPrefix + repo)) === 1,
        markBuilt: async (repo) => void (await redis.set(builtPrefix + repo, '1', 'PX', builtTtlMs)),
      },
      set,
    ),
  };
}
