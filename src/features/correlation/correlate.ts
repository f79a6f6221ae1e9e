/**
 * Deploy correlation for one incident: gather the incident's facts (its alerts, and the hints a
 * previous run kept), fetch the service's recent changes in bulk, rank them, and write ONE
 * "Suspected changes" comment, found again by its hidden block and edited in place. Cost: one
 * GraphQL query per repository of the service, up to four (two for a very busy one), one read of the
 * comments unless the incident was just opened, the patches of the few strongest PRs when the
 * alert says something a diff could match (one REST request each), and one write (none when
 * nothing changed). A service with more than four repositories has them read several to a query.
 * Never more than `REQUEST_BUDGET` in all: the read stops short of it, patches take what is left.
 */
import type { NormalizedAlert } from '../../domain/alerts/alert.ts';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import { buildCandidates } from '../../domain/correlation/buildCandidates.ts';
import { changeEventCandidates } from '../../domain/correlation/changeEvents.ts';
import { candidateKey, changedAt, type AlertStatement, type IncidentFacts } from '../../domain/correlation/candidate.ts';
import { sameEnvironment } from '../../domain/correlation/classifyPath.ts';
import { windowMs, type RollbackMethod } from '../../domain/correlation/correlationConfig.ts';
import { lastGoodBefore } from '../../domain/correlation/decideRedeploy.ts';
import { alertStatements, incidentFacts } from '../../domain/correlation/incidentFacts.ts';
import { patchTargets, withPatches } from '../../domain/correlation/patchTargets.ts';
import { rankSuspects, type Suspect, type SuspectRanking } from '../../domain/correlation/rankSuspects.ts';
import { releaseCandidates } from '../../domain/correlation/releaseCandidates.ts';
import { lookBackMs } from '../../domain/correlation/schedule.ts';
import { serviceScope } from '../../domain/correlation/serviceScope.ts';
import { parseSuspectsBlock, renderSuspectsBlock, suspectsBlock, suspectsView, SUSPECTS_BLOCK_KIND, type SuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import type { IncidentState } from '../../domain/incident/incidentState.ts';
import { truncateBody } from '../../domain/text/markdown.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { planWrite } from '../../domain/plan/planWrite.ts';
import { fetchChanges, type FetchedChanges, type GraphqlClient } from '../../adapters/github/fetchChanges.ts';
import { fetchPatches, type RestPullFiles } from '../../adapters/github/fetchPatches.ts';
import { findMarkedComment, type CommentData, type RestIssueComments } from '../../adapters/github/findMarkedComment.ts';
import type { RestListIssues } from '../../adapters/github/listIssues.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import { readChangeEvents, type ChangeLogCache, type ReadChangesResult } from './changeLog.ts';
import { renderTemplate, type Render } from '../../adapters/templates/templates.ts';
import type { Log } from '../../services/log.ts';
import type { Identity } from '../../services/identity.ts';

/** Without `pulls.listFiles` (narrow clients), correlation goes without patches. */
type CorrelateOctokit = GraphqlClient &
  OctokitWith<{ issues: Pick<RestIssues, 'createComment'> & Pick<RestIssueComments, 'listComments' | 'updateComment'> & Partial<RestListIssues>; pulls?: RestPullFiles }>;

/** GitHub requests one correlation may make, the comment write included. */
export const REQUEST_BUDGET = 10;
/** Of those, what reading change events may take: finding the change log (once per repository and ten minutes) and one page of it. */
const CHANGE_EVENT_REQUESTS = 2;

export interface CorrelateOptions {
  octokit: CorrelateOctokit;
  /** The incident's repository. */
  repo: RepoRef;
  issueNumber: number;
  state: IncidentState;
  /** Alerts just received, with every label and annotation (the state keeps only a few labels). */
  alerts?: readonly NormalizedAlert[];
  config: FirewatchConfig;
  now: Date;
  log: Log;
  render?: Render;
  /** The incident was opened a moment ago, so it has no suspects comment yet: no need to look. */
  fresh?: boolean;
  /** `/deploys 48h`: a longer look back than configured. */
  windowBeforeMs?: number;
  /** Who asked for the recompute, shown in the comment. */
  recomputedBy?: string;
  /** Who firewatch is: only its own suspects comment is updated (or read back). */
  identity: Identity;
  /** Where this process remembers each repository's change log (change events). */
  changeLog?: ChangeLogCache;
}

export interface CorrelateResult {
  outcome: 'created' | 'updated' | 'unchanged';
  comment: { id: number; html_url: string };
  facts: IncidentFacts;
  ranking: SuspectRanking;
  block: SuspectsBlock;
  /** GitHub requests made, the comment write included. */
  requests: number;
  notes: string[];
}

export function isSuspectsComment(body: string): boolean {
  return body.includes(`<!-- firewatch:${SUSPECTS_BLOCK_KIND} `);
}

/** Alerts as correlation needs them, from what is known: fresh alerts, kept hints, the tracked alerts. */
function alertsOf(state: IncidentState, fresh: readonly NormalizedAlert[], kept: SuspectsBlock | null): NormalizedAlert[] {
  const base = { source: 'generic' as const, status: 'firing' as const, severity: state.severity, service: state.service, links: { other: [] } };
  const known: NormalizedAlert[] = [
    ...fresh,
    // The hints a previous run kept; its words come back through `statements` (`correlateIncident`).
    ...(kept ? [{ ...base, fingerprint: 'kept-hints', title: '', labels: kept.labels, annotations: kept.annotations, startsAt: kept.firstAlertAt }] : []),
    ...state.alerts.map((alert) => ({ ...base, fingerprint: alert.fingerprint, title: alert.title, labels: alert.labels, annotations: {}, startsAt: alert.firstSeen })),
  ];
  if (known.length) return known;
  // Declared by hand (`/incident`): the declaration is the first sign.
  return [{ ...base, fingerprint: 'declared', title: state.title, labels: {}, annotations: {}, startsAt: state.triggeredAt }];
}

/** The last good deployment to the alerting environment before the suspect arrived there: what `/redeploy` goes back to. */
function previousRefFor(facts: IncidentFacts, deployments: FetchedChanges['deployments']): (suspect: Suspect) => string | undefined {
  const environment = facts.environment ?? 'production';
  return ({ candidate }) => {
    const arrivals = candidate.deployments.filter((d) => sameEnvironment(d.environment, environment)).map((d) => Date.parse(d.at));
    const arrived = candidate.kind === 'deployment' ? Date.parse(candidate.deployedAt) : arrivals.length ? Math.min(...arrivals) : Date.parse(changedAt(candidate));
    return lastGoodBefore(
      deployments.filter((d) => d.repo === candidate.repo),
      environment,
      arrived,
    )?.sha;
  };
}

/**
 * The command each suspect gets: with `rollback.method: revert-pr` a merged PR is reverted; with
 * `deployment` or `workflow` the environment goes back to what ran before the suspect arrived.
 */
function rollbackCommandFor(method: RollbackMethod, facts: IncidentFacts, deployments: FetchedChanges['deployments']): (suspect: Suspect) => string {
  const previousRef = previousRefFor(facts, deployments);
  return (suspect) => {
    if (method === 'revert-pr' || suspect.candidate.kind !== 'pull') return suspect.rollback;
    const before = previousRef(suspect);
    return before ? `/redeploy ${facts.environment ?? 'production'} ${before.slice(0, 7)}` : suspect.rollback;
  };
}

/** Fresh statements first, then those kept from earlier runs and the incident's summary, each once. */
function mergeStatements(fresh: readonly AlertStatement[], kept: readonly AlertStatement[], summary: string | undefined): AlertStatement[] {
  const all = [...fresh, ...kept, ...(summary ? alertStatements([{ title: '', summary }]) : [])];
  const seen = new Set<string>();
  return all.filter((statement) => {
    const key = `${statement.source}:${statement.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The comment without what changes on every run (the time, the hidden data), to skip no-op edits. */
function stable(body: string): string {
  return body
    .replace(/<!-- firewatch:[\s\S]*?-->/g, '')
    .replace(/<sub>[\s\S]*?<\/sub>/g, '')
    .trim();
}

export async function correlateIncident(options: CorrelateOptions): Promise<CorrelateResult> {
  const { octokit, repo, issueNumber, state, config, now } = options;
  const render = options.render ?? renderTemplate;
  const issue = { owner: repo.owner, repo: repo.repo, issue_number: issueNumber };
  let requests = 0;

  let existing: CommentData | undefined;
  if (!options.fresh) {
    const found = await findMarkedComment(octokit, issue, isSuspectsComment, options.identity);
    requests += found.requests;
    existing = found.comment;
  }
  const kept = parseSuspectsBlock(existing?.body);

  const scope = serviceScope(config.routing, state.service, `${repo.owner}/${repo.repo}`);
  const facts = incidentFacts(alertsOf(state, options.alerts ?? [], kept), scope);
  // What the alerts said in words survives in the kept block; the incident state keeps only names and a few labels.
  facts.statements = mergeStatements(facts.statements ?? [], kept?.statements ?? [], state.summary);
  const configured = windowMs(config.correlation);
  // `/deploys 48h` says how far to look; otherwise a job that runs weekly is looked at back to its last run.
  const rankOptions = { ...configured, windowBeforeMs: options.windowBeforeMs ?? lookBackMs(facts, configured.windowBeforeMs) };
  const firstAlertMs = Date.parse(facts.firstAlertAt);
  const window = { from: new Date(firstAlertMs - rankOptions.windowBeforeMs).toISOString(), to: new Date(firstAlertMs + rankOptions.windowAfterMs).toISOString() };

  // Change events first, within two requests (finding the change log, one page of it), leaving the rest to the changes.
  const changeEvents = await changeEventsOf(octokit, repo, window, options, Math.min(CHANGE_EVENT_REQUESTS, REQUEST_BUDGET - requests - 2));
  requests += changeEvents.requests;
  // The comment write is the one request that must always remain; the read may take the rest.
  const fetched = await fetchChanges(octokit, { repos: scope.repos, window, releaseBranches: config.correlation.releaseBranches, maxRequests: REQUEST_BUDGET - requests - 1 });
  requests += fetched.requests;
  facts.deployedEnvironments = fetched.deployedEnvironments;
  const candidates = [
    ...buildCandidates({ pulls: fetched.pulls, deployments: fetched.deployments }, window),
    ...releaseCandidates(fetched.releases, fetched.pulls, window),
    ...changeEventCandidates(changeEvents.records, window),
  ];
  const first = rankSuspects(facts, candidates, rankOptions);

  // The comment write is the one request that must always remain.
  const pullFiles = typeof octokit.rest.pulls?.listFiles === 'function' ? octokit.rest.pulls : undefined;
  const targets = pullFiles ? patchTargets(facts, first, REQUEST_BUDGET - requests - 1) : [];
  const patches = new Map<string, Record<string, string>>();
  for (const target of targets) {
    if (!pullFiles) break;
    requests++;
    try {
      patches.set(candidateKey(target), await fetchPatches(pullFiles, target.repo, target.number));
    } catch (error) {
      options.log.warn({ err: error, incident: state.id, pull: candidateKey(target) }, 'could not read the patch of a suspect; ranked without it');
    }
  }
  const ranking = patches.size ? rankSuspects(facts, withPatches(candidates, patches), rankOptions) : first;

  const commandFor = rollbackCommandFor(config.correlation.rollback.method, facts, fetched.deployments);
  const view = suspectsView(facts, ranking, {
    timezone: config.timezone,
    commandFor,
    notes: fetched.notes,
    now,
    ...(options.recomputedBy ? { recomputedBy: options.recomputedBy } : {}),
  });
  // The write is counted in: the block records what the whole run cost.
  const block = suspectsBlock(facts, ranking, { incident: state.id, requests: requests + 1, now, commandFor, beforeFor: previousRefFor(facts, fetched.deployments) });
  const text = render('suspects', view).trimEnd();
  const marker = `${renderSuspectsBlock(block)}\n${renderEventMarker({ type: 'suspects', at: now.toISOString(), incident: state.id, ...(options.recomputedBy ? { actor: options.recomputedBy } : {}) })}`;
  const top = ranking.suspects[0];
  const logLine = { incident: state.id, issue: issueNumber, verdict: ranking.verdict, considered: ranking.considered, top: top ? `${top.candidate.repo}:${top.candidate.kind}:${top.candidate.title}` : null, requests: requests + 1 };

  // Compared as shown: the volatile marker (requests, time) does not make a change.
  const write = planWrite(existing, text, (comment, desired) => stable(comment.body ?? '') === stable(desired));
  if (existing) {
    if (write.action === 'none') {
      options.log.info({ ...logLine, requests }, 'suspected changes unchanged');
      return { outcome: 'unchanged', comment: { id: existing.id, html_url: existing.html_url }, facts, ranking, block: { ...block, requests }, requests, notes: fetched.notes };
    }
    const body = truncateBody(text, { tail: `\n\n${marker}\n` });
    const { data } = await octokit.rest.issues.updateComment({ owner: repo.owner, repo: repo.repo, comment_id: existing.id, body });
    requests++;
    options.log.info(logLine, 'suspected changes updated');
    return { outcome: 'updated', comment: { id: data.id, html_url: data.html_url }, facts, ranking, block, requests, notes: fetched.notes };
  }
  const comment = await createComment(octokit, repo, issueNumber, text, marker);
  requests++;
  options.log.info(logLine, 'suspected changes posted');
  return { outcome: 'created', comment, facts, ranking, block, requests, notes: fetched.notes };
}

/** Change events of the incident repository's change log in the window; a failure to read them costs the ranking nothing else. */
async function changeEventsOf(octokit: CorrelateOctokit, repo: RepoRef, window: { from: string }, options: CorrelateOptions, maxRequests: number): Promise<ReadChangesResult> {
  const issues = octokit.rest.issues;
  if (typeof issues.listForRepo !== 'function' || maxRequests < 1) return { records: [], requests: 0 };
  try {
    return await readChangeEvents({ rest: { issues: { listForRepo: issues.listForRepo.bind(issues), listComments: issues.listComments.bind(issues) } } }, repo, new Date(window.from), options.changeLog, Date.now(), options.identity, maxRequests);
  } catch (error) {
    options.log.warn({ err: error, incident: options.state.id }, 'could not read the change events; ranked without them');
    return { records: [], requests: 1 };
  }
}

/** Whether an Octokit can run correlation (Probot's and @octokit/rest's can; narrow test fakes may not). */
function canCorrelate(octokit: unknown): octokit is CorrelateOctokit {
  if (typeof octokit !== 'object' || octokit === null) return false;
  const candidate = octokit as { graphql?: unknown; rest?: { issues?: Record<string, unknown> } };
  const issues = candidate.rest?.issues;
  return typeof candidate.graphql === 'function' && typeof issues?.['listComments'] === 'function' && typeof issues['updateComment'] === 'function' && typeof issues['createComment'] === 'function';
}

export interface AfterIngestOptions extends Omit<CorrelateOptions, 'octokit' | 'now'> {
  octokit: unknown;
  now: Date;
  /** `created`: the incident was just opened; `updated`: alerts joined it. */
  outcome: 'created' | 'updated' | 'reopened' | 'resolved' | 'ignored';
  /** Fingerprints the incident had before this batch, to tell when new alerts joined. */
  previousFingerprints?: readonly string[];
}

/**
 * Correlation as part of filing alerts: when an incident opens, and again when new alerts join
 * an open one. Never throws: the incident matters more than its suspects, so a failure is logged.
 */
export async function correlateAfterIngest(options: AfterIngestOptions): Promise<CorrelateResult | undefined> {
  const { octokit, outcome, log } = options;
  const joined = outcome === 'updated' && options.state.fingerprints.some((fingerprint) => !(options.previousFingerprints ?? []).includes(fingerprint));
  if (outcome !== 'created' && !joined) return undefined;
  if (!canCorrelate(octokit)) {
    log.debug({ incident: options.state.id }, 'deploy correlation skipped: this GitHub client has no GraphQL');
    return undefined;
  }
  try {
    return await correlateIncident({ ...options, octokit, fresh: outcome === 'created' });
  } catch (error) {
    log.error({ err: error, incident: options.state.id, issue: options.issueNumber }, 'deploy correlation failed; the incident is filed without suspects');
    return undefined;
  }
}
