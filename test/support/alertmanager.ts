/**
 * The real Prometheus Alertmanager (Debian's `prometheus-alertmanager`) on loopback, with one webhook
 * receiver pointing wherever a test says. Used to capture the fixtures in
 * test/fixtures/alerts/alertmanager/ and by tests that need genuine notifications.
 *
 *   const am = await startAlertmanager({ webhookUrl: `${firewatch.appUrl}/alerts/alertmanager`, bearerToken: 'sandbox-alerts' });
 *   await am.postAlerts([{ labels: { alertname: 'HighErrorRate', service: 'checkout' } }]);
 *   await am.resolveAlerts([{ labels: { alertname: 'HighErrorRate', service: 'checkout' } }]);
 *   await am.stop();
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './processes.ts';

const DEFAULT_ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';

export class AlertmanagerNotInstalledError extends Error {
  constructor(binary: string) {
    super(
      `Prometheus Alertmanager is not installed (no executable at ${binary}). ` +
        'Install it with `sudo apt-get install -y prometheus-alertmanager` (CI installs it in .ci/run), ' +
        'or point ALERTMANAGER_BIN at an alertmanager binary.',
    );
    this.name = 'AlertmanagerNotInstalledError';
  }
}

export interface AlertmanagerOptions {
  /** Where the webhook receiver sends notifications; without it the receiver has only `configs`. */
  webhookUrl?: string;
  /**
   * More integrations of the one receiver, as Alertmanager's config spells them, e.g.
   * `{ pagerduty_configs: [{ routing_key, url }], opsgenie_configs: [{ api_key, api_url }] }`.
   */
  configs?: Record<string, Record<string, unknown>[]>;
  /** Sent as `Authorization: Bearer <token>` through the receiver's `http_config`. */
  bearerToken?: string;
  /** Route `group_by`; default `['alertname']`, so alerts of one rule form one group. */
  groupBy?: string[];
  /** Default `1s`: notifications arrive quickly in tests. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Receiver `max_alerts` (0 = all): above it, the payload counts the rest in `truncatedAlerts`. */
  maxAlerts?: number;
  /** Default: `ALERTMANAGER_BIN`, else /usr/bin/prometheus-alertmanager. */
  binary?: string;
  startTimeoutMs?: number;
}

/** The body of `POST /api/v2/alerts` (one element), as Prometheus sends it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface RunningAlertmanager {
  /** `http://127.0.0.1:<port>`, also the `--web.external-url` (so it is the payloads' `externalURL`). */
  url: string;
  /** The exact config file Alertmanager was started with. */
  config: AlertmanagerConfig;
  postAlerts: (alerts: PostableAlert[]) => Promise<void>;
  /** Re-posts the alerts with `endsAt` in the past: Alertmanager then sends the resolved notification. */
  resolveAlerts: (alerts: PostableAlert[], endedAt?: Date) => Promise<void>;
  /** Everything the process printed so far. */
  output: () => string;
  stop: () => Promise<void>;
}

interface AlertmanagerConfig {
  route: { receiver: string; group_by: string[]; group_wait: string; group_interval: string; repeat_interval: string };
  receivers: ({
    name: string;
    webhook_configs?: {
      url: string;
      send_resolved: true;
      max_alerts: number;
      http_config?: { authorization: { type: 'Bearer'; credentials: string } };
    }[];
  } & Record<string, unknown>)[];
}

function alertmanagerConfig(options: AlertmanagerOptions): AlertmanagerConfig {
  return {
    route: {
      receiver: 'firewatch',
      group_by: options.groupBy ?? ['alertname'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '1h',
    },
    receivers: [
      {
        name: 'firewatch',
        ...(options.webhookUrl
          ? {
              webhook_configs: [
                {
                  url: options.webhookUrl,
                  send_resolved: true as const,
                  max_alerts: options.maxAlerts ?? 0,
                  ...(options.bearerToken ? { http_config: { authorization: { type: 'Bearer' as const, credentials: options.bearerToken } } } : {}),
                },
              ],
            }
          : {}),
        ...options.configs,
      },
    ],
  };
}

export async function startAlertmanager(options: AlertmanagerOptions): Promise<RunningAlertmanager> {
  const binary = options.binary ?? process.env['ALERTMANAGER_BIN'] ?? DEFAULT_ALERTMANAGER_BINARY;
  try {
    await access(binary, constants.X_OK);
  } catch {
    throw new AlertmanagerNotInstalledError(binary);
  }

  const dir = await mkdtemp(join(tmpdir(), 'firewatch-alertmanager-'));
  const config = alertmanagerConfig(options);
  // JSON is YAML, so the config needs no YAML writer.
  const configFile = join(dir, 'alertmanager.yml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;

  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Empty: no gossip cluster, so nothing listens beyond the one loopback port.
      '--cluster.listen-address=',
      `--web.external-url=${url}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(url, child, () => output, options.startTimeoutMs ?? 15_000);
  } catch (error) {
    await stop();
    throw error;
  }

  const postAlerts = async (alerts: PostableAlert[]): Promise<void> => {
    const response = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    if (!response.ok) throw new Error(`Alertmanager refused the alerts: ${response.status} ${await response.text()}`);
  };

  return {
    url,
    config,
    postAlerts,
    resolveAlerts: (alerts, endedAt = new Date(Date.now() - 1000)) => postAlerts(alerts.map((alert) => ({ ...alert, endsAt: endedAt.toISOString() }))),
    output: () => output,
    stop,
  };
}

async function waitUntilReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Alertmanager exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`Alertmanager was not ready at ${url} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
