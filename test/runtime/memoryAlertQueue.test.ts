import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NormalizedAlert } from '../../src/domain/alerts/alert.ts';
import { jobsFor, type AlertJob } from '../../src/adapters/queue/alertQueue.ts';
import { createMemoryAlertQueue } from '../../src/adapters/queue/memoryAlertQueue.ts';

const alert = (fingerprint: string, groupKey?: string): NormalizedAlert => ({
  source: 'alertmanager',
  fingerprint,
  ...(groupKey ? { groupKey } : {}),
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

function recorder() {
  const batches: { key: string; alerts: number }[] = [];
  const drops: string[] = [];
  let depth = -1;
  return {
    batches,
    drops,
    depth: () => depth,
    metrics: { setDepth: (d: number) => (depth = d), dropped: (reason: string, n: number) => drops.push(`${reason}:${n}`), retried: () => {} },
  };
}

describe('memory alert queue', () => {
  it('splits a notification by group (or fingerprint) into jobs', () => {
    const jobs = jobsFor([alert('a', 'g1'), alert('b', 'g1'), alert('c')], new Date('2026-01-01T00:00:00Z'));
    expect(jobs.map((j) => [j.key, j.alerts.length])).toEqual([['alertmanager:group:g1', 2], ['alertmanager:fp:c', 1]]);
  });

  it('a P1 arriving while every worker is held by P4s waiting on GitHub starts at once, ahead of the P4s still queued', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const queue = createMemoryAlertQueue({
      concurrency: 2,
      settleMs: 1,
      handler: async (key) => {
        started.push(key);
        await new Promise<void>((resolve) => release.push(resolve));
      },
    });
    const p4 = (name: string) => jobsFor([{ ...alert(name), severity: 'P4' }], new Date());
    for (const name of ['a', 'b', 'c', 'd']) await queue.enqueue(p4(name));
    await sleep(30);
    expect(started).toEqual(['alertmanager:fp:a', 'alertmanager:fp:b']);
    await queue.enqueue(jobsFor([{ ...alert('urgent'), severity: 'P1' }], new Date()));
    await sleep(30);
    expect(started).toEqual(['alertmanager:fp:a', 'alertmanager:fp:b', 'alertmanager:fp:urgent']);
    for (const done of release.splice(0)) done();
    await sleep(30);
    expect(started.slice(3)).toEqual(['alertmanager:fp:c', 'alertmanager:fp:d']);
    for (const done of release.splice(0)) done();
    expect(await queue.idle({ timeoutMs: 1_000 })).toBe(true);
    await queue.close();
  });

  it('folds notifications of a key that arrive while it is busy into one batch', async () => {
    const rec = recorder();
    const queue = createMemoryAlertQueue({
      coalesceMs: 50,
      metrics: rec.metrics,
      handler: async (key, jobs) => {
        rec.batches.push({ key, alerts: jobs.length });
        await sleep(30);
      },
    });
    for (let i = 0; i < 200; i++) await queue.enqueue(job(i % 2 ? 'a' : 'b'));
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(rec.batches.reduce((sum, b) => sum + b.alerts, 0)).toBe(200);
    // First notification of each key at once, the other 99 in one or two batches after it.
    expect(rec.batches.length).toBeLessThanOrEqual(6);
    expect(rec.depth()).toBe(0);
  });

  it('never runs two batches of one key at the same time', async () => {
    let running = 0;
    let overlap = false;
    const queue = createMemoryAlertQueue({
      coalesceMs: 0,
      concurrency: 8,
      handler: async () => {
        running += 1;
        if (running > 1) overlap = true;
        await sleep(5);
        running -= 1;
      },
    });
    await Promise.all(Array.from({ length: 50 }, async () => queue.enqueue(job('same'))));
    await queue.idle();
    expect(overlap).toBe(false);
  });

  it('retries a batch after a temporary failure (GitHub down) and loses nothing', async () => {
    let failures = 3;
    const done: number[] = [];
    const rec = recorder();
    const queue = createMemoryAlertQueue({
      backoffMs: () => 10,
      metrics: rec.metrics,
      handler: async (_key, jobs) => {
        if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        done.push(jobs.length);
      },
    });
    await queue.enqueue(job('a'));
    await queue.enqueue(job('a'));
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(done.reduce((a, b) => a + b, 0)).toBe(2);
    expect(rec.drops).toEqual([]);
  });

  it('drops a batch on a permanent error and counts it', async () => {
    const rec = recorder();
    const queue = createMemoryAlertQueue({ metrics: rec.metrics, isRetryable: () => false, handler: async () => Promise.reject(new Error('422')) });
    await queue.enqueue(job('a'));
    await queue.idle();
    expect(rec.drops).toEqual(['failed:1']);
  });

  it('gives up after maxRetryMs and counts the alerts as expired', async () => {
    const rec = recorder();
    const queue = createMemoryAlertQueue({ metrics: rec.metrics, maxRetryMs: 30, backoffMs: () => 20, handler: async () => Promise.reject(new Error('down')) });
    await queue.enqueue(job('a'));
    expect(await queue.idle({ timeoutMs: 2_000 })).toBe(true);
    expect(rec.drops).toEqual(['expired:1']);
  });

  it('accepts a burst before filing any of it, then files each key once', async () => {
    const started: { key: string; at: number; alerts: number }[] = [];
    let lastEnqueued = 0;
    const queue = createMemoryAlertQueue({
      settleMs: 40,
      maxSettleMs: 2_000,
      handler: async (key, jobs) => void started.push({ key, at: performance.now(), alerts: jobs.length }),
    });
    for (let i = 0; i < 30; i++) {
      await queue.enqueue(job(`problem-${i % 3}`));
      // Filing never runs inside enqueue: the 202 for this notification would wait for it.
      expect(started).toEqual([]);
      lastEnqueued = performance.now();
      await sleep(5);
    }
    expect(await queue.idle({ timeoutMs: 5_000 })).toBe(true);
    expect(started.map((s) => s.key).sort()).toEqual(['alertmanager:fp:problem-0', 'alertmanager:fp:problem-1', 'alertmanager:fp:problem-2']);
    expect(started.map((s) => s.alerts)).toEqual([10, 10, 10]);
    for (const batch of started) expect(batch.at).toBeGreaterThanOrEqual(lastEnqueued);
  });

  it('does not hold filing back for longer than maxSettleMs while notifications keep coming', async () => {
    const started: number[] = [];
    const queue = createMemoryAlertQueue({ settleMs: 40, maxSettleMs: 100, handler: async () => void started.push(performance.now()) });
    const first = performance.now();
    // A steady stream, never quiet for 40 ms, for 400 ms.
    while (performance.now() - first < 400) {
      await queue.enqueue(job(`problem-${started.length}`));
      await sleep(10);
    }
    expect(started.length).toBeGreaterThan(0);
    expect((started[0] ?? Infinity) - first).toBeLessThan(300);
    await queue.idle();
  });

  it('refuses beyond its limit, counted as full', async () => {
    const rec = recorder();
    const queue = createMemoryAlertQueue({ limit: 2, metrics: rec.metrics, handler: async () => void (await sleep(50)) });
    expect(await queue.enqueue(job('a'))).toEqual({ ok: true });
    expect(await queue.enqueue(job('b'))).toEqual({ ok: true });
    expect(await queue.enqueue(job('c'))).toMatchObject({ ok: false, reason: 'full', message: expect.stringContaining('limit 2') });
    expect(rec.drops).toEqual(['full:1']);
    await queue.idle();
  });

  it('drains on shutdown: files what waits at once, however long its coalescing window, and refuses new alerts', async () => {
    const filed: string[] = [];
    const queue = createMemoryAlertQueue({ coalesceMs: 60_000, handler: async (key, jobs) => void filed.push(`${key}:${jobs.length}`) });
    await queue.enqueue(job('a'));
    await queue.idle({ timeoutMs: 2_000 });
    // A second notification of `a` would wait a minute for its window; shutdown does not.
    await queue.enqueue(job('a'));
    await queue.enqueue(job('b'));
    const started = Date.now();
    const left = await queue.drain({ timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(left).toEqual({ queued: 0, queuedKeys: [], inFlight: [] });
    expect(filed.sort()).toEqual(['alertmanager:fp:a:1', 'alertmanager:fp:a:1', 'alertmanager:fp:b:1']);
    expect(await queue.enqueue(job('c'))).toMatchObject({ ok: false, message: 'firewatch is shutting down' });
  });

  it('says what is left when time runs out, and starts nothing after', async () => {
    const started: string[] = [];
    const release: (() => void)[] = [];
    const queue = createMemoryAlertQueue({ concurrency: 1, handler: (key) => new Promise<void>((resolve) => (started.push(key), release.push(resolve))) });
    for (const fingerprint of ['a', 'b', 'c']) await queue.enqueue(job(fingerprint));
    await queue.enqueue(job('c'));
    const left = await queue.drain({ timeoutMs: 300 });
    expect(left).toEqual({
      queued: 3,
      queuedKeys: [
        { key: 'alertmanager:fp:b', alerts: 1 },
        { key: 'alertmanager:fp:c', alerts: 2 },
      ],
      inFlight: [{ key: 'alertmanager:fp:a', alerts: 1 }],
    });
    release.forEach((resolve) => resolve());
    await sleep(100);
    expect(started).toEqual(['alertmanager:fp:a']);
  });
});

describe('memory alert queue: coalescing only under load (pinned clock)', () => {
  const WINDOW = 5_000;
  let started: { at: number; alerts: number }[];

  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') });
    started = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const t0 = Date.parse('2026-01-01T00:00:00Z');
  /** Milliseconds since the start, for readable expectations. */
  const since = () => Date.now() - t0;

  function queue(handlerMs = 0) {
    return createMemoryAlertQueue({
      coalesceMs: WINDOW,
      now: () => Date.now(),
      handler: async (_key, jobs) => {
        started.push({ at: since(), alerts: jobs.length });
        if (handlerMs > 0) await new Promise((resolve) => setTimeout(resolve, handlerMs));
      },
    });
  }

  it('files the next notification of a quiet key at once, even seconds after the last', async () => {
    const q = queue();
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(2_000);
    // Alertmanager's resolved notification, two seconds after the firing one was filed.
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(100);
    expect(started).toEqual([
      { at: 20, alerts: 1 },
      { at: 2_020, alerts: 1 },
    ]);
    await q.close();
  });

  it('holds a key whose notifications arrive while it is being filed: they wait out the window as one batch', async () => {
    const q = queue(300);
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(100);
    for (let i = 0; i < 10; i++) await q.enqueue(job('checkout'));
    // The first batch ends at 320 ms; the ten that came meanwhile are due one window later.
    await vi.advanceTimersByTimeAsync(320 + WINDOW - 100 - 1);
    expect(started).toEqual([{ at: 20, alerts: 1 }]);
    await vi.advanceTimersByTimeAsync(10);
    expect(started.map((batch) => batch.alerts)).toEqual([1, 10]);
    // A turn of the event loop after the window (a fake immediate counts a millisecond).
    expect(started[1]?.at).toBeGreaterThanOrEqual(320 + WINDOW);
    expect(started[1]?.at).toBeLessThanOrEqual(320 + WINDOW + 5);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await q.depth()).toBe(0);
    await q.close();
  });

  it('files a steady stream of one key at most twice per window', async () => {
    const q = queue();
    for (let second = 0; second < 14; second++) {
      await q.enqueue(job('checkout'));
      await vi.advanceTimersByTimeAsync(1_000);
    }
    await vi.advanceTimersByTimeAsync(WINDOW);
    expect(started).toEqual([
      { at: 20, alerts: 1 },
      { at: 1_020, alerts: 1 },
      // Held: notifications of seconds 2–6 wait for the window after the second batch.
      { at: 6_020, alerts: 5 },
      { at: 7_020, alerts: 1 },
      { at: 12_020, alerts: 5 },
      { at: 13_020, alerts: 1 },
    ]);
    await q.close();
  });

  it('forgets a key once a window has passed without it: its next notification is filed at once', async () => {
    const q = queue();
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(1_000);
    await q.enqueue(job('checkout'));
    // Held until 6,020 ms; nothing comes until 7,000 ms.
    await vi.advanceTimersByTimeAsync(6_000);
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(1_000);
    await q.enqueue(job('checkout'));
    await vi.advanceTimersByTimeAsync(100);
    expect(started.map((batch) => batch.at)).toEqual([20, 1_020, 7_020, 8_020]);
    await q.close();
  });
});
