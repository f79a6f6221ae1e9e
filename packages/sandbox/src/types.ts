/**
 * The sandbox's public surface, shared by its parts (core server, git side, web UI) and by the
 * runtimes that embed it. `Sandbox` in `index.ts` implements it.
 */
import type { ClockChange, ClockReading } from './clock.ts';
import type { FixtureInput } from './fixture.ts';
import type { LimitsInput } from './limitSettings.ts';
import type { RateLimits, RateLimitStatus } from './rateLimits.ts';
import type { Actor, Router } from './router.ts';
import type { RepoRecord, SandboxState, SandboxUser } from './store.ts';

export interface SandboxOptions {
  /** 0 picks a free port. Default: `SANDBOX_PORT` or 3001. */
  port?: number;
  /** Always loopback unless a test says otherwise. */
  host?: string;
  /** Where webhooks go (the app's `/api/github/webhooks`); may be set later with `setWebhookTarget`. */
  webhookUrl?: string;
  /** Secret for `X-Hub-Signature-256`. */
  webhookSecret: string;
  /** Initial world; defaults to the seed. */
  fixture?: FixtureInput;
  /** Initial clock, standing still there until told to run; default: real time, running. */
  now?: Date;
  /** Called after the time was moved (`POST /_sandbox/clock`, `setNow`, `changeClock`): the app runs its sweep there. */
  onClockChange?: (now: Date) => void | Promise<void>;
  /** Called after `reset()` (`POST /_sandbox/reset`) replaced the world: budgets start fresh, so an app pacing itself on this sandbox forgets what it spent. */
  onReset?: () => void;
  /** GitHub's rate limits to enforce, as `POST /_sandbox/limits` takes them (default: `{"preset": "off"}`). */
  limits?: LimitsInput;
}

export interface SandboxStats {
  total: number;
  contentCreating: number;
  /** `"POST /repos/{owner}/{repo}/issues": n`, and `"POST /graphql": n` for GraphQL. */
  byRoute: Record<string, number>;
  /** Requests refused by a rate limit (primary or secondary). */
  limited: number;
  /** `"201": n`: how the sandbox answered, by HTTP status. */
  byStatus: Record<string, number>;
}

export interface WebhookDelivery {
  id: string;
  event: string;
  action?: string;
  /** `pending` until the app answered; then the HTTP status it answered with (or `error`). */
  status: 'pending' | number | 'error';
  deliveredAt?: string;
  durationMs?: number;
  /** Where it was sent (undefined when no target was set: the delivery is logged, not sent). */
  url?: string;
  /** Why it failed (network error, no target). */
  error?: string;
  /** The exact JSON body that was (or would have been) sent. */
  payload?: Record<string, unknown>;
}

/** One notification firewatch sent to the sandbox's inbox (`POST /_sandbox/notifications`), as received. */
export interface InboxNotification {
  /** Sandbox time of receipt. */
  at: string;
  /** The JSON body (or the text, when it is not JSON). */
  body: unknown;
  /** `X-Firewatch-Signature`, when the sender signed it. */
  signature?: string;
  userAgent?: string;
}

export interface SandboxApi {
  /** `http://127.0.0.1:3001` */
  readonly url: string;
  /** `${url}/api/v3` — Octokit's `baseUrl`. */
  readonly apiUrl: string;
  /** `${url}/api/graphql` */
  readonly graphqlUrl: string;
  /** The embedded GitHub App the firewatch app authenticates as (JWT → installation token). */
  readonly appId: number;
  readonly privateKey: string;
  readonly installationId: number;
  readonly webhookSecret: string;

  /** The mutable world; read freely, mutate only through the sandbox's own functions. */
  readonly state: SandboxState;
  readonly router: Router;
  /** The rate limits in force and what each caller has spent; `reset()` forgets the spending, not the limits. */
  readonly rateLimits: RateLimits;

  now(): Date;
  readClock(): ClockReading;
  /** Puts the clock at `now`, standing still there. */
  setNow(now: Date): Promise<void>;
  /** Sets, advances, starts or stops the clock (see `ClockChange`); resolves after the clock-change hook. */
  changeClock(change: ClockChange): Promise<ClockReading>;
  /** Throws (a ZodError or the git side's FixtureError) and keeps the current world when the fixture is invalid. */
  reset(fixture?: FixtureInput): void;
  stats(): SandboxStats;
  /** The caller's primary budgets (`GET /rate_limit`); `remoteAddress` identifies anonymous callers. */
  rateLimitStatus(actor: Actor | null, remoteAddress?: string): RateLimitStatus;
  resetStats(): void;
  setWebhookTarget(url: string | undefined): void;
  /** Where webhooks go now (the app's `/api/github/webhooks`), if anywhere. */
  webhookTarget(): string | undefined;
  deliveries(): WebhookDelivery[];
  /** What notification targets sent to the inbox, oldest first (the newest 200; `reset()` empties it). */
  notifications(): InboxNotification[];
  receiveNotification(notification: InboxNotification): void;
  /** Resolves once every webhook queued so far has been delivered (and the app answered). */
  idle(): Promise<void>;
  /** Queue a signed delivery of `event` with GitHub's payload shape (repository, sender, installation added). */
  emit(event: string, payload: Record<string, unknown>, context: { repo?: RepoRecord; sender: SandboxUser }): void;
  /** Next id for any kind of record (ids are unique across kinds, as is harmless). */
  nextId(): number;
  /** A fresh `ghs_…` installation token acting as the app's bot (what `POST /app/installations/{id}/access_tokens` returns). */
  issueInstallationToken(): { token: string; expiresAt: Date };
  repo(owner: string, name: string): RepoRecord | undefined;
  user(login: string): SandboxUser | undefined;
  close(): Promise<void>;
}
