import type { ProbotOctokit } from 'probot';

/**
 * Keeps content-creating GitHub requests (POST, PATCH, PUT, DELETE) under GitHub's secondary rate
 * limit of 80 per minute, for all Octokit instances of the process together, and retries requests
 * GitHub refused for rate limiting (403/429) after the `retry-after` it asked for.
 */
export interface Pacer {
  /** Waits until one more content-creating request fits in the window. */
  slot(): Promise<void>;
  /** Requests counted in the current window (for tests and logs). */
  inWindow(): number;
}

export interface PacerOptions {
  /** Default 80 (GitHub's documented secondary limit). */
  perMinute?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A sliding window: at most `perMinute` slots granted in any `windowMs`. Fair: first come, first served. */
export function createPacer(options: PacerOptions = {}): Pacer {
  const limit = options.perMinute ?? 80;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const granted: number[] = [];
  let queue = Promise.resolve();
  const prune = () => {
    const from = now() - windowMs;
    while (granted.length && (granted[0] ?? 0) <= from) granted.shift();
  };
  return {
    slot() {
      const turn = queue.then(async () => {
        for (;;) {
          prune();
          if (granted.length < limit) break;
          await sleep(Math.max(1, (granted[0] ?? now()) + windowMs - now()));
        }
        granted.push(now());
      });
      queue = turn.catch(() => {});
      return turn;
    },
    inWindow() {
      prune();
      return granted.length;
    },
  };
}

const CONTENT_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);


/** How long GitHub asked us to wait, when an error is a rate-limit refusal; undefined otherwise. */
export function rateLimitWait(error: unknown, now = Date.now()): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  if (status !== 403 && status !== 429) return undefined;
  const response = (error as { response?: { headers?: Record<string, string | number | undefined> } }).response;
  const headers = response?.headers ?? {};
  const retryAfter = Number(headers['retry-after']);
  if (Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1_000;
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(0, reset * 1_000 - now);
  }
  const message = error instanceof Error ? error.message : '';
  // GitHub's secondary limit without headers: its docs say wait at least a minute.
  if (/secondary rate limit|abuse/i.test(message)) return 60_000;
  return status === 429 ? 60_000 : undefined;
}

export interface PacerPluginOptions {
  pacer?: Pacer;
  /** Retries after a rate-limit refusal. Default 3. */
  retries?: number;
  /** Longer waits are not slept through here: the error goes to the queue, which retries later. Default 2 min. */
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The Octokit plugin. Without a `pacer`, only the rate-limit retries apply. */
export function githubPacer(options: PacerPluginOptions = {}) {
  const retries = options.retries ?? 3;
  const maxWait = options.maxWaitMs ?? 120_000;
  const sleep = options.sleep ?? defaultSleep;
  return function firewatchPacerPlugin(octokit: Pick<InstanceType<typeof ProbotOctokit>, 'hook'>) {
    octokit.hook.wrap('request', async (request, requestOptions) => {
      const paced = options.pacer && CONTENT_METHODS.has(requestOptions.method.toUpperCase()) && !/\/graphql$/.test(requestOptions.url);
      for (let attempt = 0; ; attempt++) {
        if (paced) await options.pacer?.slot();
        try {
          return await request(requestOptions);
        } catch (error) {
          const wait = rateLimitWait(error);
          if (wait === undefined || attempt >= retries || wait > maxWait) throw error;
          await sleep(wait);
        }
      }
    });
    return {};
  };
}
