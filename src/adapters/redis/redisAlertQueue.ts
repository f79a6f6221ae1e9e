import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runScript } from './runScript.ts';
import { alertCount, DEFAULT_QUEUE_SETTINGS, MAX_LISTED_KEYS, urgency, type AlertJob, type AlertQueue, type BatchHandler, type QueueMetrics, type QueueSettings } from '../queue/alertQueue.ts';

export interface RedisQueueOptions extends Partial<QueueSettings> {
  redis: Redis;
  handler: BatchHandler;
  /** Key prefix, so several firewatch deployments can share one Redis. Default `firewatch:`. */
  prefix?: string;
  metrics?: QueueMetrics;
  onError?: (error: unknown, context: { key: string; alerts: number; attempts: number; willRetry: boolean }) => void;
  /** A worker that stops renewing its claim for this long is presumed dead and its batch is re-queued. Default 30 s. */
  claimTtlMs?: number;
  /** Most jobs taken in one batch. Default 500. */
  maxBatch?: number;
  /** The queue's clock (ms): due times, coalescing windows, claims. Default `Date.now`; tests pin it. */
  now?: () => number;
}

// Every script touches only keys under the prefix it is given. Jobs of one key live in
// `pending:<key>` until a worker claims the key; the claimed batch moves to `inflight:<key>` and
// stays there until the worker finishes it, so a crash mid-batch loses nothing: once the claim
// expires, `recover` puts the batch back in front of the key's pending jobs. `urgency` holds each
// waiting key's most urgent severity (1 for P1 … 5), so a worker claims the most urgent due key
// first (in due order within a severity), as the in-memory queue does; it is dropped once the key
// has nothing left waiting.
const ENQUEUE = `
local p, now, limit, n = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local depth = tonumber(redis.call('GET', p..'depth') or '0')
if depth + n > limit then return {0, depth} end
local i = 5
while i <= #ARGV do
  local key, job, rank = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  redis.call('RPUSH', p..'pending:'..key, job)
  local had = tonumber(redis.call('HGET', p..'urgency', key) or '6')
  if rank < had then redis.call('HSET', p..'urgency', key, rank) end
  if redis.call('EXISTS', p..'claim:'..key) == 0 then
    local last = tonumber(redis.call('GET', p..'next:'..key) or '0')
    redis.call('ZADD', p..'ready', 'NX', math.max(now, last), key)
  end
  i = i + 3
end
return {1, redis.call('INCRBY', p..'depth', n)}
`;

const CLAIM = `
local p, now, worker, ttl, max = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local due = redis.call('ZRANGEBYSCORE', p..'ready', '-inf', now, 'LIMIT', 0, 1000)
if #due == 0 then
  local nxt = redis.call('ZRANGE', p..'ready', 0, 0, 'WITHSCORES')
  return {false, nxt[2] or false}
end
-- The most urgent of the (first 1,000) due keys; the earliest due among equals.
local key, best = due[1], 6
for _, candidate in ipairs(due) do
  local rank = tonumber(redis.call('HGET', p..'urgency', candidate) or '5')
  if rank < best then key, best = candidate, rank end
  if best == 1 then break end
end
redis.call('ZREM', p..'ready', key)
local jobs = redis.call('LRANGE', p..'pending:'..key, 0, max - 1)
redis.call('LTRIM', p..'pending:'..key, max, -1)
if #jobs == 0 then return {false, false} end
redis.call('SET', p..'claim:'..key, worker, 'PX', ttl)
redis.call('RPUSH', p..'inflight:'..key, unpack(jobs))
redis.call('ZADD', p..'inflight', now + ttl, key)
return {key, jobs}
`;

/**
 * ARGV: prefix, key, worker, now, coalesceMs, alerts, retryAt ('' = done), retried jobs...
 * Done: the key's pace as in `paceAfterBatch` (alertQueue.ts): `last:<key>` lives for one window
 * after a batch (its finish time); the key is held (`next:<key>`) when more of it waits now or the
 * last batch finished less than a window ago.
 */
