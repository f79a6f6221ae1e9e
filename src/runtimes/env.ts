import { EnvError, type EnvProblem } from '../domain/errors/errors.ts';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseVendorKeys, SANDBOX_INTEGRATION, SANDBOX_OPSGENIE_KEY, SANDBOX_PAGERDUTY_KEY, type VendorKey } from '../adapters/intake/vendorKeys.ts';
import type { RepoRef } from '../domain/repo/repoRef.ts';

export type RuntimeMode = 'sandbox' | 'github';
export { type GitHubCredentials, type LogLevel } from '../adapters/octokit/credentials.ts';
import { LOG_LEVELS, type GitHubCredentials, type LogLevel } from '../adapters/octokit/credentials.ts';

export type { RepoRef } from '../domain/repo/repoRef.ts';

export interface FirewatchEnv {
  mode: RuntimeMode;
  /** Which variable decided the mode, for the start-up log. */
  modeReason: string;
  /** One line each, printed at start-up: settings that were read but do not apply (a stray GITHUB_TOKEN). */
  notices: string[];
  port: number;
  /** 127.0.0.1 in sandbox mode (well-known tokens, open control endpoints); 0.0.0.0 for GitHub. */
  host: string;
  sandboxPort: number;
  /** Present in GitHub mode only. */
  github?: GitHubCredentials;
  alertToken?: string;
  alertSecret?: string;
  /** Grafana contact point's HMAC secret (`X-Grafana-Alerting-Signature`). */
  grafanaSecret?: string;
  /** Sentry internal integration's client secret (`Sentry-Hook-Signature`). */
  sentrySecret?: string;
  repo?: RepoRef;
  logLevel: LogLevel;
  /** `pretty` for people, `json` (one object per line) for log collectors. */
  logFormat: 'pretty' | 'json';
  /** PagerDuty routing keys (`FIREWATCH_PAGERDUTY_KEYS[_FILE]`; `sandbox-pagerduty` in sandbox mode on loopback). */
  pagerdutyKeys: VendorKey[];
  /** Opsgenie API keys (`FIREWATCH_OPSGENIE_KEYS[_FILE]`; `sandbox-opsgenie` in sandbox mode on loopback). */
  opsgenieKeys: VendorKey[];
}


/** Blank values count as unset: `.env` files often carry `APP_ID=`. */
const optionalText = z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), z.string().optional());
const port = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.coerce.number({ error: 'must be a port number' }).int('must be a whole number').min(0, 'must be 0–65535').max(65_535, 'must be 0–65535').optional(),
);

const rawEnvSchema = z.object({
  PORT: port,
  HOST: optionalText,
  SANDBOX_PORT: port,
  APP_ID: optionalText.pipe(z.string().regex(/^\d+$/, 'must be the numeric App ID from the app settings page').optional()),
  PRIVATE_KEY: optionalText,
  PRIVATE_KEY_PATH: optionalText,
  WEBHOOK_SECRET: optionalText,
  GHE_HOST: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?$/i, 'must be a host name only, like github.example.com (set GHE_PROTOCOL=http for plain HTTP)')
      .optional(),
  ),
  GHE_PROTOCOL: optionalText.pipe(z.enum(['http', 'https'], { error: 'must be http or https' }).optional()),
  GITHUB_TOKEN: optionalText,
  FIREWATCH_MODE: optionalText.pipe(z.enum(['sandbox', 'github'], { error: 'must be sandbox or github' }).optional()),
  FIREWATCH_ALERT_TOKEN: optionalText,
  FIREWATCH_ALERT_SECRET: optionalText,
  FIREWATCH_GRAFANA_SECRET: optionalText,
  FIREWATCH_SENTRY_SECRET: optionalText,
  FIREWATCH_REPO: optionalText.pipe(z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/repo, like acme/shop').optional()),
  LOG_FORMAT: optionalText.pipe(z.enum(['pretty', 'json'], { error: 'must be pretty or json' }).optional()),
  LOG_LEVEL: optionalText.pipe(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional()),
  FIREWATCH_PAGERDUTY_KEYS: optionalText,
  FIREWATCH_PAGERDUTY_KEYS_FILE: optionalText,
  FIREWATCH_OPSGENIE_KEYS: optionalText,
  FIREWATCH_OPSGENIE_KEYS_FILE: optionalText,
});

