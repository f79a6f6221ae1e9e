import type { IdentitySource } from '../../services/identity.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger, ProbotOctokit } from 'probot';
import type { Clock } from '../../domain/time/clock.ts';
import type { ConfigResult } from '../../domain/config/config.ts';
import { boundedDetails } from '../../domain/correlation/changeEvents.ts';
import { routeAlert } from '../../domain/alerts/routeAlert.ts';
import { recordChangeEvent, type ChangeLogCache } from '../../features/correlation/changeLog.ts';
import type { PagerDutyChange } from '../../adapters/intake/pagerduty.ts';
import { UNKNOWN_SERVICE } from '../../adapters/intake/sourceFields.ts';
import type { IntakeAuth } from '../../adapters/intake/verify.ts';
import { createKeyring, type VendorIntegration } from '../../adapters/intake/vendorKeys.ts';
import type { Metrics } from '../../adapters/telemetry/metrics.ts';
import type { AlertQueue } from '../../adapters/queue/alertQueue.ts';
import type { RepoRef } from '../env.ts';
import { createHeartbeatRoute, heartbeatPingName } from './heartbeatRoute.ts';
import type { HeartbeatStore } from '../../services/heartbeatStore.ts';
import type { KeyLock } from '../../services/keyLock.ts';
import { createOpsgenieRoute, opsgeniePath } from './opsgenieRoute.ts';
import { createPagerDutyRoute, sendInvalidEvent, type RecordChangeOutcome } from './pagerdutyRoute.ts';
import { sendError } from './sendJson.ts';
import type { RequestLog } from '../../services/requestLog.ts';

export interface VendorRoutesDeps {
  auth: IntakeAuth;
  /** Who firewatch is: its change-log issue is the one it writes to. */
  identity: IdentitySource;
  queue: Pick<AlertQueue, 'enqueue'>;
  requests: RequestLog;
  heartbeats: HeartbeatStore;
  metrics: Metrics;
  log: Logger;
  clock: Clock;
  /** The incident repository and its config, as alerts are filed with them. */
  homeConfig: () => Promise<{ repo: RepoRef; octokit: ProbotOctokit } & ConfigResult>;
  octokitFor: (repo: RepoRef) => Promise<ProbotOctokit>;
  lock: KeyLock;
  changeLog: ChangeLogCache;
}

const PAGERDUTY_ALERT_PATHS = new Set(['/alerts/pagerduty', '/alerts/pagerduty/', '/alerts/pagerduty/v2/enqueue', '/alerts/pagerduty/v2/enqueue/']);
const PAGERDUTY_CHANGE_PATHS = new Set(['/alerts/pagerduty/v2/change/enqueue', '/alerts/pagerduty/v2/change/enqueue/']);

/**
 * A change event is filed where its routing key's alerts would be: the key's `route` or
 * `service` picks the `routing.services` entry (and its `repo`), else the incident repository.
 */
async function recordChange(deps: Pick<VendorRoutesDeps, 'homeConfig' | 'octokitFor' | 'lock' | 'changeLog' | 'clock' | 'identity'>, integration: VendorIntegration, change: PagerDutyChange): Promise<RecordChangeOutcome> {
  const home = await deps.homeConfig();
  const now = deps.clock();
  const decision = routeAlert(
    {
      source: 'pagerduty',
      fingerprint: 'change',
      status: 'firing',
      title: change.summary,
      severity: 'P5',
      service: integration.service ?? UNKNOWN_SERVICE,
      labels: integration.service ? { service: integration.service } : {},
      annotations: {},
      startsAt: change.at,
      links: { other: [] },
      vendor: { integration: integration.name, ...(integration.route ? { route: integration.route } : {}) },
    },
    { routing: home.config.routing, alerts: home.config.alerts, defaultSeverity: home.config.incidents.defaultSeverity, defaultRepo: `${home.repo.owner}/${home.repo.repo}` },
  );
  if (!decision.ok) return { outcome: 'ignored', reason: decision.message };
  const [owner, name] = decision.repo.split('/');
  const repo = owner && name ? { owner, repo: name } : home.repo;
  const octokit = owner === home.repo.owner && name === home.repo.repo ? home.octokit : await deps.octokitFor(repo);
  const service = decision.route ?? integration.service;
  const identity = await deps.identity.resolve();
  const recorded = await deps.lock(`changes:${repo.owner}/${repo.repo}`.toLowerCase(), () =>
    recordChangeEvent({
      octokit,
      repo,
      now,
      timezone: home.config.timezone,
      cache: deps.changeLog,
      identity,
      event: {
        summary: change.summary,
        ...(change.source ? { source: change.source } : {}),
        at: change.at,
        receivedAt: now.toISOString(),
        integration: integration.name,
        ...(service ? { service } : {}),
        links: change.links,
        details: boundedDetails(change.details),
      },
    }),
  );
  return { outcome: 'recorded', url: recorded.url };
}

/**
 * The vendor-compatible routes (ARCHITECTURE "HTTP (server)"): PagerDuty Events API v2, the
 * Opsgenie Alert API (and its Jira Service Management copy), and heartbeat pings. Resolves
 * whether the request was one of them.
 */
export function createVendorRoutes(deps: VendorRoutesDeps) {
  const pagerduty = createPagerDutyRoute({
    keys: createKeyring(deps.auth.pagerdutyKeys ?? []),
    queue: deps.queue,
    metrics: deps.metrics,
    log: deps.log,
    clock: deps.clock,
    recordChange: (integration, change) => recordChange(deps, integration, change),
  });
  const opsgenie = createOpsgenieRoute({ keys: createKeyring(deps.auth.opsgenieKeys ?? []), queue: deps.queue, requests: deps.requests, heartbeats: deps.heartbeats, metrics: deps.metrics, log: deps.log, clock: deps.clock });
  const ping = createHeartbeatRoute({ auth: deps.auth, store: deps.heartbeats, log: deps.log, clock: deps.clock });

  return async function vendorRoute(request: IncomingMessage, response: ServerResponse, pathname: string, method: string): Promise<boolean> {
    const pagerdutyKind = PAGERDUTY_ALERT_PATHS.has(pathname) ? 'alert' : PAGERDUTY_CHANGE_PATHS.has(pathname) ? 'change' : undefined;
    if (pagerdutyKind) {
      if (method !== 'POST') sendInvalidEvent(response, 405, [`${method} is not allowed: events are sent with POST`], { allow: 'POST' });
      else await pagerduty(request, response, pagerdutyKind);
      return true;
    }
    const opsgenieRest = opsgeniePath(pathname);
    if (opsgenieRest !== undefined) {
      await opsgenie(request, response, opsgenieRest);
      return true;
    }
    const heartbeat = heartbeatPingName(pathname);
    if (heartbeat !== undefined) {
      if (method !== 'POST' && method !== 'GET') sendError(response, 405, `${method} is not allowed here`, 'ping with POST or GET', { allow: 'GET, POST' });
      else await ping(request, response, heartbeat);
      return true;
    }
    return false;
  };
}
