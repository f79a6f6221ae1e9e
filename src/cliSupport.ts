/** What the CLI's subcommand modules share: parsed flags, the output streams, and where GitHub is. */
import type { RepoRef } from './github/types.ts';

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

/** Exit code for a command line that cannot be run as given. */
export const USAGE_ERROR = 2;

export function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function parseRepo(value: string | undefined): RepoRef | undefined {
  const match = value ? /^([\w.-]+)\/([\w.-]+)$/.exec(value) : null;
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}

/** Flags, then GITHUB_TOKEN / GHE_HOST (GitHub), else the local sandbox as alice. */
export function connection(values: Values, env: NodeJS.ProcessEnv): { baseUrl: string; token: string } {
  const ghe = env['GHE_HOST'] ? `${env['GHE_PROTOCOL'] ?? 'https'}://${env['GHE_HOST']}/api/v3` : undefined;
  const github = env['GITHUB_TOKEN'] ? (ghe ?? env['GITHUB_API_URL'] ?? 'https://api.github.com') : undefined;
  const sandbox = `http://127.0.0.1:${env['SANDBOX_PORT'] ?? '3001'}/api/v3`;
  return {
    baseUrl: text(values, 'api-url') ?? github ?? ghe ?? sandbox,
    token: text(values, 'token') ?? env['GITHUB_TOKEN'] ?? 'sandbox-alice',
  };
}
