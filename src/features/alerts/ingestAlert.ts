import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { ConfigProblem, FirewatchConfig } from '../../domain/config/config.ts';
import { decideAlertActions } from '../../domain/alerts/decideAlertActions.ts';
import { decideAlertBatch, type BatchDecision, type BatchSettings, type FoundIncident } from '../../domain/alerts/decideAlertBatch.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import { fingerprintToken, groupToken } from '../../domain/alerts/fingerprintToken.ts';
import { incidentTitle } from '../../domain/incident/incidentTitle.ts';
import { readIncidentState, type IncidentState } from '../../domain/incident/incidentState.ts';
import { INCIDENT_LABEL, planLabels, severityLabel, statusLabel } from '../../domain/incident/labels.ts';
import { truncateBody } from '../../domain/text/markdown.ts';
import { planFieldWrite } from '../../domain/plan/planWrite.ts';
import { openIncident } from '../../domain/incident/openIncident.ts';
import { assigneeCandidates, MAX_ASSIGNEES, onCallTimelineEntry } from '../../domain/schedule/onCallAssignees.ts';
import type { OnCallEntry } from '../../domain/schedule/onCallEntry.ts';
import { isActionAlert } from '../../domain/alerts/vendorEvent.ts';
import { whoIsOnCall } from '../../domain/schedule/whoIsOnCall.ts';
import { assignableUsers } from '../../adapters/github/assignableUsers.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import { ensureLabels } from '../../adapters/github/ensureLabels.ts';
import { listIssues } from '../../adapters/github/listIssues.ts';
import { getIssue } from '../../adapters/github/getIssue.ts';
import { labelNames, type IssueData, type OctokitWith, type RepoRef, type RestIssues } from '../../adapters/github/types.ts';
import type { RestListIssues } from '../../adapters/github/listIssues.ts';
import { checkIndexHit, indexIncidentIssues, matchIncidentIssue } from '../../domain/incident/matchIncidentIssues.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import type { ChangeLogCache } from '../correlation/changeLog.ts';
import { correlateAfterIngest } from '../correlation/correlate.ts';
import { incidentIndexKey, incidentIndexRepo, type IncidentIndex } from '../../services/incidentIndex.ts';
import { incidentKey, type Coordination } from '../../services/coordination.ts';
import type { Identity } from '../../services/identity.ts';
import { renderIncidentBody } from '../incidents/renderIncidentBody.ts';
import { reportInvalidConfig } from './reportInvalidConfig.ts';
import type { Log } from '../../services/log.ts';
import { newIncidentPriority, PRIORITY, withPriority } from '../../adapters/octokit/requestPriority.ts';
import { stateScope, UNSEALED, type StateScope, type StateSeal } from '../../domain/incident/stateSeal.ts';

type IngestOctokit = OctokitWith<{
  issues: Pick<RestIssues, 'create' | 'get' | 'update' | 'createComment' | 'listLabelsForRepo' | 'createLabel' | 'updateLabel' | 'checkUserCanBeAssigned'> & RestListIssues;
}>;

type IncidentIssue = IssueData & { closed_at?: string | null };

const DEFAULT_BATCH_SETTINGS: BatchSettings = { noticeIntervalMs: 30 * 60_000, reopenWindowMs: 3_600_000, autoResolve: false };

export interface IngestAlertOptions {
  octokit: IngestOctokit;
  /** Alerts of one key (same group or fingerprint), routed to `repo`, oldest notification first. */
  alerts: NormalizedAlert[];
  repo: RepoRef;
  config: FirewatchConfig;
  clock: Clock;
  log: Log;
  /** Dedup, reopen and auto-resolve settings (from config `alerts`, routed per service). */
  settings?: BatchSettings;
  /** Extra labels for a new incident (rendered label templates). */
  labels?: string[];
  /** Problems found in the repository's config; reported once in a `firewatch: invalid configuration` issue. */
  configProblems?: readonly ConfigProblem[];
  /** Where open incidents, known labels and config reports are remembered (the process's `Coordination`). */
  coordination: Pick<Coordination, 'incidents' | 'labels' | 'configReports' | 'serialize'>;
  render?: Render;
  /** Verifies and seals incident state blocks; default: no key (unsealed). */
  stateSeal?: StateSeal;
  /** Who firewatch is (its suspects comment is the one it updates). */
  identity: Identity;
  /** Change-log issues this process knows (shared with the change-event route). */
  changeLog?: ChangeLogCache;
}

