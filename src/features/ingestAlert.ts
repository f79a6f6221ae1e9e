import type { NormalizedAlert } from '../domain/alert.ts';
import type { Clock } from '../domain/clock.ts';
import type { ConfigProblem, FirewatchConfig } from '../domain/config.ts';
import { fingerprintToken } from '../domain/fingerprintToken.ts';
import { incidentTitle } from '../domain/incidentTitle.ts';
import { parseStateBlock, type IncidentState } from '../domain/incidentState.ts';
import { INCIDENT_LABEL, severityLabel, statusLabel } from '../domain/labels.ts';
import { openIncident } from '../domain/openIncident.ts';
import { recordAlert } from '../domain/recordAlert.ts';
import { assignableUsers } from '../github/assignableUsers.ts';
import { createIssue } from '../github/createIssue.ts';
import { ensureLabels, type LabelCache } from '../github/ensureLabels.ts';
import { findOpenIssue } from '../github/findOpenIssue.ts';
import { getIssue } from '../github/getIssue.ts';
import type { IssueData, OctokitWith, RepoRef, RestIssues, RestSearch } from '../github/types.ts';
import { updateIssue } from '../github/updateIssue.ts';
import type { Render } from '../templates.ts';
import { renderIncidentBody } from './renderIncidentBody.ts';
import { reportInvalidConfig, type ConfigReportCache } from './reportInvalidConfig.ts';
import type { Log } from './types.ts';

export type IngestOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'create' | 'get' | 'update' | 'listLabelsForRepo' | 'createLabel' | 'checkUserCanBeAssigned'>;
  search: Pick<RestSearch, 'issuesAndPullRequests'>;
}>;

/**
 * Open incidents by fingerprint token (`owner/repo#token` → issue number). GitHub search lags
 * behind writes, so an incident this process just opened is remembered here; anything cached
 * is checked against GitHub before use and can be dropped at any time.
 */
export type IncidentCache = Map<string, number>;

export function createIncidentCache(): IncidentCache {
  return new Map();
}

const sharedIncidents = createIncidentCache();

export interface IngestAlertOptions {
  octokit: IngestOctokit;
  alert: NormalizedAlert;
  repo: RepoRef;
  config: FirewatchConfig;
  clock: Clock;
  log: Log;
  /** Problems found in the repository's config; reported once in a `firewatch: invalid configuration` issue. */
  configProblems?: readonly ConfigProblem[];
  caches?: { incidents?: IncidentCache; labels?: LabelCache; configReports?: ConfigReportCache };
  render?: Render;
}

export interface IngestAlertResult {
  outcome: 'created' | 'updated';
  issue: { number: number; html_url: string };
  /** The incident id from the state block (for logs). */
  incident?: string;
}

async function findIncident(octokit: IngestOctokit, repo: RepoRef, token: string, cache: IncidentCache): Promise<IssueData | undefined> {
  const key = `${repo.owner}/${repo.repo}#${token}`.toLowerCase();
  const remembered = cache.get(key);
  if (remembered !== undefined) {
    const issue = await getIssue(octokit, repo, remembered);
    if (issue?.state === 'open' && issue.body?.includes(token)) return issue;
    cache.delete(key);
  }
  const found = await findOpenIssue(octokit, repo, token, { label: INCIDENT_LABEL });
  if (found) cache.set(key, found.number);
  return found;
}

/**
 * An alert notification becomes an incident issue: a new fingerprint opens one (contract labels,
 * configured assignees, body from the template, hidden state); a fingerprint whose incident is
 * still open updates that issue in place (last seen, count) and opens nothing new.
 */
export async function ingestAlert(options: IngestAlertOptions): Promise<IngestAlertResult> {
  const { octokit, alert, repo, config, clock, log } = options;
  const incidents = options.caches?.incidents ?? sharedIncidents;
  const now = clock();
  const token = fingerprintToken(alert.source, alert.fingerprint);
  const renderOptions = { timezone: config.timezone, ...(options.render ? { render: options.render } : {}) };

  if (options.configProblems?.length) {
    try {
      const report = await reportInvalidConfig({
        octokit,
        repo,
        problems: options.configProblems,
        ...(options.caches?.configReports ? { cache: options.caches.configReports } : {}),
        ...(options.render ? { render: options.render } : {}),
      });
      if (report.outcome !== 'unchanged') log.warn({ issue: report.issue.number, problems: options.configProblems.length }, `config problems reported in issue #${report.issue.number}`);
    } catch (error) {
      // The alert matters more than the report about the config: carry on with the defaults.
      log.error({ err: error }, 'could not report the configuration problems');
    }
  }

  const existing = await findIncident(octokit, repo, token, incidents);
  if (existing) {
    let state: IncidentState | null = parseStateBlock(existing.body);
    if (!state) {
      log.warn({ issue: existing.number }, 'incident state block missing or unreadable; rebuilding it from the alert');
      state = openIncident(alert, now);
    }
    const next = recordAlert(state, alert, now);
    const body = renderIncidentBody(next, { ...renderOptions, existingBody: existing.body });
    if (body !== existing.body) await updateIssue(octokit, repo, existing.number, { body });
    log.info({ incident: next.id, issue: existing.number, fingerprint: alert.fingerprint }, 'alert joined an open incident');
    return { outcome: 'updated', issue: { number: existing.number, html_url: existing.html_url }, incident: next.id };
  }

  const state = openIncident(alert, now);
  await ensureLabels(octokit, repo, options.caches?.labels ? { cache: options.caches.labels } : {});
  const { assignable, rejected } = config.incidents.assignees.length
    ? await assignableUsers(octokit, repo, config.incidents.assignees)
    : { assignable: [], rejected: [] };
  if (rejected.length) {
    log.warn({ incident: state.id, rejected }, `not assignable in ${repo.owner}/${repo.repo}, skipped: ${rejected.join(', ')} (check incidents.assignees)`);
  }
  const labels = [...new Set([INCIDENT_LABEL, severityLabel(state.severity), statusLabel(state.status), ...config.incidents.labels])];
  const issue = await createIssue(octokit, repo, {
    title: incidentTitle(state),
    body: renderIncidentBody(state, renderOptions),
    labels,
    assignees: assignable,
  });
  incidents.set(`${repo.owner}/${repo.repo}#${token}`.toLowerCase(), issue.number);
  log.info({ incident: state.id, issue: issue.number, fingerprint: alert.fingerprint }, `incident opened: #${issue.number}`);
  return { outcome: 'created', issue: { number: issue.number, html_url: issue.html_url }, incident: state.id };
}
