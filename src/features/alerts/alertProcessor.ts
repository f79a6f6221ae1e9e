import type { Logger, ProbotOctokit } from 'probot';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { parseDuration } from '../../domain/alerts/intakeConfig.ts';
import { routeAlert } from '../../domain/alerts/routeAlert.ts';
import { createMemoryIncidentIndex, type IncidentIndex } from './incidentIndex.ts';
import type { ingestAlert, IngestOutcome } from './ingestAlert.ts';
import type { loadConfig } from '../config/loadConfig.ts';
import { createConfigReportCache } from './reportInvalidConfig.ts';
import { createLabelCache } from '../../adapters/github/ensureLabels.ts';
import { httpStatus } from '../../adapters/github/types.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { RepoRef } from '../../runtimes/env.ts';
import { NotInstalledError } from '../../adapters/octokit/installationOctokit.ts';
import { createKeyLock, type KeyLock } from '../../services/keyLock.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';

export interface ProcessedAlerts {
  repo: RepoRef;
  outcome: IngestOutcome;
  alerts: number;
  issue?: { number: number; html_url: string };
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
  metrics?: Pick<Metrics, 'alerts' | 'alertsDropped'>;
  /** Held while a batch is filed; default in-process only. With Redis: shared by replicas. */
  lock?: KeyLock;
  /** Where open incidents are remembered; default in memory (per process). */
  incidents?: IncidentIndex;
  /** How long a repository's `.github/firewatch.yml` is reused before it is read again. Default 30 s. */
  configTtlMs?: number;
  /** Seals and verifies incident state blocks; default none (unsealed). */
  stateSeal?: StateSeal;
}

/** Files a batch of alerts that share a key (same group or fingerprint, oldest notification first). */
export type AlertProcessor = ((key: string, alerts: NormalizedAlert[], log: Logger) => Promise<ProcessedAlerts[]>) & {
  /** Reads the config again at the next batch: a push changed a `.github/firewatch.yml`. */
  forgetConfig(): void;
};

/** Errors that retrying cannot fix: the batch is dropped (counted, logged) instead of retried. */
export function isRetryableAlertError(error: unknown): boolean {
  if (error instanceof NoIncidentRepoError || error instanceof NotInstalledError) return false;
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500 || status === 403 || status === 429 || status === 408 || status === 409;
  // Programming mistakes would fail the same way forever.
  return !(error instanceof TypeError || error instanceof SyntaxError || error instanceof ReferenceError || error instanceof RangeError);
}

function parseRepo(value: string | undefined): RepoRef | undefined {
  const match = /^([\w.-]+)\/([\w.-]+)$/.exec(value ?? '');
  return match?.[1] && match[2] ? { owner: match[1], repo: match[2] } : undefined;
}

function sameRepo(a: RepoRef, b: RepoRef): boolean {
  return a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase();
}

/**
 * From alerts to incident issues: read the incident repository's config, route each alert
 * (service, repository, severity, labels; `ignore` rules drop it), then file each repository's share
 * under a lock for the key, so concurrent batches of one problem never open two issues.
 */
