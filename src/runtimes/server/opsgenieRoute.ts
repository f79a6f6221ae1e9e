import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import { HEARTBEAT_NAME } from '../../domain/heartbeats/heartbeatConfig.ts';
import { isOpsgenieAction, normalizeOpsgenieAction, normalizeOpsgenieCreate, OPSGENIE_ACTIONS, type OpsgenieErrors } from '../../adapters/intake/opsgenie.ts';
import { MAX_ALERT_BODY_BYTES, readBody } from '../../adapters/intake/readBody.ts';
import { trimEnd } from '../../adapters/intake/alertmanagerText.ts';
import type { Keyring } from '../../adapters/intake/vendorKeys.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { AlertQueue } from '../../adapters/queue/alertQueue.ts';
import { enqueueAlerts } from './enqueueAlerts.ts';
import type { HeartbeatStore } from '../../services/heartbeatStore.ts';
import { sendJson } from './sendJson.ts';
import type { RequestLog } from '../../services/requestLog.ts';

export interface OpsgenieRouteDeps {
  keys: Keyring;
  queue: Pick<AlertQueue, 'enqueue'>;
  requests: RequestLog;
  heartbeats: HeartbeatStore;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
}

/** Where the Alert API lives: Opsgenie's own layout, and Jira Service Management's copy of it. */
const OPSGENIE_PREFIXES = ['/alerts/opsgenie/v2/', '/jsm/ops/integration/v2/'] as const;

/** The path below `v2/` when `pathname` is one of the Opsgenie-shaped routes. */
export function opsgeniePath(pathname: string): string | undefined {
  for (const prefix of OPSGENIE_PREFIXES) if (pathname.startsWith(prefix)) return trimEnd(pathname.slice(prefix.length), '/');
  if (pathname === '/alerts/opsgenie' || pathname === '/alerts/opsgenie/') return '';
  return undefined;
}

