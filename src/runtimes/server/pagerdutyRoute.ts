import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import { normalizePagerDuty, normalizePagerDutyChange, PAGERDUTY_BODY_LIMIT, routingKeyOf, type PagerDutyChange } from '../../adapters/intake/pagerduty.ts';
import { readBody } from '../../adapters/intake/readBody.ts';
import type { Keyring, VendorIntegration } from '../../adapters/intake/vendorKeys.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { AlertQueue } from '../../adapters/queue/alertQueue.ts';
import { enqueueAlerts } from './enqueueAlerts.ts';
import { sendJson } from './sendJson.ts';

/** Where a change event ended up: recorded (on GitHub), or dropped by a routing `ignore` rule. */
export type RecordChangeOutcome = { outcome: 'recorded'; url: string } | { outcome: 'ignored'; reason: string };

export interface PagerDutyRouteDeps {
  keys: Keyring;
  queue: Pick<AlertQueue, 'enqueue'>;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /** Records a change event; throws when GitHub cannot be written (the sender retries a 5xx). */
  recordChange: (integration: VendorIntegration, change: PagerDutyChange) => Promise<RecordChangeOutcome>;
}

/** PagerDuty's answer to a bad event: `{"status":"invalid event","message":"Event object is invalid","errors":[…]}`. */
export function sendInvalidEvent(response: ServerResponse, status: number, errors: string[], headers: Record<string, string> = {}): void {
  sendJson(response, status, { status: 'invalid event', message: 'Event object is invalid', errors }, headers);
}

/**
 * `POST /alerts/pagerduty/v2/enqueue` (and `/alerts/pagerduty`) and `POST
 * /alerts/pagerduty/v2/change/enqueue`: PagerDuty Events API v2, answered as PagerDuty answers.
 * The routing key in the body is the only credential (PagerDuty senders send no Authorization
 * header); a key nobody configured is refused like a bad event, before anything is recorded.
 * Alert events go through the alert queue like every source's alerts: 202 means queued.
 * Change events are written to GitHub before the 202 (see `recordChangeEvent`).
 */
export function createPagerDutyRoute(deps: PagerDutyRouteDeps) {
  return async function handlePagerDuty(request: IncomingMessage, response: ServerResponse, kind: 'alert' | 'change'): Promise<void> {
    const log = deps.log.child({ source: 'pagerduty', endpoint: kind });
    const refuse = (status: number, outcome: 'rejected' | 'unauthorized', errors: string[], headers?: Record<string, string>) => {
      deps.metrics.alerts.inc({ source: 'pagerduty', outcome });
      log.info({ status, errors }, 'PagerDuty event refused');
      sendInvalidEvent(response, status, errors, headers);
    };

    const body = await readBody(request, PAGERDUTY_BODY_LIMIT);
    if (!body.ok) return refuse(413, 'rejected', ['Event is larger than the 512 KB limit'], { connection: 'close' });
    let payload: unknown;
    try {
      payload = JSON.parse(body.body.toString('utf8'));
    } catch (error) {
      return refuse(400, 'rejected', [`Invalid JSON: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const routingKey = routingKeyOf(payload);
    if (!routingKey) return refuse(400, 'unauthorized', ["'routing_key' is missing or blank"]);
    const integration = deps.keys.find(routingKey);
    if (!integration) return refuse(400, 'unauthorized', ['Invalid routing key']);
    const receivedAt = deps.clock();

    if (kind === 'change') {
      const change = normalizePagerDutyChange(payload, { receivedAt });
      if (!change.ok) return refuse(400, 'rejected', change.errors);
      try {
        const recorded = await deps.recordChange(integration, change.change);
        log.info({ integration: integration.name, ...recorded }, recorded.outcome === 'recorded' ? `change event recorded: ${recorded.url}` : `change event dropped: ${recorded.reason}`);
      } catch (error) {
        log.error({ err: error, integration: integration.name }, 'could not record the change event on GitHub');
        return sendJson(response, 503, { status: 'unavailable', message: 'The change event could not be recorded; retry later', errors: ['GitHub could not be written (see the firewatch log)'] }, { 'retry-after': '30' });
      }
      return sendJson(response, 202, { status: 'success', message: 'Change event processed' });
    }

    const event = normalizePagerDuty(payload, { integration, receivedAt, newDedupKey: () => randomUUID().replace(/-/g, '') });
    if (!event.ok) return refuse(400, 'rejected', event.errors);
    const queued = await enqueueAlerts(deps.queue, event.alerts, receivedAt, log);
    if (!queued.ok) {
      deps.metrics.alerts.inc({ source: 'pagerduty', outcome: 'rejected' }, event.alerts.length);
      // PagerDuty's senders retry a 429 with backoff; a full queue is firewatch's "too many at a time".
      return queued.reason === 'full'
        ? sendJson(response, 429, { status: 'throttle event', message: 'Request Limit Exceeded', errors: [queued.message] }, { 'retry-after': '30' })
        : sendJson(response, 503, { status: 'unavailable', message: 'The event could not be queued; retry later', errors: [queued.message] }, { 'retry-after': '10' });
    }
    deps.metrics.alerts.inc({ source: 'pagerduty', outcome: 'accepted' }, event.alerts.length);
    log.info({ integration: integration.name, action: event.action, dedupKey: event.dedupKey, alerts: event.alerts.length }, `PagerDuty ${event.action} accepted`);
    sendJson(response, 202, { status: 'success', message: 'Event processed', dedup_key: event.dedupKey });
  };
}
