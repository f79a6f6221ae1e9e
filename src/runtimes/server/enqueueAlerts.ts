import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { Log } from '../../services/log.ts';
import { jobsFor, type AlertQueue } from '../../adapters/queue/alertQueue.ts';

export type EnqueueOutcome = { ok: true } | { ok: false; reason: 'full' | 'unavailable'; message: string };

/**
 * Hands accepted alerts to the alert queue, the one path every source's alerts take (routing,
 * dedup, incidents). Never throws: a queue that is full or unreachable is an outcome the caller
 * answers in its sender's terms (the vendor APIs as PagerDuty and Opsgenie would).
 */
export async function enqueueAlerts(queue: Pick<AlertQueue, 'enqueue'>, alerts: readonly NormalizedAlert[], now: Date, log: Log): Promise<EnqueueOutcome> {
  try {
    const result = await queue.enqueue(jobsFor(alerts, now));
    if (result.ok) return { ok: true };
    log.warn({ alerts: alerts.length }, result.message);
    return { ok: false, reason: 'full', message: result.message };
  } catch (error) {
    log.error({ err: error }, 'the alert queue is unavailable');
    return { ok: false, reason: 'unavailable', message: 'the alert queue is unavailable' };
  }
}
