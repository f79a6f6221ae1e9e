import type { StatusPageConfig } from '../../domain/statusPage/statusPageConfig.ts';
import { DEFAULT_HISTORY_DAYS } from '../../domain/statusPage/statusPageModel.ts';
import type { ListIssuesOctokit } from '../../adapters/github/listIssues.ts';
import type { RepoRef } from '../../adapters/github/types.ts';
import { serializeByKey } from '../../services/serializeByKey.ts';
import { buildStatusPage } from './buildStatusPage.ts';
import { publishStatusPage, type PublishOctokit, type PublishResult } from './publishStatusPage.ts';
import { readStatusIncidents } from './readStatusIncidents.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';

const DAY_MS = 86_400_000;

// Webhook deliveries and the sweep publish to the same branch: one at a time per branch, or the
// second would build on the head the first just moved and fail to fast-forward.
const oneAtATime = serializeByKey();

export type RefreshOctokit = ListIssuesOctokit & PublishOctokit;

export interface RefreshOptions {
  octokit: RefreshOctokit;
  /** Where the incident issues are. */
  incidents: RepoRef;
  config: StatusPageConfig;
  timezone: string;
  now: Date;
  /** Verifies incident state blocks; default: no key (unsealed). */
  stateSeal?: StateSeal;
}

/**
 * Rebuilds the page from the incident issues and publishes it when what it shows changed: four
 * requests when nothing did (open and recently closed incidents, the branch head, its
 * `status.json`), four more to commit.
 */
export async function refreshStatusPage(options: RefreshOptions): Promise<PublishResult & { target: string }> {
  const [owner = options.incidents.owner, repo = options.incidents.repo] = options.config.repo?.split('/') ?? [];
  return oneAtATime(`${owner}/${repo}:${options.config.branch}`.toLowerCase(), () => refresh(options, { owner, repo }));
}

async function refresh(options: RefreshOptions, target: RepoRef): Promise<PublishResult & { target: string }> {
  const { octokit, incidents, config, now } = options;
  const { owner, repo } = target;
  const found = await readStatusIncidents(octokit, incidents, new Date(now.getTime() - DEFAULT_HISTORY_DAYS * DAY_MS), options.stateSeal);
  const files = buildStatusPage(
    found,
    {
      title: config.title ?? `${incidents.owner} status`,
      timezone: options.timezone,
      services: config.services,
      outageSeverities: config.outageSeverities,
      ...(config.url ? { siteUrl: config.url } : {}),
    },
    now,
  );
  const result = await publishStatusPage(octokit, target, config.branch, files, { message: `Update status page (${found.length} incidents read)` });
  return { ...result, target: `${owner}/${repo}:${config.branch}` };
}