const FINISH = `
local p, key, worker, now, coalesce, n, retryAt = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
if redis.call('GET', p..'claim:'..key) ~= worker then return 0 end
redis.call('DEL', p..'inflight:'..key, p..'claim:'..key)
redis.call('ZREM', p..'inflight', key)
if retryAt ~= '' then
  for i = #ARGV, 8, -1 do redis.call('LPUSH', p..'pending:'..key, ARGV[i]) end
  redis.call('ZADD', p..'ready', tonumber(retryAt), key)
  return 1
end
redis.call('DECRBY', p..'depth', n)
local ttl = math.max(1, coalesce)
local waiting = redis.call('LLEN', p..'pending:'..key) > 0
local last = tonumber(redis.call('GET', p..'last:'..key) or '')
local recent = last ~= nil and now - last < coalesce
redis.call('SET', p..'last:'..key, now, 'PX', ttl)
if waiting or recent then
  redis.call('SET', p..'next:'..key, now + coalesce, 'PX', ttl)
  if waiting then redis.call('ZADD', p..'ready', 'NX', now + coalesce, key) end
else
  redis.call('DEL', p..'next:'..key)
end
if not waiting then redis.call('HDEL', p..'urgency', key) end
return 1
`;

const RENEW = `
local p, key, worker, now, ttl = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
if redis.call('GET', p..'claim:'..key) ~= worker then return 0 end
redis.call('PEXPIRE', p..'claim:'..key, ttl)
redis.call('ZADD', p..'inflight', 'XX', now + ttl, key)
return 1
`;

/** ARGV: prefix, keys to list. The keys waiting their turn, each followed by how many alerts it has queued. */
const QUEUED = `
local p, max = ARGV[1], tonumber(ARGV[2])
local keys = redis.call('ZRANGE', p..'ready', 0, max - 1)
local out = {}
for _, key in ipairs(keys) do
  local jobs = redis.call('LRANGE', p..'pending:'..key, 0, -1)
  local alerts = 0
  for _, job in ipairs(jobs) do alerts = alerts + #cjson.decode(job).alerts end
  table.insert(out, key)
  table.insert(out, alerts)
end
return out
`;

const RECOVER = `
local p, now = ARGV[1], tonumber(ARGV[2])
local stale = redis.call('ZRANGEBYSCORE', p..'inflight', '-inf', now, 'LIMIT', 0, 100)
local moved = 0
for _, key in ipairs(stale) do
  if redis.call('EXISTS', p..'claim:'..key) == 0 then
    local jobs = redis.call('LRANGE', p..'inflight:'..key, 0, -1)
    for i = #jobs, 1, -1 do redis.call('LPUSH', p..'pending:'..key, jobs[i]) end
    redis.call('DEL', p..'inflight:'..key)
    redis.call('ZREM', p..'inflight', key)
    if #jobs > 0 then redis.call('ZADD', p..'ready', now, key) end
    moved = moved + #jobs
  end
end
return moved
`;

/**
 * The alert queue in Redis, shared by every replica: accepted alerts survive a restart or crash of
 * any replica (as long as Redis keeps its data: enable AOF for that), a key is processed by one
 * worker at a time across all replicas, and a crashed worker's batch is taken over once its claim
 * expires.
 */
