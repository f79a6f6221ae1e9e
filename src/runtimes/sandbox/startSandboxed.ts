import { randomBytes } from 'node:crypto';
import type { Logger } from 'probot';
import { type Fixture, type LimitsInput, Sandbox } from '@firewatch/sandbox';
import { realClock } from '../../adapters/octokit/githubPacer.ts';
import { startServer, type RunningServer } from '../server/startServer.ts';
import type { IntakeAuth } from '../../adapters/intake/verify.ts';
import { SANDBOX_INTEGRATION, SANDBOX_OPSGENIE_KEY, SANDBOX_PAGERDUTY_KEY } from '../../adapters/intake/vendorKeys.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { PagingEnv } from '../server/pagingEnv.ts';
import { EnvError } from '../../domain/errors/errors.ts';
import { isLoopbackHost, SANDBOX_ALERT_TOKEN, SANDBOX_DEFAULT_REPO, sandboxExposureWarning, sandboxHostProblem, type LogLevel, type QueueEnv, type RepoRef } from '../env.ts';

/** The variable acme/shop's configuration reads its notification URL from (`urlEnv`). */
const SANDBOX_INBOX_VARIABLE = 'FIREWATCH_SANDBOX_INBOX_URL';

export interface SandboxedOptions {
  port?: number;
  host?: string;
  sandboxPort?: number;
  intake?: IntakeAuth;
  repo?: RepoRef;
  fixture?: Fixture;
  now?: Date;
  metrics?: Metrics;
  logLevel?: LogLevel;
  logFormat?: 'pretty' | 'json';
  log?: Logger;
  /** Alert queue settings; default from `REDIS_URL` and `FIREWATCH_QUEUE_*`. */
  queue?: QueueEnv;
  /**
   * The rate limits the sandbox enforces (`POST /_sandbox/limits` changes them later): default
   * `{"preset": "off"}`; `npm start` runs `{"preset": "github"}`. The app paces its requests under
   * whatever is in force, with the same policy as against GitHub.
   */
  limits?: LimitsInput;
  /** How long the server's `close()` may take in all (graceful shutdown, see `ServerOptions.drainMs`; default 10 s). */
  drainMs?: number;
  /** Paging channels, contacts and links (default from `FIREWATCH_*` in the environment). */
  paging?: PagingEnv;
}

export interface Sandboxed {
  sandbox: Sandbox;
  server: RunningServer;
  repo: RepoRef;
  intake: IntakeAuth;
  close(): Promise<void>;
}

/**
 * `npm start` without credentials: the embedded GitHub and the app wired to each other, the app
 * authenticating as the sandbox's GitHub App and reading the sandbox's clock.
 */
export async function startSandboxed(options: SandboxedOptions = {}): Promise<Sandboxed> {
  const host = options.host ?? '127.0.0.1';
  const vendorKeys = { ...(options.intake?.pagerdutyKeys ? { pagerdutyKeys: options.intake.pagerdutyKeys } : {}), ...(options.intake?.opsgenieKeys ? { opsgenieKeys: options.intake.opsgenieKeys } : {}) };
  const given: IntakeAuth = options.intake && (options.intake.token || options.intake.secret) ? options.intake : { token: SANDBOX_ALERT_TOKEN, ...vendorKeys };
  // The vendor APIs' sandbox keys (fixed contract, like `sandbox-alerts`), only on loopback.
  const intake: IntakeAuth = isLoopbackHost(host)
    ? {
        ...given,
        pagerdutyKeys: given.pagerdutyKeys ?? [{ name: SANDBOX_INTEGRATION, key: SANDBOX_PAGERDUTY_KEY }],
        opsgenieKeys: given.opsgenieKeys ?? [{ name: SANDBOX_INTEGRATION, key: SANDBOX_OPSGENIE_KEY }],
      }
    : given;
  const exposed = sandboxHostProblem(host, intake.token);
  if (exposed) throw new EnvError([{ variable: 'HOST', message: exposed }]);
  // The server starts after the sandbox, so the clock hook finds it through this variable.
  const clockHook: { sweep?: () => Promise<unknown>; pacer?: { recheck(): void; forgetSpending(): void } } = {};
  const sandbox = await Sandbox.start({
    onClockChange: async () => {
      // The sandbox's windows moved with its clock: so did the pacer's.
      clockHook.pacer?.recheck();
      await clockHook.sweep?.();
    },
    // A new world starts with fresh budgets on the sandbox's side: the pacer's count starts over with them.
    onReset: () => clockHook.pacer?.forgetSpending(),
    port: options.sandboxPort ?? 3001,
    host: '127.0.0.1',
    webhookSecret: randomBytes(24).toString('hex'),
    ...(options.fixture ? { fixture: options.fixture } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const repo = options.repo ?? SANDBOX_DEFAULT_REPO;
  let server: RunningServer;
  try {
    server = await startServer({
      mode: 'sandbox',
      credentials: { kind: 'app', appId: sandbox.appId, privateKey: sandbox.privateKey, webhookSecret: sandbox.webhookSecret, baseUrl: sandbox.apiUrl },
      port: options.port ?? 3000,
      host,
      intake,
      defaultRepo: repo,
      clock: () => sandbox.now(),
      // What the sandbox enforces, on its clock: a moved clock moves the pacer's windows as it moves the sandbox's.
      pace: () => sandbox.rateLimits.inForce,
      paceClock: { now: () => sandbox.now().getTime(), setTimer: realClock.setTimer },
      // The demo configuration's notification target: this sandbox's inbox, whatever its port.
      notificationEnv: { ...process.env, [SANDBOX_INBOX_VARIABLE]: `${sandbox.url}/_sandbox/notifications` },
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
      ...(options.logFormat ? { logFormat: options.logFormat } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.queue ? { queue: options.queue } : {}),
      ...(options.drainMs !== undefined ? { drainMs: options.drainMs } : {}),
      ...(options.paging ? { paging: options.paging } : {}),
    });
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  if (!isLoopbackHost(host)) server.log.warn(sandboxExposureWarning(host, server.port));
  sandbox.setWebhookTarget(server.webhookUrl);
  clockHook.sweep = () => server.sweeps.runNow();
  clockHook.pacer = server.pacer;
  return {
    sandbox,
    server,
    repo,
    intake,
    async close() {
      sandbox.setWebhookTarget(undefined);
      await server.close();
      await sandbox.close();
    },
  };
}
