import type { Identity } from '../../services/identity.ts';
import type { Clock } from '../../domain/time/clock.ts';
import type { FirewatchConfig } from '../../domain/config/config.ts';
import { NO_COMMENT_FACTS, planIncidentReminders, type CommentFacts, type IncidentFacts, type PolicyFacts } from '../../domain/sweep/planIncidentReminders.ts';
import { POSTMORTEM_REMINDER_WINDOW_DAYS } from '../../domain/sweep/planIncidentReminders.ts';
import { addLabels, type RestAddLabels } from '../../adapters/github/addLabels.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { commitFiles } from '../../adapters/github/commitFiles.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import type { RestListComments } from '../../adapters/github/listIssueComments.ts';
import type { ListedIssue, RestListIssues } from '../../adapters/github/listIssues.ts';
import type { IssueData, OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import { handoffActions } from './handoffActions.ts';
import { incidentReminderActions } from './incidentReminderActions.ts';
import { readCommentFacts, readIncidents, toIncidentFacts } from './readIncidents.ts';
import { parseReminderMarkers } from '../../domain/sweep/reminderMarker.ts';
import { getIssue } from '../../adapters/github/getIssue.ts';
import { incidentKey } from '../../services/coordination.ts';
import type { KeyLock } from '../../services/keyLock.ts';
import { stateScope, UNSEALED } from '../../domain/incident/stateSeal.ts';
import { renderSweep, type RenderSweep } from './renderSweep.ts';
import { reviewAction } from './reviewAction.ts';
import { canCommitReport } from './reviewReport.ts';
import { describeAction, repoName, type SweepAction } from './sweepAction.ts';
import type { SweepMemory } from './sweepMemory.ts';
import type { Log } from '../../services/log.ts';
import type { StateSeal } from '../../domain/incident/stateSeal.ts';

export { describeAction,   } from './sweepAction.ts';
export { SweepMemory } from './sweepMemory.ts';

/** Every GitHub call a sweep may make. */
export type SweepOctokit = OctokitWith<{ issues: RestListIssues & RestListComments & RestAddLabels & Pick<RestIssues, 'create' | 'createComment' | 'get'> }>;

const DAY = 86_400_000;

export interface SweepOptions {
  octokit: SweepOctokit;
  /** The incident repository; its `.github/firewatch.yml` is `config`. */
  repo: RepoRef;
  config: FirewatchConfig;
  clock: Clock;
  /** Plan only: read GitHub, write nothing. */
  dryRun?: boolean;
  /** Kept across sweeps by long-running runtimes so quiet sweeps cost only their list requests. */
  memory?: SweepMemory;
  render?: RenderSweep;
  log?: Log;
  /** Who firewatch is: only its own comments' markers (reminders sent, suspects, postmortems) are its state. */
  identity: Identity;
  /** Verifies incident state blocks (a forged one is not swept); default none. */
  stateSeal?: StateSeal;
  /**
   * The per-incident serialization every writer of an incident shares (`Coordination.serialize`):
   * an incident's reminders are re-checked and written under it, so a `/ack` that lands while the
   * sweep runs is never followed by an escalation. Default: in this call only.
   */
  serialize?: KeyLock;
}

export interface SweepResult {
  at: Date;
  repo: RepoRef;
  plan: SweepAction[];
  /** Actions carried out (all of the plan unless dry run, or until one failed). */
  executed: SweepAction[];
  /** Parts of the sweep that could not be planned (e.g. no post_mortems repository), in words. */
  problems: string[];
  /** The incidents the sweep read (open, and closed within the lookback): later tasks tell from them whether anything changed. */
  incidents: readonly IncidentFacts[];
}

/** `<owner>/post_mortems` unless the config names another repository. */
function reviewRepoOf(config: FirewatchConfig, repo: RepoRef): RepoRef {
  const named = config.sweeps.review.repo?.split('/');
  return named && named[0] && named[1] ? { owner: named[0], repo: named[1] } : { owner: repo.owner, repo: 'post_mortems' };
}

/** How far back closed incidents matter: the review period, postmortem reminders, and a margin. */
function closedLookbackMs(config: FirewatchConfig): number {
  const { review, postmortem } = config.sweeps;
  return Math.max(review.everyWeeks * 7 + 7, postmortem.afterDays + POSTMORTEM_REMINDER_WINDOW_DAYS + 1, 15) * DAY;
}

/**
 * Plans everything due at `clock()` from GitHub state only, then (unless `dryRun`) carries it
 * out: ack-SLO escalations, further escalation steps, stale-incident nudges, postmortem
 * reminders, the incident review issue (with its period's report committed beside it) and shift
 * handoffs. A sweep where nothing is due makes two
 * requests (open incidents, recently closed incidents); comments are read only for incidents
 * that may be due for something, and only when they changed since the last sweep (`memory`).
 */
export async function sweep(options: SweepOptions): Promise<SweepResult> {
  const { octokit, repo, config, memory } = options;
  const render = options.render ?? renderSweep;
  const now = options.clock();
  const zone = config.timezone;
  const policy: PolicyFacts = { oncall: config.oncall, ack: config.slo.ack, sweeps: config.sweeps, postmortem: config.postmortem.rules };
  const reviewRepo = reviewRepoOf(config, repo);
  const problems: string[] = [];

  const closedSince = new Date(now.getTime() - closedLookbackMs(config));
  const incidents = await readIncidents(octokit, repo, closedSince, options.stateSeal);
  const factsCache = new Map<number, CommentFacts>();
  const commentFacts = async (incident: IncidentFacts): Promise<CommentFacts> => {
    let facts = factsCache.get(incident.number);
    if (!facts) {
      facts = await readCommentFacts(octokit, repo, incident, reviewRepo, memory, options.identity);
      factsCache.set(incident.number, facts);
    }
    return facts;
  };

  const plan: SweepAction[] = [];
  for (const incident of incidents) {
    if (planIncidentReminders(incident, NO_COMMENT_FACTS, policy, now).length === 0) continue;
    const reminders = planIncidentReminders(incident, await commentFacts(incident), policy, now);
    for (const reminder of reminders) plan.push(...incidentReminderActions(repo, incident, reminder, { now, zone, ack: config.slo.ack, render }));
  }
  try {
    plan.push(...(await reviewAction({ octokit, incidentRepo: repo, reviewRepo, review: config.sweeps.review, zone, incidents, closedSince, commentFacts, now, memory, render })));
  } catch (error) {
    problems.push(`incident review in ${repoName(reviewRepo)}: ${error instanceof Error ? error.message : String(error)}`);
  }
  plan.push(...(await handoffActions({ octokit, repo, oncall: config.oncall, handoff: config.sweeps.handoff, zone, incidents, now, memory, render })));
  for (const problem of problems) options.log?.warn({ repo: repoName(repo) }, `sweep: ${problem}`);

  const executed: SweepAction[] = [];
  if (!options.dryRun) {
    const boards = new Map<string, number>();
    const failedFiles = new Set<string>();
    const serialize: KeyLock = options.serialize ?? ((_key, task) => task());
    const byNumber = new Map(incidents.map((incident) => [incident.number, incident]));
    const rechecked = new Set<number>();
    const run = async (action: SweepAction) => {
      if (action.kind === 'files') {
        // The report is an attachment: without it the review issue still opens, with the figures inline.
        try {
          await commitReport(octokit, action);
        } catch (error) {
          failedFiles.add(action.key);
          const problem = `report not committed to ${repoName(action.repo)}:${action.branch} ${action.directory}/: ${error instanceof Error ? error.message : String(error)}`;
          problems.push(problem);
          options.log?.warn({ repo: repoName(action.repo), reason: action.reason }, `sweep: ${problem}`);
          return;
        }
      } else {
        const chosen = action.kind === 'issue' && action.fallback && failedFiles.has(action.fallback.unless) ? { ...action, body: action.fallback.body } : action;
        await execute(octokit, chosen, boards);
        for (const key of action.kind === 'label' ? [] : (action.settles ?? [])) memory?.settle(key);
      }
      executed.push(action);
      options.log?.info({ repo: repoName(action.repo), reason: action.reason }, `sweep: ${describeAction(action)}`);
    };
    for (const action of plan) {
      const number = incidentTargetOf(action);
      const incident = number === undefined ? undefined : byNumber.get(number);
      if (!incident) {
        await run(action);
        continue;
      }
      // An incident's reminders are written together, under the lock every writer of it shares,
      // after checking that they are still due: the plan was made from a listing that a command
      // (an /ack, a resolution) may have overtaken since.
      if (rechecked.has(incident.number)) continue;
      rechecked.add(incident.number);
      const planned = plan.filter((candidate) => incidentTargetOf(candidate) === incident.number);
      await serialize(incidentKey(repo, incident.number), async () => {
        const due = await stillDue(incident, planned);
        if (due.length < planned.length) options.log?.info({ repo: repoName(repo), incident: incident.state.id, issue: incident.number }, `sweep: #${incident.number} changed since it was read; ${planned.length - due.length} of ${planned.length} reminders no longer due`);
        for (const action of due) await run(action);
      });
    }
  }
  return { at: now, repo, plan, executed, problems, incidents };

  /** The planned actions of an incident that are still due on the issue as it is now. */
  async function stillDue(incident: IncidentFacts, planned: SweepAction[]): Promise<SweepAction[]> {
    // GitHub's issue has the listing's fields (assignees among them); the adapter's type names fewer.
    const issue = (await getIssue(octokit, repo, incident.number)) as (IssueData & Partial<ListedIssue>) | undefined;
    const fresh = issue ? toIncidentFacts({ ...issue, updated_at: issue.updated_at ?? '', created_at: issue.created_at ?? '' }, stateScope(options.stateSeal ?? UNSEALED, repo)) : null;
    if (!fresh) return [];
    if (fresh.updatedAt === incident.updatedAt) return planned;
    const facts = await readCommentFacts(octokit, repo, fresh, reviewRepo, memory, options.identity);
    const reminders = planIncidentReminders(fresh, facts, policy, now);
    const freshPlan = reminders.flatMap((reminder) => incidentReminderActions(repo, fresh, reminder, { now, zone, ack: config.slo.ack, render }));
    return planned.filter((action) => freshPlan.some((candidate) => sameWrite(candidate, action)));
  }
}

/** The incident issue an action writes to, when it is one of an incident's reminders. */
function incidentTargetOf(action: SweepAction): number | undefined {
  if (action.kind === 'label') return action.issueNumber;
  if (action.kind === 'comment' && 'number' in action.target && action.reason !== 'review' && action.reason !== 'handoff') return action.target.number;
  return undefined;
}

/** The same write planned twice: the reminder keys in its marker (or the labels it adds) and the reason. */
function sameWrite(a: SweepAction, b: SweepAction): boolean {
  if (a.kind !== b.kind || a.reason !== b.reason) return false;
  if (a.kind === 'label' && b.kind === 'label') return a.labels.join(',') === b.labels.join(',');
  if (a.kind === 'comment' && b.kind === 'comment') return reminderKeysOf(a.marker) === reminderKeysOf(b.marker);
  return false;
}

async function commitReport(octokit: SweepOctokit, action: Extract<SweepAction, { kind: 'files' }>): Promise<void> {
  if (!canCommitReport(octokit)) throw new Error('this GitHub client cannot commit files');
  const parent = (await octokit.rest.git.getRef({ ...action.repo, ref: `heads/${action.branch}` })).data.object.sha;
  await commitFiles(octokit, action.repo, { branch: action.branch, parent, files: action.files, message: action.message });
}

async function execute(octokit: SweepOctokit, action: Exclude<SweepAction, { kind: 'files' }>, boards: Map<string, number>): Promise<void> {
  switch (action.kind) {
    case 'label':
      await addLabels(octokit, action.repo, action.issueNumber, action.labels);
      return;
    case 'issue':
      await createIssue(octokit, action.repo, { title: action.title, body: action.body, labels: action.labels });
      return;
    case 'comment': {
      let number: number;
      if ('number' in action.target) number = action.target.number;
      else {
        // Several handoffs in one sweep share the board opened for the first.
        const key = `${repoName(action.repo)}:${action.target.create.title}`;
        number = boards.get(key) ?? (await createIssue(octokit, action.repo, action.target.create)).number;
        boards.set(key, number);
      }
      await createComment(octokit, action.repo, number, action.body, action.marker);
      return;
    }
  }
}

function reminderKeysOf(marker: string): string {
  return parseReminderMarkers(marker).flatMap((fields) => fields.reminders).sort().join(',');
}
