import type { Logger, ProbotOctokit } from 'probot';
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { parseDuration } from '../../domain/alerts/intakeConfig.ts';
import { routeAlert } from '../../domain/alerts/routeAlert.ts';
import { ingestAlert, type IngestOutcome } from './ingestAlert.ts';
import { isActionAlert, type VendorRequest } from '../../domain/alerts/vendorEvent.ts';
import { createChangeLogCache, type ChangeLogCache } from '../correlation/changeLog.ts';
import { httpStatus } from '../../adapters/github/types.ts';
import { parseRepo, repoKey, sameRepo, type RepoRef } from '../../domain/repo/repoRef.ts';
import type { Services } from '../../services/services.ts';
import { NoIncidentRepoError, NotInstalledError } from '../../domain/errors/errors.ts';

export interface ProcessedAlerts {
  repo: RepoRef;
  outcome: IngestOutcome;
  alerts: number;
  issue?: { number: number; html_url: string };
  /** The incident id from its state block, for logs. */
  incident?: string;
  /** Why nothing was written (outcome `ignored`). */
  reason?: string;
  /** Opsgenie requests among these alerts, whose outcome `GET …/requests/{id}` reports. */
  requests?: VendorRequest[];
}


export interface AlertProcessorDeps {
  services: Pick<Services, 'clock' | 'config' | 'coordination' | 'identity' | 'stateSeal' | 'telemetry' | 'templates'>;
  /** The Octokit acting for a repository (the installation covering it, or the token). */
  octokitFor: (repo: RepoRef) => Promise<ProbotOctokit>;
  /** FIREWATCH_REPO, or acme/shop in sandbox mode; its config may point incidents elsewhere. */
  defaultRepo?: RepoRef;
  /** Default `ingestAlert` (tests pass a fake). */
  ingestAlert?: typeof ingestAlert;
  /** Change-log issues this process knows (shared with the change-event route). */
  changeLog?: ChangeLogCache;
}

interface ProcessOptions {
  /** The repository the alerts were sent to (`repository_dispatch`); default `defaultRepo`. */
  home?: RepoRef;
  /** Acts with this Octokit instead of `octokitFor` (the Action: one token for the whole run). */
  octokit?: ProbotOctokit;
}

/** Files a batch of alerts that share a key (same group or fingerprint, oldest notification first). */
export type AlertProcessor = ((key: string, alerts: NormalizedAlert[], log: Logger, options?: ProcessOptions) => Promise<ProcessedAlerts[]>) & {
  /** The incident repository, its client and its config, as batches are filed with them (through the same config source). */
  homeConfig(): Promise<{ repo: RepoRef; octokit: ProbotOctokit } & ConfigResult>;
};

/** Alerts in runs of notifications and of acts on known incidents, in order: each run is filed on its own. */
function runsOf(alerts: readonly NormalizedAlert[]): NormalizedAlert[][] {
  const runs: NormalizedAlert[][] = [];
  for (const alert of alerts) {
    const last = runs[runs.length - 1];
    if (last && isActionAlert(last[0] as NormalizedAlert) === isActionAlert(alert)) last.push(alert);
    else runs.push([alert]);
  }
  return runs;
}

function requestsOf(alerts: readonly NormalizedAlert[]): VendorRequest[] {
  const byId = new Map<string, VendorRequest>();
  for (const alert of alerts) if (alert.vendor?.request) byId.set(alert.vendor.request.id, alert.vendor.request);
  return [...byId.values()];
}

/** Errors that retrying cannot fix: the batch is dropped (counted, logged) instead of retried. */
export function isRetryableAlertError(error: unknown): boolean {
  if (error instanceof NoIncidentRepoError || error instanceof NotInstalledError) return false;
  const status = httpStatus(error);
  if (status !== undefined) return status >= 500 || status === 403 || status === 429 || status === 408 || status === 409;
  // Programming mistakes would fail the same way forever.
  return !(error instanceof TypeError || error instanceof SyntaxError || error instanceof ReferenceError || error instanceof RangeError);
}

/**
 * From alerts to incident issues: read the incident repository's config, route each alert
 * (service, repository, severity, labels; `ignore` rules drop it), then file each repository's share
 * under a lock for the key, so concurrent batches of one problem never open two issues.
 */