export function createAlertProcessor(deps: AlertProcessorDeps): AlertProcessor {
  const lock = deps.lock ?? createKeyLock();
  const configTtl = deps.configTtlMs ?? 30_000;
  // Per server, so two servers in one process (tests, several sandboxes) never share what they remember.
  const caches = { incidents: deps.incidents ?? createMemoryIncidentIndex(), labels: createLabelCache(), configReports: createConfigReportCache() };
  const configs = new Map<string, { until: number; value: Promise<{ repo: RepoRef; octokit: ProbotOctokit } & ConfigResult> }>();

  async function readConfig(home: RepoRef): Promise<{ repo: RepoRef; octokit: ProbotOctokit } & ConfigResult> {
    let octokit = await deps.octokitFor(home);
    let result = await deps.loadConfig(octokit, home);
    let repo = home;
    const configured = parseRepo(result.config.incidents?.repo);
    if (configured && !sameRepo(configured, home)) {
      repo = configured;
      octokit = await deps.octokitFor(repo);
      result = await deps.loadConfig(octokit, repo);
    }
    return { repo, octokit, ...result };
  }

  function configFor(home: RepoRef) {
    const key = `${home.owner}/${home.repo}`.toLowerCase();
    const now = Date.now();
    const cached = configs.get(key);
    if (cached && cached.until > now) return cached.value;
    const value = readConfig(home);
    configs.set(key, { until: now + configTtl, value });
    // A failed read is not remembered: the next batch asks again.
    value.catch(() => configs.delete(key));
    return value;
  }

  const processor = async (key: string, alerts: NormalizedAlert[], log: Logger): Promise<ProcessedAlerts[]> => {
    const home = deps.defaultRepo;
    if (!home) throw new NoIncidentRepoError();
    const { repo: configRepo, octokit: configOctokit, config, problems } = await configFor(home);
    const byRepo = new Map<string, { repo: RepoRef; alerts: NormalizedAlert[]; labels: Set<string>; autoResolve: boolean }>();
    for (const alert of alerts) {
      const decision = routeAlert(alert, {
        routing: config.routing,
        alerts: config.alerts,
        defaultSeverity: config.incidents.defaultSeverity,
        defaultRepo: `${configRepo.owner}/${configRepo.repo}`,
      });
      if (!decision.ok) {
        deps.metrics?.alertsDropped.inc({ source: alert.source, reason: decision.reason });
        deps.metrics?.alerts.inc({ source: alert.source, outcome: 'ignored' });
        log.info({ fingerprint: alert.fingerprint, title: alert.title, reason: decision.reason }, `alert dropped: ${decision.message}`);
        continue;
      }
      const target = parseRepo(decision.repo) ?? configRepo;
      const repoKey = `${target.owner}/${target.repo}`.toLowerCase();
      const share = byRepo.get(repoKey) ?? { repo: target, alerts: [], labels: new Set<string>(), autoResolve: true };
      share.alerts.push(decision.alert);
      for (const label of decision.labels) share.labels.add(label);
      // One alert opting out keeps the whole incident open.
      share.autoResolve &&= decision.autoResolve;
      byRepo.set(repoKey, share);
    }

    const results: ProcessedAlerts[] = [];
    for (const [repoKey, share] of byRepo) {
      const octokit = sameRepo(share.repo, configRepo) ? configOctokit : await deps.octokitFor(share.repo);
      const result = await lock(`${repoKey}#${key}`, () =>
        deps.ingestAlert({
          octokit,
          alerts: share.alerts,
          repo: share.repo,
          config,
          configProblems: problems,
          clock: deps.clock,
          log,
          caches,
          ...(deps.stateSeal ? { stateSeal: deps.stateSeal } : {}),
          labels: [...share.labels],
          settings: {
            noticeIntervalMs: parseDuration(config.alerts.noticeInterval) ?? 30 * 60_000,
            reopenWindowMs: parseDuration(config.alerts.reopenWindow) ?? 3_600_000,
            autoResolve: share.autoResolve,
          },
        }),
      );
      for (const alert of share.alerts) deps.metrics?.alerts.inc({ source: alert.source, outcome: result.outcome });
      if (result.outcome === 'ignored') {
        for (const alert of share.alerts) deps.metrics?.alertsDropped.inc({ source: alert.source, reason: result.reason ?? 'ignored' });
      }
      results.push({
        repo: share.repo,
        outcome: result.outcome,
        alerts: share.alerts.length,
        ...(result.issue ? { issue: result.issue } : {}),
        ...(result.incident ? { incident: result.incident } : {}),
      });
    }
    return results;
  };
  return Object.assign(processor, { forgetConfig: () => configs.clear() });
}
