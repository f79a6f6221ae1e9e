import type { PageChannel } from '../../domain/paging/pagingConfig.ts';
import type { PageMessage } from '../../domain/paging/pageMessage.ts';

export type SendResult = { ok: true; attempts: number; id?: string } | { ok: false; attempts: number; error: string };

/** One way of paging a person: its provider's request shape, behind one method. Never throws. */
export interface ChannelAdapter {
  channel: PageChannel;
  send(message: PageMessage, address: string): Promise<SendResult>;
}

export interface HttpDeps {
  fetch?: typeof fetch;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after a transient failure (network, timeout, 408, 429, 5xx). Default 2. */
  retries?: number;
  timeoutMs?: number;
}

export type Verdict = { ok: true; id?: string } | { ok: false; error: string; retryable: boolean };

/**
 * Sends one provider request, retrying transient failures with backoff (0.5 s, 1 s, ...).
 * `judge` reads the provider's answer: providers say "no" in their own ways (Slack with HTTP 200
 * and `ok: false`, Twilio with an error code in JSON).
 */
export async function sendWithRetries(request: () => { url: string; init: RequestInit }, judge: (status: number, body: string) => Verdict, deps: HttpDeps = {}): Promise<SendResult> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const retries = deps.retries ?? 2;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  let error = 'not attempted';
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    if (attempt > 1) await sleep(500 * 2 ** (attempt - 2));
    const { url, init } = request();
    try {
      const response = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
      const body = await response.text().catch(() => '');
      const verdict = judge(response.status, body);
      if (verdict.ok) return { ok: true, attempts: attempt, ...(verdict.id ? { id: verdict.id } : {}) };
      error = verdict.error;
      if (!verdict.retryable) return { ok: false, attempts: attempt, error };
    } catch (caught) {
      error = caught instanceof Error ? (caught.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (caught.cause instanceof Error ? caught.cause.message : caught.message)) : String(caught);
    }
  }
  return { ok: false, attempts: retries + 1, error };
}

export function transient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** A provider's error text, cut short and on one line, for the timeline. */
export function shortError(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
