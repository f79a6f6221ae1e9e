import { createLabelCache, type LabelCache } from '../adapters/github/ensureLabels.ts';
import { RateLimiter, type RateDecision, type RateLimit } from '../domain/commands/rateLimit.ts';
import type { RepoRef } from '../domain/repo/repoRef.ts';
import { repoKey } from '../domain/repo/repoRef.ts';
import { createMemoryIncidentIndex, type IncidentIndex } from './incidentIndex.ts';
import { createKeyLock, type KeyLock } from './keyLock.ts';

/** One command author's commands being counted: where, who, how many, under which limit. */
interface RateLimitRequest {
  repo: RepoRef;
  /** The issue the commands were posted on (a limit derived from GitHub counts there). */
  issue: number;
  actor: string;
  /** The comment whose commands are counted (a limit derived from GitHub leaves it out: it is the one being decided). */
  commentId: number;
  /** Milliseconds on the app's clock. */
  now: number;
  count: number;
  limit: RateLimit;
  /** Reads the issue's comments, for a limit derived from GitHub (the Action: no process outlives the event). */
  octokit?: unknown;
}

/** Per-user command counts. */
export interface CommandRateLimit {
  /** Records `count` more commands when the window allows them, and says whether it did. */
  take(request: RateLimitRequest): Promise<RateDecision>;
}

/** Work that must happen once (a comment's commands): recorded when done, looked up before. */
export interface Handled {
  isDone(key: string): Promise<boolean>;
  markDone(key: string, ttlMs: number): Promise<void>;
}

/** Per repository: the `firewatch: invalid configuration` issue and the digest of the problems it shows. */
export type ConfigReportCache = Map<string, { number: number; html_url: string; digest: string }>;

/**
 * What the processes of one deployment share so that work happens once and in order, whichever
 * process receives it: in memory for one process, in Redis for replicas, derived from GitHub in the
 * Action. Everything here can be thrown away: GitHub stays the source of truth.
 */
export interface Coordination {
  /** `memory`, `redis` or `github`: for logs and start-up lines. */
  readonly kind: 'memory' | 'redis' | 'github';
  /**
   * Runs `task` alone for `key` across every process sharing this coordination. Every writer of an
   * incident (commands, alerts, sweeps, reconciliation, rollback outcomes, paging) serializes on
   * `incidentKey(repo, number)`, so none overwrites another's body update.
   */
  serialize: KeyLock;
  /** Like `serialize`, but another process holding the key makes it throw `LockTimeoutError` at once (sweeps: skip, the holder does it). */
  lease: KeyLock;
  rateLimit: CommandRateLimit;
  /** Which issue holds the incident of an alert token. */
  incidents: IncidentIndex;
  /** Comments whose commands ran (exactly one effect per comment, however often it is delivered). */
  handled: Handled;
  /** Repositories whose contract labels exist (per process: GitHub answers 422 to a second creation). */
  labels: LabelCache;
  /** What the invalid-configuration issue shows, per repository (per process: it is checked against the issue). */
  configReports: ConfigReportCache;
  close(): Promise<void>;
}

/** The serialization key of an incident issue: every writer of it uses this one. */
export function incidentKey(repo: RepoRef, number: number): string {
  return `issue:${repoKey(repo)}#${number}`;
}

/** The `Handled` key of a comment's commands. */
export function commentKey(repo: RepoRef, commentId: number): string {
  return `comment:${repoKey(repo)}:${commentId}`;
}

export function rateLimitKey(repo: RepoRef, actor: string): string {
  return `${repoKey(repo)}:${actor.toLowerCase()}`;
}

/** Rate limit counted in this process (one process, or the tests). */
function memoryRateLimit(): CommandRateLimit {
  const limiter = new RateLimiter();
  return { take: async (request) => limiter.take(rateLimitKey(request.repo, request.actor), request.now, request.count, request.limit) };
}

/** Handled work remembered in this process, for as long as asked (bounded: oldest forgotten first). */
function memoryHandled(limit = 10_000): Handled {
  const done = new Map<string, number>();
  return {
    async isDone(key) {
      const until = done.get(key);
      if (until === undefined) return false;
      if (until > Date.now()) return true;
      done.delete(key);
      return false;
    },
    async markDone(key, ttlMs) {
      done.delete(key);
      done.set(key, Date.now() + ttlMs);
      while (done.size > limit) {
        const oldest = done.keys().next().value;
        if (oldest === undefined) break;
        done.delete(oldest);
      }
    },
  };
}

/** Everything in this process: one server without Redis, the CLI, tests. */
export function memoryCoordination(overrides: Partial<Omit<Coordination, 'kind'>> & { kind?: Coordination['kind'] } = {}): Coordination {
  const serialize = createKeyLock();
  return {
    kind: 'memory',
    serialize,
    lease: serialize,
    rateLimit: memoryRateLimit(),
    incidents: createMemoryIncidentIndex(),
    handled: memoryHandled(),
    labels: createLabelCache(),
    configReports: new Map(),
    close: async () => {},
    ...overrides,
  };
}
