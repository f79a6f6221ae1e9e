import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApplicationFunction, Logger, Probot } from 'probot';
import { createApp, hasBackgroundWork } from '../../app.ts';
import { systemClock, type Clock } from '../../domain/time/clock.ts';
import { createConfigSource } from '../../services/configSource.ts';
import { memoryCoordination } from '../../services/coordination.ts';
import { createServices } from '../../services/services.ts';
import { appBotLogin, lazyIdentity, tokenLogin } from '../../services/identity.ts';
import { redisCoordination } from '../../adapters/redis/redisCoordination.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { isIntakeConfigured, type IntakeAuth } from '../../adapters/intake/verify.ts';
import { createMetrics, type Metrics } from '../../adapters/telemetry/metrics.ts';
import { Redis } from 'ioredis';
import { createAlertProcessor, isRetryableAlertError } from '../../features/alerts/alertProcessor.ts';
import { createChangeLogCache } from '../../features/correlation/changeLog.ts';
import { heartbeatSweepTask } from './heartbeatTask.ts';
import { createMemoryHeartbeatStore } from '../../services/heartbeatStore.ts';
import { createRedisHeartbeatStore } from '../../adapters/redis/redisHeartbeatStore.ts';
import { createVendorRoutes } from './vendorRoutes.ts';
import { createMemoryRequestLog } from '../../services/requestLog.ts';
import { createRedisRequestLog } from '../../adapters/redis/redisRequestLog.ts';
import { recordRequestOutcomes } from './vendorRequestOutcomes.ts';
import type { AlertQueue, BatchHandler, QueueMetrics } from '../../adapters/queue/alertQueue.ts';
import { createAlertRoute } from './alertRoute.ts';
import { answerClientError } from './clientError.ts';
import { parseQueueEnv, type GitHubCredentials, type LogLevel, type QueueEnv, type RepoRef, type RuntimeMode } from '../env.ts';
import type { Pacer, PaceLimits, PacerClock } from '../../adapters/octokit/githubPacer.ts';
import { createOctokitPolicy } from '../../adapters/octokit/octokitPolicy.ts';
import { createMemoryAlertQueue } from '../../adapters/queue/memoryAlertQueue.ts';
import { createRedisAlertQueue } from '../../adapters/redis/redisAlertQueue.ts';
import { createSweepRunner, startSweepScheduler, type SweepScheduler } from './scheduler.ts';
import { incidentMetricsTask } from '../../features/metrics/incidentMetricsTask.ts';
import { installationOctokitFor } from '../../adapters/octokit/installationOctokit.ts';
import { appDirectory, createSweptRepos } from './sweptRepos.ts';
import { configPushed } from '../../services/configSource.ts';
import { createFirewatchProbot } from '../../adapters/octokit/probot.ts';
import { sendError, sendJson } from './sendJson.ts';
import { shutdownReport } from './shutdownReport.ts';
import { createWebhookRoute } from './webhookRoute.ts';
import { VERSION } from '../version.ts';
import { statusPageSweepTask } from '../../features/statusPage/statusPageAfterSweep.ts';
import { createPager } from '../../features/paging/pager.ts';
import { createAckRoute, ACK_PATH } from './ackRoute.ts';
import { parsePagingEnv, pagingServices, sandboxAckKey, type PagingEnv } from './pagingEnv.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';
import { STATE_KEY_VARIABLE, stateSealFrom } from '../stateKey.ts';

export const WEBHOOKS_PATH = '/api/github/webhooks';

