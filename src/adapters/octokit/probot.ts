import { randomBytes } from 'node:crypto';
import { Probot, type Logger } from 'probot';
import type { Metrics } from '../telemetry/metrics.ts';
import type { GitHubCredentials, LogLevel } from './credentials.ts';
import { createOctokitPolicy, policyProbotOctokit, type OctokitPolicy } from './octokitPolicy.ts';
import { octokitIssueWrites, type IssueWrites } from './octokitIssueWrites.ts';
import { octokitMetrics } from './octokitMetrics.ts';

export interface FirewatchProbotOptions {
  credentials: GitHubCredentials;
  metrics: Metrics;
  logLevel?: LogLevel;
  logFormat?: 'pretty' | 'json';
  /** A ready logger (tests pass a quiet one); otherwise Probot builds its pino logger. */
  log?: Logger;
  /** How every request is paced, refused requests honoured and 5xx retried (`octokitPolicy.ts`); default GitHub's limits. */
  policy?: OctokitPolicy;
  /** Every issue and issue comment the app creates or updates, as GitHub answered (see `octokitIssueWrites`). */
  issueWrites?: IssueWrites;
}

/**
 * The Probot instance for our own server: GitHub App or token auth, the GHES/sandbox base URL, and
 * the Octokit class under the one policy (pacing, refusals, 5xx) with request metrics.
 */
export function createFirewatchProbot(options: FirewatchProbotOptions): Probot {
  const { credentials } = options;
  const policy = options.policy ?? createOctokitPolicy({ metrics: options.metrics });
  const Octokit = policyProbotOctokit(policy, { inner: [octokitMetrics(options.metrics)], outer: options.issueWrites ? [octokitIssueWrites(options.issueWrites)] : [] });
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
