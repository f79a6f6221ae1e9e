import type { RequestPriority } from './requestPriority.ts';

/**
 * The one pacer of every GitHub request firewatch makes: it keeps them under GitHub's documented
 * limits before GitHub has to refuse them, and, when the budget binds, lets the most urgent
 * request go first (see `requestPriority.ts`). A refusal that gets through anyway (another client
 * of the same installation, a replica) pauses what it limits for the `retry-after` GitHub asked.
 *
 * The limits (names as GitHub's documentation and the sandbox's `POST /_sandbox/limits` give them):
 * content-creating requests 80 a minute and 500 an hour, searches 30 a minute, and per endpoint
 * 900 points a minute (reads 1, writes 5; GraphQL 2,000, mutations 5), and at most 100 requests
 * in flight at once (REST and GraphQL together). `null`: not enforced.
 */
export interface PaceLimits {
  contentCreatingPerMinute: number | null;
  contentCreatingPerHour: number | null;
  searchPerMinute: number | null;
  endpointPointsPerMinute: number | null;
  graphqlPointsPerMinute: number | null;
  concurrentRequests: number | null;
}

export const GITHUB_PACE: Readonly<PaceLimits> = Object.freeze({
  contentCreatingPerMinute: 80,
  contentCreatingPerHour: 500,
  searchPerMinute: 30,
  endpointPointsPerMinute: 900,
  graphqlPointsPerMinute: 2000,
  concurrentRequests: 100,
});

/** Nothing paced (a GitHub that enforces no limits: the sandbox with `{"preset": "off"}`). */
export const NO_PACE: Readonly<PaceLimits> = Object.freeze({
  contentCreatingPerMinute: null,
  contentCreatingPerHour: null,
  searchPerMinute: null,
  endpointPointsPerMinute: null,
  graphqlPointsPerMinute: null,
  concurrentRequests: null,
});

/** What one request spends. */
export interface RequestCost {
  contentCreating: boolean;
  search: boolean;
  /** `POST /repos/{owner}/{repo}/issues`; GraphQL is one endpoint. */
  endpoint: string;
  graphql: boolean;
  /** 1 for reads and GraphQL queries, 5 for writes and mutations. */
  points: number;
}

/** What a request refused by GitHub limited, for the pause. */
export type Budget = 'content' | 'search' | 'all';

export interface PacerClock {
  now(): number;
  /** Calls `run` after `ms`; returns the cancel. */
  setTimer(run: () => void, ms: number): () => void;
}

interface PacerMetrics {
  /** A request waited `ms` for its turn (0-ms turns are not reported). */
  waited?(kind: 'content' | 'search' | 'other', ms: number): void;
  /** Requests waiting for a turn now. */
  waiting?(count: number): void;
}

interface Grant {
  /** The request was answered (whatever the status): it counts in the windows from now. */
  done(): void;
  /** GitHub refused it for a limit: it spent nothing. */
  refused(): void;
}

export interface Pacer {
  /** Waits until the request fits every window, behind waiters of more urgent priority only. */
  acquire(cost: RequestCost, options: { priority: RequestPriority; key?: string }): Promise<Grant>;
  /** Nothing of `budget` goes out for `key` before `untilMs` (a refusal's `retry-after`). */
  pause(budget: Budget, untilMs: number, key?: string): void;
  /** The clock moved (the sandbox's): look again at what waits. */
  recheck(): void;
  /** The GitHub it paces for started its budgets afresh (the sandbox's world was reset): forget what was spent and any pause. */
  forgetSpending(): void;
  /** Refuses every waiter with `reason` and stops the timers (shutdown). */
  close(reason?: Error): void;
  /** Requests waiting for a turn (tests, logs). */
  waiting(): number;
  now(): number;
}

