/** Read-only GETs against a vendor's REST API, with its auth header, retries on 429 and one-line errors. */
import { VendorApiError } from '../../domain/errors/errors.ts';

export interface VendorHttp {
  fetch: typeof fetch;
  /** A line for the person waiting ("fetching schedule Primary (3 of 12)"). */
  progress: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 4;
const MAX_WAIT_MS = 60_000;

function errorText(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  // PagerDuty: {"error": {"message": "...", "errors": [...]}}; Opsgenie: {"message": "..."}.
  const error = record['error'];
  if (typeof error === 'object' && error !== null) {
    const { message, errors } = error as { message?: unknown; errors?: unknown };
    const details = Array.isArray(errors) ? errors.filter((item): item is string => typeof item === 'string') : [];
    if (typeof message === 'string') return [message, ...details].join(': ');
  }
  return typeof record['message'] === 'string' ? record['message'] : undefined;
}

/** GET `url` and parse JSON; 429 answers wait `Retry-After` (at most a minute) and try again, a few times. */
export async function getJson(vendor: string, url: URL, headers: Record<string, string>, http: VendorHttp): Promise<unknown> {
  const sleep = http.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const shown = `${url.pathname}${url.search}`;
  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    try {
      response = await http.fetch(url, { method: 'GET', headers });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      throw new VendorApiError(`cannot reach ${vendor} at ${url.origin}: ${cause}`);
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status === 429 && attempt < MAX_ATTEMPTS) {
      const seconds = Number(response.headers.get('retry-after') ?? response.headers.get('ratelimit-reset') ?? '');
      const wait = Math.min(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 2 ** attempt * 1000, MAX_WAIT_MS);
      http.progress(`${vendor} rate limit reached; waiting ${Math.ceil(wait / 1000)} s`);
      await sleep(wait);
      continue;
    }
    if (!response.ok) {
      const why = errorText(body) ?? response.statusText;
      const hint = response.status === 401 ? ' (check the API key)' : response.status === 403 ? ' (the key may not have read access to this)' : '';
      throw new VendorApiError(`${vendor} answered ${response.status} to GET ${shown}: ${why}${hint}`, response.status);
    }
    if (body === undefined) throw new VendorApiError(`${vendor} answered GET ${shown} with something that is not JSON`);
    return body;
  }
}
