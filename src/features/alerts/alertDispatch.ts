import type { Probot, ProbotOctokit } from 'probot';
import { z } from 'zod';
import { ALERT_SOURCES, type AlertSource } from '../../domain/alerts/alert.ts';
import { normalizerFor } from '../../adapters/intake/normalizers.ts';
import { createAlertProcessor } from './alertProcessor.ts';
import { jobsFor } from '../../adapters/queue/alertQueue.ts';
import type { Services } from '../../services/services.ts';

/** `repository_dispatch` event type that carries an alert (ARCHITECTURE "GitHub Action"). */
export const ALERT_DISPATCH_EVENT = 'firewatch-alert';
/** Optional key in `client_payload` naming the source when its shape does not tell. */
const DISPATCH_SOURCE_KEY = 'firewatch_source';

const dispatchPayload = z.object({
  action: z.string(),
  client_payload: z.record(z.string(), z.unknown()).nullish(),
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
});

/**
 * Which source sent a body, from its shape: GitHub's `client_payload` allows only 10 top-level
 * keys, and Alertmanager's body already has 10, so there is no room for a wrapper.
 */
function dispatchSource(body: Record<string, unknown>): AlertSource | undefined {
  const named = body[DISPATCH_SOURCE_KEY];
  if (typeof named === 'string') return (ALERT_SOURCES as readonly string[]).includes(named) ? (named as AlertSource) : undefined;
  if (Array.isArray(body['alerts'])) return 'orgId' in body || 'state' in body || 'title' in body ? 'grafana' : 'alertmanager';
  if ('data' in body && 'action' in body && 'installation' in body) return 'sentry';
  if ('alert_type' in body || 'event_type' in body || 'alert_transition' in body) return 'datadog';
  if ('title' in body) return 'generic';
  return undefined;
}

/**
 * The Action runtime's alert intake: `repository_dispatch` with `event_type: firewatch-alert` and
 * the alert body as `client_payload` goes through the same normalizers, routing and incident
 * logic as `POST /alerts/{source}`, filed into the repository the workflow runs in (or its
 * config's `incidents.repo`). No queue here: the workflow run (or GitHub's redelivery) is the unit of
 * retry. In the server too, relayed alerts meet HTTP ones under the same lock, config cache and
 * incident index (the process's `Services`), so a storm split between both paths files one issue.
 */
export function registerAlertDispatch(app: Probot, services: Services): void {
  const { clock } = services;
  const metrics = services.telemetry.metrics;
  // The same processor as `POST /alerts/{source}`'s, acting with the delivery's Octokit.
  const process = createAlertProcessor({
    services,
    octokitFor: async () => {
      throw new Error('relayed alerts are filed with the delivery\'s Octokit');
    },
  });
  app.on('repository_dispatch', async (context) => {
    const parsed = dispatchPayload.safeParse(context.payload);
    if (!parsed.success || parsed.data.action !== ALERT_DISPATCH_EVENT) return;
    const log = context.log.child({ deliveryId: context.id, name: 'dispatch' });
    const repo = { owner: parsed.data.repository.owner.login, repo: parsed.data.repository.name };
    const body = { ...(parsed.data.client_payload ?? {}) };
    const source = dispatchSource(body);
    const normalize = source ? normalizerFor(source) : undefined;
    if (!source || !normalize) {
      throw new Error(`${ALERT_DISPATCH_EVENT}: cannot tell the alert source from client_payload; add "${DISPATCH_SOURCE_KEY}": "alertmanager" (or grafana, datadog, sentry, generic)`);
    }
    delete body[DISPATCH_SOURCE_KEY];
    const normalized = normalize(body, { receivedAt: clock() });
    if (!normalized.ok) {
      metrics?.alerts.inc({ source, outcome: 'rejected' });
      const problems = normalized.problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`).join('; ');
      throw new Error(`${ALERT_DISPATCH_EVENT}: the ${source} alert does not have the expected shape: ${problems}`);
    }
    for (const job of jobsFor(normalized.alerts, clock())) {
      for (const result of await process(job.key, job.alerts, log, { home: repo, octokit: context.octokit as ProbotOctokit })) {
        log.info({ outcome: result.outcome, issue: result.issue?.number ?? null, incident: result.incident ?? null }, `${result.alerts} alert(s) ${result.outcome}${result.issue ? `: incident #${result.issue.number}` : ''}`);
        if (services.pager && result.issue && (result.outcome === 'created' || result.outcome === 'reopened')) {
          await services.pager.pageIssue(context.octokit, result.repo, result.issue.number, () => services.config.load(context.octokit as ProbotOctokit, result.repo), log);
        }
      }
    }
  });
}
