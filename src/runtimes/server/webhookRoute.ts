import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'probot';
import { declaresMoreThan, discardBody, readBody } from '../../adapters/intake/readBody.ts';
import { sendError, sendJson } from './sendJson.ts';

/** GitHub caps webhook payloads at 25 MB and does not deliver larger ones (docs: "Webhook payload object"). */
const MAX_WEBHOOK_BODY_BYTES = 25 * 1024 * 1024;

/**
 * After a refusal made before the body was read, at most this much more is read and thrown away
 * (the connection stays open meanwhile), so a sender still writing sees our answer instead of a
 * reset connection; then the connection is cut.
 */
const DISCARD_BYTES = MAX_WEBHOOK_BODY_BYTES;

/** GitHub gives up on a delivery after 10 s; answering 202 before that keeps it from being marked failed. */
const ANSWER_WITHIN_MS = 9_000;

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const JSON_TYPE = /^\s*application\/json\s*(?:;|$)/i;

/** A delivery that passed every check, for Probot to dispatch to the app's handlers. */
export interface VerifiedDelivery {
  id: string;
  name: string;
  payload: Record<string, unknown>;
}

export interface WebhookRouteDeps {
  /** The webhook secret; without one nothing can be verified and every delivery is refused. */
  secret: string | undefined;
  /** Runs the app's handlers (`probot.receive`); rejects when one of them failed. */
  receive: (delivery: VerifiedDelivery) => Promise<void>;
  log: Logger;
  maxBytes?: number;
  answerWithinMs?: number;
}

export interface WebhookRoute {
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Deliveries whose handlers are still running (also those already answered 202). */
  inFlight(): { id: string; event: string }[];
  /** Resolves once no delivery is being handled, or with `false` after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean>;
}

const SECRET_HINT = "the webhook secret in the GitHub App's settings must equal WEBHOOK_SECRET on the firewatch server";

/**
 * `POST /api/github/webhooks`, checked cheapest first so a stranger costs us almost nothing: the
 * size GitHub never exceeds (Content-Length over 25 MB → 413 before a byte is read), the headers
 * every GitHub delivery carries, a well-formed `X-Hub-Signature-256` (else 401 before the body is
 * read), then the body, read up to the cap and hashed while it arrives, so memory stays bounded
 * and nothing unverified is parsed. Every refusal is JSON `{ error, hint }` and one log line.
 * Verified deliveries go to Probot; one whose handlers take longer than GitHub waits is answered
 * 202 and keeps running.
 */
export function createWebhookRoute(deps: WebhookRouteDeps): WebhookRoute {
  const maxBytes = deps.maxBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const limitText = `${Math.round(maxBytes / (1024 * 1024))} MB`;
  const running = new Map<Promise<void>, { id: string; event: string }>();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const id = header(request, 'x-github-delivery');
    const event = header(request, 'x-github-event');
    const signature = header(request, 'x-hub-signature-256');
    let bodyRead = false;
    const refuse = (status: number, error: string, hint: string, headers: Record<string, string> = {}): void => {
      deps.log.warn({ deliveryId: id ?? null, event: event ?? null, status, remoteAddress: request.socket.remoteAddress ?? null }, `webhook refused: ${error}`);
      // Not `connection: close`: Node would then close the socket as soon as the answer is out, and a
      // sender still writing would get a reset instead of the answer.
      if (!bodyRead) discardBody(request, DISCARD_BYTES);
      sendError(response, status, error, hint, headers);
    };

    if (request.method !== 'POST') return refuse(405, `${request.method ?? 'GET'} is not allowed here`, 'GitHub delivers webhooks with POST', { allow: 'POST' });
    if (declaresMoreThan(request, maxBytes)) return refuse(413, `webhook body is larger than ${limitText}`, `GitHub never delivers more than ${limitText}; this request did not come from GitHub`);
    if (!deps.secret) return refuse(401, 'webhook deliveries cannot be verified: WEBHOOK_SECRET is not set', 'set WEBHOOK_SECRET on the firewatch server to the secret of the webhook in GitHub');
    if (!event || !id) return refuse(400, 'missing X-GitHub-Event or X-GitHub-Delivery header', 'only GitHub webhook deliveries are accepted here');
    if (!signature) return refuse(401, 'missing X-Hub-Signature-256 header', SECRET_HINT);
    const expected = SIGNATURE.exec(signature)?.[1];
    if (!expected) return refuse(401, 'malformed X-Hub-Signature-256 header (expected sha256=<64 hex digits>)', SECRET_HINT);
    if (!JSON_TYPE.test(header(request, 'content-type') ?? '')) {
      return refuse(415, 'webhook content type must be application/json', "choose \"Content type: application/json\" in the webhook's settings in GitHub");
    }

    const hmac = createHmac('sha256', deps.secret);
    const body = await readBody(request, maxBytes, { onChunk: (chunk) => hmac.update(chunk), discardBytes: DISCARD_BYTES });
    // Read, or being discarded by readBody, from here on.
    bodyRead = true;
    if (!body.ok) return refuse(413, `webhook body is larger than ${limitText}`, `GitHub never delivers more than ${limitText}; this request did not come from GitHub`);
    if (!timingSafeEqual(hmac.digest(), Buffer.from(expected, 'hex'))) return refuse(401, 'signature does not match the body', SECRET_HINT);

    let payload: unknown;
    try {
      payload = JSON.parse(body.body.toString('utf8'));
    } catch (error) {
      return refuse(400, 'malformed JSON', `the body must be one JSON document: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return refuse(400, 'the webhook payload must be a JSON object', 'only GitHub webhook deliveries are accepted here');

    const work = deps.receive({ id, name: event, payload: payload as Record<string, unknown> });
    const tracked = work.then(
      () => {},
      () => {},
    );
    running.set(tracked, { id, event });
    void tracked.then(() => running.delete(tracked));

    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), deps.answerWithinMs ?? ANSWER_WITHIN_MS)));
    try {
      const outcome = await Promise.race([work.then(() => 'done' as const), late]);
      if (outcome === 'late') return sendJson(response, 202, { status: 'accepted', note: 'still being handled' });
      sendJson(response, 200, { status: 'handled' });
    } catch {
      // Probot has logged the handler's error (with the delivery id) already.
      sendError(response, 500, `handling the ${event} delivery failed`, `see the firewatch log for delivery ${id}; GitHub can redeliver it (App settings → Advanced → Recent deliveries)`);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    handle,
    inFlight: () => [...running.values()],
    async idle(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
      const drained = (async () => {
        while (running.size > 0) await Promise.all(running.keys());
        return true as const;
      })();
      try {
        return await Promise.race([drained, timedOut]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
