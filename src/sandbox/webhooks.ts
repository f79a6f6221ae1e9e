/**
 * Delivers webhooks the way GitHub's Hookshot does: one POST per event, signed with the webhook
 * secret, in the order the events happened. Delivery is asynchronous (the API call that caused
 * the event has already answered) and a failing target is logged, never thrown.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { WebhookDelivery } from './types.ts';

export const HOOK_ID = 1;
const DELIVERY_TIMEOUT_MS = 10_000;
/** Older deliveries are forgotten so a long-running sandbox does not grow without bound. */
const LOG_LIMIT = 1_000;

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher {
  private readonly log: WebhookDelivery[] = [];
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly secret: string,
    private target: string | undefined,
    private readonly now: () => Date,
  ) {}

  setTarget(url: string | undefined): void {
    this.target = url;
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
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/sandbox',
          'x-github-event': delivery.event,
          'x-github-delivery': delivery.id,
          'x-github-hook-id': String(HOOK_ID),
          'x-github-hook-installation-target-type': 'integration',
          'x-hub-signature-256': signPayload(this.secret, body),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      delivery.status = response.status;
    } catch (error) {
      delivery.status = 'error';
      delivery.error = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
    } finally {
      delivery.durationMs = Math.round(performance.now() - started);
    }
  }
}