export type IngestOutcome = 'created' | 'updated' | 'reopened' | 'resolved' | 'ignored';

export interface IngestAlertResult {
  outcome: IngestOutcome;
  issue?: { number: number; html_url: string };
  /** The incident id from the state block (for logs). */
  incident?: string;
  /** Why nothing was written (outcome `ignored`). */
  reason?: string;
  comments: number;
}

/** The tokens an alert batch may be filed under: its group first, then each fingerprint. */
function alertTokens(alerts: readonly NormalizedAlert[]): string[] {
  const groups = alerts.filter((alert) => alert.groupKey).map((alert) => groupToken(alert.source, alert.groupKey ?? ''));
  return [...new Set([...groups, ...alerts.map((alert) => fingerprintToken(alert.source, alert.fingerprint))])];
}

/** How far back closed incidents are listed: a reopen, an "already resolved" repeat and a "fired before" link need them. */
const CLOSED_INCIDENT_LOOKBACK_MS = 7 * 86_400_000;

interface Finder {
  octokit: IngestOctokit;
  repo: RepoRef;
  tokens: string[];
  index: IncidentIndex;
  /** Closed incidents updated since then are listed too. */
  closedSince: Date;
  log: Log;
}

/**
 * Rebuilds the repository's index from one listing of its incident issues (open ones, and closed
 * ones updated since `closedSince`), unless it is marked built already; returns the listing when it
 * listed. Replaces a Search API call per new problem (GitHub allows 30 searches a minute).
 */
async function indexRepo(finder: Finder, options: { force?: boolean } = {}): Promise<IncidentIssue[] | undefined> {
  const { octokit, repo, index } = finder;
  return index.ensureBuilt(
    incidentIndexRepo(repo),
    async () => {
      const listed = (await Promise.all([
        listIssues(octokit, repo, { state: 'open', labels: INCIDENT_LABEL }),
        listIssues(octokit, repo, { state: 'closed', labels: INCIDENT_LABEL, since: finder.closedSince }),
      ])).flat() as IncidentIssue[];
      const byToken = indexIncidentIssues(listed, repo);
      finder.log.debug({ repo: `${repo.owner}/${repo.repo}`, issues: listed.length, tokens: byToken.size }, 'incident index rebuilt from a listing');
      return { entries: Object.fromEntries([...byToken].map(([token, issue]) => [incidentIndexKey(repo, token), issue.number])), result: listed };
    },
    options,
  );
}

/** The issue the index remembers for the first of `tokens` it knows (unchecked: `findIncident` checks). */
async function rememberedIssue(finder: Finder): Promise<number | undefined> {
  await indexRepo(finder);
  for (const token of finder.tokens) {
    const remembered = await finder.index.get(incidentIndexKey(finder.repo, token));
    if (remembered !== undefined) return remembered;
  }
  return undefined;
}

/** The incident issue named by number (Opsgenie's tiny id): only an incident issue of ours counts. */
async function namedIncident(octokit: IngestOctokit, repo: RepoRef, issueNumber: number, scope: StateScope): Promise<IncidentIssue | undefined> {
  const issue = (await getIssue(octokit, repo, issueNumber)) as IncidentIssue | undefined;
  return issue && !issue.pull_request && labelNames(issue.labels).includes(INCIDENT_LABEL) && readIncidentState(issue.body, scope).state ? issue : undefined;
}

/**
 * The incident of the batch's tokens: each index hit is read and checked (still an incident issue of
 * this repository carrying the token); an open one wins. A stale hit is dropped and the repository
 * listed again, so a wrong entry can neither update the wrong issue nor open a duplicate. A miss in a
 * built index means there is no incident: no request at all.
 */