export function createRedisAlertQueue(options: RedisQueueOptions): AlertQueue & { recover(): Promise<number> } {
  const settings = { ...DEFAULT_QUEUE_SETTINGS, isRetryable: () => true, ...options };
  const { redis } = options;
  const prefix = options.prefix ?? 'firewatch:';
  const claimTtl = options.claimTtlMs ?? 30_000;
  const maxBatch = options.maxBatch ?? 500;
  const now = options.now ?? Date.now;
  const worker = `${process.pid}-${randomBytes(6).toString('hex')}`;
  let closed = false;
  /** Batches this process is filing: key → alerts. */
  const active = new Map<string, number>();
  const sleepers = new Set<() => void>();

  const run = (script: string, args: (string | number)[]) => runScript(redis, script, 0, prefix, ...args);

  async function refreshDepth(): Promise<number> {
    const depth = Number((await redis.get(`${prefix}depth`)) ?? 0);
    options.metrics?.setDepth(depth);
    return depth;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  async function work(): Promise<void> {
    while (!closed) {
      let claimed: unknown;
      try {
        claimed = await run(CLAIM, [now(), worker, claimTtl, maxBatch]);
      } catch (error) {
        options.onError?.(error, { key: '(claim)', alerts: 0, attempts: 0, willRetry: true });
        await sleep(1_000);
        continue;
      }
      const [key, payload] = claimed as [string | null, string[] | string | null];
      if (!key || !Array.isArray(payload)) {
        const next = typeof payload === 'string' ? Number(payload) - now() : 100;
        await sleep(Math.max(10, Math.min(100, next)));
        continue;
      }
      const jobs = payload.map((text) => JSON.parse(text) as AlertJob);
      active.set(key, alertCount(jobs));
      try {
        await processBatch(key, jobs);
      } finally {
        active.delete(key);
      }
    }
  }

  async function processBatch(key: string, jobs: AlertJob[]): Promise<void> {
    const alerts = alertCount(jobs);
    const renew = setInterval(() => void run(RENEW, [key, worker, now(), claimTtl]).catch(() => {}), Math.max(1_000, claimTtl / 3));
    try {
      await settings.handler(key, jobs);
      await run(FINISH, [key, worker, now(), settings.coalesceMs, alerts, '']);
    } catch (error) {
      const attempts = Math.max(...jobs.map((job) => job.attempts)) + 1;
      const oldest = Math.min(...jobs.map((job) => Date.parse(job.acceptedAt)));
      const expired = now() - oldest > settings.maxRetryMs;
      const willRetry = settings.isRetryable(error) && !expired;
      options.onError?.(error, { key, alerts, attempts, willRetry });
      if (willRetry) {
        options.metrics?.retried();
        const retry = jobs.map((job) => JSON.stringify({ ...job, attempts }));
        await run(FINISH, [key, worker, now(), settings.coalesceMs, alerts, now() + settings.backoffMs(attempts), ...retry]).catch(() => {});
      } else {
        options.metrics?.dropped(expired ? 'expired' : 'failed', alerts);
        await run(FINISH, [key, worker, now(), settings.coalesceMs, alerts, '']).catch(() => {});
      }
    } finally {
      clearInterval(renew);
      await refreshDepth().catch(() => 0);
    }
  }

  async function recover(): Promise<number> {
    return Number(await run(RECOVER, [now()]));
  }

  // Replicas that died mid-batch: their claims expire, and whoever looks first re-queues the batch.
  const recovery = setInterval(() => void recover().catch(() => {}), Math.max(1_000, claimTtl / 2));
  recovery.unref();
  void recover().catch(() => {});
  const workers = Array.from({ length: settings.concurrency }, () => work());

  return {
    recover,
    async enqueue(jobs) {
      if (closed) return { ok: false, reason: 'full', message: 'firewatch is shutting down' };
      const count = alertCount(jobs);
      const args = jobs.flatMap((job) => [job.key, JSON.stringify(job), urgency([job])]);
      const [ok, depth] = (await run(ENQUEUE, [now(), settings.limit, count, ...args])) as [number, number];
      options.metrics?.setDepth(depth);
      if (!ok) {
        options.metrics?.dropped('full', count);
        return { ok: false, reason: 'full', message: `the alert queue is full (${depth} alerts waiting, limit ${settings.limit})` };
      }
      for (const wake of sleepers) wake();
      return { ok: true };
    },
    depth: refreshDepth,
    async idle({ timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if ((await refreshDepth()) === 0 && active.size === 0) return true;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return false;
    },
    async drain({ timeoutMs }) {
      // Stop claiming: what is queued stays in Redis for the other replicas (or the next start),
      // so only the batches this process already holds are finished here.
      closed = true;
      for (const wake of sleepers) wake();
      const deadline = Date.now() + timeoutMs;
      while (active.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, Math.min(25, Math.max(1, deadline - Date.now()))));
      const inFlight = [...active].map(([key, alerts]) => ({ key, alerts }));
      let queued = 0;
      const queuedKeys: { key: string; alerts: number }[] = [];
      try {
        const listed = (await run(QUEUED, [MAX_LISTED_KEYS])) as (string | number)[];
        for (let i = 0; i + 1 < listed.length; i += 2) queuedKeys.push({ key: String(listed[i]), alerts: Number(listed[i + 1]) });
        queued = Math.max(0, (await refreshDepth()) - inFlight.reduce((sum, entry) => sum + entry.alerts, 0));
      } catch {
        // Redis unreachable: nothing to say about what it holds.
      }
      return { queued, queuedKeys, inFlight };
    },
    async close() {
      closed = true;
      clearInterval(recovery);
      for (const wake of sleepers) wake();
      // Only once drained: a batch still in flight after `drain` gave up must not hold the shutdown.
      if (active.size === 0) await Promise.all(workers);
    },
  };
}
