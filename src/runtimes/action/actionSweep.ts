import { actionIdentity } from './actionIdentity.ts';
import { Octokit as PlainOctokit } from '@octokit/rest';
import type { Clock } from '../../domain/time/clock.ts';
import { describeAction, sweep, type SweepResult } from '../../features/sweeps/sweep.ts';
import { loadConfig } from '../../adapters/github/loadConfig.ts';
import { describeRefresh, refreshStatusPageAfterSweep } from '../../features/statusPage/statusPageAfterSweep.ts';
import type { Pager } from '../../features/paging/pager.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';
import { ActionSweepError } from '../../domain/errors/errors.ts';

/**
 * The Action's `schedule` event: one sweep of the workflow's repository with the workflow token,
 * then the status page refreshed when the config publishes one.
 * Nothing is kept between runs; reminders posted by earlier runs are found by their markers.
 */
export async function actionSweep(options: { env: NodeJS.ProcessEnv; token: string; Octokit?: typeof PlainOctokit; clock: Clock; log: (line: string) => void; stateSeal?: StateSeal; pager?: Pager }): Promise<SweepResult> {
  const { env } = options;
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (!owner || !repo) throw new ActionSweepError('GITHUB_REPOSITORY is not set (owner/name): cannot tell which repository to sweep');
  if (!options.token) throw new ActionSweepError('no token: pass `token` (the default GITHUB_TOKEN works)');
  const Octokit = options.Octokit ?? PlainOctokit;
  const octokit = new Octokit({ auth: options.token, baseUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com' });
  const { config, problems } = await loadConfig(octokit, { owner, repo });
  for (const problem of problems) options.log(`config problem at ${problem.path || '(root)'}: ${problem.message}`);
  // Who the token writes as (the workflow's bot, or a person's token): only its markers are the sweep's own.
  const identity = await actionIdentity(octokit);
  const result = await sweep({ octokit, repo: { owner, repo }, config, clock: options.clock, identity, ...(options.stateSeal ? { stateSeal: options.stateSeal } : {}) });
  options.log(`sweep of ${owner}/${repo}: ${result.executed.length} action(s)`);
  for (const action of result.executed) options.log(`  ${describeAction(action)}`);
  for (const problem of result.problems) options.log(`warning: ${problem}`);
  // Re-pages and paging escalations: as late as the schedule runs (docs/paging.md, "The Action").
  if (options.pager) {
    const quiet = { debug: () => {}, info: (_d: object, m: string) => options.log(m), warn: (_d: object, m: string) => options.log(`warning: ${m}`), error: (_d: object, m: string) => options.log(`warning: ${m}`) };
    await options.pager.afterSweep(octokit, { owner, repo }, config, result.incidents, quiet);
  }
  // The page shows what the sweep saw; a failure to publish is a warning, the sweep itself went fine.
  try {
    const refreshed = await refreshStatusPageAfterSweep({ octokit, repo: { owner, repo }, config, now: result.at });
    if (refreshed) options.log(describeRefresh(refreshed));
  } catch (error) {
    options.log(`warning: status page not published: ${error instanceof Error ? error.message : String(error)}`);
  }
  return result;
}
