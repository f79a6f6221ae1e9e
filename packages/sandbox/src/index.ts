/**
 * The embedded sandbox GitHub: an in-memory world (seed or fixture), a real HTTP server with
 * GHES layout, the embedded GitHub App, signed webhooks to the app, and a movable clock.
 *
 *   const sandbox = await Sandbox.start({ port: 0, webhookSecret: 's' });
 *   new Octokit({ baseUrl: sandbox.apiUrl, auth: 'sandbox-bob' });
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppCredentials } from './auth.ts';
import { SandboxClock, type ClockChange, type ClockReading } from './clock.ts';
import { fixtureSchema, type Fixture, type FixtureInput } from './fixture.ts';
import { applyGitFixture } from './git/apply-fixture.ts';
import { registerGitSide } from './git/register.ts';
import { limitsInputSchema, resolveLimits } from './limitSettings.ts';
import { callerOf, RateLimits, type RateLimitStatus } from './rateLimits.ts';
import { Router, type Actor } from './router.ts';
import { register as registerApps } from './routes/apps.ts';
import { register as registerCollaborators } from './routes/collaborators.ts';
import { register as registerComments } from './routes/comments.ts';
import { register as registerIssueEvents } from './routes/issueEvents.ts';
import { register as registerIssues } from './routes/issues.ts';
import { register as registerLabels } from './routes/labels.ts';
import { register as registerRateLimit } from './routes/rateLimit.ts';
import { register as registerReactions } from './routes/reactions.ts';
import { register as registerRepos } from './routes/repos.ts';
import { register as registerSearch } from './routes/search.ts';
import { register as registerUsers } from './routes/users.ts';
import { applyFixtureIssues, applyFixtureLabels, createState, seedFixture } from './seed.ts';
import { createApiFetch, createRequestHandler, type AppRequest } from './server.ts';
import { installationLiteJson, organizationJson, repositoryJson, userJson } from './shapes.ts';
import type { RepoRecord, SandboxState, SandboxUser } from './store.ts';
import type { InboxNotification, SandboxApi, SandboxOptions, SandboxStats, WebhookDelivery } from './types.ts';
import { registerWeb } from './web.ts';
import { WebhookDispatcher } from './webhooks.ts';

export type { SandboxApi, SandboxOptions, SandboxStats, WebhookDelivery } from './types.ts';

const APP_ID = 1;

/** The inbox keeps the newest notifications only, so a long-running sandbox does not grow without bound. */
const INBOX_SIZE = 200;

function emptyCounts(): { total: number; contentCreating: number; limited: number; byRoute: Map<string, number>; byStatus: Map<string, number> } {
  return { total: 0, contentCreating: 0, limited: 0, byRoute: new Map(), byStatus: new Map() };
}

export class Sandbox implements SandboxApi {
  readonly appId = APP_ID;
  readonly router = new Router();
  readonly webhookSecret: string;
  private readonly credentials = new AppCredentials(APP_ID);
  private readonly webhooks: WebhookDispatcher;
  private readonly onClockChange: SandboxOptions['onClockChange'];
  private readonly onReset: SandboxOptions['onReset'];
  private readonly clock: SandboxClock;
  private world!: SandboxState;
  private counts = emptyCounts();
  private inbox: InboxNotification[] = [];
  readonly rateLimits = new RateLimits(() => this.now().getTime());
  private server: Server | undefined;
  private baseUrl = '';
  /**
   * The REST API (and GraphQL) in this process, without a socket: same auth, routes, stats and
   * JSON as over HTTP. Pass it as Octokit's `request: { fetch }` with `baseUrl: sandbox.apiUrl`
   * when thousands of requests would otherwise each pay a loopback round trip.
   */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

  private constructor(options: SandboxOptions) {
    this.webhookSecret = options.webhookSecret;
    this.onClockChange = options.onClockChange;
    this.onReset = options.onReset;
    this.clock = new SandboxClock(options.now);
    this.webhooks = new WebhookDispatcher(options.webhookSecret, options.webhookUrl, () => this.now());
    this.rateLimits.configure(resolveLimits(limitsInputSchema.parse(options.limits ?? { preset: 'off' })));
    for (const register of [registerRepos, registerIssues, registerIssueEvents, registerComments, registerLabels, registerReactions, registerSearch, registerCollaborators, registerUsers, registerApps, registerRateLimit]) {
      register(this.router, this);
    }
    registerGitSide(this.router, this);
    this.reset(options.fixture);
    this.fetch = createApiFetch({ sandbox: this, credentials: this.credentials, countAppRequest: (request) => this.countAppRequest(request) });
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const sandbox = new Sandbox(options);
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? Number(process.env['SANDBOX_PORT'] ?? 3001);
    const server = createServer(
      createRequestHandler({
        sandbox,
        credentials: sandbox.credentials,
        countAppRequest: (request) => sandbox.countAppRequest(request),
        web: registerWeb(sandbox),
      }),
    );
    // Octokit (undici) keeps connections alive; closing an idle one just as it is reused gives the
    // client ECONNRESET under load. Outlive the client's idle timeout instead.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    sandbox.server = server;
    sandbox.baseUrl = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
    return sandbox;
  }