export function createAlertProcessor(deps: AlertProcessorDeps): AlertProcessor {
  const { services } = deps;
  const metrics = services.telemetry.metrics;
  const ingest = deps.ingestAlert ?? ingestAlert;

  // Through the process's one config cache: a push invalidates it for alerts, commands and sweeps at once.
  async function configFor(home: RepoRef, octokitOf: (repo: RepoRef) => Promise<ProbotOctokit>): Promise<{ repo: RepoRef; octokit: ProbotOctokit } & ConfigResult> {
    let octokit = await octokitOf(home);
    let result = await services.config.load(octokit, home);
    let repo = home;
    const configured = parseRepo(result.config.incidents?.repo);
    if (configured && !sameRepo(configured, home)) {
      repo = configured;
      octokit = await octokitOf(repo);
      result = await services.config.load(octokit, repo);
    }
    return { repo, octokit, ...result };
  }

  const changeLog = deps.changeLog ?? createChangeLogCache();
  /** Per home repository and key: the batch being filed, and the one waiting for it (which later arrivals join). */
  const filing = new Map<string, Promise<unknown>>();
  const waiting = new Map<string, { alerts: NormalizedAlert[]; result: Promise<ProcessedAlerts[]> }>();

  /**
   * Repeat notifications never cost a write of their own while one for the same problem is
   * pending: callers arriving meanwhile (relayed `repository_dispatch` deliveries; the queues
   * already batch by key) join ONE batch filed after it. Those joining get the shared outcome; a
   * new or reopened incident is the first caller's to announce (and page), for the others their
   * alerts joined it.
   */
  const processor = async (key: string, alerts: NormalizedAlert[], log: Logger, options: ProcessOptions = {}): Promise<ProcessedAlerts[]> => {
    const home = options.home ?? deps.defaultRepo;
    if (!home) throw new NoIncidentRepoError();
    const slot = `${repoKey(home)}#${key}`;
    const next = waiting.get(slot);
    if (next) {
      next.alerts.push(...alerts);
      return joined(await next.result);
    }
    const pending = filing.get(slot);
    const run = (batch: NormalizedAlert[]) => {
      const filed = fileBatch(home, key, batch, log, options);
      filing.set(slot, filed);
      return filed.finally(() => {
        if (filing.get(slot) === filed) filing.delete(slot);
      });
    };
    if (!pending) return run(alerts);
    const batch = { alerts: [...alerts], result: Promise.resolve([] as ProcessedAlerts[]) };
    batch.result = pending.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      waiting.delete(slot);
      return run(batch.alerts);
    });
    waiting.set(slot, batch);
    return batch.result;
  };

  const joined = (results: ProcessedAlerts[]): ProcessedAlerts[] => results.map((result) => (result.outcome === 'created' || result.outcome === 'reopened' ? { ...result, outcome: 'updated' } : result));

  const fileBatch = async (home: RepoRef, key: string, alerts: NormalizedAlert[], log: Logger, options: ProcessOptions): Promise<ProcessedAlerts[]> => {
    const given = options.octokit;
    const octokitOf = given ? async () => given : deps.octokitFor;
    const { repo: configRepo, octokit: configOctokit, config, problems } = await configFor(home, octokitOf);
    const identity = await services.identity.resolve();
    const byRepo = new Map<string, { repo: RepoRef; alerts: NormalizedAlert[]; labels: Set<string>; autoResolve: boolean }>();
    for (const alert of alerts) {
      const decision = routeAlert(alert, {
        routing: config.routing,
        alerts: config.alerts,
        defaultSeverity: config.incidents.defaultSeverity,
        defaultRepo: `${configRepo.owner}/${configRepo.repo}`,
      });
      if (!decision.ok) {
        metrics?.alertsDropped.inc({ source: alert.source, reason: decision.reason });
        metrics?.alerts.inc({ source: alert.source, outcome: 'ignored' });
        log.info({ fingerprint: alert.fingerprint, title: alert.title, reason: decision.reason }, `alert dropped: ${decision.message}`);
        continue;
      }
      const target = parseRepo(decision.repo) ?? configRepo;
      const share = byRepo.get(repoKey(target)) ?? { repo: target, alerts: [], labels: new Set<string>(), autoResolve: true };
      share.alerts.push(decision.alert);
      for (const label of decision.labels) share.labels.add(label);
      // One alert opting out keeps the whole incident open.
      share.autoResolve &&= decision.autoResolve;
      byRepo.set(repoKey(target), share);
    }

    const results: ProcessedAlerts[] = [];
    for (const [target, share] of byRepo) {
      const octokit = sameRepo(share.repo, configRepo) ? configOctokit : await octokitOf(share.repo);
      // One batch of a problem at a time, across replicas: two cannot both decide "no incident yet".
      const runs = runsOf(share.alerts);
      const filed = await services.coordination.serialize(`alerts:${target}#${key}`, async () => {
        const outcomes = [];
        for (const [index, run] of runs.entries()) {
          outcomes.push(
            await ingest({
              octokit,
              alerts: run,
              repo: share.repo,
              config,
              // Reported once per batch, not once per run.
              configProblems: index === 0 ? problems : [],
              clock: services.clock,
              log,
              coordination: services.coordination,
              changeLog,
              identity,
              stateSeal: services.stateSeal,
              render: services.templates.render,
              labels: [...share.labels],
              settings: {
                noticeIntervalMs: parseDuration(config.alerts.noticeInterval) ?? 30 * 60_000,
                reopenWindowMs: parseDuration(config.alerts.reopenWindow) ?? 3_600_000,
                autoResolve: share.autoResolve,
              },
            }),
          );
        }
        return outcomes;
      });
      for (const [index, result] of filed.entries()) {
        const run = runs[index] ?? [];
        for (const alert of run) metrics?.alerts.inc({ source: alert.source, outcome: result.outcome });
        if (result.outcome === 'ignored') {
          for (const alert of run) metrics?.alertsDropped.inc({ source: alert.source, reason: result.reason ?? 'ignored' });
        }
        const requests = requestsOf(run);
        results.push({
          repo: share.repo,
          outcome: result.outcome,
          alerts: run.length,
          ...(result.issue ? { issue: result.issue } : {}),
          ...(result.incident ? { incident: result.incident } : {}),
          ...(result.reason ? { reason: result.reason } : {}),
          ...(requests.length ? { requests } : {}),
        });
      }
    }
    return results;
  };
  return Object.assign(processor, {
    homeConfig: () => {
      if (!deps.defaultRepo) return Promise.reject(new NoIncidentRepoError());
      return configFor(deps.defaultRepo, deps.octokitFor);
    },
  });
}
