import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import { HEARTBEAT_NAME } from '../../domain/heartbeats/heartbeatConfig.ts';
import { MAX_ALERT_BODY_BYTES, readBody } from '../../adapters/intake/readBody.ts';
import { SIGNATURE_HEADER, verifyAlertRequest, type IntakeAuth } from '../../adapters/intake/verify.ts';
import type { HeartbeatStore } from '../../services/heartbeatStore.ts';
import { sendError, sendJson } from './sendJson.ts';

export interface HeartbeatRouteDeps {
  auth: IntakeAuth;
  store: HeartbeatStore;
  log: Logger;
  clock: Clock;
}

/** `/alerts/heartbeats/{name}/ping` → the name, when the path is one. */
export function heartbeatPingName(pathname: string): string | undefined {
  const match = /^\/alerts\/heartbeats\/([^/]+)\/ping\/?$/.exec(pathname);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * Whether a POSTed body is a notification that the heartbeat's source stopped: Alertmanager's
 * webhook for the always-firing `Watchdog` says `"status": "resolved"` only when Prometheus no
 * longer sends it. Anything else (no body, a firing notification, other JSON, text) is a ping.
 */
function isResolvedNotification(body: Buffer): boolean {
  if (body.length === 0) return false;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && (parsed as { status?: unknown }).status === 'resolved';
  } catch {
    return false;
  }
}

/**
 * `POST|GET /alerts/heartbeats/{name}/ping`: a dead man's switch pings, with the alert intake's
 * credentials (bearer token, or the HMAC of the body). Only the time is recorded; the sweep
 * decides what a silence means (see `heartbeatSweepTask`). Point Alertmanager's `Watchdog`
 * receiver here (`repeat_interval` shorter than the heartbeat's `interval`).
 */
export function createHeartbeatRoute(deps: HeartbeatRouteDeps) {
  return async function handlePing(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    const log = deps.log.child({ heartbeat: name });
    if (!HEARTBEAT_NAME.test(name)) {
      return sendError(response, 404, `"${name.slice(0, 100)}" is not a heartbeat name`, 'heartbeat names are letters, digits, . _ - (at most 100), as configured under heartbeats: in .github/firewatch.yml');
    }
    const body = request.method === 'POST' ? await readBody(request, MAX_ALERT_BODY_BYTES) : { ok: true as const, body: Buffer.alloc(0) };
    if (!body.ok) return sendError(response, 413, 'ping body is larger than 1 MiB', 'a ping needs no body', { connection: 'close' });
    const authorization = request.headers['authorization'];
    const signature = request.headers[SIGNATURE_HEADER];
    const verdict = verifyAlertRequest(deps.auth, {
      ...(typeof authorization === 'string' ? { authorization } : {}),
      ...(typeof signature === 'string' ? { signature } : {}),
      rawBody: body.body,
    });
    if (!verdict.ok) {
      log.info({ reason: verdict.reason }, 'heartbeat ping refused');
      return sendError(response, 401, verdict.message, 'send "Authorization: Bearer <FIREWATCH_ALERT_TOKEN>" (Alertmanager: http_config.authorization) or sign the body', { 'www-authenticate': 'Bearer' });
    }
    const at = deps.clock();
    if (isResolvedNotification(body.body)) {
      log.info({}, 'heartbeat notification says resolved: not counted as a ping');
      return sendJson(response, 202, { outcome: 'not_a_ping', heartbeat: name, hint: 'a resolved notification means the source stopped; it does not count as a ping' });
    }
    await deps.store.ping(name, at);
    log.debug({ at: at.toISOString() }, 'heartbeat ping');
    sendJson(response, 202, { outcome: 'pong', heartbeat: name, at: at.toISOString() });
  };
}