  get url(): string {
    return this.baseUrl;
  }

  get apiUrl(): string {
    return `${this.baseUrl}/api/v3`;
  }

  get graphqlUrl(): string {
    return `${this.baseUrl}/api/graphql`;
  }

  get privateKey(): string {
    return this.credentials.privateKey;
  }

  get installationId(): number {
    return this.world.installation.id;
  }

  get state(): SandboxState {
    return this.world;
  }

  now(): Date {
    return this.clock.now();
  }

  readClock(): ClockReading {
    return this.clock.read();
  }

  async setNow(now: Date): Promise<void> {
    await this.changeClock({ now });
  }

  async changeClock(change: ClockChange): Promise<ClockReading> {
    const moved = this.clock.change(change);
    if (moved) await this.onClockChange?.(this.now());
    return this.clock.read();
  }

  /** Replaces the world with `fixture` (or the seed). Atomic: if the fixture cannot be applied, the previous world stays. */
  reset(input?: FixtureInput): void {
    const previous = { world: this.world, restoreClock: this.clock.save() };
    try {
      const fixture = input === undefined ? undefined : fixtureSchema.parse(input);
      const seed = seedFixture();
      if (fixture?.now) this.clock.change({ now: new Date(fixture.now) });
      const world: Fixture = { users: fixture?.users ?? seed.users, repos: fixture?.repos ?? seed.repos };
      this.world = createState(world, this.now(), seed);
      // As on GitHub, an id is never given twice: the new world's issues, comments, reactions and
      // events continue after the old world's (numbers start again, ids do not). An app that
      // remembers what it handled by comment id would otherwise skip a new comment as a redelivery.
      if (previous.world) this.world.nextId = Math.max(this.world.nextId, previous.world.nextId);
      for (const fixtureRepo of world.repos ?? []) {
        const repo = this.repo(fixtureRepo.owner, fixtureRepo.name);
        if (!repo) continue;
        applyFixtureLabels(this, repo, fixtureRepo);
        applyGitFixture(this, repo, fixtureRepo);
        applyFixtureIssues(this, repo, fixtureRepo);
      }
      // A new world starts with fresh budgets and an empty inbox; the limits in force stay.
      this.rateLimits.resetUsage();
      this.inbox = [];
    } catch (error) {
      if (previous.world) this.world = previous.world;
      previous.restoreClock();
      throw error;
    }
    this.onReset?.();
  }

  stats(): SandboxStats {
    const { total, contentCreating, limited } = this.counts;
    return { total, contentCreating, byRoute: Object.fromEntries(this.counts.byRoute), limited, byStatus: Object.fromEntries(this.counts.byStatus) };
  }

  resetStats(): void {
    this.counts = emptyCounts();
  }

  private countAppRequest(request: AppRequest): void {
    const { counts } = this;
    counts.total += 1;
    if (request.contentCreating) counts.contentCreating += 1;
    if (request.limited) counts.limited += 1;
    counts.byRoute.set(request.route, (counts.byRoute.get(request.route) ?? 0) + 1);
    const status = String(request.status);
    counts.byStatus.set(status, (counts.byStatus.get(status) ?? 0) + 1);
  }

  rateLimitStatus(actor: Actor | null, remoteAddress = '127.0.0.1'): RateLimitStatus {
    return this.rateLimits.status(callerOf(actor, remoteAddress, APP_ID));
  }

  setWebhookTarget(url: string | undefined): void {
    this.webhooks.setTarget(url);
  }

  webhookTarget(): string | undefined {
    return this.webhooks.currentTarget();
  }

  deliveries(): WebhookDelivery[] {
    return this.webhooks.deliveries();
  }

  idle(): Promise<void> {
    return this.webhooks.idle();
  }

  notifications(): InboxNotification[] {
    return [...this.inbox];
  }

  receiveNotification(notification: InboxNotification): void {
    this.inbox.push(notification);
    if (this.inbox.length > INBOX_SIZE) this.inbox.splice(0, this.inbox.length - INBOX_SIZE);
  }

  emit(event: string, payload: Record<string, unknown>, context: { repo?: RepoRecord; sender: SandboxUser }): void {
    const { repo, sender } = context;
    const org = repo ? this.world.orgs.get(repo.owner) : undefined;
    const covered = !repo || repo.owner.toLowerCase() === this.world.installation.account.toLowerCase();
    this.webhooks.enqueue(event, {
      ...payload,
      ...(repo ? { repository: repositoryJson(this, repo) } : {}),
      ...(org ? { organization: organizationJson(this, org) } : {}),
      sender: userJson(this, sender),
      ...(covered ? { installation: installationLiteJson(this) } : {}),
    });
  }

  nextId(): number {
    return this.world.nextId++;
  }

  issueInstallationToken(): { token: string; expiresAt: Date } {
    return this.credentials.issueInstallationToken(this.world.installation.id);
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.world.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** Logins are case-insensitive on GitHub. */
  user(login: string): SandboxUser | undefined {
    const exact = this.world.users.get(login);
    if (exact) return exact;
    const lower = login.toLowerCase();
    for (const user of this.world.users.values()) if (user.login.toLowerCase() === lower) return user;
    return undefined;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.webhooks.close();
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }
}
