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
import type { RestListIssues } from '../../adapters/github/listIssues.ts';
import type { OctokitWith, RepoRef, RestIssues } from '../../adapters/github/types.ts';
import { handoffActions } from './handoffActions.ts';
import { incidentReminderActions } from './incidentReminderActions.ts';
import { readCommentFacts, readIncidents } from './readIncidents.ts';
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
export type SweepOctokit = OctokitWith<{ issues: RestListIssues & RestListComments & RestAddLabels & Pick<RestIssues, 'create' | 'createComment'> }>;

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
    for (const action of plan) {
      if (action.kind === 'files') {
        // The report is an attachment: without it the review issue still opens, with the figures inline.
        try {
          await commitReport(octokit, action);
        } catch (error) {
          failedFiles.add(action.key);
          const problem = `report not committed to ${repoName(action.repo)}:${action.branch} ${action.directory}/: ${error instanceof Error ? error.message : String(error)}`;
          problems.push(problem);
          options.log?.warn({ repo: repoName(action.repo), reason: action.reason }, `sweep: ${problem}`);
          continue;
        }
      } else {
        const chosen = action.kind === 'issue' && action.fallback && failedFiles.has(action.fallback.unless) ? { ...action, body: action.fallback.body } : action;
        await execute(octokit, chosen, boards);
        for (const key of action.kind === 'label' ? [] : (action.settles ?? [])) memory?.settle(key);
      }
      executed.push(action);
      options.log?.info({ repo: repoName(action.repo), reason: action.reason }, `sweep: ${describeAction(action)}`);
    }
  }
  return { at: now, repo, plan, executed, problems, incidents };
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
