import { planHeartbeat } from '../../domain/heartbeats/planHeartbeat.ts';
import { jobsFor, type AlertQueue } from '../../adapters/queue/alertQueue.ts';
import type { HeartbeatStore } from '../../services/heartbeatStore.ts';
import type { AfterSweepTask } from './scheduler.ts';

/** A missed or returning heartbeat is not filed again by later sweeps while its first filing is under way. */
const RESEND_AFTER_MS = 5 * 60_000;

/**
 * After each sweep of a repository: its configured `heartbeats` are checked against the pings
 * (`store`) and against the incidents the sweep just read. A missed heartbeat, and one that is
 * back, go through the alert queue like any alert (routing, dedup, the incident's comments), so
 * what happens is exactly what an alert source would cause. Costs no GitHub request of its own.
 */
export function heartbeatSweepTask(deps: { store: HeartbeatStore; queue: Pick<AlertQueue, 'enqueue'> }): AfterSweepTask {
  const sent = new Map<string, { kind: string; at: number }>();
  return {
    name: 'heartbeats',
    async run({ repo, config, result, now, log }) {
      for (const heartbeat of config.heartbeats) {
        const [lastPing, watchedSince] = await Promise.all([deps.store.lastPing(heartbeat.name), deps.store.watchedSince(heartbeat.name, now)]);
        const decision = planHeartbeat({ heartbeat, ...(lastPing ? { lastPing } : {}), watchedSince, incidents: result.incidents, now, timezone: config.timezone });
        const key = `${repo.owner}/${repo.repo}#${heartbeat.name}`.toLowerCase();
        if (decision.kind === 'ok' || decision.kind === 'reported') {
          sent.delete(key);
          continue;
        }
        const previous = sent.get(key);
        if (previous?.kind === decision.kind && now.getTime() - previous.at < RESEND_AFTER_MS && now.getTime() >= previous.at) continue;
        const enqueued = await deps.queue.enqueue(jobsFor([decision.alert], now));
        if (!enqueued.ok) {
          log.warn({ heartbeat: heartbeat.name, repo: `${repo.owner}/${repo.repo}` }, `heartbeat ${heartbeat.name} is ${decision.kind}, but the alert queue is full; the next sweep tries again`);
          continue;
        }
        sent.set(key, { kind: decision.kind, at: now.getTime() });
        if (decision.kind === 'missed') log.warn({ heartbeat: heartbeat.name, silentMs: decision.silentMs }, `heartbeat ${heartbeat.name} missed: no ping for ${Math.round(decision.silentMs / 60_000)} min`);
        else log.info({ heartbeat: heartbeat.name, issue: decision.issue }, `heartbeat ${heartbeat.name} is back: resolving its alert on #${decision.issue}`);
      }
    },
  };
}
