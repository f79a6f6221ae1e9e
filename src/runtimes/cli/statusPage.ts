/** `firewatch statuspage build`: the public status page as static files. Kept beside cli.ts so the command table only gains a row. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { closest } from '../../domain/text/closest.ts';
import { DEFAULT_HISTORY_DAYS } from '../../domain/statusPage/statusPageModel.ts';
import { buildStatusPage } from '../../features/statusPage/buildStatusPage.ts';
import { readStatusIncidents } from '../../features/statusPage/readStatusIncidents.ts';
import { cliOctokit, connection, type Io, parseRepo, text, USAGE_ERROR, type Values } from './support.ts';

const DAY_MS = 86_400_000;

export async function statusPageCli(input: { values: Values; positionals: string[] }, io: Io, now: Date = new Date()): Promise<number> {
  const { values, positionals } = input;
  if (positionals[0] !== 'build' || positionals.length > 1) {
    const [action] = positionals;
    const guess = action !== undefined && action !== 'build' ? closest(action, ['build']) : undefined;
    const problem = action === undefined ? 'say what to do: build' : action !== 'build' ? `unknown action "${action}"${guess ? `; did you mean "${guess}"?` : ''}` : `unexpected "${positionals.slice(1).join(' ')}"`;
    io.stderr.write(`error: statuspage: ${problem} (usage: firewatch statuspage build --out DIR [--repo OWNER/NAME] [--title TEXT] [--services a,b] [--url URL])\n`);
    return USAGE_ERROR;
  }
  const out = text(values, 'out');
  if (!out) {
    io.stderr.write('error: --out DIR is required (where index.html, feed.atom and status.json go)\n');
    return USAGE_ERROR;
  }
  const repoText = text(values, 'repo') ?? io.env['FIREWATCH_REPO'] ?? 'acme/shop';
  const repo = parseRepo(repoText);
  if (!repo) {
    io.stderr.write('error: --repo (or FIREWATCH_REPO) must be owner/name\n');
    return USAGE_ERROR;
  }
  const siteUrl = text(values, 'url');
  if (siteUrl !== undefined && !/^https?:\/\/\S+$/.test(siteUrl)) {
    io.stderr.write(`error: --url "${siteUrl}" must be an absolute http(s) URL\n`);
    return USAGE_ERROR;
  }
  const octokit = cliOctokit(connection(values, io.env));
  // A failure (GitHub unreachable, a repository not found) is told in one line by the CLI's edge.
  const incidents = await readStatusIncidents(octokit, repo, new Date(now.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS));
  const services = (text(values, 'services') ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const files = buildStatusPage(incidents, { title: text(values, 'title') ?? `${repo.owner} status`, services, ...(siteUrl ? { siteUrl } : {}) }, now);
  for (const [path, content] of files) {
    const target = join(out, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
    io.stdout.write(`wrote ${target}\n`);
  }
  io.stdout.write(`wrote the status page of ${repo.owner}/${repo.repo} to ${out}: ${files.size} files, ${incidents.length} ${incidents.length === 1 ? 'incident' : 'incidents'} of the last ${DEFAULT_HISTORY_DAYS} days read\n`);
  return 0;
}
