/**
 * GitHub's rate limits, enforced per token identity as GitHub documents them (see
 * `limitSettings.ts` for the numbers and docs/rate-limits.md for the choices made where GitHub's
 * documentation is silent):
 *
 * - primary: fixed windows (`core` and `graphql` an hour, `search` a minute) that open with the
 *   first request and report themselves in `x-ratelimit-*` on every response;
 * - secondary: rolling windows of content-generating requests (a minute, an hour), points per
 *   endpoint per minute, and concurrent requests.
 *
 * Windows run on the sandbox clock, so moving the clock past a reset resets the budget. What a
 * client compares with its own clock (`x-ratelimit-reset`, `GET /rate_limit`'s `reset`) is in
 * wall-clock epoch seconds, as Octokit's throttling computes `reset - Date.now()`; the two agree
 * until the clock is moved. `retry-after` is a duration and is exact: waiting it out is enough for
 * every limit that refused. A refused request spends nothing.
 */
import { GITHUB_LIMITS, NO_LIMITS, type LimitSettings } from './limitSettings.ts';
import { FixedWindow, SlidingWindow } from './rateWindows.ts';
import type { RateLimitResource, RequestPrice } from './requestPrice.ts';
import type { Actor, SandboxResponse } from './router.ts';

/** Whose budget a request spends: the installation (whichever of its tokens), the user (whichever token), the app (JWT), or an IP address. */
export interface Caller {
  key: string;
  kind: 'installation' | 'user' | 'app' | 'anonymous';
  /** How GitHub names it in a refusal: `installation ID 1`, `user ID 7`, `127.0.0.1`. */
  name: string;
}

export function callerOf(actor: Actor | null, remoteAddress: string, appId: number): Caller {
  if (!actor) return { key: `ip:${remoteAddress}`, kind: 'anonymous', name: remoteAddress };
  if (actor.kind === 'app') return { key: `app:${appId}`, kind: 'app', name: `app ID ${appId}` };
  if (actor.kind === 'installation') return { key: `installation:${actor.installationId}`, kind: 'installation', name: `installation ID ${actor.installationId}` };
  return { key: `user:${actor.user.login}`, kind: 'user', name: `user ID ${actor.user.id}` };
}

export interface BudgetStatus {
  limit: number;
  used: number;
  remaining: number;
  /** Wall-clock epoch seconds. */
  reset: number;
}

export type RateLimitStatus = Record<RateLimitResource, BudgetStatus>;

type RefusedBy = 'primary' | 'content' | 'secondary';

export type Admission =
  | { ok: true; headers: Record<string, string> }
  /** `headers` include `retry-after`. */
  | { ok: false; refusedBy: RefusedBy; headers: Record<string, string> };

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** How soon to try again after a concurrency refusal: a slot frees as soon as one request ends, which the sandbox cannot foresee. */
const CONCURRENCY_RETRY_MS = 1000;
const RESOURCES: readonly RateLimitResource[] = ['core', 'search', 'graphql'];

interface CallerState {
  caller: Caller;
  primary: Record<RateLimitResource, FixedWindow>;
  contentCreating: SlidingWindow;
  endpoints: Map<string, SlidingWindow>;
}

export class RateLimits {
  private settings: LimitSettings = { ...NO_LIMITS };
  private callers = new Map<string, CallerState>();
  /** Kept apart from the counters: a reset must not forget requests still being answered. */
  private readonly inFlight = new Map<string, number>();

