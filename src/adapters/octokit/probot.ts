import { randomBytes } from 'node:crypto';
import { Probot, ProbotOctokit, type Logger } from 'probot';
import type { Metrics } from '../telemetry/metrics.ts';
import type { GitHubCredentials, LogLevel } from './credentials.ts';
import { githubPacer, type Pacer } from './githubPacer.ts';
import { octokitIssueWrites, type IssueWrites } from './octokitIssueWrites.ts';
import { octokitMetrics } from './octokitMetrics.ts';

export interface FirewatchProbotOptions {
  credentials: GitHubCredentials;
  metrics: Metrics;
  logLevel?: LogLevel;
  logFormat?: 'pretty' | 'json';
  /** A ready logger (tests pass a quiet one); otherwise Probot builds its pino logger. */
  log?: Logger;
  /**
   * Pace requests under GitHub's rate limits (Probot's default: content-creating requests one per
   * second, searches one per two). Off against the sandbox, which has no such limits: there it
   * would only make a newcomer wait ~15 s for the first incident while its labels are created.
   */
  throttle?: boolean;
  /**
   * Paces content-creating requests (80 per minute by default) for every Octokit this Probot makes.
   * Rate-limit refusals (403/429 with retry-after) are retried either way.
   */
  pacer?: Pacer;
  /**
   * Retry 5xx answers with backoff (Probot's default). Off against the sandbox, which never has
   * transient failures: there the retry plugin's per-request scheduler (a Bottleneck per request)
   * only adds latency, about three times what a loopback request takes.
   */
  retry?: boolean;
  /** Every issue and issue comment the app creates or updates, as GitHub answered (see `octokitIssueWrites`). */
  issueWrites?: IssueWrites;
}

/**
 * The Probot instance for our own server: GitHub App or token auth, the GHES/sandbox base URL, and
 * the Octokit class extended with request metrics.
 */
export function createFirewatchProbot(options: FirewatchProbotOptions): Probot {
  const { credentials } = options;
  const plugins = [octokitMetrics(options.metrics), githubPacer(options.pacer ? { pacer: options.pacer } : {}), ...(options.issueWrites ? [octokitIssueWrites(options.issueWrites)] : [])];
  const WithMetrics = ProbotOctokit.plugin(...plugins);
  // A function, not an object: Probot passes its own throttle options on every construction, and
  // those would replace an object default wholesale.
  const Octokit =
    options.throttle === false || options.retry === false
      ? WithMetrics.defaults((instance: Record<string, unknown>) => ({
          ...instance,
          ...(options.throttle === false ? { throttle: { ...asObject(instance['throttle']), enabled: false } } : {}),
          ...(options.retry === false ? { retry: { ...asObject(instance['retry']), enabled: false } } : {}),
        }))
      : WithMetrics;
  const common = {
    Octokit,
    logLevel: options.logLevel ?? 'info',
    logFormat: options.logFormat ?? 'pretty',
    ...(options.log ? { log: options.log } : {}),
    ...(credentials.baseUrl ? { baseUrl: credentials.baseUrl } : {}),
  } as const;
  if (credentials.kind === 'app') {
    return new Probot({ ...common, appId: credentials.appId, privateKey: credentials.privateKey, secret: credentials.webhookSecret });
  }
  // Without a webhook secret, Probot would fall back to the well-known "development" secret;
  // a random one instead means no delivery can be forged (and none verifies: webhooks are off).
  return new Probot({ ...common, githubToken: credentials.token, secret: credentials.webhookSecret ?? randomBytes(32).toString('hex') });
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
