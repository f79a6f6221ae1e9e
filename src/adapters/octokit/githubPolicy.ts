import type { Budget, Pacer, RequestCost } from './githubPacer.ts';
import { currentPriority, type RequestPriority } from './requestPriority.ts';

/**
 * firewatch's one Octokit policy, the same against GitHub and the sandbox, for the server, the
 * Action and the CLI: every request takes its turn from the pacer (`githubPacer.ts`); a refusal
 * for a rate limit (403/429) is honoured with its `retry-after` (or `x-ratelimit-reset`) and
 * counted; a 5xx is retried with backoff. Octokit's throttling and retry plugins are off wherever
 * this is on, so there is one loop, not three.
 */

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const R = '/repos/[^/]+/[^/]+';
/** GitHub's content-creating requests, as the sandbox counts them (packages/sandbox/docs/rate-limits.md). */
const CONTENT_CREATING = [
  new RegExp(`^POST ${R}/(issues|labels|pulls|releases|deployments|merges|forks)$`),
  new RegExp(`^POST ${R}/issues/[^/]+/(comments|labels|reactions)$`),
  new RegExp(`^PUT ${R}/issues/[^/]+/labels$`),
  new RegExp(`^POST ${R}/(issues|pulls)/comments/[^/]+/reactions$`),
  new RegExp(`^POST ${R}/pulls/[^/]+/(comments|reviews)$`),
  new RegExp(`^PUT ${R}/pulls/[^/]+/merge$`),
  new RegExp(`^POST ${R}/git/(blobs|trees|commits|refs|tags)$`),
  new RegExp(`^PATCH ${R}/git/refs/.+$`),
  new RegExp(`^(PUT|DELETE) ${R}/contents/.+$`),
  new RegExp(`^POST ${R}/deployments/[^/]+/statuses$`),
  new RegExp(`^POST ${R}/statuses/[^/]+$`),
];
const CONTENT_MUTATIONS = /\b(revertPullRequest|mergePullRequest)\b/;

interface RequestShape {
  method: string;
  url: string;
  query?: unknown;
  request?: { priority?: RequestPriority };
}

/** What a request spends against GitHub's limits; `undefined` for what is not paced (the installation token). */
export function costOf(options: RequestShape): RequestCost | undefined {
  const method = options.method.toUpperCase();
  const path = (options.url.split('?')[0] ?? '').replace(/^https?:\/\/[^/]+/, '').replace(/^\/api\/v3(?=\/)/, '');
  if (/^\/app\/installations\/[^/]+\/access_tokens$/.test(path)) return undefined;
  if (/\/graphql$/.test(path)) {
    const query = typeof options.query === 'string' ? options.query : '';
    const mutation = /^\s*mutation\b/.test(query);
    return { contentCreating: mutation && CONTENT_MUTATIONS.test(query), search: false, endpoint: 'POST /graphql', graphql: true, points: mutation ? 5 : 1 };
  }
  const endpoint = `${method} ${path}`;
  return {
    contentCreating: CONTENT_CREATING.some((pattern) => pattern.test(endpoint)),
    search: method === 'GET' && path.startsWith('/search/'),
    endpoint,
    graphql: false,
    points: WRITE_METHODS.has(method) ? 5 : 1,
  };
}

type RefusalKind = 'secondary' | 'primary';

export interface Refusal {
  kind: RefusalKind;
  /** `core`, `search`, `graphql` (from `x-ratelimit-resource`), or `unknown`. */
  resource: string;
  waitMs: number;
}

type Headers = Record<string, string | number | undefined>;

/** Whether an error is GitHub refusing for a rate limit, which one, and how long it asked us to wait. */
export function refusalOf(error: unknown, now = Date.now()): Refusal | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const status = (error as { status: unknown }).status;
  if (status !== 403 && status !== 429) return undefined;
  const headers: Headers = (error as { response?: { headers?: Headers } }).response?.headers ?? {};
  const resource = typeof headers['x-ratelimit-resource'] === 'string' ? headers['x-ratelimit-resource'] : 'unknown';
  const message = error instanceof Error ? error.message : '';
  const retryAfter = Number(headers['retry-after']);
  const exhausted = String(headers['x-ratelimit-remaining']) === '0';
  const secondary = /secondary rate limit|abuse/i.test(message);
  const kind: RefusalKind = exhausted && !secondary ? 'primary' : 'secondary';
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return { kind, resource, waitMs: retryAfter * 1_000 };
  if (exhausted) {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return { kind, resource, waitMs: Math.max(1_000, reset * 1_000 - now) };
  }
  // GitHub's documentation: without a header, wait at least a minute.
  if (secondary || status === 429) return { kind, resource, waitMs: 60_000 };
  return undefined;
}

