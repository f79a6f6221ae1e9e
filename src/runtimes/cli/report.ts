/** `firewatch report`: incident metrics for a period as Markdown with SVG charts and CSV. Kept beside cli.ts so the command table only gains a row. */
import { tokenIdentity } from '../../services/identity.ts';
import { metricsReport } from '../../domain/metrics/metricsReport.ts';
import { parseSince } from '../../domain/metrics/parseSince.ts';
import { readIncidentRecords } from '../../features/report/readIncidentRecords.ts';
import { writeReport } from '../../features/report/writeReport.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import { botLogin, cliOctokit, connection, type Io, parseRepo, text, USAGE_ERROR, type Values } from './support.ts';

/** Progress lines every this many incidents, for reads of at least as many. */
const PROGRESS_EVERY = 20;

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
  const octokit = cliOctokit(connection(values, io.env));
  const records = [];
  // Suspects comments are the app's bot's (or this token's, when it ran correlation itself).
  const identity = await tokenIdentity(octokit, { also: [botLogin(io.env)] });
  // A failure (GitHub unreachable, a repository not found) is told in one line by the CLI's edge.
  for (const repo of repos as RepoRef[]) {
    // Comments come 50 incidents to a GraphQL query (more by REST only where needed): on long reads, say how far it got.
    const onProgress = (done: number, total: number) => {
      if (total >= PROGRESS_EVERY && (done % PROGRESS_EVERY === 0 || done === total)) io.stderr.write(`  reading ${repo.owner}/${repo.repo}: ${done} of ${total} incidents\n`);
    };
    records.push(...(await readIncidentRecords(octokit, repo, since.since, { identity, onProgress })));
  }
  const report = metricsReport(records, { from: since.since, to: now });
  const out = text(values, 'out') ?? 'firewatch-report';
  const written = await writeReport(report, out);
  io.stdout.write(`Report ${report.from.slice(0, 10)} – ${report.to.slice(0, 10)}: ${report.all.count} incidents${report.all.canceled ? ` (+${report.all.canceled} canceled)` : ''} in ${repoTexts.join(', ')}\n`);
  for (const file of written.files) io.stdout.write(`  wrote ${file}\n`);
  io.stdout.write(`wrote ${written.files.length} files to ${out}\n`);
  return 0;
}