export interface ServerOptions {
  mode: RuntimeMode;
  credentials: GitHubCredentials;
  /** 0 picks a free port. Default 3000. */
  port?: number;
  host?: string;
  intake: IntakeAuth;
  /** Where alerts go unless `.github/firewatch.yml` there says `incidents.repo`. */
  defaultRepo?: RepoRef;
  clock?: Clock;
  metrics?: Metrics;
  logLevel?: LogLevel;
  logFormat?: 'pretty' | 'json';
  log?: Logger;
  /**
   * The limits GitHub requests are paced under (the one Octokit policy, `adapters/octokit/octokitPolicy.ts`):
   * default GitHub's documented ones; the embedded sandbox passes the limits it enforces, read on every decision.
   */
  pace?: PaceLimits | (() => PaceLimits);
  /** The pacer's clock; default real time (the sandbox's, in sandbox mode, so moving it moves the windows too). */
  paceClock?: PacerClock;
  /** The Probot app function; default `createApp(services)` with the services built here (which also counts webhooks by event). */
  app?: ApplicationFunction;
  /** Alert queue settings; default from `REDIS_URL` and `FIREWATCH_QUEUE_*` in the environment. */
  queue?: QueueEnv;
  /**
   * How long `close()` may take in all (graceful shutdown): queued alerts filed, webhook handlers,
   * notification deliveries and a running sweep finished, whatever is done by then. Default 10 s.
   */
  drainMs?: number;
  /**
   * Paging channels, contacts and acknowledge links; default from `FIREWATCH_*` in the environment
   * (docs/paging.md). In sandbox mode links default to this server, signed with a fixed, public key
   * on loopback and a key of this start's own beyond it.
   */
  paging?: PagingEnv;
  /** Seals incident state blocks; default from `FIREWATCH_STATE_KEY`, else derived from the credentials' secret (see runtime/stateKey.ts). */
  stateSeal?: StateSeal;
  /** Where notification targets' `urlEnv`/`secretEnv` are looked up; default `process.env`. */
  notificationEnv?: NodeJS.ProcessEnv;
  /** Real-time tick of the sweep scheduler (default a minute; `sweeps.intervalMinutes` in the config decides when a repository is due). */
  sweepTickMs?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  url: string;
  webhookUrl: string;
  port: number;
  metrics: Metrics;
  probot: Probot;
  log: Logger;
  /** Accepted alerts waiting to be filed; `idle()` resolves once all are (tests, benchmarks). */
  alertQueue: AlertQueue;
  /** Scheduled sweeps (ack SLOs, reminders, reviews, handoffs) of `defaultRepo` and, as a GitHub App, of every installed repository with a `.github/firewatch.yml`. */
  sweeps: SweepScheduler;
  /** Paces every GitHub request of this server; `recheck()` after the clock it reads moved. */
  pacer: Pacer;
  close(): Promise<void>;
}

