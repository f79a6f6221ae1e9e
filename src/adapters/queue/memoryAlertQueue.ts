import { alertCount, DEFAULT_QUEUE_SETTINGS, dueAt, MAX_LISTED_KEYS, paceAfterBatch, type AlertJob, type AlertQueue, type BatchHandler, type KeyPace, type QueueMetrics, type QueueSettings, urgency } from './alertQueue.ts';

interface Pending {
  jobs: AlertJob[];
  dueAt: number;
}

export interface MemoryQueueOptions extends Partial<QueueSettings> {
  handler: BatchHandler;
  metrics?: QueueMetrics;
  onError?: (error: unknown, context: { key: string; alerts: number; attempts: number; willRetry: boolean }) => void;
  now?: () => number;
  /**
   * New work starts once no notification has arrived for this long (default 20 ms), or `maxSettleMs`
   * (default 250 ms) after the first one that is waiting: a burst is accepted first and filed after.
   */
  settleMs?: number;
  maxSettleMs?: number;
}

/**
 * The in-process alert queue: accepted alerts wait here, grouped by key, until a worker takes all of
 * a key's alerts as one batch. Lost if the process dies (use Redis for a queue that survives);
 * `drain()` files what it can first, and says what it could not.
 */
export function createMemoryAlertQueue(options: MemoryQueueOptions): AlertQueue {
  const settings = { ...DEFAULT_QUEUE_SETTINGS, isRetryable: () => true, ...options };
  const now = options.now ?? Date.now;
  const pending = new Map<string, Pending>();
  const inFlight = new Map<string, number>();
  /** The urgency of each batch in flight (see `urgency`). */
  const inFlightRank = new Map<string, number>();
  /** Keys filed in the last `coalesceMs`, and whether they are held back (see `paceAfterBatch`); dropped once past. */
  const paces = new Map<string, KeyPace>();
  let depth = 0;
  let timer: NodeJS.Timeout | undefined;
  let scheduled: NodeJS.Immediate | undefined;
  let settle: NodeJS.Timeout | undefined;
  let burstStartedAt: number | undefined;
  const settleMs = options.settleMs ?? 20;
  const maxSettleMs = options.maxSettleMs ?? 250;
  /** No new alerts (shutting down). */
  let refusing = false;
  /** No new batches either. */
  let closed = false;
  const idleWaiters = new Set<() => void>();

  const report = () => {
    options.metrics?.setDepth(depth);
    if (depth === 0 && inFlight.size === 0) for (const wake of idleWaiters) wake();
  };

  /**
   * The most urgent ready key (P1 first; in arrival order within a severity) that may start: batches
   * of its severity or more urgent ones in flight hold fewer than `concurrency` workers. So a P1
   * arriving behind 40 P4s waiting on GitHub's budget starts at once, and its issue is created first.
   */
  function pickReady(at: number): [string, Pending] | undefined {
    let best: [string, Pending] | undefined;
    let bestRank = Infinity;
    for (const entry of pending) {
      if (entry[1].dueAt > at || inFlight.has(entry[0])) continue;
      const rank = urgency(entry[1].jobs);
      if (rank < bestRank) [best, bestRank] = [entry, rank];
    }
    if (!best) return undefined;
    const busy = [...inFlightRank.values()].filter((rank) => rank <= bestRank).length;
    return busy < settings.concurrency ? best : undefined;
  }

  /**
   * Filing shares the event loop (and, on a small machine, the CPU) with intake, and intake must
   * answer within the sender's timeout, so intake goes first. Batches start on a later turn of the
   * event loop, never inside `enqueue` or straight after another batch, so the requests already
   * waiting on sockets are read first.
   */
  function schedulePump(): void {
    scheduled ??= setImmediate(() => {
      scheduled = undefined;
      pump();
    });
  }

  /**
   * After an enqueue, new batches wait until the burst of notifications settles (see `settleMs`).
   * The first notifications of a storm all arrive together, with every GitHub request still to be
   * made (tokens, config, search, labels, issues): filing them while the burst is still being read
   * made each notification of the burst wait for that work. Waiting also folds more of the burst
   * into each first batch.
   */
  function pumpWhenSettled(): void {
    const at = now();
    if (settle && burstStartedAt !== undefined) {
      // Re-armed (not re-created: this runs for every notification) while that still fires in time.
      if (at + settleMs - burstStartedAt <= maxSettleMs) settle.refresh();
      return;
    }
    burstStartedAt = at;
    settle = setTimeout(() => {
      settle = undefined;
      burstStartedAt = undefined;
      pump();
    }, Math.min(settleMs, maxSettleMs));
  }

  function pump(): void {
    if (closed) return;
    const at = now();
    for (const [key, pace] of paces) if (pace.finishedAt + settings.coalesceMs <= at && !pending.has(key) && !inFlight.has(key)) paces.delete(key);
    for (;;) {
      const ready = pickReady(at);
      if (!ready) break;
      const [key, entry] = ready;
      pending.delete(key);
      void run(key, entry.jobs);
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    let soonest = Infinity;
    // Keys due now but waiting for a worker start when a batch ends; the timer is for keys due later.
    for (const [key, entry] of pending) if (!inFlight.has(key) && entry.dueAt > at) soonest = Math.min(soonest, entry.dueAt);
    if (soonest !== Infinity) {
      timer = setTimeout(schedulePump, Math.max(0, soonest - at));
    }
  }

  async function run(key: string, jobs: AlertJob[]): Promise<void> {
    const alerts = alertCount(jobs);
    inFlight.set(key, alerts);
    inFlightRank.set(key, urgency(jobs));
    try {
      await settings.handler(key, jobs);
      depth -= alerts;
      const waiting = pending.get(key);
      const pace = paceAfterBatch(paces.get(key), now(), waiting !== undefined, settings.coalesceMs);
      paces.set(key, pace);
      // Notifications that arrived while this batch was filed were due when they came; now they wait
      // out the window, unless the queue is draining for shutdown: then there is no later.
      if (waiting) waiting.dueAt = refusing ? Math.min(waiting.dueAt, now()) : dueAt(pace, waiting.dueAt);
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
      inFlightRank.delete(key);
      report();
      schedulePump();
    }
  }

  function stop(): void {
    closed = true;
    refusing = true;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (scheduled) clearImmediate(scheduled);
    scheduled = undefined;
    if (settle) clearTimeout(settle);
    settle = undefined;
  }

  const queue: AlertQueue = {
    async enqueue(jobs) {
      if (refusing) return { ok: false, reason: 'full', message: 'firewatch is shutting down' };
      const count = alertCount(jobs);
      if (depth + count > settings.limit) {
        options.metrics?.dropped('full', count);
        return { ok: false, reason: 'full', message: `the alert queue is full (${depth} alerts waiting, limit ${settings.limit})` };
      }
      const at = now();
      for (const job of jobs) {
        const entry = pending.get(job.key);
        if (entry) entry.jobs.push(job);
        else pending.set(job.key, { jobs: [job], dueAt: dueAt(paces.get(job.key), at) });
      }
      depth += count;
      report();
      pumpWhenSettled();
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
    async drain({ timeoutMs }) {
      refusing = true;
      if (!closed) {
        // There is no later: what waits for its coalescing window or a retry is filed now.
        const at = now();
        for (const entry of pending.values()) entry.dueAt = Math.min(entry.dueAt, at);
        paces.clear();
        pump();
        await queue.idle({ timeoutMs });
      }
      stop();
      const queuedKeys = [...pending].map(([key, entry]) => ({ key, alerts: alertCount(entry.jobs) }));
      return {
        queued: queuedKeys.reduce((sum, entry) => sum + entry.alerts, 0),
        queuedKeys: queuedKeys.slice(0, MAX_LISTED_KEYS),
        inFlight: [...inFlight].map(([key, alerts]) => ({ key, alerts })),
      };
    },
    async close() {
      stop();
    },
  };
  return queue;
}
