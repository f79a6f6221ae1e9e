import { DateTime } from 'luxon';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import type { Log } from '../../services/log.ts';
import type { PublishResult } from './publishStatusPage.ts';
import { refreshStatusPage, type RefreshOctokit } from './refreshStatusPage.ts';

export interface AfterSweepContext<O extends RefreshOctokit = RefreshOctokit> {
  octokit: O;
  /** The swept incident repository. */
  repo: RepoRef;
  config: FirewatchConfig;
  now: Date;
  log?: Log;
}

/**
 * The status page rebuilt after a sweep, so a change the webhook never announced (the app was
 * down, a delivery failed, an edit while nothing listened) reaches the page within one sweep
 * interval. Null when the config does not publish one. Throws when publishing fails: the caller
 * decides whether that fails its run.
 */
export async function refreshStatusPageAfterSweep(context: AfterSweepContext): Promise<(PublishResult & { target: string }) | null> {
  const { config } = context;
  if (!config.statusPage.publish) return null;
  const result = await refreshStatusPage({ octokit: context.octokit, incidents: context.repo, config: config.statusPage, timezone: config.timezone, now: context.now });
  context.log?.info({ repo: `${context.repo.owner}/${context.repo.repo}`, target: result.target, outcome: result.outcome, requests: result.requests }, `sweep: status page ${result.outcome}`);
  return result;
}

/**
 * What the page depends on, as far as a sweep can tell without extra requests: the incidents the
 * sweep read (each one's `updated_at` moves with every comment, label or body edit), the page's
 * settings, and the day in the team's zone (the uptime bars move on at midnight).
 */
function statusPageInputs(config: FirewatchConfig, incidents: readonly { number: number; updatedAt: string }[], now: Date): string {
  const day = DateTime.fromJSDate(now, { zone: config.timezone }).toISODate();
  const seen = incidents.map((incident) => `${incident.number}@${incident.updatedAt}`).sort();
  return JSON.stringify([day, config.timezone, config.statusPage, seen]);
}

/**
 * For `createSweepRunner({ after: [...] })`: the server's scheduled sweeps refresh the page too,
 * but only when something it shows may have changed since this process last published or
 * compared it (see `statusPageInputs`), so a quiet sweep still costs only the sweep's own two
 * requests. The first sweep after a start always compares, and so does the first one of each day.
 */
export function statusPageSweepTask() {
  const lastInputs = new Map<string, string>();
  return {
    name: 'status-page',
    async run<O extends RefreshOctokit>(context: AfterSweepContext<O> & { result: { incidents: readonly { number: number; updatedAt: string }[] } }): Promise<void> {
      if (!context.config.statusPage.publish) return;
      const key = `${context.repo.owner}/${context.repo.repo}`.toLowerCase();
      const inputs = statusPageInputs(context.config, context.result.incidents, context.now);
      if (lastInputs.get(key) === inputs) return;
      await refreshStatusPageAfterSweep(context);
      lastInputs.set(key, inputs);
    },
  };
}

/** One line for the CLI and the Action's log. */
export function describeRefresh(result: PublishResult & { target: string }): string {
  return result.outcome === 'published'
    ? `status page ${result.target}: published ${result.commit.slice(0, 7)}${result.created ? ' (branch created)' : ''}`
    : `status page ${result.target}: unchanged, nothing committed`;
}
