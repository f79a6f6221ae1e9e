import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import type { Clock } from '../domain/clock.ts';
import type { Metrics } from '../metrics.ts';
import type { IntakeProblem } from '../intake/normalizer.ts';
import { isAlertSource, normalizerFor, supportedSources } from '../intake/normalizers.ts';
import { MAX_ALERT_BODY_BYTES, readBody } from '../intake/readBody.ts';
import { SIGNATURE_HEADER, verifyAlertRequest, type IntakeAuth } from '../intake/verify.ts';
import { NoIncidentRepoError, type AlertProcessor } from './alertProcessor.ts';
import { NotInstalledError } from './installationOctokit.ts';
import { sendError, sendJson } from './sendJson.ts';

export interface AlertRouteDeps {
  auth: IntakeAuth;
  process: AlertProcessor;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
}

type Outcome = 'created' | 'updated' | 'rejected' | 'unauthorized' | 'failed';

/**
 * `POST /alerts/{source}`. Checks run cheapest first, and every refusal happens before anything is
 * written: unknown source 404, credentials 401, size 413, JSON 400, shape 422.
 */
export function createAlertRoute(deps: AlertRouteDeps) {
  return async function handleAlert(request: IncomingMessage, response: ServerResponse, sourceName: string): Promise<void> {
    const log = deps.log.child({ source: sourceName });
    const count = (outcome: Outcome) => deps.metrics.alerts.inc({ source: isAlertSource(sourceName) ? sourceName : 'unknown', outcome });
    const refuse = (status: number, outcome: Outcome, error: string, hint: string, headers?: Record<string, string>) => {
      count(outcome);
      log.info({ status, error }, 'alert refused');
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
    const authHint = deps.auth.token || deps.auth.secret
      ? 'send "Authorization: Bearer <FIREWATCH_ALERT_TOKEN>" or "X-Firewatch-Signature: sha256=<HMAC-SHA256 of the body with FIREWATCH_ALERT_SECRET>"'
      : 'set FIREWATCH_ALERT_TOKEN or FIREWATCH_ALERT_SECRET on the firewatch server; until then every alert is refused';
    // Token-only (or no) credentials are checked before the body is read, so strangers cannot make us read 1 MiB.
    if (!signature) {
      const verdict = verifyAlertRequest(deps.auth, authorization === undefined ? {} : { authorization });
      if (!verdict.ok) return refuse(401, 'unauthorized', verdict.message, authHint, { 'www-authenticate': 'Bearer' });
    }

    const body = await readBody(request, MAX_ALERT_BODY_BYTES);
    if (!body.ok) {
      return refuse(413, 'rejected', 'alert body is larger than 1 MiB', 'send fewer or smaller alerts per request', { connection: 'close' });
    }

    if (signature) {
      const verdict = verifyAlertRequest(deps.auth, { ...(authorization === undefined ? {} : { authorization }), signature, rawBody: body.body });
      if (!verdict.ok) return refuse(401, 'unauthorized', verdict.message, authHint, { 'www-authenticate': 'Bearer' });
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

    const results = [];
    for (const alert of normalized.alerts) {
      try {
        const processed = await deps.process(alert, log);
        count(processed.outcome);
        log.info(
          {
            fingerprint: alert.fingerprint,
            outcome: processed.outcome,
            repo: `${processed.repo.owner}/${processed.repo.repo}`,
            issue: processed.issue.number,
            incident: processed.incident ?? null,
          },
          `alert ${processed.outcome === 'created' ? 'opened' : 'updated'} incident #${processed.issue.number}`,
        );
        results.push(processed);
      } catch (error) {
        count('failed');
        log.error({ err: error, fingerprint: alert.fingerprint }, 'alert could not be filed');
        return sendProcessingError(response, error);
      }
    }

    const [first] = results;
    if (!first) return sendJson(response, 202, { incidents: [], outcome: 'accepted' });
    sendJson(response, results.some((r) => r.outcome === 'created') ? 201 : 200, {
      incident: { repo: `${first.repo.owner}/${first.repo.repo}`, number: first.issue.number, url: first.issue.html_url },
      outcome: first.outcome,
    });
  };
}

function sendProcessingError(response: ServerResponse, error: unknown): void {
  if (error instanceof NoIncidentRepoError) {
    return sendError(response, 503, error.message, 'set FIREWATCH_REPO=owner/repo (the repository incident issues go to)');
  }
  if (error instanceof NotInstalledError) {
    return sendError(response, 503, error.message, `install the app on ${error.repo.owner}/${error.repo.repo}, or point FIREWATCH_REPO at a repository it is installed on`);
  }
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  sendError(
    response,
    502,
    typeof status === 'number' ? `GitHub answered ${status} while filing the incident` : 'filing the incident failed',
    'the alert was not recorded; the sender should retry (see the firewatch log for details)',
  );
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
