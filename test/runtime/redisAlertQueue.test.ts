import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { jobsFor, type AlertJob } from '../../src/adapters/queue/alertQueue.ts';
import { createRedisAlertQueue } from '../../src/adapters/redis/redisAlertQueue.ts';
import { createRedisLock } from '../../src/adapters/redis/redisLock.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';
import { needs } from '../support/components.ts';

const alert = (fingerprint: string): NormalizedAlert => ({
  source: 'generic',
  fingerprint,
  status: 'firing',
  title: 'HighErrorRate',
  severity: 'P2',
  service: 'checkout',
  labels: {},
  annotations: {},
  startsAt: '2026-01-01T00:00:00Z',
  links: { other: [] },
});
const job = (fingerprint: string): AlertJob[] => jobsFor([alert(fingerprint)], new Date());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: RunningRedis;
needs('redis', 'with Redis', () => {
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('redis alert queue', () => {
  it('keeps accepted alerts across a restart: a new process files what the old one never got to', async () => {
    const prefix = 'restart:';
    const first = createRedisAlertQueue({ redis: redis.client(), prefix, concurrency: 1, handler: () => new Promise(() => {}) });
    await first.close();
    // Closed before any worker ran: the alerts wait in Redis.
    const late = createRedisAlertQueue({ redis: redis.client(), prefix, concurrency: 0, handler: async () => {} });
    await late.enqueue(job('a'));
    await late.enqueue(job('b'));
    expect(await late.depth()).toBe(2);
    await late.close();
    const seen: string[] = [];
    const second = createRedisAlertQueue({ redis: redis.client(), prefix, handler: async (_key, jobs) => void seen.push(...jobs.flatMap((j) => j.alerts.map((a) => a.fingerprint))) });
    expect(await second.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(seen.sort()).toEqual(['a', 'b']);
    await second.close();
  });

  it('starts the most urgent waiting key first, across replicas: a P1 queued behind P4s is filed next, then the P4s in arrival order', async () => {
    const prefix = 'urgent:';
    // Queued by a replica whose workers are all busy (none here), then taken by another's one worker.
    const intake = createRedisAlertQueue({ redis: redis.client(), prefix, concurrency: 0, handler: async () => {} });
    for (const name of ['p4-a', 'p4-b', 'p4-c']) await intake.enqueue(jobsFor([{ ...alert(name), severity: 'P4' }], new Date()));
    await intake.enqueue(jobsFor([{ ...alert('p1'), severity: 'P1' }], new Date()));
    await intake.enqueue(jobsFor([{ ...alert('p3'), severity: 'P3' }], new Date()));
    await intake.close();
    const started: string[] = [];
    const worker = createRedisAlertQueue({ redis: redis.client(), prefix, concurrency: 1, handler: async (key) => void started.push(key) });
    expect(await worker.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(started).toEqual(['generic:fp:p1', 'generic:fp:p3', 'generic:fp:p4-a', 'generic:fp:p4-b', 'generic:fp:p4-c']);
    // Nothing left waiting: the key's urgency is gone with it.
    expect(await redis.client().hlen(`${prefix}urgency`)).toBe(0);
    await worker.close();
  });

  it("takes over a crashed worker's batch once its claim expires", async () => {
    const prefix = 'crash:';
    const stuck = createRedisAlertQueue({ redis: redis.client(), prefix, claimTtlMs: 300, handler: () => new Promise(() => {}) });
    await stuck.enqueue(job('a'));
    await sleep(100);
    // The worker "dies": it stops renewing (close does not wait for the hung handler here).
    void stuck.close();
    const client = redis.client();
    await client.del(`${prefix}claim:generic:fp:a`);
    const seen: string[] = [];
    const rescuer = createRedisAlertQueue({ redis: redis.client(), prefix, claimTtlMs: 300, handler: async (_key, jobs) => void seen.push(...jobs.map((j) => j.key)) });
    await sleep(400);
    await rescuer.recover();
    expect(await rescuer.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(seen).toEqual(['generic:fp:a']);
    await rescuer.close();
  });

  it('coalesces a key across replicas and never runs it twice at once', async () => {
    const prefix = 'shared:';
    let running = 0;
    let overlap = false;
    let alerts = 0;
    const handler = async (_key: string, jobs: AlertJob[]) => {
      running += 1;
      if (running > 1) overlap = true;
      alerts += jobs.length;
      await sleep(20);
      running -= 1;
    };
    const a = createRedisAlertQueue({ redis: redis.client(), prefix, coalesceMs: 50, handler });
    const b = createRedisAlertQueue({ redis: redis.client(), prefix, coalesceMs: 50, handler });
    await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 ? a : b).enqueue(job('same'))));
    expect(await a.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(alerts).toBe(100);
    expect(overlap).toBe(false);
    await Promise.all([a.close(), b.close()]);
  });

  it('retries after a failure and refuses beyond its limit', async () => {
    const prefix = 'retry:';
    let failures = 2;
    const done: string[] = [];
    const queue = createRedisAlertQueue({
      redis: redis.client(),
      prefix,
      limit: 3,
      backoffMs: () => 20,
      handler: async (key) => {
        if (failures-- > 0) throw new Error('GitHub unreachable');
        done.push(key);
      },
    });
    await queue.enqueue(job('x'));
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(done).toEqual(['generic:fp:x']);
    await queue.close();
    const full = createRedisAlertQueue({ redis: redis.client(), prefix: 'full:', limit: 1, concurrency: 0, handler: async () => {} });
    expect(await full.enqueue(job('a'))).toEqual({ ok: true });
    expect(await full.enqueue(job('b'))).toMatchObject({ ok: false, reason: 'full' });
    await full.close();
  });

  it('lets one holder at a time through the shared lock', async () => {
    const lockA = createRedisLock(redis.client(), { prefix: 'lock-test:', ttlMs: 2_000 });
    const lockB = createRedisLock(redis.client(), { prefix: 'lock-test:', ttlMs: 2_000 });
    const order: string[] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? lockA : lockB)('k', async () => {
          order.push(`in${i}`);
          await sleep(10);
          order.push(`out${i}`);
        }),
      ),
    );
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i]?.replace('in', 'out'));
  });

  it('drains on shutdown: finishes its own batch, claims nothing more, and leaves the rest queued for another replica', async () => {
    const prefix = 'drain:';
    let release: () => void = () => {};
    const handled: string[] = [];
    const leaving = createRedisAlertQueue({
      redis: redis.client(),
      prefix,
      concurrency: 1,
      handler: (key) => new Promise<void>((resolve) => (handled.push(key), (release = resolve))),
    });
    await leaving.enqueue(job('a'));
    while (handled.length === 0) await sleep(10);
    await leaving.enqueue(job('b'));
    await leaving.enqueue(job('c'));
    // Time runs out while `a` is still being filed.
    expect(await leaving.drain({ timeoutMs: 100 })).toEqual({
      queued: 2,
      queuedKeys: [
        { key: 'generic:fp:b', alerts: 1 },
        { key: 'generic:fp:c', alerts: 1 },
      ],
      inFlight: [{ key: 'generic:fp:a', alerts: 1 }],
    });
    expect(await leaving.enqueue(job('d'))).toMatchObject({ ok: false, message: 'firewatch is shutting down' });
    release();
    await leaving.close();
    expect(handled).toEqual(['generic:fp:a']);

    const staying: string[] = [];
    const other = createRedisAlertQueue({ redis: redis.client(), prefix, handler: async (key) => void staying.push(key) });
    expect(await other.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(staying.sort()).toEqual(['generic:fp:b', 'generic:fp:c']);
    expect(await other.drain({ timeoutMs: 1_000 })).toEqual({ queued: 0, queuedKeys: [], inFlight: [] });
    await other.close();
  });

  it('files a quiet key at once even right after its last batch, and holds a key under load for the window (pinned clock)', async () => {
    const prefix = 'pace:';
    let clock = 1_000_000;
    const window = 5_000;
    const batches: { at: number; alerts: number }[] = [];
    let release: () => void = () => {};
    let blocking = false;
    const queue = createRedisAlertQueue({
      redis: redis.client(),
      prefix,
      coalesceMs: window,
      now: () => clock,
      handler: async (_key, jobs) => {
        batches.push({ at: clock, alerts: jobs.length });
        if (blocking) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    await queue.enqueue(job('checkout'));
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    // Two seconds later on the queue's clock: Alertmanager's resolved notification.
    clock += 2_000;
    await queue.enqueue(job('checkout'));
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(batches).toEqual([
      { at: 1_000_000, alerts: 1 },
      { at: 1_002_000, alerts: 1 },
    ]);

    // Past the window: a storm. What arrives while the first batch is filed waits for the window.
    clock += window;
    blocking = true;
    await queue.enqueue(job('checkout'));
    while (batches.length < 3) await sleep(10);
    for (let i = 0; i < 5; i++) await queue.enqueue(job('checkout'));
    blocking = false;
    release();
    // The first batch is done once its alert is off the depth; the clock stands still, so nothing else is due.
    while ((await queue.depth()) !== 5) await sleep(10);
    await sleep(200);
    expect(batches).toHaveLength(3);
    clock += window;
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(batches.slice(2)).toEqual([
      { at: 1_007_000, alerts: 1 },
      { at: 1_012_000, alerts: 5 },
    ]);
    await queue.close();
  });
});
});
