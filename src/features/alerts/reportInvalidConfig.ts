import { createHash } from 'node:crypto';
import { CONFIG_PATH, type ConfigProblem } from '../../domain/config/config.ts';
import { findHiddenJson, renderHiddenJson } from '../../domain/text/hiddenJson.ts';
import { escapeInline, truncateBody } from '../../domain/text/markdown.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import { listIssues, type RestListIssues } from '../../adapters/github/listIssues.ts';
import { getIssue } from '../../adapters/github/getIssue.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import { updateIssue } from '../../adapters/github/updateIssue.ts';
import { planWrite } from '../../domain/plan/planWrite.ts';
import { renderTemplate, type Render } from '../../adapters/templates/templates.ts';
import { repoKey } from '../../domain/repo/repoRef.ts';
import type { ConfigReportCache } from '../../services/coordination.ts';

export const INVALID_CONFIG_TITLE = 'firewatch: invalid configuration';
/** One word in the hidden marker of that issue, so it is told apart from other issues firewatch opened. */
const INVALID_CONFIG_TOKEN = 'firewatchinvalidconfig';

export type { ConfigReportCache };


export type ConfigReportOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'create' | 'get' | 'update'> & RestListIssues;
}>;

export interface ConfigProblemsView {
  file: string;
  single: boolean;
  problems: { path: string; message: string }[];
}

/** The escaped view of a problem list that `partials/config-problems.md.hbs` renders. */
export function configProblemsView(problems: readonly ConfigProblem[]): ConfigProblemsView {
  return {
    file: `\`${CONFIG_PATH}\``,
    single: problems.length === 1,
    problems: problems.map((problem) => ({
      path: problem.path ? `\`${problem.path.replace(/`/g, "'")}\`` : '(file)',
      message: escapeInline(problem.line && !problem.message.includes('line') ? `${problem.message} (line ${problem.line})` : problem.message),
    })),
  };
}

function digestOf(problems: readonly ConfigProblem[]): string {
  return createHash('sha256').update(JSON.stringify(problems.map((p) => [p.path, p.message]))).digest('hex').slice(0, 16);
}

/**
 * Keeps ONE open `firewatch: invalid configuration` issue per repository listing the current
 * problems: opened the first time, rewritten in place when the problems change, untouched (no
 * request at all, once known) while they stay the same.
 */
export async function reportInvalidConfig(options: {
  octokit: ConfigReportOctokit;
  repo: RepoRef;
  problems: readonly ConfigProblem[];
  /** The process's (its `Coordination`'s): after a restart the issue is found again among the open issues firewatch opened. */
  cache: ConfigReportCache;
  /** Who firewatch is: the report is one of the open issues this login opened. */
  login: string;
  render?: Render;
}): Promise<{ outcome: 'created' | 'updated' | 'unchanged'; issue: { number: number; html_url: string } }> {
  const { octokit, repo, problems } = options;
  const { cache } = options;
  const render = options.render ?? renderTemplate;
  const key = repoKey(repo);
  const digest = digestOf(problems);
  const known = cache.get(key);
  if (known?.digest === digest) return { outcome: 'unchanged', issue: { number: known.number, html_url: known.html_url } };

  const marker = renderHiddenJson('config-report', { token: INVALID_CONFIG_TOKEN, digest });
  const body = truncateBody(render('invalid-config', { ...configProblemsView(problems), repo: escapeInline(`${repo.owner}/${repo.repo}`) }).trimEnd(), {
    tail: `\n\n${marker}\n`,
  });

  let existing = known ? await getIssue(octokit, repo, known.number) : undefined;
  if (existing?.state !== 'open') {
    // Not a search (30 a minute): the open issues firewatch opened, oldest first, 100 a request.
    const opened = await listIssues(octokit, repo, { state: 'open', creator: options.login, sort: 'created', direction: 'asc' });
    existing = opened.find((issue) => issue.body?.includes(INVALID_CONFIG_TOKEN));
  }
  // Compared by the digest the issue shows: the same problems are the same report.
  const write = planWrite(existing, body, (issue) => {
    const shown = findHiddenJson('config-report', issue.body ?? '').at(-1);
    return typeof shown === 'object' && shown !== null && 'digest' in shown && shown.digest === digest;
  });
  if (existing) {
    const unchanged = write.action === 'none';
    if (write.action === 'update') await updateIssue(octokit, repo, existing.number, { body: write.changes });
    cache.set(key, { number: existing.number, html_url: existing.html_url, digest });
    return { outcome: unchanged ? 'unchanged' : 'updated', issue: { number: existing.number, html_url: existing.html_url } };
  }
  const created = await createIssue(octokit, repo, { title: INVALID_CONFIG_TITLE, body });
  cache.set(key, { number: created.number, html_url: created.html_url, digest });
  return { outcome: 'created', issue: { number: created.number, html_url: created.html_url } };
}
