/** `firewatch report`: incident metrics for a period as Markdown with SVG charts and CSV. Kept beside cli.ts so the command table only gains a row. */
import { Octokit } from '@octokit/rest';
import { metricsReport } from './domain/metrics/metricsReport.ts';
import { parseSince } from './domain/metrics/parseSince.ts';
import { readIncidentRecords } from './features/report/readIncidentRecords.ts';
import { writeReport } from './features/report/writeReport.ts';
import type { RepoRef } from './github/types.ts';

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;
interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const USAGE_ERROR = 2;

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function parseRepo(value: string): RepoRef | undefined {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value);
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}

/** Flags, then GITHUB_TOKEN / GHE_HOST (GitHub), else the local sandbox as alice. */
function connection(values: Values, env: NodeJS.ProcessEnv): { baseUrl: string; token: string } {
  const ghe = env['GHE_HOST'] ? `${env['GHE_PROTOCOL'] ?? 'https'}://${env['GHE_HOST']}/api/v3` : undefined;
  const github = env['GITHUB_TOKEN'] ? (ghe ?? env['GITHUB_API_URL'] ?? 'https://api.github.com') : undefined;
  return {
    baseUrl: text(values, 'api-url') ?? github ?? ghe ?? `http://127.0.0.1:${env['SANDBOX_PORT'] ?? '3001'}/api/v3`,
    token: text(values, 'token') ?? env['GITHUB_TOKEN'] ?? 'sandbox-alice',
  };
}

export async function reportCli(input: { values: Values }, io: Io, now: Date = new Date()): Promise<number> {
  const { values } = input;
  const since = parseSince(text(values, 'since') ?? '90d', now);
  if (!since.ok) {
    io.stderr.write(`error: ${since.message}\n`);
    return USAGE_ERROR;
  }
  const repoTexts = (text(values, 'repo') ?? io.env['FIREWATCH_REPO'] ?? 'acme/shop').split(',').map((repo) => repo.trim());
  const repos = repoTexts.map(parseRepo);
  if (repos.some((repo) => repo === undefined)) {
    io.stderr.write('error: --repo (or FIREWATCH_REPO) must be owner/name, several separated by commas\n');
    return USAGE_ERROR;
  }
  const { baseUrl, token } = connection(values, io.env);
  const octokit = new Octokit({ baseUrl, auth: token, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const records = [];
  for (const repo of repos as RepoRef[]) {
    try {
      records.push(...(await readIncidentRecords(octokit, repo, since.since)));
    } catch (error) {
      io.stderr.write(`error: cannot read incidents of ${repo.owner}/${repo.repo} from ${baseUrl}: ${error instanceof Error ? error.message : String(error)}\n`);
      return USAGE_ERROR;
    }
  }
  const report = metricsReport(records, { from: since.since, to: now });
  const out = text(values, 'out') ?? 'firewatch-report';
  const written = await writeReport(report, out);
  io.stdout.write(`Report ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}: ${report.all.count} incidents${report.all.canceled ? ` (+${report.all.canceled} canceled)` : ''} in ${repoTexts.join(', ')}\n`);
  for (const file of written.files) io.stdout.write(`  wrote ${file}\n`);
  return 0;
}