type RawEnv = z.output<typeof rawEnvSchema>;

export const SANDBOX_ALERT_TOKEN = 'sandbox-alerts';
/** Where alerts go in sandbox mode unless FIREWATCH_REPO says otherwise (ARCHITECTURE "Sandbox GitHub"). */
export const SANDBOX_DEFAULT_REPO: RepoRef = { owner: 'acme', repo: 'shop' };
const DEFAULT_PORT = 3000;
const DEFAULT_SANDBOX_PORT = 3001;

/** Only this machine can connect to a server listening there. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

/**
 * Why the sandbox app may not listen on `host`, if it may not. Its alert token is well known
 * (`sandbox-alerts`), so beyond loopback anyone who can reach the port could file alerts: that
 * takes an alert token of one's own. The sandbox GitHub itself (its user tokens, its `/_sandbox/`
 * control endpoints) always stays on 127.0.0.1, whatever HOST says.
 */
export function sandboxHostProblem(host: string, alertToken: string | undefined): string | undefined {
  if (isLoopbackHost(host) || (alertToken !== undefined && alertToken !== SANDBOX_ALERT_TOKEN)) return undefined;
  return `${host} would let anyone who can reach this machine send alerts to the sandbox app with its well-known token "${SANDBOX_ALERT_TOKEN}". Leave HOST unset (127.0.0.1), or set FIREWATCH_ALERT_TOKEN to a secret of your own to serve the sandbox app beyond this machine`;
}

/** Printed at start-up when the sandbox app listens beyond loopback (with an alert token of its own). */
export function sandboxExposureWarning(host: string, port: number | string): string {
  return `WARNING: the sandbox app listens on ${host}:${port}, reachable from other machines: it files alerts sent with FIREWATCH_ALERT_TOKEN into a demo GitHub that anyone on this machine can change. The sandbox GitHub and its control endpoints stay on 127.0.0.1.`;
}

export interface ParseEnvOptions {
  /** Ignore GitHub credentials and run against the sandbox (`firewatch serve --sandbox`). */
  forceSandbox?: boolean;
  /** Serve GitHub, with the App or the token in the environment (`firewatch serve --github`). */
  forceGitHub?: boolean;
  readFile?: (path: string) => string;
}

const APP_VARIABLES = ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH'] as const;

