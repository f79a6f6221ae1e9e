import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { IntakeProblem } from '../../adapters/intake/normalizer.ts';
import { isAlertSource, normalizerFor, supportedSources } from '../../adapters/intake/normalizers.ts';
import { MAX_ALERT_BODY_BYTES, readBody } from '../../adapters/intake/readBody.ts';
import { nativeSignatureFor } from '../../adapters/intake/sourceSignatures.ts';
import { isIntakeConfigured, SIGNATURE_HEADER, verifyAlertRequest, type IntakeAuth } from '../../adapters/intake/verify.ts';
import { jobsFor, type AlertJob, type AlertQueue, type EnqueueResult } from '../../adapters/queue/alertQueue.ts';
import { sendError, sendJson } from './sendJson.ts';

export interface AlertRouteDeps {
  auth: IntakeAuth;
  queue: Pick<AlertQueue, 'enqueue'>;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /**
   * Real time for signed timestamps (Grafana's replay window). Not `clock`: in sandbox mode that is
   * the sandbox's movable clock, while senders sign with the wall clock. Default `new Date()`.
   */
  wallClock?: Clock;
}

type Outcome = 'rejected' | 'unauthorized';

/** What a dry run answers for each alert: what filing would start from, nothing more. */
interface DryRunAlert {
  key: string;
  source: string;
  fingerprint: string;
  status: 'firing' | 'resolved';
  title: string;
  severity: string;
  service: string;
  startsAt: string;
}

/**
 * `?dry_run=1` (or `=true`, or no value): check a notification without filing it. `0`, `false` and
 * `no` mean a real notification, as does any URL without `dry_run`.
 */
export function isDryRun(url: string | undefined): boolean {
  const query = url?.indexOf('?') ?? -1;
  if (query < 0 || url === undefined) return false;
  const value = new URLSearchParams(url.slice(query + 1)).get('dry_run');
  return value !== null && !['0', 'false', 'no'].includes(value.trim().toLowerCase());
}

/**
 * `POST /alerts/{source}`. Checks run cheapest first, and every refusal happens before anything is
 * written: unknown source 404, credentials 401, size 413, JSON 400, shape 422. Valid alerts are
 * queued and answered `202 Accepted` at once, so a storm never times out the sender; a full queue
 * answers 503 with `retry-after`.
 *
 * With `?dry_run=1` every check runs the same, and a valid notification is answered `200` with the
 * alerts as firewatch understood them (key, fingerprint, title, severity, service) instead of being
 * queued: senders can test their setup without opening an incident. Dry runs are not counted as alerts.
 *
 * Grafana and Sentry cannot always send our bearer header, so when their secret is configured a
 * valid native signature (`X-Grafana-Alerting-Signature`, `Sentry-Hook-Signature`) authenticates the
 * request on its own. A native signature that is present is always checked, and a wrong one is
 * refused even next to a valid token: it means the secrets disagree, or the body was altered.
 */
