import { Counter, type Registry } from 'prom-client';
import type { Probot } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import { readIncidentState } from '../../domain/incident/incidentState.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import type { NotificationConfig, NotificationTarget } from '../../domain/notifications/notificationConfig.ts';
import { notificationEvents, slackPayload, targetsFor, webhookPayload, type NotificationEvent } from '../../domain/notifications/notificationEvents.ts';
import { SLO_BREACHED_LABEL } from '../../domain/sweep/planIncidentReminders.ts';
import type { LoadConfig } from '../../services/configSource.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { deliverNotification, type DeliveryDeps } from './deliverNotification.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

const COUNTER = 'firewatch_notifications_total';

export interface NotificationDeps extends DeliveryDeps {
  clock: Clock;
  env?: NodeJS.ProcessEnv;
  /** Where `firewatch_notifications_total{type,outcome}` is registered (the server's /metrics). */
  registry?: Registry;
  /** Default a fresh read; the server shares its config cache. */
  loadConfig?: LoadConfig;
  /** Verifies incident state blocks; default: no key (unsealed). */
  stateSeal?: StateSeal;
}

/** Deliveries still running, so tests and a graceful shutdown can wait for them. */
export interface Notifier {
  /**
   * Resolves once no delivery is running (deliveries started meanwhile included): `true`, or
   * `false` when `timeoutMs` passed first. A delivery retrying with backoff can take a while.
   */
  idle(options?: { timeoutMs?: number }): Promise<boolean>;
}

function counterIn(registry: Registry | undefined): Counter<'type' | 'outcome'> | undefined {
  if (!registry) return undefined;
  const existing = registry.getSingleMetric(COUNTER);
  if (existing) return existing as Counter<'type' | 'outcome'>;
  return new Counter({ name: COUNTER, help: 'Incident notifications by target type and outcome (delivered, failed).', labelNames: ['type', 'outcome'], registers: [registry] });
}

function targetName(target: NotificationTarget, index: number): string {
  return target.name ?? `${target.type} #${index + 1}`;
}

/**
 * Sends incident events (opened, severity, public status updates, resolved, SLO breached) to the
 * configured Slack and webhook targets. Deliveries run after the webhook handler returned: a slow
 * or broken receiver never delays the incident. A delivery that fails for good is counted in
 * /metrics and written to the incident's timeline.
 */
export function registerNotifications(app: Probot, deps: NotificationDeps): Notifier {
  const pending = new Set<Promise<void>>();
  const counter = counterIn(deps.registry);
  const env = deps.env ?? process.env;

  app.on(['issues.opened', 'issues.edited', 'issues.labeled'], async (context) => {
    const payload = context.payload as {
      action: string;
      issue: { body?: string | null; number: number; html_url: string };
      changes?: { body?: { from?: string } };
      label?: { name?: string };
      repository: { name: string; owner: { login: string } };
    };
    // A state block someone else wrote or edited is not an event to announce.
    const scope = stateScope(deps.stateSeal ?? UNSEALED, { owner: payload.repository.owner.login, repo: payload.repository.name });
    const after = readIncidentState(payload.issue.body, scope).state;
    if (!after) return;
    const sloBreached = payload.action === 'labeled' && payload.label?.name === SLO_BREACHED_LABEL;
    if (payload.action === 'labeled' && !sloBreached) return;
    if (payload.action === 'edited' && payload.changes?.body?.from === undefined) return;
    const before = payload.action === 'opened' ? null : payload.action === 'labeled' ? after : readIncidentState(payload.changes?.body?.from, scope).state;
    const at = deps.clock().toISOString();
    const events = notificationEvents(before, after, { url: payload.issue.html_url, at, sloBreached });
    if (events.length === 0) return;
    const repo = { owner: payload.repository.owner.login, repo: payload.repository.name };
    const log = context.log.child({ deliveryId: context.id, incident: after.id, repo: `${repo.owner}/${repo.repo}`, issue: payload.issue.number });
    const { config } = await (deps.loadConfig ?? loadConfig)(context.octokit, repo);
    const settings: NotificationConfig = config.notifications;
    if (settings.targets.length === 0) return;

    const send = async (event: NotificationEvent, target: NotificationTarget, index: number): Promise<void> => {
      const name = targetName(target, index);
      const url = (target.urlEnv ? env[target.urlEnv] : undefined) ?? target.url;
      const secret = target.secretEnv ? env[target.secretEnv] : undefined;
      const body = JSON.stringify(target.type === 'slack' ? slackPayload(event) : webhookPayload(event));
      const result = url
        ? await deliverNotification({ url, body, retries: settings.retries, timeoutMs: settings.timeoutSeconds * 1000, ...(secret ? { secret } : {}) }, deps)
        : { ok: false as const, attempts: 0, error: `${target.urlEnv ?? 'its URL variable'} is not set` };
      counter?.inc({ type: target.type, outcome: result.ok ? 'delivered' : 'failed' });
      if (result.ok) {
        log.info({ target: name, event: event.kind, attempts: result.attempts }, 'notification delivered');
        return;
      }
      log.warn({ target: name, event: event.kind, attempts: result.attempts, error: result.error }, 'notification failed');
      const text = `⚠️ Notification "${escapeInline(event.kind)}" to ${escapeInline(name)} failed after ${result.attempts} ${result.attempts === 1 ? 'attempt' : 'attempts'} (${escapeInline(result.error)}). The incident is not affected; tell them another way if they need to know.`;
      const marker = renderEventMarker({ type: 'notification-failed', at: deps.clock().toISOString(), incident: after.id, entries: [{ at: deps.clock().toISOString(), type: 'notification-failed', text: `Notification ${event.kind} to ${name} failed: ${result.error}` }] });
      await context.octokit.rest.issues.createComment({ ...repo, issue_number: payload.issue.number, body: `${text}\n\n${marker}` }).catch((error: unknown) => log.warn({ err: error }, 'could not record the failed notification'));
    };

    for (const event of events) {
      targetsFor(settings, event).forEach((target) => {
        const index = settings.targets.indexOf(target);
        const delivery = send(event, target, index).catch((error: unknown) => log.error({ err: error }, 'notification crashed'));
        pending.add(delivery);
        void delivery.finally(() => pending.delete(delivery));
      });
    }
  });

  return {
    async idle({ timeoutMs }: { timeoutMs?: number } = {}) {
      const drained = (async () => {
        while (pending.size) await Promise.all([...pending]);
        return true;
      })();
      if (timeoutMs === undefined) return drained;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      try {
        return await Promise.race([drained, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