/** Reads the environment once, at start-up. Throws `EnvError` listing every bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv = process.env, options: ParseEnvOptions = {}): FirewatchEnv {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  // Variable by variable, so one bad value does not hide the problems of the others.
  const problems: EnvProblem[] = [];
  const raw: Partial<RawEnv> = {};
  for (const [variable, schema] of Object.entries(rawEnvSchema.shape)) {
    const parsed = schema.safeParse(env[variable]);
    if (parsed.success) Object.assign(raw, { [variable]: parsed.data });
    else problems.push(...parsed.error.issues.map((issue) => ({ variable, message: issue.message })));
  }

  const present = (name: string) => (env[name]?.trim() ?? '') !== '';
  const notices: string[] = [];
  // GitHub App variables mean GitHub. A GITHUB_TOKEN alone does not: shells often carry one (gh, CI)
  // for other tools, and a server serving GitHub by accident would refuse every alert and webhook.
  const appVariable = APP_VARIABLES.find(present);
  let mode: RuntimeMode;
  let modeReason: string;
  if (options.forceSandbox && options.forceGitHub) {
    problems.push({ variable: '--github', message: 'cannot be combined with --sandbox' });
    mode = 'sandbox';
    modeReason = '';
  } else if (options.forceSandbox) {
    [mode, modeReason] = ['sandbox', '--sandbox was given'];
  } else if (options.forceGitHub) {
    [mode, modeReason] = ['github', '--github was given'];
  } else if (raw.FIREWATCH_MODE) {
    [mode, modeReason] = [raw.FIREWATCH_MODE, `FIREWATCH_MODE=${raw.FIREWATCH_MODE}`];
  } else if (appVariable) {
    [mode, modeReason] = ['github', `${appVariable} is set`];
  } else {
    [mode, modeReason] = ['sandbox', 'no GitHub App credentials (APP_ID, PRIVATE_KEY) are set'];
    if (present('GITHUB_TOKEN')) {
      notices.push('notice: GITHUB_TOKEN is set but ignored: firewatch serves the sandbox. To serve GitHub with that token, set FIREWATCH_MODE=github (or run `firewatch serve --github`).');
    }
  }

  const portValue = raw.PORT ?? DEFAULT_PORT;
  const sandboxPort = raw.SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT;
  if (mode === 'sandbox' && portValue !== 0 && portValue === sandboxPort) {
    problems.push({ variable: 'SANDBOX_PORT', message: `must differ from PORT (both are ${portValue})` });
  }

  let github: GitHubCredentials | undefined;
  if (mode === 'github') {
    const baseUrl = raw.GHE_HOST ? `${raw.GHE_PROTOCOL ?? 'https'}://${raw.GHE_HOST}/api/v3` : undefined;
    const wantsApp = appVariable !== undefined;
    if (!wantsApp && !present('GITHUB_TOKEN')) {
      problems.push({
        variable: modeReason.startsWith('--') ? '--github' : 'FIREWATCH_MODE',
        message: 'GitHub mode needs credentials: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH) and WEBHOOK_SECRET for a GitHub App, or GITHUB_TOKEN (token mode)',
      });
    } else if (wantsApp && present('GITHUB_TOKEN')) {
      problems.push({ variable: 'GITHUB_TOKEN', message: 'set either GITHUB_TOKEN (token mode) or APP_ID and PRIVATE_KEY (GitHub App), not both' });
    } else if (wantsApp) {
      const privateKey = readPrivateKey(raw.PRIVATE_KEY, raw.PRIVATE_KEY_PATH, readFile, problems);
      if (!present('APP_ID')) problems.push({ variable: 'APP_ID', message: 'is required with PRIVATE_KEY (the App ID from the app settings page)' });
      if (!present('WEBHOOK_SECRET')) {
        problems.push({ variable: 'WEBHOOK_SECRET', message: "is required for a GitHub App (the app's webhook secret); without it no webhook could be verified" });
      }
      if (raw.APP_ID !== undefined && privateKey !== undefined && raw.WEBHOOK_SECRET !== undefined) {
        github = { kind: 'app', appId: Number(raw.APP_ID), privateKey, webhookSecret: raw.WEBHOOK_SECRET, ...(baseUrl ? { baseUrl } : {}) };
      }
    } else if (raw.GITHUB_TOKEN !== undefined) {
      // A token cannot tell GitHub where to send webhooks, so they are verified with WEBHOOK_SECRET
      // or refused; alerts need a token or secret of their own and a repository to file into.
      const takesAlerts = [raw.FIREWATCH_ALERT_TOKEN, raw.FIREWATCH_ALERT_SECRET, raw.FIREWATCH_GRAFANA_SECRET, raw.FIREWATCH_SENTRY_SECRET].some((value) => value !== undefined) && raw.FIREWATCH_REPO !== undefined;
      if (raw.WEBHOOK_SECRET === undefined && !takesAlerts) {
        problems.push({
          variable: 'GITHUB_TOKEN',
          message: 'token mode would refuse every webhook and every alert: set WEBHOOK_SECRET (to verify webhooks) and/or FIREWATCH_ALERT_TOKEN with FIREWATCH_REPO (to file alerts), or drop FIREWATCH_MODE/--github to run the sandbox',
        });
      }
      github = {
        kind: 'token',
        token: raw.GITHUB_TOKEN,
        ...(raw.WEBHOOK_SECRET ? { webhookSecret: raw.WEBHOOK_SECRET } : {}),
        ...(baseUrl ? { baseUrl } : {}),
      };
    }
  }

  const [owner, repo] = raw.FIREWATCH_REPO?.split('/') ?? [];
  const alertToken = raw.FIREWATCH_ALERT_TOKEN ?? (mode === 'sandbox' ? SANDBOX_ALERT_TOKEN : undefined);
  const host = raw.HOST ?? (mode === 'sandbox' ? '127.0.0.1' : '0.0.0.0');
  const exposed = mode === 'sandbox' ? sandboxHostProblem(host, alertToken) : undefined;
  if (exposed) problems.push({ variable: 'HOST', message: exposed });
  // The sandbox's well-known vendor keys only where nobody else can reach the app.
  const sandboxKeys = mode === 'sandbox' && isLoopbackHost(host);
  const pagerdutyKeys = [
    ...readVendorKeys('FIREWATCH_PAGERDUTY_KEYS', raw.FIREWATCH_PAGERDUTY_KEYS, raw.FIREWATCH_PAGERDUTY_KEYS_FILE, readFile, problems),
    ...(sandboxKeys ? [{ name: SANDBOX_INTEGRATION, key: SANDBOX_PAGERDUTY_KEY }] : []),
  ];
  const opsgenieKeys = [
    ...readVendorKeys('FIREWATCH_OPSGENIE_KEYS', raw.FIREWATCH_OPSGENIE_KEYS, raw.FIREWATCH_OPSGENIE_KEYS_FILE, readFile, problems),
    ...(sandboxKeys ? [{ name: SANDBOX_INTEGRATION, key: SANDBOX_OPSGENIE_KEY }] : []),
  ];
  if (problems.length > 0) throw new EnvError(problems);
  return {
    mode,
    modeReason,
    notices,
    port: portValue,
    host,
    sandboxPort,
    ...(github ? { github } : {}),
    ...(alertToken ? { alertToken } : {}),
    ...(raw.FIREWATCH_ALERT_SECRET ? { alertSecret: raw.FIREWATCH_ALERT_SECRET } : {}),
    ...(raw.FIREWATCH_GRAFANA_SECRET ? { grafanaSecret: raw.FIREWATCH_GRAFANA_SECRET } : {}),
    ...(raw.FIREWATCH_SENTRY_SECRET ? { sentrySecret: raw.FIREWATCH_SENTRY_SECRET } : {}),
    ...(owner && repo ? { repo: { owner, repo } } : {}),
    logLevel: raw.LOG_LEVEL ?? 'info',
    logFormat: raw.LOG_FORMAT ?? 'pretty',
    pagerdutyKeys,
    opsgenieKeys,
  };
}

/**
 * Vendor keys from `VARIABLE` (the list itself) or `VARIABLE_FILE` (a file holding it, e.g. a
 * mounted secret). Problems name the variable and the entry, never a key.
 */