function genieKey(request: IncomingMessage): string | undefined {
  const header = request.headers['authorization'];
  const value = Array.isArray(header) ? header[0] : header;
  return /^\s*GenieKey\s+(\S+)\s*$/i.exec(value ?? '')?.[1];
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The Opsgenie Alert API under `/alerts/opsgenie/v2/…` and `/jsm/ops/integration/v2/…`,
 * authenticated with `Authorization: GenieKey <key>` and answered in Opsgenie's shapes: 202
 * `{"result":"Request will be processed","took":…,"requestId":…}` for every alert request (they
 * are processed through the alert queue, like every source's alerts), `GET
 * v2/alerts/requests/{requestId}` for how one went, `{"message":…,"took":…,"requestId":…}`
 * (with `errors` by field for 422) for refusals. Heartbeat pings (`v2/heartbeats/{name}/ping`)
 * are served too.
 */
export function createOpsgenieRoute(deps: OpsgenieRouteDeps) {
  return async function handleOpsgenie(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const took = () => Math.round(performance.now() - started) / 1000;
    const log = deps.log.child({ source: 'opsgenie', requestId });
    const method = request.method ?? 'GET';
    const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      sendJson(response, status, { ...body, took: took(), requestId }, { 'x-request-id': requestId, ...headers });
    const refuse = (status: number, message: string, outcome: 'rejected' | 'unauthorized', errors?: OpsgenieErrors, headers?: Record<string, string>) => {
      deps.metrics.alerts.inc({ source: 'opsgenie', outcome });
      log.info({ status, message, errors }, 'Opsgenie request refused');
      answer(status, { message, ...(errors ? { errors } : {}) }, headers);
    };

    const segments = path.split('/').filter(Boolean);
    const [resource, second, third, fourth] = segments;
    type Route = { kind: 'create' } | { kind: 'status'; id: string } | { kind: 'action'; name: keyof typeof OPSGENIE_ACTIONS; identifier: string } | { kind: 'ping'; name: string };
    let route: Route | undefined;
    let allowed: string | undefined;
    if (resource === 'alerts' && segments.length === 1) [route, allowed] = [{ kind: 'create' }, 'POST'];
    else if (resource === 'alerts' && second === 'requests' && third && segments.length === 3) [route, allowed] = [{ kind: 'status', id: decode(third) ?? third }, 'GET'];
    else if (resource === 'alerts' && second && third && segments.length === 3 && isOpsgenieAction(third)) {
      const identifier = decode(second);
      if (identifier !== undefined) [route, allowed] = [{ kind: 'action', name: third, identifier }, OPSGENIE_ACTIONS[third].method];
    } else if (resource === 'heartbeats' && second && third === 'ping' && segments.length === 3 && fourth === undefined) [route, allowed] = [{ kind: 'ping', name: decode(second) ?? second }, 'GET, POST'];
    if (!route || !allowed) {
      return refuse(404, `No handler found for ${method} ${path ? `v2/${path}` : '(no path)'}: firewatch serves POST v2/alerts, POST v2/alerts/{identifier}/close|acknowledge|notes, PUT v2/alerts/{identifier}/message|description|priority, GET v2/alerts/requests/{requestId} and v2/heartbeats/{name}/ping.`, 'rejected');
    }
    if (!allowed.split(', ').includes(method)) return refuse(405, `${method} is not supported here; use ${allowed}.`, 'rejected', undefined, { allow: allowed });

    const integration = deps.keys.find(genieKey(request) ?? '');
    if (!integration) return refuse(401, 'Could not authenticate', 'unauthorized', undefined, { 'www-authenticate': 'GenieKey' });

    if (route.kind === 'status') {
      const status = await deps.requests.get(route.id);
      // Another integration's requests are none of this key's business.
      if (!status || status.integrationId !== integration.name) return answer(404, { message: 'Request not found. It might not be processed, yet.' });
      return answer(200, { data: status });
    }

    let payload: unknown;
    if (method !== 'GET') {
      const body = await readBody(request, MAX_ALERT_BODY_BYTES);
      if (!body.ok) return refuse(413, 'Request body is too large (at most 1 MiB).', 'rejected', undefined, { connection: 'close' });
      const text = body.body.toString('utf8');
      if (text.trim()) {
        try {
          payload = JSON.parse(text);
        } catch (error) {
          return refuse(400, `Could not parse the request body as JSON: ${error instanceof Error ? error.message : String(error)}`, 'rejected');
        }
      }
    }

    const now = deps.clock();
    if (route.kind === 'ping') {
      if (!HEARTBEAT_NAME.test(route.name)) return refuse(422, 'Request body is not processable. Please check the errors.', 'rejected', { name: 'Heartbeat names are letters, digits, . _ - (at most 100).' });
      await deps.heartbeats.ping(route.name, now);
      log.debug({ heartbeat: route.name, integration: integration.name }, 'heartbeat ping');
      return answer(202, { result: 'PONG - Heartbeat received' });
    }

    const normalized =
      route.kind === 'create'
        ? normalizeOpsgenieCreate(payload ?? {}, { integration, receivedAt: now, requestId, newAlias: () => randomUUID() })
        : normalizeOpsgenieAction(route.name, route.identifier, new URL(request.url ?? '/', 'http://firewatch.invalid').searchParams.get('identifierType'), payload, { integration, receivedAt: now, requestId });
    if (!normalized.ok) return refuse(422, 'Request body is not processable. Please check the errors.', 'rejected', normalized.errors);

    const queued = await enqueueAlerts(deps.queue, normalized.alerts, now, log);
    if (!queued.ok) {
      deps.metrics.alerts.inc({ source: 'opsgenie', outcome: 'rejected' }, normalized.alerts.length);
      return queued.reason === 'full'
        ? answer(429, { message: `Too many requests: ${queued.message}` }, { 'retry-after': '30' })
        : answer(503, { message: 'The request could not be queued; retry later.' }, { 'retry-after': '10' });
    }
    deps.metrics.alerts.inc({ source: 'opsgenie', outcome: 'accepted' }, normalized.alerts.length);
    log.info({ integration: integration.name, action: normalized.request.action, alias: normalized.request.alias || null, alertId: normalized.request.alertId || null }, `Opsgenie ${normalized.request.action} accepted`);
    answer(202, { result: 'Request will be processed' });
  };
}
