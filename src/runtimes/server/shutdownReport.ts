import type { DrainResult, KeyAlerts } from '../../adapters/queue/alertQueue.ts';

/** What was still going on when a shutdown's time was up. */
export interface ShutdownFacts {
  ms: number;
  boundMs: number;
  /** Whether the queue lives in Redis (what is queued outlives the process) or in memory (lost). */
  redis: boolean;
  queue: DrainResult;
  webhooksInFlight: { id: string; event: string }[];
  /** Taps on acknowledge links still being written to their incidents. */
  acknowledgementsInFlight?: number;
  notificationsAbandoned: boolean;
  sweepInterrupted: boolean;
}

export interface ShutdownReport {
  level: 'info' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}

function keyList(entries: KeyAlerts[], total: number): string {
  const listed = entries.map((entry) => `${entry.key} (${entry.alerts})`).join(', ');
  const shown = entries.reduce((sum, entry) => sum + entry.alerts, 0);
  return shown < total ? `${listed}, … and ${total - shown} more` : listed;
}

/**
 * The one log line a shutdown ends with: what was left undone, told apart by what it means for
 * the alerts (never started: lost in memory, still queued in Redis; cut short while being filed:
 * maybe partly in GitHub), with their keys. Pure.
 */
export function shutdownReport(facts: ShutdownFacts): ShutdownReport {
  const { queue } = facts;
  const inFlight = queue.inFlight.reduce((sum, entry) => sum + entry.alerts, 0);
  const problems: string[] = [];
  if (queue.queued > 0) {
    problems.push(
      facts.redis
        ? `${queue.queued} accepted alert(s) are still in Redis, queued or being filed by another replica; another replica or the next start files them: ${keyList(queue.queuedKeys, queue.queued)}`
        : `${queue.queued} accepted alert(s) were NOT filed and are lost (the queue is in memory; set REDIS_URL for one that survives restarts): ${keyList(queue.queuedKeys, queue.queued)}`,
    );
  }
  if (inFlight > 0) {
    problems.push(
      `${inFlight} alert(s) were being filed when time ran out and may be only partly in GitHub${facts.redis ? ' (another replica takes them over when their 30 s claim expires)' : ''}: ${keyList(queue.inFlight, inFlight)}`,
    );
  }
  if (facts.webhooksInFlight.length > 0) {
    problems.push(`${facts.webhooksInFlight.length} webhook delivery(ies) were still being handled: ${facts.webhooksInFlight.map((d) => `${d.event} ${d.id}`).join(', ')} (GitHub can redeliver them)`);
  }
  if (facts.acknowledgementsInFlight) {
    problems.push(`${facts.acknowledgementsInFlight} acknowledgement(s) by link were still being written (the person sees an error and can tap again or use /ack)`);
  }
  if (facts.notificationsAbandoned) problems.push('notification deliveries still running were abandoned (their receivers were too slow or unreachable)');
  if (facts.sweepInterrupted) problems.push('a sweep was still running and was cut short (the next one picks up where it left off)');
  if (problems.length === 0) return { level: 'info', message: `shut down in ${facts.ms} ms: every accepted alert was filed, nothing was cut short`, fields: { ms: facts.ms } };
  return {
    level: 'warn',
    message: `shut down after ${facts.ms} ms (limit ${facts.boundMs} ms) with work left: ${problems.join('; ')}`,
    fields: {
      ms: facts.ms,
      queued: queue.queued,
      queuedKeys: queue.queuedKeys,
      inFlight,
      inFlightKeys: queue.inFlight,
      webhooksInFlight: facts.webhooksInFlight,
      acknowledgementsInFlight: facts.acknowledgementsInFlight ?? 0,
      notificationsAbandoned: facts.notificationsAbandoned,
      sweepInterrupted: facts.sweepInterrupted,
    },
  };
}