function readVendorKeys(variable: string, inline: string | undefined, path: string | undefined, readFile: (path: string) => string, problems: EnvProblem[]): VendorKey[] {
  if (inline !== undefined && path !== undefined) {
    problems.push({ variable: `${variable}_FILE`, message: `set either ${variable} or ${variable}_FILE, not both` });
    return [];
  }
  let text = inline;
  const source = path !== undefined ? `${variable}_FILE` : variable;
  if (path !== undefined) {
    try {
      text = readFile(path);
    } catch (error) {
      const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
      problems.push({ variable: source, message: `cannot read ${path}: ${reason}` });
      return [];
    }
  }
  if (text === undefined) return [];
  const parsed = parseVendorKeys(text);
  if (parsed.ok) return parsed.keys;
  problems.push(...parsed.problems.map((message) => ({ variable: source, message })));
  return [];
}

/**
 * Accepts the forms people paste: a PEM, a PEM with literal `\n` (from `.env` files), or the PEM in
 * base64 (from secret stores that dislike newlines).
 */
function readPrivateKey(
  inline: string | undefined,
  path: string | undefined,
  readFile: (path: string) => string,
  problems: EnvProblem[],
): string | undefined {
  let text: string;
  let variable: string;
  if (inline !== undefined) {
    text = inline;
    variable = 'PRIVATE_KEY';
  } else if (path !== undefined) {
    variable = 'PRIVATE_KEY_PATH';
    try {
      text = readFile(path);
    } catch (error) {
      const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error);
      problems.push({ variable, message: `cannot read ${path}: ${reason}` });
      return undefined;
    }
  } else {
    problems.push({ variable: 'PRIVATE_KEY', message: 'is required with APP_ID (or set PRIVATE_KEY_PATH to the .pem file)' });
    return undefined;
  }
  let pem = text.replace(/\\n/g, '\n').trim();
  if (!pem.startsWith('-----BEGIN')) {
    const decoded = Buffer.from(pem, 'base64').toString('utf8').trim();
    if (decoded.startsWith('-----BEGIN')) pem = decoded;
  }
  if (!/^-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]+-----END [A-Z ]*PRIVATE KEY-----$/.test(pem)) {
    problems.push({ variable, message: 'is not a PEM private key (expected "-----BEGIN RSA PRIVATE KEY-----" … "-----END RSA PRIVATE KEY-----")' });
    return undefined;
  }
  return `${pem}\n`;
}

