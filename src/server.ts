import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, type ApplicationFunction, type Logger, type Probot } from 'probot';
import { createApp } from './app.ts';
import { systemClock, type Clock } from './domain/clock.ts';
import { ingestAlert } from './features/ingestAlert.ts';
import { loadConfig } from './features/loadConfig.ts';
import { isIntakeConfigured, type IntakeAuth } from './intake/verify.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { createAlertProcessor } from './runtime/alertProcessor.ts';
import { createAlertRoute } from './runtime/alertRoute.ts';
import type { GitHubCredentials, LogLevel, RepoRef, RuntimeMode } from './runtime/env.ts';
import { installationOctokitFor } from './runtime/installationOctokit.ts';
import { createFirewatchProbot } from './runtime/probot.ts';
import { sendError, sendJson } from './runtime/sendJson.ts';
import { VERSION } from './runtime/version.ts';

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
  /** Pace GitHub requests under its rate limits; default on in GitHub mode, off against the sandbox. */
  throttle?: boolean;
  /** The Probot app function; default `createApp({ clock, metrics })` (which also counts webhooks by event). */
  app?: ApplicationFunction;
}

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  url: string;
  webhookUrl: string;
  port: number;
  metrics: Metrics;
  probot: Probot;
  log: Logger;
  close(): Promise<void>;
}

/**
 * firewatch's HTTP server: Probot's webhook middleware plus our routes (alerts, health, metrics)
 * on one plain `http` server, per ARCHITECTURE "HTTP (server)".
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: true });
  const probot = createFirewatchProbot({
    credentials: options.credentials,
    metrics,
    throttle: options.throttle ?? options.mode === 'github',
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.logFormat ? { logFormat: options.logFormat } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  await probot.ready();
  const log = probot.log.child({ name: 'firewatch' });

  const app = options.app ?? createApp({ clock, metrics });
  const webhooks = await createNodeMiddleware(app, { probot, webhooksPath: WEBHOOKS_PATH });

  const handleAlert = createAlertRoute({
    auth: options.intake,
    metrics,
    clock,
    log: log.child({ name: 'intake' }),
    process: createAlertProcessor({
      octokitFor: installationOctokitFor(probot, options.credentials.kind),
      clock,
      loadConfig,
      ingestAlert,
      ...(options.defaultRepo ? { defaultRepo: options.defaultRepo } : {}),
    }),
  });

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      log.error({ err: error, method: request.method, url: request.url }, 'request failed');
      sendError(response, 500, 'internal error', 'see the firewatch log');
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pathname } = new URL(request.url ?? '/', 'http://firewatch.invalid');
    const method = request.method ?? 'GET';
    const alertMatch = /^\/alerts\/([^/]+)\/?$/.exec(pathname);
    if (alertMatch) {
      if (method !== 'POST') return sendError(response, 405, `${method} is not allowed here`, 'alerts are sent with POST', { allow: 'POST' });
      return handleAlert(request, response, safeDecode(alertMatch[1] ?? ''));
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
    await webhooks(request, response, () => {
      sendError(response, 404, `no route for ${method} ${pathname}`, `firewatch serves POST ${WEBHOOKS_PATH}, POST /alerts/{source}, GET /healthz, GET /metrics`);
    });
  }

  if (!isIntakeConfigured(options.intake)) {
    log.warn('alert intake is closed: neither FIREWATCH_ALERT_TOKEN nor FIREWATCH_ALERT_SECRET is set, so every alert is refused with 401');
  }
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

  let closing: Promise<void> | undefined;
  return {
    url,
    webhookUrl: `${url}${WEBHOOKS_PATH}`,
    port: address.port,
    metrics,
    probot,
    log,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests still in flight get a moment to finish; then keep-alive sockets are cut.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      return closing;
    },
  };
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
