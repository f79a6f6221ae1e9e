import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runScript } from './runScript.ts';
import { createLabelCache } from '../github/ensureLabels.ts';
import type { RateDecision } from '../../domain/commands/rateLimit.ts';
import { rateLimitKey, type CommandRateLimit, type Coordination, type Handled } from '../../services/coordination.ts';
import { createKeyLock } from '../../services/keyLock.ts';
import { createRedisIncidentIndex } from './redisIncidentIndex.ts';
import { createRedisLock } from './redisLock.ts';

// Sliding window of command timestamps per person (a sorted set), and when they were last told to
// slow down: the same decision as `decideRate`, taken atomically for every replica at once.
const TAKE = `
local history, told = KEYS[1], KEYS[2]
local now, count, max, window, id = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
redis.call('ZREMRANGEBYSCORE', history, '-inf', now - window)
local held = redis.call('ZCARD', history)
if held + count <= max then
  for i = 1, count do redis.call('ZADD', history, now, id..':'..i) end
  redis.call('PEXPIRE', history, window)
  return {1, 0, 0}
end
local first = redis.call('ZRANGE', history, 0, 0, 'WITHSCORES')
local oldest = tonumber(first[2] or now)
local toldAt = tonumber(redis.call('GET', told) or '-1')
if toldAt > now - window then return {0, oldest, 1} end
redis.call('SET', told, now, 'PX', window)
return {0, oldest, 0}
`;

function redisRateLimit(redis: Redis, prefix: string): CommandRateLimit {
  return {
    async take(request) {
      const key = rateLimitKey(request.repo, request.actor);
      const windowMs = request.limit.windowSeconds * 1000;
      const id = randomBytes(8).toString('hex');
      const [ok, oldest, told] = (await runScript(redis, TAKE, 2, `${prefix}rate:${key}`, `${prefix}rate-told:${key}`, request.now, request.count, request.limit.max, windowMs, id)) as [number, number, number];
      if (ok === 1) return { ok: true, history: [] } satisfies RateDecision;
      return { ok: false, history: [], retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - request.now) / 1000)), alreadyTold: told === 1 };
    },
  };
}

function redisHandled(redis: Redis, prefix: string): Handled {
  return {
    async isDone(key) {
      return (await redis.exists(`${prefix}done:${key}`)) === 1;
    },
    async markDone(key, ttlMs) {
      await redis.set(`${prefix}done:${key}`, '1', 'PX', ttlMs);
    },
  };
}

/**
 * Coordination shared by every replica through one Redis: per-incident serialization and sweep
 * leases (`SET NX PX` locks), the command rate limit, the incident index and handled comments.
 * The label and config-report caches stay per process: they only save requests, and GitHub says
 * what is true either way.
 */
export function redisCoordination(redis: Redis, options: { prefix?: string } = {}): Coordination {
  const prefix = options.prefix ?? 'firewatch:';
  return {
    kind: 'redis',
    serialize: createKeyLock(createRedisLock(redis, { prefix })),
    // A lease, not a queue: a replica that finds it taken skips this round.
    lease: createRedisLock(redis, { prefix, waitMs: 0 }),
    rateLimit: redisRateLimit(redis, prefix),
    incidents: createRedisIncidentIndex(redis, { prefix }),
    handled: redisHandled(redis, prefix),
    labels: createLabelCache(),
    configReports: new Map(),
    close: async () => {},
  };
}