export function formatEnvProblems(error: EnvError): string {
  return ['firewatch cannot start: the environment has problems', ...error.problems.map((p) => `  ${p.variable}: ${p.message}`)].join('\n');
}

/** Alert queue settings from the environment (`REDIS_URL` and `FIREWATCH_QUEUE_*`). */
export interface QueueEnv {
  /** `redis://host:6379/0`: the queue, the incident index and the lock are shared through Redis. */
  redisUrl?: string;
  /** Key prefix in Redis (several deployments can share one). Default `firewatch:`. */
  redisPrefix?: string;
  limit?: number;
  /** Batches filed at once; 0: this replica accepts alerts into Redis and files none (intake only). */
  concurrency?: number;
  coalesceMs?: number;
}

const boundedInt = (min: number, max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).optional(),
  );
const positiveInt = (max: number) => boundedInt(1, max);

const queueEnvSchema = z.object({
  REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\/\S+$/, 'must be a redis:// or rediss:// URL').optional()),
  FIREWATCH_REDIS_PREFIX: optionalText.pipe(z.string().regex(/^[\w:.-]{1,64}$/, 'must be letters, digits and : . _ - (at most 64)').optional()),
  FIREWATCH_QUEUE_LIMIT: positiveInt(1_000_000),
  FIREWATCH_QUEUE_CONCURRENCY: boundedInt(0, 64),
  FIREWATCH_QUEUE_COALESCE_MS: positiveInt(600_000),
});

/**
 * Every variable `firewatch serve` reads, in the order `serve --help` lists them (the README's
 * table is checked against this list): the server's, the queue's, the state seal's and the
 * templates' directory.
 */
export const SERVER_ENV_VARIABLES: readonly string[] = [
  ...Object.keys(rawEnvSchema.shape),
  ...Object.keys(queueEnvSchema.shape),
  'FIREWATCH_STATE_KEY',
  'FIREWATCH_STATE_UNSEALED',
  'FIREWATCH_TEMPLATES_DIR',
];

/** Throws `EnvError` listing the bad queue variables. */
export function parseQueueEnv(env: NodeJS.ProcessEnv = process.env): QueueEnv {
  const parsed = queueEnvSchema.safeParse(env);
  if (!parsed.success) throw new EnvError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? ''), message: issue.message })));
  const raw = parsed.data;
  // An in-memory queue nobody files from would hold every alert until the process ends.
  if (raw.FIREWATCH_QUEUE_CONCURRENCY === 0 && !raw.REDIS_URL) {
    throw new EnvError([{ variable: 'FIREWATCH_QUEUE_CONCURRENCY', message: '0 (intake only: accept alerts, file none) needs REDIS_URL, where other replicas file them' }]);
  }
  return {
    ...(raw.REDIS_URL ? { redisUrl: raw.REDIS_URL } : {}),
    ...(raw.FIREWATCH_REDIS_PREFIX ? { redisPrefix: raw.FIREWATCH_REDIS_PREFIX } : {}),
    ...(raw.FIREWATCH_QUEUE_LIMIT ? { limit: raw.FIREWATCH_QUEUE_LIMIT } : {}),
    ...(raw.FIREWATCH_QUEUE_CONCURRENCY !== undefined ? { concurrency: raw.FIREWATCH_QUEUE_CONCURRENCY } : {}),
    ...(raw.FIREWATCH_QUEUE_COALESCE_MS ? { coalesceMs: raw.FIREWATCH_QUEUE_COALESCE_MS } : {}),
  };
}
