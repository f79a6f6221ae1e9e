/**
 * Delivers webhooks the way GitHub's Hookshot does: one POST per event, signed with the webhook
 * secret, in the order the events happened. Delivery is asynchronous (the API call that caused
 * the event has already answered) and a failing target is logged, never thrown.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { WebhookDelivery } from './types.ts';

const HOOK_ID = 1;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Older deliveries are forgotten so a long-running sandbox does not grow without bound. */
const LOG_LIMIT = 1_000;

class ReusedSocketError extends Error {}

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;
  /**
   * One keep-alive connection, as deliveries are sequential. Plain `http` rather than `fetch`: in
   * the alert storm benchmark, fetch's streams cost the sandbox about 1 ms of CPU per delivery, on
   * the same two cores as the app it delivers to.
   */
  private readonly agents = { http: new Agent({ keepAlive: true, maxSockets: 1, timeout: 30_000 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 1, timeout: 30_000 }) };

  constructor(
    private readonly secret: string,
    private target: string | undefined,
    private readonly now: () => Date,
  ) {}

  setTarget(url: string | undefined): void {
    this.target = url;
  }

  currentTarget(): string | undefined {
    return this.target;
  }

  /** Queues `payload` for delivery; returns its log record (updated in place as delivery proceeds). */
  enqueue(event: string, payload: Record<string, unknown>): WebhookDelivery {
    const action = typeof payload['action'] === 'string' ? payload['action'] : undefined;
    const delivery: WebhookDelivery = { id: randomUUID(), event, ...(action ? { action } : {}), status: 'pending', payload };
    this.log.push(delivery);
    if (this.log.length > LOG_LIMIT) this.log.splice(0, this.log.length - LOG_LIMIT);
    this.pending += 1;
    this.tail = this.tail.then(() => this.deliver(delivery)).finally(() => {
      this.pending -= 1;
    });
    return delivery;
  }

  deliveries(): WebhookDelivery[] {
    return [...this.log];
  }

  /** Waits until nothing is queued, including deliveries queued while waiting (the app reacting to a webhook). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  private async deliver(delivery: WebhookDelivery): Promise<void> {
    const url = this.target;
    const body = JSON.stringify(delivery.payload ?? {});
    delivery.deliveredAt = this.now().toISOString();
    if (!url) {
      delivery.status = 'error';
      delivery.error = 'no webhook URL configured';
      return;
    }
    delivery.url = url;
    const started = performance.now();
    try {
      delivery.status = await this.post(url, body, {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/sandbox',
        'x-github-event': delivery.event,
        'x-github-delivery': delivery.id,
        'x-github-hook-id': String(HOOK_ID),
        'x-github-hook-installation-target-type': 'integration',
        'x-hub-signature-256': signPayload(this.secret, body),
      });
    } catch (error) {
      delivery.status = 'error';
      delivery.error = error instanceof Error ? error.message : String(error);
    } finally {
      delivery.durationMs = Math.round(performance.now() - started);
    }
  }

  /** Closes the kept-alive connections (the sandbox is shutting down). */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<number> {
    try {
      return await this.postOnce(url, body, headers);
    } catch (error) {
      // The target closed the kept-alive connection as we reused it (an idle timeout racing our
      // request), so it almost surely never read the request: send it again, once, on a new
      // connection. A receiver that did read it sees a redelivery, which GitHub sends too.
      if (error instanceof ReusedSocketError) return this.postOnce(url, body, headers);
      throw error;
    }
  }

  private postOnce(url: string, body: string, headers: Record<string, string>): Promise<number> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      const send = secure ? httpsRequest : request;
      const outgoing = send(
        target,
        { method: 'POST', agent: secure ? this.agents.https : this.agents.http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: DELIVERY_TIMEOUT_MS },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS / 1000} s`)));
      outgoing.on('error', (error) => reject(outgoing.reusedSocket && 'code' in error && error.code === 'ECONNRESET' ? new ReusedSocketError(error.message) : error));
      outgoing.end(body);
    });
  }
}
