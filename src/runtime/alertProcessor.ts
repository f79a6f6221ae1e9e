import type { Logger, ProbotOctokit } from 'probot';
import type { Clock } from '../domain/clock.ts';
import type { NormalizedAlert } from '../domain/alert.ts';
import { createIncidentCache, type ingestAlert } from '../features/ingestAlert.ts';
import type { loadConfig } from '../features/loadConfig.ts';
import { createConfigReportCache } from '../features/reportInvalidConfig.ts';
import { createLabelCache } from '../github/ensureLabels.ts';
import type { RepoRef } from './env.ts';
import { serializeByKey } from './serializeByKey.ts';

export interface ProcessedAlert {
  repo: RepoRef;
  outcome: 'created' | 'updated';
  issue: { number: number; html_url: string };
  /** The incident id from its state block, for logs. */
  incident?: string;
}

/** No repository to file incidents in: neither config nor environment names one. */
export class NoIncidentRepoError extends Error {
  constructor() {
    super('no incident repository is configured');
    this.name = 'NoIncidentRepoError';
  }
}

export interface AlertProcessorDeps {
  octokitFor: (repo: RepoRef) => Promise<ProbotOctokit>;
  /** FIREWATCH_REPO, or acme/shop in sandbox mode; its config may point incidents elsewhere. */
  defaultRepo?: RepoRef;
  clock: Clock;
  loadConfig: typeof loadConfig;
  ingestAlert: typeof ingestAlert;
}

export type AlertProcessor = (alert: NormalizedAlert, log: Logger) => Promise<ProcessedAlert>;

/**
 * From a normalized alert to an incident issue: pick the repository, read its config, ingest.
 * Alerts with the same fingerprint are handled one at a time so concurrent deliveries of one
 * problem update a single incident.
 */
export function createAlertProcessor(deps: AlertProcessorDeps): AlertProcessor {
  const serialized = serializeByKey();
  // Per server, so two servers in one process (tests, several sandboxes) never share what they remember.
  const caches = { incidents: createIncidentCache(), labels: createLabelCache(), configReports: createConfigReportCache() };
  return (alert, log) =>
    serialized(`${alert.source}:${alert.fingerprint}`, async () => {
      const home = deps.defaultRepo;
      if (!home) throw new NoIncidentRepoError();
      let repo = home;
      let octokit = await deps.octokitFor(home);
      let { config, problems } = await deps.loadConfig(octokit, home);
      const configured = parseRepo(config.incidents?.repo);
      if (configured && !sameRepo(configured, home)) {
        repo = configured;
        octokit = await deps.octokitFor(repo);
        ({ config, problems } = await deps.loadConfig(octokit, repo));
      }
      const rated = alert.severityDefaulted ? { ...alert, severity: config.incidents.defaultSeverity } : alert;
      const result = await deps.ingestAlert({ octokit, alert: rated, repo, config, configProblems: problems, clock: deps.clock, log, caches });
      return {
        repo,
        outcome: result.outcome,
        issue: { number: result.issue.number, html_url: result.issue.html_url },
        ...(result.incident ? { incident: result.incident } : {}),
      };
    });
}

function parseRepo(value: string | undefined): RepoRef | undefined {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value ?? '');
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}
