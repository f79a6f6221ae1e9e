import { createHmac } from 'node:crypto';

export interface DeliveryRequest {
  url: string;
  body: string;
  /** HMAC-SHA256 key: adds `X-Firewatch-Signature: sha256=<hex of the body>`. */
  secret?: string;
  retries: number;
  timeoutMs: number;
}

export type DeliveryResult = { ok: true; attempts: number; status: number } | { ok: false; attempts: number; error: string };

export interface DeliveryDeps {
  fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
}

const BASE_DELAY_MS = 500;

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs a JSON body, retrying network errors, timeouts, 408, 429 and 5xx with exponential
 * backoff (0.5 s, 1 s, 2 s, ...); other 4xx are final (the receiver refuses it, trying again will
 * not help). Never throws: the caller records the failure.
 */
export async function deliverNotification(request: DeliveryRequest, deps: DeliveryDeps = {}): Promise<DeliveryResult> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'firewatch' };
  if (request.secret) headers['x-firewatch-signature'] = signBody(request.body, request.secret);
  let error = 'not attempted';
  for (let attempt = 1; attempt <= request.retries + 1; attempt++) {
    if (attempt > 1) await sleep(BASE_DELAY_MS * 2 ** (attempt - 2));
    try {
      const response = await doFetch(request.url, { method: 'POST', headers, body: request.body, signal: AbortSignal.timeout(request.timeoutMs), redirect: 'error' });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { ok: true, attempts: attempt, status: response.status };
      error = `HTTP ${response.status}`;
      if (!retryable(response.status)) return { ok: false, attempts: attempt, error };
    } catch (caught) {
      error = caught instanceof Error ? (caught.name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : caught.message) : String(caught);
    }
  }
  return { ok: false, attempts: request.retries + 1, error };
}