/**
 * firewatch's HTTP server: Probot's webhook middleware plus our routes (alerts, health, metrics)
 * on one plain `http` server, per ARCHITECTURE "HTTP (server)".
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: true });
  const stateSeal = options.stateSeal ?? stateSealFrom(process.env, options.credentials);
  // Who firewatch is on GitHub (its app's bot, or its token's account), looked up once on first use.
  const identity = lazyIdentity(async () => (options.credentials.kind === 'app' ? appBotLogin(await probot.auth()) : tokenLogin(await probot.auth())));
  const incidentMetrics = incidentMetricsTask(metrics.registry, { startedAt: clock(), stateSeal, identity });
  // One policy for every request of this process, as against GitHub (the sandbox enforces the same limits).
  const policy = createOctokitPolicy({ metrics, ...(options.pace ? { limits: options.pace } : {}), ...(options.paceClock ? { clock: options.paceClock } : {}) });
  const probot = createFirewatchProbot({
    credentials: options.credentials,
    metrics,
    policy,
    // An ack, a resolution or correlation's verdict shows on /metrics at once, not at the next refresh.
    issueWrites: {
      issue: (repo, issue) => incidentMetrics.recordIssue(repo, issue, clock()),
      comment: (repo, number, body) => incidentMetrics.recordComment(repo, number, body, clock()),
      failed: (error) => probot.log.warn({ err: error }, 'incident metrics: could not apply a write to an issue; the next refresh catches up'),
    },
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await probot.ready();
  const log = probot.log.child({ name: 'firewatch' });

  if (!stateSeal.keyed) log.warn(`incident state blocks are not sealed: set ${STATE_KEY_VARIABLE} (or WEBHOOK_SECRET) so edits of them by others are caught`);

  const queueEnv = options.queue ?? parseQueueEnv(process.env);
  const redis = queueEnv.redisUrl ? new Redis(queueEnv.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 3 }) : undefined;
  const prefix = queueEnv.redisPrefix ?? 'firewatch:';
  if (redis) {
    redis.on('error', (error) => log.warn({ err: error }, 'Redis connection problem'));
    await redis.connect();
  }

  // The composition root: what every handler and use case of this process shares, built once.
  // With Redis, replicas share locks, the rate limit, the incident index and handled comments.
  const coordination = redis ? redisCoordination(redis, { prefix }) : memoryCoordination();
  // Pages are claimed on GitHub; with replicas, the coordination also keeps two of them from planning the same incident at once.
  const pagingEnv = options.paging ?? parsePagingEnv(process.env);
  const pagingLog = log.child({ name: 'paging' });
  const pager = createPager(pagingServices(pagingEnv, { clock, stateSeal, lock: coordination.serialize, log: pagingLog, identity }));
  const services = createServices({
    clock,
    config: createConfigSource(),
    coordination,
    telemetry: { metrics },
    stateSeal,
    identity,
    pager,
  });
  const app = options.app ?? createApp(services, options.notificationEnv ? { notificationEnv: options.notificationEnv } : {});
  // Our own routes (below) serve HTTP; an app function has no business adding handlers of its own.
  await probot.load(app, {
    cwd: process.cwd(),
    addHandler: () => {
      throw new Error('firewatch serves its own HTTP routes; the app function may not add handlers');
    },
  });
  const webhooks = createWebhookRoute({
    secret: options.credentials.webhookSecret,
    receive: (delivery) => probot.receive(delivery as Parameters<Probot['receive']>[0]),
    log: log.child({ name: 'webhooks' }),
  });

  const intakeLog = log.child({ name: 'intake' });
  // One for the process: each repository's installation is looked up once, not per alert or sweep.
  const octokitFor = installationOctokitFor(probot, options.credentials.kind);
  probot.on(['installation', 'installation_repositories'], () => octokitFor.forget());
  // The coordination's per-key lock, shared by replicas with Redis (vendor routes file under it too).
  const lock = services.coordination.serialize;
  const changeLog = createChangeLogCache();
  // Opsgenie request outcomes and heartbeat pings: in Redis when there is one (replicas, restarts).
  const vendorRequests = redis ? createRedisRequestLog(redis, { prefix }) : createMemoryRequestLog();
  const heartbeats = redis ? createRedisHeartbeatStore(redis, { prefix }) : createMemoryHeartbeatStore();
  const processAlerts = createAlertProcessor({
    services,
    octokitFor,
    changeLog,
    ...(options.defaultRepo ? { defaultRepo: options.defaultRepo } : {}),
  });
  const handler: BatchHandler = async (key, jobs) => {
    const alerts = jobs.flatMap((job) => job.alerts);
    const results = await processAlerts(key, alerts, intakeLog);
    await recordRequestOutcomes(vendorRequests, alerts, results, clock(), (error) => intakeLog.warn({ err: error, key }, 'could not record the outcome of Opsgenie requests'));
    // Page on the alert itself, not at the next sweep.
    for (const result of results) {
      // New and reopened incidents page now; alerts joining one are for the sweep (a storm must not cost reads per batch).
      if (!result.issue || (result.outcome !== 'created' && result.outcome !== 'reopened')) continue;
      const octokit = await octokitFor(result.repo);
      await pager.pageIssue(octokit, result.repo, result.issue.number, () => services.config.load(octokit, result.repo), pagingLog);
    }
    for (const result of results) {
      intakeLog.info(
        { key, alerts: result.alerts, outcome: result.outcome, repo: `${result.repo.owner}/${result.repo.repo}`, issue: result.issue?.number ?? null, incident: result.incident ?? null },
        result.issue ? `${result.alerts} alert(s) ${result.outcome}: incident #${result.issue.number}` : `${result.alerts} alert(s) ${result.outcome}`,
      );
    }
  };
  const queueMetrics: QueueMetrics = {
    setDepth: (depth) => metrics.queueDepth.set(depth),
    dropped: (reason, alerts) => metrics.queueDropped.inc({ reason }, alerts),
    retried: () => metrics.queueRetries.inc(),
  };
  const onError = (error: unknown, context: { key: string; alerts: number; attempts: number; willRetry: boolean }) => {
    const line = { err: error, key: context.key, alerts: context.alerts, attempts: context.attempts };
    if (context.willRetry) intakeLog.warn(line, `filing alerts failed (attempt ${context.attempts}); retrying with backoff`);
    else {
      for (let i = 0; i < context.alerts; i++) metrics.alerts.inc({ source: context.key.split(':')[0] ?? 'unknown', outcome: 'failed' });
      intakeLog.error(line, 'filing alerts failed for good; the alerts were dropped');
    }
  };
  const settings = {
    handler,
    metrics: queueMetrics,
    onError,
    isRetryable: isRetryableAlertError,
    ...(queueEnv.limit ? { limit: queueEnv.limit } : {}),
    ...(queueEnv.concurrency !== undefined ? { concurrency: queueEnv.concurrency } : {}),
    ...(queueEnv.coalesceMs ? { coalesceMs: queueEnv.coalesceMs } : {}),
  };
  if (settings.concurrency === 0 && !redis) throw new Error('an intake-only server (queue concurrency 0) needs Redis: other replicas file what it accepts');
  const alertQueue: AlertQueue = redis ? createRedisAlertQueue({ redis, prefix, ...settings }) : createMemoryAlertQueue(settings);
  if (settings.concurrency === 0) intakeLog.info('intake only (FIREWATCH_QUEUE_CONCURRENCY=0): accepted alerts wait in Redis for the replicas that file them');
  // A GitHub App sweeps every installed repository with a config of its own; a token knows only FIREWATCH_REPO.
  const sweptRepos =
    options.credentials.kind === 'app'
      ? createSweptRepos({ directory: appDirectory((id) => (id === undefined ? probot.auth() : probot.auth(id))), ...(options.defaultRepo ? { defaultRepo: options.defaultRepo } : {}), log: log.child({ name: 'sweep' }) })
      : undefined;
  if (sweptRepos) probot.on(['installation', 'installation_repositories'], () => sweptRepos.invalidate());
  const sweepRunner = createSweepRunner({
    repos: sweptRepos ? () => sweptRepos.list() : options.defaultRepo ? [options.defaultRepo] : [],
    // Pushes that change a config say so (below); then re-reading hourly only catches what they missed.
    ...(options.credentials.kind === 'app' || options.credentials.webhookSecret ? { configTtlMs: 60 * 60_000 } : {}),
    octokitFor,
    loadConfig,
    clock,
    log: log.child({ name: 'sweep' }),
    stateSeal,
    identity,
    registry: metrics.registry,
    after: [
      statusPageSweepTask(),
      incidentMetrics,
      heartbeatSweepTask({ store: heartbeats, queue: alertQueue }),
      { name: 'paging', run: ({ octokit, repo, config, result }) => pager.afterSweep(octokit, repo, config, result.incidents, pagingLog) },
    ],
    // A lease, not a queue: a replica that finds the sweep taken skips this round.
    lock: services.coordination.lease,
    serialize: services.coordination.serialize,
  });
  // The app's push handler invalidates the config source; the sweeps' hourly copy follows it.
  services.config.onInvalidate((repo) => sweepRunner.forgetConfig(repo));
  if (sweptRepos) {
    probot.on('push', (context) => {
      const repo = configPushed(context.payload);
      if (repo) sweptRepos.forgetConfig(repo);
    });
  }
  const sweeps = startSweepScheduler(sweepRunner, options.sweepTickMs ? { tickMs: options.sweepTickMs } : {});

  const handleAlert = createAlertRoute({
    auth: options.intake,
    metrics,
    clock,
    log: intakeLog,
    queue: alertQueue,
  });

  const vendorRoute = createVendorRoutes({
    auth: options.intake,
    identity,
    queue: alertQueue,
    requests: vendorRequests,
    heartbeats,
    metrics,
    log: intakeLog,
    clock,
    homeConfig: () => processAlerts.homeConfig(),
    octokitFor,
    lock,
    changeLog,
  });

  const acks = createAckRoute({
    get key() {
      return pager.services.ackLinks?.key ?? '';
    },
    stateSeal,
    identity,
    octokitFor: async (repo) => {
      try {
        return await octokitFor(repo);
      } catch {
        return null;
      }
    },
    loadConfig: (octokit, repo) => services.config.load(octokit as never, repo),
    clock,
    lock: pager.services.lock,
    log: pagingLog,
  });

  let shuttingDown = false;
  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log.error({ err: error, method: request.method, url: request.url }, 'request failed');
      sendError(response, 500, 'internal error', 'see the firewatch log');
    });
  });

  // Requests Node's parser refuses get the contract's JSON too.
  server.on('clientError', (error: Error & { code?: string }, socket) => answerClientError(error, socket, log));

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let pathname: string;
    try {
      ({ pathname } = new URL(request.url ?? '/', 'http://firewatch.invalid'));
    } catch {
      return sendError(response, 400, 'malformed request URL', `send a path such as /healthz or /alerts/{source}`);
    }
    const method = request.method ?? 'GET';
    if (shuttingDown) {
      // Also /healthz, so load balancers stop sending us work.
      return sendError(response, 503, 'firewatch is shutting down', 'send it again in a moment: another replica, or this one once restarted, takes it (GitHub deliveries can be redelivered from the app settings)', { 'retry-after': '5' });
    }
    if (await vendorRoute(request, response, pathname, method)) return;
    const alertMatch = /^\/alerts\/([^/]+)\/?$/.exec(pathname);
    if (alertMatch) {
      if (method !== 'POST') return sendError(response, 405, `${method} is not allowed here`, 'alerts are sent with POST', { allow: 'POST' });
      return handleAlert(request, response, safeDecode(alertMatch[1] ?? ''));
    }
    const ackMatch = ACK_PATH.exec(pathname);
    if (ackMatch) {
      if (!pager.services.ackLinks) return sendError(response, 404, 'acknowledge links are off on this firewatch', 'set FIREWATCH_PUBLIC_URL and FIREWATCH_ACK_KEY, or acknowledge with /ack in the issue');
      return acks.handle(request, response, safeDecode(ackMatch[1] ?? ''));
    }
    if (pathname === '/healthz' && (method === 'GET' || method === 'HEAD')) {
      return sendJson(response, 200, { status: 'ok', mode: options.mode, version: VERSION });
    }
    if (pathname === '/metrics' && (method === 'GET' || method === 'HEAD')) {
      const text = await metrics.registry.metrics();
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(text);
      return;
    }
    if (pathname === WEBHOOKS_PATH || pathname === `${WEBHOOKS_PATH}/`) return webhooks.handle(request, response);
    sendError(
      response,
      404,
      `no route for ${method} ${pathname}`,
      `firewatch serves POST ${WEBHOOKS_PATH}, POST /alerts/{source}, POST /alerts/pagerduty/v2/enqueue, /alerts/opsgenie/v2/alerts…, POST|GET /alerts/heartbeats/{name}/ping, GET|POST /ack/{token}, GET /healthz, GET /metrics`,
    );
  }

  // Longer than the idle timeouts of common clients and load balancers (60 s), so a sender never
  // reuses a connection at the moment we close it ("socket hang up" on a POST that was never read).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  if (!isIntakeConfigured(options.intake)) {
    const signedSources = [options.intake.grafanaSecret ? 'grafana' : '', options.intake.sentrySecret ? 'sentry' : ''].filter(Boolean);
    log.warn(
      signedSources.length > 0
        ? `alert intake is open to signed ${signedSources.join(' and ')} requests only: neither FIREWATCH_ALERT_TOKEN nor FIREWATCH_ALERT_SECRET is set`
        : 'alert intake is closed: neither FIREWATCH_ALERT_TOKEN nor FIREWATCH_ALERT_SECRET is set, so every alert is refused with 401',
    );
  }
  const pagerdutyKeys = options.intake.pagerdutyKeys?.length ?? 0;
  const opsgenieKeys = options.intake.opsgenieKeys?.length ?? 0;
  if (pagerdutyKeys || opsgenieKeys) log.info({ pagerdutyKeys, opsgenieKeys }, `vendor APIs open: ${pagerdutyKeys} PagerDuty routing key(s), ${opsgenieKeys} Opsgenie API key(s)`);
  if (!options.defaultRepo) {
    log.warn('FIREWATCH_REPO is not set: alerts cannot be filed until it names the incident repository (owner/repo)');
  }
  if (options.credentials.kind === 'token' && !options.credentials.webhookSecret) {
    log.warn('WEBHOOK_SECRET is not set: webhook deliveries cannot be verified and are all refused');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${urlHost(address.address)}:${address.port}`;
  // The sandbox's pages link to this server; elsewhere the public URL must be said (FIREWATCH_PUBLIC_URL).
  if (!pager.services.ackLinks && options.mode === 'sandbox') pager.services.ackLinks = { baseUrl: url, key: sandboxAckKey(options.host ?? '127.0.0.1', pagingEnv.ackKey) };
  else if (!pager.services.ackLinks) log.info(`paging: pages carry no acknowledge link (${pagingEnv.ackLinksOff ?? 'not configured'}); people acknowledge with /ack`);

  let closing: Promise<void> | undefined;
  return {
    url,
    webhookUrl: `${url}${WEBHOOKS_PATH}`,
    port: address.port,
    metrics,
    probot,
    log,
    alertQueue,
    sweeps,
    pacer: policy.pacer,
    close() {
      closing ??= shutDown();
      return closing;
    },
  };

  /**
   * Graceful shutdown, bounded by `drainMs` in all: stop accepting (new connections, and requests
   * on kept-alive ones get 503), then file the queued alerts and let webhook handlers, the
   * notifications they started and a running sweep finish, until done or out of time; then cut
   * what is left and say exactly what that is. In memory, alerts not filed are lost: they are
   * listed by key. With Redis they stay queued there for another replica or the next start.
   */
  async function shutDown(): Promise<void> {
    const started = Date.now();
    const bound = options.drainMs ?? 10_000;
    // Cutting connections and closing Redis take a moment too: keep them inside the bound.
    const deadline = started + bound - Math.min(500, bound / 10);
    const remaining = () => Math.max(0, deadline - Date.now());
    shuttingDown = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();

    // Paging runs inside each of these (alert filing, command handlers, the sweep), so the bound covers its pages too.
    const [queue, handlersDone, sweepDone] = await Promise.all([
      alertQueue.drain({ timeoutMs: remaining() }),
      // Webhook handlers first: they may start notification deliveries.
      (async () => (await webhooks.idle(remaining())) && (hasBackgroundWork(app) ? await app.idle({ timeoutMs: remaining() }) : true))(),
      within(sweeps.stop(), remaining()),
      // A tap on an acknowledge link being written to the incident.
      acks.idle(remaining()),
    ]);
    const webhooksLeft = webhooks.inFlight();
    const acksLeft = acks.inFlight();
    server.closeAllConnections();
    // Requests still waiting for their turn are not sent: what they were for is reported below.
    policy.pacer.close();
    await alertQueue.close();
    if (redis) await within(redis.quit().catch(() => {}), 300);
    await within(closed, 200);

    const report = shutdownReport({
      ms: Date.now() - started,
      boundMs: bound,
      redis: redis !== undefined,
      queue,
      webhooksInFlight: webhooksLeft,
      acknowledgementsInFlight: acksLeft,
      // Not known while webhook handlers still ran (they start the deliveries): those are reported instead.
      notificationsAbandoned: !handlersDone && webhooksLeft.length === 0,
      sweepInterrupted: !sweepDone,
    });
    log[report.level](report.fields, report.message);
  }
}

/** Whether `promise` settled within `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true as const, () => true as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `0.0.0.0` is where we listen, not where anyone can connect: print loopback instead. */
function urlHost(address: string): string {
  if (address === '0.0.0.0' || address === '::') return '127.0.0.1';
  return address.includes(':') ? `[${address}]` : address;
}
