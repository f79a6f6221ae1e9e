import type { NormalizedAlert } from '../../domain/alerts/alert.ts';

/** One accepted notification's alerts that share a key (same group, or same fingerprint). */
export interface AlertJob {
  /** `source:groupKey` or `source:fingerprint`: jobs of one key are processed one batch at a time. */
  key: string;
  alerts: NormalizedAlert[];
  /** When the notification was accepted (ISO-8601); retries give up `maxRetryMs` after it. */
  acceptedAt: string;
  /** Failed attempts so far. */
  attempts: number;
}

export type EnqueueResult = { ok: true } | { ok: false; reason: 'full'; message: string };

/**
 * Processes all pending jobs of a key in one go (the queue never runs two batches of one key at
 * once). Throwing puts the batch back for a retry unless `isRetryable` says the error is permanent.
 */
export type BatchHandler = (key: string, jobs: AlertJob[]) => Promise<void>;

/** Alerts of one key. */
export interface KeyAlerts {
  key: string;
  alerts: number;
}

/** What a shutdown left behind, as `drain` found it when it returned. */
export interface DrainResult {
  /**
   * Accepted alerts this process never started to file. In memory they are lost with the process;
   * in Redis they are still queued there (counted with those other replicas are filing).
   */
  queued: number;
  /** Their keys with counts, at most `MAX_LISTED_KEYS` of them. */
  queuedKeys: KeyAlerts[];
  /** Being filed by this process when time ran out: they may or may not have reached GitHub. */
  inFlight: KeyAlerts[];
}

/** Keys listed by a drain result (and so in the shutdown log line); the counts cover all of them. */
export const MAX_LISTED_KEYS = 50;

export interface AlertQueue {
  enqueue(jobs: AlertJob[]): Promise<EnqueueResult>;
  /** Alerts accepted and not yet done (pending, retrying or in flight). */
  depth(): Promise<number>;
  /** Resolves once nothing is pending or in flight (tests). */
  idle(options?: { timeoutMs?: number }): Promise<boolean>;
  /**
   * Graceful shutdown: refuses new alerts, files what this process can within `timeoutMs`
   * (without waiting out coalescing windows), then starts nothing more and says what is left.
   */
  drain(options: { timeoutMs: number }): Promise<DrainResult>;
  close(): Promise<void>;
}

export interface QueueMetrics {
  setDepth(depth: number): void;
  dropped(reason: 'full' | 'expired' | 'failed', alerts: number): void;
  retried(): void;
}

export interface QueueSettings {
  /** Batches processed at the same time (different keys). Default 4. */
  concurrency: number;
  /** Alerts that may wait; beyond it, intake answers 503 so the sender retries. Default 10,000. */
  limit: number;
  /**
   * The coalescing window of a key under load (see `paceAfterBatch`): its next batch waits this
   * many ms after the last one, and notifications arriving meanwhile are folded into it, so a storm
   * costs one issue update per window instead of one per notification. A quiet key is not held
   * back: its notification is processed as soon as a worker is free (the in-memory queue first lets
   * a burst of notifications settle, 20–250 ms). Default 5,000.
   */
  coalesceMs: number;
  /** Give up on a batch this long after its oldest notification was accepted. Default 24 h. */
  maxRetryMs: number;
  /** Delay before retry `attempt` (1, 2, ...): exponential from 1 s, capped at 5 min, with jitter. */
  backoffMs: (attempt: number) => number;
  isRetryable: (error: unknown) => boolean;
}

export const DEFAULT_QUEUE_SETTINGS: Omit<QueueSettings, 'isRetryable'> = {
  concurrency: 4,
  limit: 10_000,
  coalesceMs: 5_000,
  maxRetryMs: 24 * 3_600_000,
  backoffMs: (attempt) => Math.min(300_000, 1_000 * 2 ** Math.max(0, attempt - 1)) * (0.75 + Math.random() * 0.5),
};

export function alertCount(jobs: readonly AlertJob[]): number {
  return jobs.reduce((sum, job) => sum + job.alerts.length, 0);
}

/** Splits a notification's alerts into jobs by key (group key when the source groups, else fingerprint). */
export function jobsFor(alerts: readonly NormalizedAlert[], acceptedAt: Date): AlertJob[] {
  const byKey = new Map<string, NormalizedAlert[]>();
  for (const alert of alerts) {
    const key = `${alert.source}:${alert.groupKey ? `group:${alert.groupKey}` : `fp:${alert.fingerprint}`}`;
    const group = byKey.get(key);
    if (group) group.push(alert);
    else byKey.set(key, [alert]);
  }
  return [...byKey].map(([key, group]) => ({ key, alerts: group, acceptedAt: acceptedAt.toISOString(), attempts: 0 }));
}

/** What a queue remembers of a key between its batches, for `coalesceMs` after the last one. */
export interface KeyPace {
  /** When the key's last batch finished. */
  finishedAt: number;
  /** Set when the key is under load: its next batch waits until then. */
  holdUntil?: number;
}

/**
 * Coalesce only under load. After a batch of a key finishes, the key is under load when more of it
 * arrived while the batch was being filed (a storm: fold it all into the next batch), or when the
 * batch before it finished less than `coalesceMs` earlier (a steady stream: at most two batches per
 * window). Then its next batch waits `coalesceMs`. Otherwise the key is quiet and its next
 * notification is filed at once: Alertmanager's resolved notification a few seconds after the
 * firing one reaches the incident without waiting for a window nobody needed.
 */
export function paceAfterBatch(previous: KeyPace | undefined, finishedAt: number, moreWaiting: boolean, coalesceMs: number): KeyPace {
  const recent = previous !== undefined && finishedAt - previous.finishedAt < coalesceMs;
  return moreWaiting || recent ? { finishedAt, holdUntil: finishedAt + coalesceMs } : { finishedAt };
}

/** When a batch of a key with this pace may start, if its notification is accepted at `at`. */
export function dueAt(pace: KeyPace | undefined, at: number): number {
  return Math.max(at, pace?.holdUntil ?? 0);
}

/** 1 for a batch with a P1 alert ... 5 for P5 alone: the most urgent alert of the batch (both queues start the most urgent due key first). */
export function urgency(jobs: readonly AlertJob[]): number {
  let rank = 5;
  for (const job of jobs) for (const alert of job.alerts) rank = Math.min(rank, Number(/^P([1-5])$/.exec(alert.severity)?.[1] ?? 5));
  return rank;
}