  /** `now` is the sandbox clock; `wallClock` what clients compare resets with. */
  constructor(
    private readonly now: () => number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  get inForce(): LimitSettings {
    return { ...this.settings };
  }

  /** Changes the limits; what was spent so far still counts against them. */
  configure(settings: LimitSettings): void {
    this.settings = { ...settings };
  }

  /** Forgets what was spent (every window starts afresh); the limits stay. */
  resetUsage(): void {
    this.callers.clear();
  }

  /** Counts a request as in flight until the returned function is called (once is enough). */
  enter(caller: Caller): () => void {
    this.stateOf(caller); // listed in usage() while its first request is still arriving
    this.inFlight.set(caller.key, (this.inFlight.get(caller.key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(caller.key) ?? 1) - 1;
      if (left > 0) this.inFlight.set(caller.key, left);
      else this.inFlight.delete(caller.key);
    };
  }

  /** Admits (and charges) the request, or says which limit refused it and for how long. */
  admit(caller: Caller, price: RequestPrice): Admission {
    const now = this.now();
    const state = this.stateOf(caller);
    const { settings } = this;
    let retryAt = now;
    const refusals = new Set<RefusedBy>();
    const refuse = (by: RefusedBy, at: number) => {
      if (at <= now) return;
      refusals.add(by);
      retryAt = Math.max(retryAt, at);
    };

    const primaryLimit = this.primaryLimit(caller, price.resource);
    const primary = state.primary[price.resource];
    if (primaryLimit !== null && price.primary > 0) refuse('primary', primary.earliest(now, primaryLimit, price.primary));
    const concurrency = settings.concurrentRequests;
    if (concurrency !== null && (this.inFlight.get(caller.key) ?? 0) > concurrency) refuse('secondary', now + CONCURRENCY_RETRY_MS);
    const endpointLimit = price.resource === 'graphql' ? settings.graphqlPointsPerMinute : settings.endpointPointsPerMinute;
    const endpoint = price.endpoint === undefined ? undefined : this.endpointWindow(state, price.endpoint);
    if (endpoint && endpointLimit !== null) refuse('secondary', endpoint.earliest(now, MINUTE, endpointLimit, price.points));
    if (price.contentCreating) {
      if (settings.contentCreatingPerMinute !== null) refuse('content', state.contentCreating.earliest(now, MINUTE, settings.contentCreatingPerMinute, 1));
      if (settings.contentCreatingPerHour !== null) refuse('content', state.contentCreating.earliest(now, HOUR, settings.contentCreatingPerHour, 1));
    }

    // The primary refusal is the one clients must see (x-ratelimit-remaining 0); content creation is named before the other secondary limits.
    const refusedBy = (['primary', 'content', 'secondary'] as const).find((by) => refusals.has(by));
    if (refusedBy !== undefined) {
      const retryAfterSeconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
      return { ok: false, refusedBy, headers: { ...this.headers(state, price.resource, now), 'retry-after': String(retryAfterSeconds) } };
    }

    if (price.primary > 0) {
      // Unenforced, the budget in the headers starts again rather than running out: never advertise an exhausted budget nobody enforces.
      if (primaryLimit === null && primary.read(now).used + price.primary >= this.nominalLimit(caller, price.resource)) primary.restart(now);
      primary.add(now, price.primary);
    }
    endpoint?.add(now, price.points);
    if (price.contentCreating) state.contentCreating.add(now, 1);
    return { ok: true, headers: this.headers(state, price.resource, now) };
  }

  /** The caller's primary budgets, as `GET /rate_limit` and GraphQL's `rateLimit` report them. */
  status(caller: Caller): RateLimitStatus {
    const now = this.now();
    const state = this.stateOf(caller);
    const status = {} as RateLimitStatus;
    for (const resource of RESOURCES) status[resource] = this.budget(state, resource, now);
    return status;
  }

  /** Every caller seen since the last reset: budgets, content created and requests in flight. */
  usage(): Record<string, { inFlight: number; contentCreating: { lastMinute: number; lastHour: number } } & RateLimitStatus> {
    const now = this.now();
    const usage: ReturnType<RateLimits['usage']> = {};
    for (const [key, state] of this.callers) {
      usage[key] = {
        inFlight: this.inFlight.get(key) ?? 0,
        contentCreating: { lastMinute: state.contentCreating.total(now, MINUTE), lastHour: state.contentCreating.total(now, HOUR) },
        ...this.status(state.caller),
      };
    }
    return usage;
  }

  private stateOf(caller: Caller): CallerState {
    let state = this.callers.get(caller.key);
    if (!state) {
      state = {
        caller,
        primary: { core: new FixedWindow(HOUR), search: new FixedWindow(MINUTE), graphql: new FixedWindow(HOUR) },
        contentCreating: new SlidingWindow(HOUR),
        endpoints: new Map(),
      };
      this.callers.set(caller.key, state);
    }
    return state;
  }

  private endpointWindow(state: CallerState, endpoint: string): SlidingWindow {
    let window = state.endpoints.get(endpoint);
    if (!window) {
      window = new SlidingWindow(MINUTE);
      state.endpoints.set(endpoint, window);
    }
    return window;
  }

  private primaryLimit(caller: Caller, resource: RateLimitResource): number | null {
    const { settings } = this;
    if (resource === 'search') return caller.kind === 'anonymous' ? settings.unauthenticatedSearchPerMinute : settings.searchPerMinute;
    return caller.kind === 'anonymous' ? settings.unauthenticatedPerHour : settings.primaryPerHour;
  }

  /** GitHub's number, reported in the headers when no limit is enforced. */
  private nominalLimit(caller: Caller, resource: RateLimitResource): number {
    if (resource === 'search') return (caller.kind === 'anonymous' ? GITHUB_LIMITS.unauthenticatedSearchPerMinute : GITHUB_LIMITS.searchPerMinute) ?? 1;
    return (caller.kind === 'anonymous' ? GITHUB_LIMITS.unauthenticatedPerHour : GITHUB_LIMITS.primaryPerHour) ?? 1;
  }

  private budget(state: CallerState, resource: RateLimitResource, now: number): BudgetStatus {
    const limit = this.primaryLimit(state.caller, resource) ?? this.nominalLimit(state.caller, resource);
    const { used, resetAt } = state.primary[resource].read(now);
    return { limit, used, remaining: Math.max(0, limit - used), reset: Math.ceil((resetAt - now + this.wallClock()) / 1000) };
  }

  private headers(state: CallerState, resource: RateLimitResource, now: number): Record<string, string> {
    const { limit, used, remaining, reset } = this.budget(state, resource, now);
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(reset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': resource,
    };
  }
}

const PRIMARY_DOCUMENTATION = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_DOCUMENTATION = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

/** GitHub's answer to a refused request: status and body (the headers come with the admission). */
export function refusalResponse(caller: Caller, resource: RateLimitResource, refusedBy: RefusedBy, requestId: string): SandboxResponse {
  const support = `If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
  if (refusedBy === 'primary') {
    // GraphQL reports an exhausted primary budget in a 200, as its other errors.
    if (resource === 'graphql') return { status: 200, body: { errors: [{ type: 'RATE_LIMITED', message: `API rate limit already exceeded for ${caller.name}.` }] } };
    const message =
      caller.kind === 'anonymous'
        ? `API rate limit exceeded for ${caller.name}. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)`
        : `API rate limit exceeded for ${caller.name}. ${support}`;
    return { status: 403, body: { message, documentation_url: PRIMARY_DOCUMENTATION, status: '403' } };
  }
  const message =
    refusedBy === 'content'
      ? `You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. ${support}`
      : `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${support}`;
  return { status: 403, body: { message, documentation_url: SECONDARY_DOCUMENTATION, status: '403' } };
}
