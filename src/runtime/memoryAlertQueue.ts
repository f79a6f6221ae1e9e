import { alertCount, DEFAULT_QUEUE_SETTINGS, type AlertJob, type AlertQueue, type BatchHandler, type QueueMetrics, type QueueSettings } from './alertQueue.ts';

interface Pending {
  jobs: AlertJob[];
  dueAt: number;
}

export interface MemoryQueueOptions extends Partial<QueueSettings> {
  handler: BatchHandler;
  metrics?: QueueMetrics;
  onError?: (error: unknown, context: { key: string; alerts: number; attempts: number; willRetry: boolean }) => void;
  now?: () => number;
}

/**
 * The in-process alert queue: accepted alerts wait here, grouped by key, until a worker takes all of
 * a key's alerts as one batch. Lost if the process dies (use Redis for a queue that survives);
 * `close()` drains what it can first.
 */
export function createMemoryAlertQueue(options: MemoryQueueOptions): AlertQueue {
  const settings = { ...DEFAULT_QUEUE_SETTINGS, isRetryable: () => true, ...options };
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  const inFlight = new Map<string, number>();
  /** When each recently processed key may run again; entries are dropped once past. */
  const nextRun = new Map<string, number>();
  let depth = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const idleWaiters = new Set<() => void>();

  const report = () => {
    options.metrics?.setDepth(depth);
    if (depth === 0 && inFlight.size === 0) for (const wake of idleWaiters) wake();
  };

  function pickReady(at: number): [string, Pending] | undefined {
    for (const entry of pending) {
      if (entry[1].dueAt <= at && !inFlight.has(entry[0])) return entry;
    }
    return undefined;
  }

  function pump(): void {
    if (closed && pending.size === 0) return;
    const at = now();
    for (const [key, until] of nextRun) if (until <= at && !pending.has(key)) nextRun.delete(key);
    while (inFlight.size < settings.concurrency) {
      const ready = pickReady(at);
      if (!ready) break;
      const [key, entry] = ready;
      pending.delete(key);
      void run(key, entry.jobs);
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    let soonest = Infinity;
    for (const [key, entry] of pending) if (!inFlight.has(key)) soonest = Math.min(soonest, entry.dueAt);
    if (soonest !== Infinity && inFlight.size < settings.concurrency) {
      timer = setTimeout(pump, Math.max(0, soonest - at));
    }
  }

  async function run(key: string, jobs: AlertJob[]): Promise<void> {
    const alerts = alertCount(jobs);
    inFlight.set(key, alerts);
    try {
      await settings.handler(key, jobs);
      depth -= alerts;
      nextRun.set(key, now() + settings.coalesceMs);
    } catch (error) {
      const attempts = Math.max(...jobs.map((job) => job.attempts)) + 1;
      const oldest = Math.min(...jobs.map((job) => Date.parse(job.acceptedAt)));
      const expired = now() - oldest > settings.maxRetryMs;
      const willRetry = settings.isRetryable(error) && !expired;
      options.onError?.(error, { key, alerts, attempts, willRetry });
      if (willRetry) {
        options.metrics?.retried();
        const retry = jobs.map((job) => ({ ...job, attempts }));
        const later = pending.get(key);
        // Older jobs first, so the batch keeps the order the notifications arrived in.
        pending.set(key, { jobs: [...retry, ...(later?.jobs ?? [])], dueAt: now() + settings.backoffMs(attempts) });
      } else {
        depth -= alerts;
        options.metrics?.dropped(expired ? 'expired' : 'failed', alerts);
      }
    } finally {
      inFlight.delete(key);
      report();
      pump();
    }
  }

  return {
    async enqueue(jobs) {
      if (closed) return { ok: false, reason: 'full', message: 'firewatch is shutting down' };
      const count = alertCount(jobs);
      if (depth + count > settings.limit) {
        options.metrics?.dropped('full', count);
        return { ok: false, reason: 'full', message: `the alert queue is full (${depth} alerts waiting, limit ${settings.limit})` };
      }
      const at = now();
      for (const job of jobs) {
        const entry = pending.get(job.key);
        if (entry) entry.jobs.push(job);
        else pending.set(job.key, { jobs: [job], dueAt: Math.max(at, nextRun.get(job.key) ?? 0) });
      }
      depth += count;
      report();
      pump();
      return { ok: true };
    },
    async depth() {
      return depth;
    },
    idle({ timeoutMs = 60_000 } = {}) {
      if (depth === 0 && inFlight.size === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timeout);
          idleWaiters.delete(wake);
          resolve(value);
        };
        const wake = () => done(true);
        const timeout = setTimeout(() => done(false), timeoutMs);
        idleWaiters.add(wake);
      });
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