/** A 5xx GitHub answered, or (`unanswered`) a request that got no answer, which Octokit reports as a 500 without a response. */
function isServerError(error: unknown, unanswered: boolean): boolean {
  const status = typeof error === 'object' && error !== null && 'status' in error ? (error as { status: unknown }).status : undefined;
  if (typeof status !== 'number' || status < 500) return false;
  return unanswered || (error as { response?: unknown }).response !== undefined;
}

interface PolicyMetrics {
  refused?(refusal: Refusal): void;
  retried?(reason: 'server error'): void;
}

export interface PolicyOptions {
  pacer: Pacer;
  metrics?: PolicyMetrics;
  /** Refusals honoured for one request before its error goes to the caller. Default 3. */
  refusals?: number;
  /** A refusal asking for longer is not waited out here: the caller gets the error (the alert queue retries later). Default 15 min. */
  maxWaitMs?: number;
  /** Retries of a 5xx (1 s, 4 s, 9 s as Octokit's retry plugin). Default 3. */
  serverErrorRetries?: number;
  /** Whether a request that got no answer at all (GitHub unreachable) is retried like a 5xx. Default true. */
  retryUnanswered?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** Where each Octokit's budget is kept (installation id); default from its auth options. */
  keyOf?: (octokitOptions: Record<string, unknown>) => string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function installationKey(octokitOptions: Record<string, unknown>): string {
  const auth = octokitOptions['auth'];
  const id = typeof auth === 'object' && auth !== null ? (auth as Record<string, unknown>)['installationId'] : undefined;
  return typeof id === 'number' || typeof id === 'string' ? `installation:${id}` : 'default';
}

const BUDGET_OF: Record<string, Budget> = { search: 'search', core: 'all', graphql: 'all' };

/** The Octokit plugin. */
export function githubPolicy(options: PolicyOptions) {
  const { pacer } = options;
  const refusals = options.refusals ?? 3;
  const maxWait = options.maxWaitMs ?? 15 * 60_000;
  const serverErrorRetries = options.serverErrorRetries ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  return function firewatchPolicyPlugin(octokit: { hook: { wrap: (name: 'request', wrapper: (request: (options: RequestShape) => Promise<unknown>, options: RequestShape) => Promise<unknown>) => void } }, octokitOptions: Record<string, unknown> = {}) {
    const key = (options.keyOf ?? installationKey)(octokitOptions);
    octokit.hook.wrap('request', async (request: (options: RequestShape) => Promise<unknown>, requestOptions: RequestShape) => {
      const cost = costOf(requestOptions);
      const priority = requestOptions.request?.priority ?? currentPriority();
      for (let refused = 0, failed = 0; ; ) {
        const grant = cost ? await pacer.acquire(cost, { priority, key }) : undefined;
        let response: unknown;
        try {
          response = await request(requestOptions);
        } catch (error) {
          const refusal = refusalOf(error, pacer.now());
          if (refusal) {
            grant?.refused();
            options.metrics?.refused?.(refusal);
            if (refused++ >= refusals || refusal.waitMs > maxWait) throw error;
            const budget: Budget = refusal.kind === 'secondary' ? (cost?.search ? 'search' : cost?.contentCreating ? 'content' : 'all') : (BUDGET_OF[refusal.resource] ?? 'all');
            pacer.pause(budget, pacer.now() + refusal.waitMs, key);
            // Unpaced requests (the token) wait here; the others wait for their turn again.
            if (!cost) await sleep(refusal.waitMs);
            continue;
          }
          grant?.done();
          if (isServerError(error, options.retryUnanswered ?? true) && failed < serverErrorRetries) {
            failed += 1;
            options.metrics?.retried?.('server error');
            await sleep(failed * failed * 1_000);
            continue;
          }
          throw error;
        }
        grant?.done();
        return response;
      }
    });
    return {};
  };
}