export interface PacerOptions {
  /** Default GitHub's (`GITHUB_PACE`); a function is read on every decision (the sandbox's limits in force). */
  limits?: PaceLimits | (() => PaceLimits);
  clock?: PacerClock;
  metrics?: PacerMetrics;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/**
 * GitHub's search budget is a fixed window that closes on a whole second after the first search
 * reached it: a second more than a rolling minute, so a search is never early.
 */
const SEARCH_MARGIN_MS = 1_000;

export const realClock: PacerClock = {
  now: Date.now,
  setTimer(run, ms) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

interface Spent {
  /** When it was granted, then when it was answered (GitHub counted it in between, so this is never early). */
  at: number;
  cost: RequestCost;
}

interface Waiter {
  cost: RequestCost;
  priority: RequestPriority;
  seq: number;
  since: number;
  resolve: (grant: Grant) => void;
  reject: (error: Error) => void;
}

interface KeyState {
  spent: Spent[];
  waiters: Waiter[];
  paused: Record<Budget, number>;
  /** Granted and not answered yet. */
  inFlight: number;
}

/** The windows a request is checked against: [id, window length, limit, the weight of `cost`]. */
function windowsOf(cost: RequestCost, limits: PaceLimits): [string, number, number, (spent: RequestCost) => number][] {
  const windows: [string, number, number, (spent: RequestCost) => number][] = [];
  const content = (spent: RequestCost) => (spent.contentCreating ? 1 : 0);
  if (cost.contentCreating && limits.contentCreatingPerMinute !== null) windows.push(['content/minute', MINUTE, limits.contentCreatingPerMinute, content]);
  if (cost.contentCreating && limits.contentCreatingPerHour !== null) windows.push(['content/hour', HOUR, limits.contentCreatingPerHour, content]);
  if (cost.search && limits.searchPerMinute !== null) windows.push(['search', MINUTE + SEARCH_MARGIN_MS, limits.searchPerMinute, (spent) => (spent.search ? 1 : 0)]);
  const endpointLimit = cost.graphql ? limits.graphqlPointsPerMinute : limits.endpointPointsPerMinute;
  if (endpointLimit !== null) windows.push([`endpoint ${cost.endpoint}`, MINUTE, endpointLimit, (spent) => (spent.endpoint === cost.endpoint ? spent.points : 0)]);
  return windows;
}

/**
 * When `cost` fits every window given what was spent: `now`, or the earliest time enough of the
 * oldest spending has left the windows that are full.
 */
function fitsAt(state: KeyState, cost: RequestCost, limits: PaceLimits, now: number): number {
  let at = now;
  if (cost.contentCreating) at = Math.max(at, state.paused.content);
  if (cost.search) at = Math.max(at, state.paused.search);
  at = Math.max(at, state.paused.all);
  // A request in flight frees its slot when it is answered (which pumps), not at a time one can foresee.
  if (limits.concurrentRequests !== null && state.inFlight >= limits.concurrentRequests) return Infinity;
  for (const [, length, limit, weigh] of windowsOf(cost, limits)) {
    const inWindow = state.spent.filter((spent) => spent.at > now - length && weigh(spent.cost) > 0);
    let total = inWindow.reduce((sum, spent) => sum + weigh(spent.cost), 0);
    const need = weigh(cost);
    if (total === 0 || total + need <= limit) continue;
    for (const spent of inWindow.sort((a, b) => a.at - b.at)) {
      total -= weigh(spent.cost);
      if (total === 0 || total + need <= limit) {
        at = Math.max(at, spent.at + length);
        break;
      }
    }
  }
  return at;
}

/** Only content creation has an hour's window; everything else is forgotten after its minute. */
function forget(state: KeyState, now: number): void {
  state.spent = state.spent.filter((spent) => spent.at > now - (spent.cost.contentCreating ? HOUR : MINUTE + SEARCH_MARGIN_MS));
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const clock = options.clock ?? realClock;
  const limitsOf = typeof options.limits === 'function' ? options.limits : () => (options.limits as PaceLimits | undefined) ?? GITHUB_PACE;
  const keys = new Map<string, KeyState>();
  let seq = 0;
  let cancelTimer: (() => void) | undefined;
  let timerAt = Infinity;
  let closed: Error | undefined;

  const stateOf = (key: string): KeyState => {
    let state = keys.get(key);
    if (!state) {
      state = { spent: [], waiters: [], paused: { content: 0, search: 0, all: 0 }, inFlight: 0 };
      keys.set(key, state);
    }
    return state;
  };
  const waitingCount = () => [...keys.values()].reduce((sum, state) => sum + state.waiters.length, 0);

  function grant(state: KeyState, cost: RequestCost): Grant {
    const spent: Spent = { at: clock.now(), cost };
    if (state.spent.length >= 1024) forget(state, spent.at);
    state.spent.push(spent);
    state.inFlight++;
    let settled = false;
    return {
      done() {
        if (settled) return;
        settled = true;
        state.inFlight--;
        spent.at = Math.max(spent.at, clock.now());
        pump();
      },
      refused() {
        if (settled) return;
        settled = true;
        state.inFlight--;
        // Gone already when the spending was forgotten meanwhile (a sandbox reset): nothing else to take back.
        const at = state.spent.indexOf(spent);
        if (at !== -1) state.spent.splice(at, 1);
        pump();
      },
    };
  }

  /** Grants, in priority order, every waiter that fits; one waiting on a window holds it for those behind it. */
  function pump(): void {
    if (closed) return;
    const now = clock.now();
    const limits = limitsOf();
    let next = Infinity;
    for (const state of keys.values()) {
      if (state.waiters.length === 0) continue;
      forget(state, now);
      state.waiters.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      const held = new Set<string>();
      for (const waiter of [...state.waiters]) {
        // What this waiter would spend: a more urgent one waiting for any of it keeps it.
        const ids = [...windowsOf(waiter.cost, limits).map(([id]) => id), ...(waiter.cost.contentCreating ? ['paused content'] : []), ...(waiter.cost.search ? ['paused search'] : [])];
        // Every request needs a slot: one waiting for a slot holds the next free one.
        if (held.has('in flight') || ids.some((id) => held.has(id))) continue;
        const at = fitsAt(state, waiter.cost, limits, now);
        if (at === Infinity) held.add('in flight');
        if (at > now) {
          next = Math.min(next, at);
          for (const id of ids) held.add(id);
          continue;
        }
        state.waiters.splice(state.waiters.indexOf(waiter), 1);
        if (now > waiter.since) options.metrics?.waited?.(waiter.cost.contentCreating ? 'content' : waiter.cost.search ? 'search' : 'other', now - waiter.since);
        waiter.resolve(grant(state, waiter.cost));
      }
    }
    options.metrics?.waiting?.(waitingCount());
    arm(next, now);
  }

  function arm(at: number, now: number): void {
    if (at === timerAt) return;
    cancelTimer?.();
    cancelTimer = undefined;
    timerAt = at;
    if (at === Infinity) return;
    cancelTimer = clock.setTimer(() => {
      cancelTimer = undefined;
      timerAt = Infinity;
      pump();
    }, Math.max(1, at - now));
  }

  return {
    acquire(cost, { priority, key = 'default' }) {
      if (closed) return Promise.reject(closed);
      const state = stateOf(key);
      return new Promise<Grant>((resolve, reject) => {
        state.waiters.push({ cost, priority, seq: seq++, since: clock.now(), resolve, reject });
        pump();
      });
    },
    pause(budget, untilMs, key = 'default') {
      const state = stateOf(key);
      state.paused[budget] = Math.max(state.paused[budget], untilMs);
      pump();
    },
    forgetSpending: () => {
      for (const state of keys.values()) {
        state.spent = [];
        state.paused = { content: 0, search: 0, all: 0 };
      }
      timerAt = -1;
      pump();
    },
    recheck: () => {
      // The timer was armed for a time on the old reading of the clock.
      timerAt = -1;
      pump();
    },
    close(reason = new Error('the GitHub request pacer was closed (shutting down)')) {
      closed = reason;
      cancelTimer?.();
      cancelTimer = undefined;
      for (const state of keys.values()) for (const waiter of state.waiters.splice(0)) waiter.reject(reason);
      options.metrics?.waiting?.(0);
    },
    waiting: waitingCount,
    now: () => clock.now(),
  };
}
