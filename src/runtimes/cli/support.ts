/** What the CLI's subcommand modules share: parsed flags, the output streams, where GitHub is, and how a failure is told. */
import type { Octokit } from '@octokit/rest';
import { createOctokitPolicy, policyRestOctokit } from '../../adapters/octokit/octokitPolicy.ts';

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Exit code for a command line (flags, arguments, environment) that cannot be run as given. */
export const USAGE_ERROR = 2;
/** Exit code for a command that could not do its work: GitHub unreachable or refusing, a file not writable. */
export const FAILED = 1;

export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export { parseRepo } from '../../domain/repo/repoRef.ts';

/** Where a subcommand reads and writes GitHub, and which setting chose it (the hint of an error names it). */
export interface Connection {
  baseUrl: string;
  token: string;
  via: '--api-url' | 'FIREWATCH_API_URL' | 'GHE_HOST' | 'GITHUB_TOKEN' | 'sandbox';
  tokenVia: '--token' | 'GITHUB_TOKEN' | 'sandbox';
  /** Where the local sandbox would be (SANDBOX_PORT), for hints. */
  sandboxUrl: string;
}

/** Flags, then FIREWATCH_API_URL, GHE_HOST or GITHUB_TOKEN (GitHub, `GITHUB_API_URL` or api.github.com), else the local sandbox as alice. */
export function connection(values: Values, env: NodeJS.ProcessEnv): Connection {
  const ghe = env['GHE_HOST'] ? `${env['GHE_PROTOCOL'] ?? 'https'}://${env['GHE_HOST']}/api/v3` : undefined;
  const flagUrl = text(values, 'api-url');
  const flagToken = text(values, 'token');
  const envToken = env['GITHUB_TOKEN'] || undefined;
  const [baseUrl, via]: [string, Connection['via']] = flagUrl
    ? [flagUrl, '--api-url']
    : env['FIREWATCH_API_URL']
      ? [env['FIREWATCH_API_URL'], 'FIREWATCH_API_URL']
      : ghe
        ? [ghe, 'GHE_HOST']
        : envToken
          ? [env['GITHUB_API_URL'] || 'https://api.github.com', 'GITHUB_TOKEN']
          : [sandboxApiUrl(env), 'sandbox'];
  const [token, tokenVia]: [string, Connection['tokenVia']] = flagToken ? [flagToken, '--token'] : envToken ? [envToken, 'GITHUB_TOKEN'] : ['sandbox-alice', 'sandbox'];
  return { baseUrl, token, via, tokenVia, sandboxUrl: sandboxApiUrl(env) };
}