async function findIncident(finder: Finder): Promise<IncidentIssue | undefined> {
  const { octokit, repo, tokens, index } = finder;
  await indexRepo(finder);
  let closed: IncidentIssue | undefined;
  let stale = false;
  for (const token of tokens) {
    const key = incidentIndexKey(repo, token);
    const remembered = await index.get(key);
    if (remembered === undefined) continue;
    const issue = (await getIssue(octokit, repo, remembered)) as IncidentIssue | undefined;
    const check = checkIndexHit(issue, { repo, number: remembered, token });
    if (!check.ok) {
      finder.log.info({ issue: remembered, reason: check.reason }, `incident index entry for ${token} is stale: ${check.message}; listing the repository's incidents again`);
      await index.delete(key);
      stale = true;
      continue;
    }
    if (issue?.state === 'open') return issue;
    closed ??= issue;
  }
  if (!stale) return closed;
  const listed = await indexRepo(finder, { force: true });
  return listed ? matchIncidentIssue(listed, tokens, repo) : closed;
}

function changeLogOf(options: IngestAlertOptions): { changeLog?: ChangeLogCache } {
  return options.changeLog ? { changeLog: options.changeLog } : {};
}

/** Who is on call when an incident opens; a schedule that cannot be evaluated must not stop the incident. */
function onCallAt(config: FirewatchConfig, now: Date, log: Log): OnCallEntry[] {
  try {
    return whoIsOnCall(config.oncall, now).layers;
  } catch (error) {
    log.error({ err: error }, 'could not work out who is on call; the incident is assigned to incidents.assignees only');
    return [];
  }
}

function facts(issue: IncidentIssue, fallback: NormalizedAlert, now: Date, log: Log, scope: StateScope): FoundIncident {
  const read = readIncidentState(issue.body, scope);
  let state: IncidentState | null = read.state;
  if (!state) {
    log.warn({ issue: issue.number, trust: read.trust }, read.trust === 'forged' ? 'incident state block not written by firewatch (its seal does not match); rebuilding it from the alert' : 'incident state block missing or unreadable; rebuilding it from the alert');
    state = openIncident(fallback, now);
  }
  return { number: issue.number, open: issue.state === 'open', state, closedAt: issue.closed_at ?? null };
}

/**
 * A batch of alert notifications for one problem becomes incident issue changes, with as few
 * requests as possible: a new problem opens one incident (contract labels, assigned to the people
 * on call then and the configured assignees, body from the template, hidden state); notifications
 * for an open incident rewrite its body in place (a comment only when all alerts resolved, or at
 * most once per notice interval); a problem
 * firing again soon after its incident resolved reopens it, later opens a new one.
 */