export function createAlertRoute(deps: AlertRouteDeps) {
  return async function handleAlert(request: IncomingMessage, response: ServerResponse, sourceName: string): Promise<void> {
    // Created on first use: most requests in a storm log nothing, and a child logger per request is not free.
    let child: Logger | undefined;
    const log = () => (child ??= deps.log.child({ source: sourceName }));
    const count = (outcome: Outcome) => deps.metrics.alerts.inc({ source: isAlertSource(sourceName) ? sourceName : 'unknown', outcome });
    const refuse = (status: number, outcome: Outcome, error: string, hint: string, headers?: Record<string, string>) => {
      count(outcome);
      log().info({ status, error }, 'alert refused');
      sendError(response, status, error, hint, headers);
    };

    const normalize = normalizerFor(sourceName);
    if (!normalize) {
      const supported = supportedSources().join(', ');
      const known = isAlertSource(sourceName);
      return refuse(
        404,
        'rejected',
        known ? `alert source "${sourceName}" is not supported yet` : `unknown alert source "${sourceName}"`,
        `supported sources: ${supported} (POST /alerts/{source})`,
      );
    }

    const authorization = header(request, 'authorization');
    const signature = header(request, SIGNATURE_HEADER);
    const native = nativeSignatureFor(sourceName, deps.auth);
    const nativeSignature = native ? header(request, native.header) : undefined;
    const contractOpen = isIntakeConfigured(deps.auth);
    const contractHint = contractOpen
      ? 'send "Authorization: Bearer <FIREWATCH_ALERT_TOKEN>" or "X-Firewatch-Signature: sha256=<HMAC-SHA256 of the body with FIREWATCH_ALERT_SECRET>"'
      : 'set FIREWATCH_ALERT_TOKEN or FIREWATCH_ALERT_SECRET on the firewatch server; until then every alert is refused';
    const authHint = native
      ? `${contractOpen ? `${contractHint}, or sign` : 'sign'} the body with the secret in ${native.variable} (${native.header}); see README "Alert sources"`
      : contractHint;
    const unauthorized = (message: string) => refuse(401, 'unauthorized', message, authHint, { 'www-authenticate': 'Bearer' });

    if (native && nativeSignature === undefined && !contractOpen) return unauthorized(`missing ${native.header} header`);
    // Token-only (or no) credentials are checked before the body is read, so strangers cannot make us read 1 MiB.
    if (nativeSignature === undefined && !signature) {
      const verdict = verifyAlertRequest(deps.auth, authorization === undefined ? {} : { authorization });
      if (!verdict.ok) return unauthorized(verdict.message);
    }

    const body = await readBody(request, MAX_ALERT_BODY_BYTES);
    if (!body.ok) {
      return refuse(413, 'rejected', 'alert body is larger than 1 MiB', 'send fewer or smaller alerts per request', { connection: 'close' });
    }

    if (native && nativeSignature !== undefined) {
      const verdict = native.verify(body.body, (name) => header(request, name), (deps.wallClock ?? (() => new Date()))());
      if (!verdict.ok) return unauthorized(verdict.message);
    } else if (signature) {
      const verdict = verifyAlertRequest(deps.auth, { ...(authorization === undefined ? {} : { authorization }), signature, rawBody: body.body });
      if (!verdict.ok) return unauthorized(verdict.message);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body.body.toString('utf8'));
    } catch (error) {
      return refuse(400, 'rejected', 'malformed JSON', `the body must be one JSON document: ${error instanceof Error ? error.message : String(error)}`);
    }

    const normalized = normalize(payload, { receivedAt: deps.clock() });
    if (!normalized.ok) {
      return refuse(422, 'rejected', `the ${sourceName} alert does not have the expected shape`, describeProblems(normalized.problems));
    }

    const jobs = jobsFor(normalized.alerts, deps.clock());
    if (isDryRun(request.url)) return sendJson(response, 200, { outcome: 'dry_run', alerts: jobs.flatMap(describeJob) });
    for (const note of normalized.notes ?? []) log().info({ groupKey: normalized.group?.key ?? null }, note);
    if (normalized.alerts.length === 0) return sendJson(response, 202, { outcome: 'accepted', alerts: 0 });
    let enqueued: EnqueueResult;
    try {
      enqueued = await deps.queue.enqueue(jobs);
    } catch (error) {
      log().error({ err: error }, 'the alert queue is unavailable');
      return sendError(response, 503, 'the alert queue is unavailable', 'nothing was recorded; retry in a little while (see the firewatch log: is Redis reachable?)', { 'retry-after': '10' });
    }
    if (!enqueued.ok) {
      log().warn({ alerts: normalized.alerts.length }, enqueued.message);
      for (const alert of normalized.alerts) deps.metrics.alerts.inc({ source: alert.source, outcome: 'rejected' });
      return sendError(response, 503, enqueued.message, 'firewatch is catching up with a storm; retry in a little while (Alertmanager and most senders do so on their own)', { 'retry-after': '30' });
    }
    for (const alert of normalized.alerts) deps.metrics.alerts.inc({ source: alert.source, outcome: 'accepted' });
    if (deps.log.isLevelEnabled?.('debug')) log().debug({ alerts: normalized.alerts.length, fingerprints: normalized.alerts.map((alert) => alert.fingerprint) }, 'alerts accepted');
    sendJson(response, 202, { outcome: 'accepted', alerts: normalized.alerts.length });
  };
}

function describeJob(job: AlertJob): DryRunAlert[] {
  return job.alerts.map((alert) => ({
    key: job.key,
    source: alert.source,
    fingerprint: alert.fingerprint,
    status: alert.status,
    title: alert.title,
    severity: alert.severity,
    service: alert.service,
    startsAt: alert.startsAt,
  }));
}

/** `title: Too small …; links[0].url: must be an http(s) URL` — paths first so senders can find the field. */
function describeProblems(problems: IntakeProblem[]): string {
  const shown = problems.slice(0, 10).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more`);
  return shown.join('; ');
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