function sandboxApiUrl(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${env['SANDBOX_PORT'] || '3001'}/api/v3`;
}

/**
 * A quiet Octokit for a subcommand, under the server's policy (paced under GitHub's limits,
 * refusals honoured, 5xx retried), with no log lines of its own (failures are told by
 * `describeFailure`). A person is waiting: a refusal asking for more than a minute, and a GitHub that
 * cannot be reached, are told at once, not waited out.
 */
export function cliOctokit(connection: Connection): Octokit {
  const CliOctokit = policyRestOctokit(createOctokitPolicy({ maxWaitMs: 60_000, retryUnanswered: false }));
  return new CliOctokit({ baseUrl: connection.baseUrl, auth: connection.token, log: { debug() {}, info() {}, warn() {}, error() {} } });
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
  UND_ERR_SOCKET: 'connection lost',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
};

const FILE_CODES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EEXIST: 'it already exists',
};

interface ErrorFacts {
  status?: number;
  message: string;
  code?: string;
  url?: string;
  path?: string;
  headers?: Record<string, string | number | undefined>;
  /** Whether an HTTP answer came back (Octokit reports a failed connection as a 500 without one). */
  answered: boolean;
}

/** The error and its causes, flattened: Octokit wraps fetch's TypeError, which wraps the socket error with the code. */
function factsOf(error: unknown): ErrorFacts | undefined {
  if (!(error instanceof Error)) return undefined;
  const facts: ErrorFacts = { message: error.message, answered: false };
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const layer = current as { status?: unknown; code?: unknown; path?: unknown; request?: { url?: unknown }; response?: { headers?: unknown }; cause?: unknown };
    if (facts.status === undefined && typeof layer.status === 'number') facts.status = layer.status;
    if (facts.code === undefined && typeof layer.code === 'string') facts.code = layer.code;
    if (facts.path === undefined && typeof layer.path === 'string') facts.path = layer.path;
    if (facts.url === undefined && typeof layer.request?.url === 'string') facts.url = layer.request.url;
    if (typeof layer.response === 'object' && layer.response !== null) facts.answered = true;
    if (facts.headers === undefined && typeof layer.response?.headers === 'object' && layer.response.headers !== null) facts.headers = layer.response.headers as ErrorFacts['headers'];
    current = layer.cause;
  }
  return facts;
}

/** `acme/shop#12` or `acme/shop` from a request URL, for saying what was not found. */
function subjectOf(url: string | undefined): string | undefined {
  const match = url ? /\/repos\/([^/?#]+)\/([^/?#]+)(?:\/(?:issues|pulls)\/(\d+))?/.exec(url) : null;
  if (!match) return undefined;
  return `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}${match[3] ? `#${match[3]}` : ''}`;
}

function whereFrom(connection: Connection): string {
  switch (connection.via) {
    case 'sandbox':
      return 'start the sandbox first (`npm start`, or `firewatch sandbox`; SANDBOX_PORT if it is not on 3001), or point at GitHub with GITHUB_TOKEN, GHE_HOST or --api-url';
    case 'GITHUB_TOKEN':
      return `GITHUB_TOKEN is set, so firewatch went to GitHub: check your network (GITHUB_API_URL or GHE_HOST for GitHub Enterprise), or pass --api-url ${connection.sandboxUrl} for the sandbox`;
    default:
      return `check ${connection.via}`;
  }
}

function tokenHint(connection: Connection): string {
  if (connection.tokenVia === 'sandbox') return 'the sandbox knows sandbox-alice, sandbox-bob, sandbox-carol and sandbox-eve (pass one with --token)';
  return `check ${connection.tokenVia}${connection.tokenVia === 'GITHUB_TOKEN' ? ' (or pass --token)' : ''}`;
}

/**
 * One line saying what went wrong and what to do, for the failures a person running the CLI meets
 * (GitHub unreachable, a token refused, a repository or issue not found, a rate limit, a file that
 * cannot be written); undefined for anything else, which is a bug and keeps its stack trace.
 */
export function describeFailure(error: unknown, connection: Connection): string | undefined {
  const facts = factsOf(error);
  if (!facts) return undefined;
  const at = connection.baseUrl;
  const network = facts.code !== undefined ? NETWORK_CODES[facts.code] : undefined;
  if (network || (facts.status === 500 && facts.url !== undefined && !facts.answered)) {
    return `cannot reach GitHub at ${connection.baseUrl} (${network ?? facts.message}): ${whereFrom(connection)}`;
  }
  if (facts.status !== undefined && facts.status >= 400 && facts.url !== undefined) {
    const reason = facts.message.split(' - ')[0]?.trim() || 'no message';
    const subject = subjectOf(facts.url);
    switch (facts.status) {
      case 401:
        return `${at} refused the token (401 ${reason}): ${tokenHint(connection)}`;
      case 403:
      case 429: {
        const remaining = facts.headers?.['x-ratelimit-remaining'];
        const reset = Number(facts.headers?.['x-ratelimit-reset']);
        if (String(remaining) === '0' || /rate limit/i.test(reason)) {
          const when = Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString().slice(11, 16)} UTC` : ' in a minute';
          return `${at} is rate limiting this token (${facts.status} ${reason}): try again${when}`;
        }
        return `${at} refused (${facts.status} ${reason})${subject ? ` for ${subject}` : ''}: the token lacks a permission this needs; ${tokenHint(connection)}`;
      }
      case 404: {
        if (!subject) return `${at} has no such API (404 ${reason}): ${whereFrom(connection)}`;
        const what = subject.includes('#') ? `${subject} was not found at ${at} (or the token cannot see it): check --issue and --repo` : `${subject} was not found at ${at} (or the token cannot see it): check --repo (or FIREWATCH_REPO)`;
        return connection.via === 'GITHUB_TOKEN' ? `${what}; GITHUB_TOKEN is set, so firewatch read ${connection.baseUrl}: pass --api-url ${connection.sandboxUrl} for the sandbox` : what;
      }
      default:
        return facts.status >= 500 ? `${at} failed (${facts.status} ${reason}): try again later` : `${at} refused the request (${facts.status} ${reason})`;
    }
  }
  const fileProblem = facts.code !== undefined ? FILE_CODES[facts.code] : undefined;
  if (fileProblem && facts.path !== undefined) return `cannot use ${facts.path}: ${fileProblem}`;
  return undefined;
}

/** The login of firewatch's GitHub App bot, whose comments are firewatch's state (`FIREWATCH_BOT_LOGIN`, default `firewatch[bot]`). */
export function botLogin(env: NodeJS.ProcessEnv): string {
  return env['FIREWATCH_BOT_LOGIN']?.trim() || 'firewatch[bot]';
}

/** What a CLI command reads and writes: its streams, environment and how it is stopped. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM); long-running commands await it. */
  untilStopped: () => Promise<string>;
}