export async function ingestAlert(options: IngestAlertOptions): Promise<IngestAlertResult> {
  const { octokit, alerts, repo, config, clock, log } = options;
  const [first] = alerts as [NormalizedAlert, ...NormalizedAlert[]];
  if (!alerts.length) return { outcome: 'ignored', reason: 'no alerts', comments: 0 };
  const index = options.coordination.incidents;
  const now = clock();
  const scope = stateScope(options.stateSeal ?? UNSEALED, repo);
  const renderOptions = { timezone: config.timezone, scope, ...(options.render ? { render: options.render } : {}) };

  if (options.configProblems?.length) {
    try {
      const report = await reportInvalidConfig({
        octokit,
        repo,
        problems: options.configProblems,
        cache: options.coordination.configReports,
        login: options.identity.login,
        ...(options.render ? { render: options.render } : {}),
      });
      if (report.outcome !== 'unchanged') log.warn({ issue: report.issue.number, problems: options.configProblems.length }, `config problems reported in issue #${report.issue.number}`);
    } catch (error) {
      // The alert matters more than the report about the config: carry on with the defaults.
      log.error({ err: error }, 'could not report the configuration problems');
    }
  }

  // Every writer of an incident (commands, alerts, reconciliation) rewrites its body under the
  // incident's key, across replicas when the coordination is shared: the issue is read under it.
  // Acts on a known incident (vendor APIs) are decided apart from notifications; the processor
  // hands them over in their own batches, in order, and a caller mixing both gets them in turn.
  const actions = alerts.filter(isActionAlert);
  if (actions.length > 0 && actions.length < alerts.length) {
    const notified = await ingestAlert({ ...options, alerts: alerts.filter((alert) => !isActionAlert(alert)) });
    const acted = await ingestAlert({ ...options, alerts: actions, configProblems: [] });
    return acted.outcome === 'ignored' ? { ...notified, comments: notified.comments + acted.comments } : { ...acted, comments: notified.comments + acted.comments };
  }
  const settings = options.settings ?? DEFAULT_BATCH_SETTINGS;
  // Named by number (Opsgenie's tiny id), or remembered by the index.
  const named = actions.find((alert) => alert.vendor?.issue !== undefined)?.vendor?.issue;

  const tokens = alertTokens(alerts);
  const { serialize } = options.coordination;
  const finder: Finder = { octokit, repo, tokens, index, closedSince: new Date(now.getTime() - Math.max(settings.reopenWindowMs, CLOSED_INCIDENT_LOOKBACK_MS)), log };
  if (named !== undefined) {
    return serialize(incidentKey(repo, named), async () => fileBatch(await namedIncident(octokit, repo, named, scope)));
  }
  const hinted = await rememberedIssue(finder);
  if (hinted !== undefined) {
    // The usual case (the issue is known): lock, then read and check it, as cheap as before.
    const result = await serialize(incidentKey(repo, hinted), async () => {
      const found = await findIncident(finder);
      return found && found.number !== hinted ? undefined : fileBatch(found);
    });
    if (result) return result;
  }
  const located = hinted === undefined ? undefined : await findIncident(finder);
  if (!located) return fileBatch(undefined);
  // Another issue holds it (the hint was stale): read it again under its lock, then decide.
  return serialize(incidentKey(repo, located.number), async () => fileBatch(((await getIssue(octokit, repo, located.number)) as IncidentIssue | undefined) ?? located));

  async function fileBatch(found: IncidentIssue | undefined): Promise<IngestAlertResult> {
    let decision: BatchDecision;
    if (actions.length) {
      const state = found ? readIncidentState(found.body, scope).state : null;
      decision = decideAlertActions({ ...(found && state ? { incident: { number: found.number, open: found.state === 'open', state, closedAt: found.closed_at ?? null } } : {}), actions, now, settings });
    } else {
      decision = decideAlertBatch({ ...(found ? { incident: facts(found, first, now, log, scope) } : {}), alerts, now, settings });
    }

    const remember = (issueNumber: number, state: IncidentState) =>
      index.set(Object.fromEntries(state.fingerprintTokens.map((token) => [incidentIndexKey(repo, token), issueNumber])));

    if (decision.kind === 'ignore') {
      log.info({ fingerprint: first.fingerprint, reason: decision.reason, issue: found?.number ?? null }, decision.message);
      return { outcome: 'ignored', reason: decision.reason, comments: 0, ...(found ? { issue: { number: found.number, html_url: found.html_url } } : {}) };
    }

    if (decision.kind === 'open') {
      // A new incident goes first when GitHub's budget binds, by severity.
      const urgency = newIncidentPriority(decision.state.severity);
      const onCall = onCallAt(config, now, log);
      const candidates = assigneeCandidates(onCall, config.incidents.assignees);
      const { assignable, rejected } = candidates.length ? await assignableUsers(octokit, repo, candidates) : { assignable: [], rejected: [] };
      if (rejected.length) {
        log.warn({ incident: decision.state.id, rejected }, `not assignable in ${repo.owner}/${repo.repo}, skipped: ${rejected.join(', ')} (check oncall and incidents.assignees)`);
      }
      const assignees = assignable.slice(0, MAX_ASSIGNEES);
      const onCallEntry = onCallTimelineEntry(onCall, { assigned: assignees, rejected }, now);
      const state: IncidentState = onCallEntry ? { ...decision.state, timeline: [...decision.state.timeline, onCallEntry] } : decision.state;
      const labels = [...new Set([INCIDENT_LABEL, severityLabel(state.severity), statusLabel(state.status), ...config.incidents.labels, ...(options.labels ?? [])])];
      const issue = await withPriority(urgency, () => createIssue(octokit, repo, { title: incidentTitle(state), body: renderIncidentBody(state, renderOptions), labels, assignees }));
      await remember(issue.number, state);
      const previous = decision.previous ? ` (fired before in #${decision.previous.number})` : '';
      log.info({ incident: state.id, issue: issue.number, fingerprint: first.fingerprint, alerts: alerts.length }, `incident opened: #${issue.number}${previous}`);
      // Suspected changes (issue 6); never blocks or fails the incident.
      await withPriority(PRIORITY.suspects, () => correlateAfterIngest({ octokit, identity: options.identity, outcome: 'created', repo, issueNumber: issue.number, state, alerts, config, now, log, ...changeLogOf(options), ...(options.render ? { render: options.render } : {}) }));
      // GitHub created the labels the issue named; their colors and the other contract labels come
      // last (once per repository), so they never delay an incident and never fail one.
      await withPriority(PRIORITY.labels, () => ensureLabels(octokit, repo, { cache: options.coordination.labels })).catch((error: unknown) => log.warn({ err: error, incident: state.id }, 'could not create the contract labels; the next incident tries again'));
      return { outcome: 'created', issue: { number: issue.number, html_url: issue.html_url }, incident: state.id, comments: 0 };
    }

    // found is set whenever the decision is an update.
    const existing = found as IncidentIssue;
    const { state } = decision;
    const body = renderIncidentBody(state, { ...renderOptions, existingBody: existing.body });
    // Compared as it would be sent: a body cut to GitHub's limit is unchanged when the cut one is.
    const truncated = truncateBody(body);
    const current = labelNames(existing.labels);
    const plan = planLabels(current, { severity: state.severity, status: state.status });
    const before = readIncidentState(existing.body, scope).state;
    // A new alert message or priority (Opsgenie) renames the incident, unless people renamed the issue themselves.
    const retitled = before && incidentTitle(before) !== incidentTitle(state) && existing.title === incidentTitle(before) ? incidentTitle(state) : undefined;
    const changes = {
      ...(retitled ? { title: retitled } : {}),
      ...(truncated !== existing.body ? { body: truncated } : {}),
      ...(decision.reopen ? { state: 'open' as const } : {}),
      ...(decision.resolve ? { state: 'closed' as const, state_reason: 'completed' as const } : {}),
      ...(plan.add.length || plan.remove.length ? { labels: [...current.filter((label) => !plan.remove.includes(label)), ...plan.add] } : {}),
    };
    const write = planFieldWrite(changes);
    if (write.action === 'update') await octokit.rest.issues.update({ owner: repo.owner, repo: repo.repo, issue_number: existing.number, ...write.changes });
    for (const notice of decision.comments) {
      await createComment(octokit, repo, existing.number, notice.text, renderEventMarker({ type: `alert-${notice.type.replace(/\./g, '-')}`, at: now.toISOString(), incident: state.id }));
    }
    await remember(existing.number, state);
    const outcome: IngestOutcome = decision.reopen ? 'reopened' : decision.resolve ? 'resolved' : 'updated';
    log.info(
      { incident: state.id, issue: existing.number, fingerprint: first.fingerprint, alerts: alerts.length, comments: decision.comments.length },
      outcome === 'updated' ? 'alerts joined an open incident' : `incident ${outcome}: #${existing.number}`,
    );
    // New alerts joined: the suspects comment is recomputed in place (issue 6); never fails the batch.
    await withPriority(PRIORITY.suspects, () => correlateAfterIngest({ octokit, identity: options.identity, outcome, repo, issueNumber: existing.number, state, alerts, config, now, log, previousFingerprints: before?.fingerprints ?? [], ...changeLogOf(options), ...(options.render ? { render: options.render } : {}) }));
    return { outcome, issue: { number: existing.number, html_url: existing.html_url }, incident: state.id, comments: decision.comments.length };
  }
}
