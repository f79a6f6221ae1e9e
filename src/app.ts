import type { Probot } from 'probot';
import { z } from 'zod';
import { readIncidentState } from './domain/incident/incidentState.ts';
import { stateScope } from './domain/incident/stateSeal.ts';
import { guardStateBlock, type BodyEditEvent } from './features/incidents/guardStateBlock.ts';
import { parseCommands } from './domain/commands/parseCommands.ts';
import { configPushed } from './services/configSource.ts';
import { reconcileIssueEvent, type IssueEvent } from './features/incidents/reconcileIssueEvent.ts';
import { runCommands, type CommentEvent } from './features/commands/runCommands.ts';
import { indexMergedPostmortem, mergedPostmortemOf } from './features/postmortem/postmortem.ts';
import { isPostmortemOctokit } from './adapters/github/postmortemApi.ts';
import { findDispatchingIncident, outcomeOfClosedPull, outcomeOfDeploymentStatus, outcomeOfWorkflowRun, recordRollbackOutcome } from './features/rollback/recordRollbackOutcome.ts';
import { incidentKey } from './services/coordination.ts';
import type { Services } from './services/services.ts';
import { repoKey, repoName } from './domain/repo/repoRef.ts';
import { registerAlertDispatch } from './features/alerts/alertDispatch.ts';
import { registerStatusPageRefresh } from './features/statusPage/registerStatusPageRefresh.ts';
import { PRIORITY, withPriority } from './adapters/octokit/requestPriority.ts';
import { registerNotifications, type Notifier } from './features/notifications/registerNotifications.ts';

const account = z.object({ login: z.string().min(1), type: z.string() });

/** The part of an `issue_comment` payload firewatch relies on, checked rather than trusted. */
const commentPayload = z.object({
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
  issue: z.object({
    number: z.number().int().positive(),
    body: z.string().nullish(),
    labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).default([]),
    pull_request: z.unknown().optional(),
  }),
  comment: z.object({ id: z.number().int().positive(), body: z.string().nullish(), user: account.nullish() }),
  sender: account,
});

function commentEventFrom(payload: unknown): CommentEvent | { error: string } {
  const parsed = commentPayload.safeParse(payload);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const { repository, issue, comment, sender } = parsed.data;
  // A comment's author is who wrote it (`sender` when the payload lacks it); whether that is firewatch itself is decided by its `Identity`.
  const author = comment.user ?? sender;
  return {
    repo: { owner: repository.owner.login, repo: repository.name },
    issue: {
      number: issue.number,
      body: issue.body ?? null,
      labels: issue.labels.map((label) => (typeof label === 'string' ? label : label.name)),
      isPullRequest: issue.pull_request !== undefined,
    },
    comment: { id: comment.id, body: comment.body ?? '' },
    author,
  };
}

const issuePayload = z.object({
  action: z.enum(['labeled', 'unlabeled', 'closed', 'reopened']),
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
  issue: z.object({
    number: z.number().int().positive(),
    body: z.string().nullish(),
    labels: z.array(z.union([z.string(), z.object({ name: z.string() })])).nullish(),
    state_reason: z.string().nullish(),
    pull_request: z.unknown().optional(),
  }),
  label: z.object({ name: z.string() }).nullish(),
  sender: account,
});

const bodyEditPayload = z.object({
  repository: z.object({ name: z.string().min(1), owner: z.object({ login: z.string().min(1) }) }),
  issue: z.object({ number: z.number().int().positive(), body: z.string().nullish(), pull_request: z.unknown().optional() }),
  changes: z.object({ body: z.object({ from: z.string().nullish() }).optional() }).optional(),
  sender: account,
});

/** An `issues.edited` payload whose body changed, or `null` (title edits, pull requests, odd shapes). */
function bodyEditFrom(payload: unknown, at: Date): BodyEditEvent | null {
  const parsed = bodyEditPayload.safeParse(payload);
  if (!parsed.success || parsed.data.changes?.body === undefined || parsed.data.issue.pull_request) return null;
  const { repository, issue, changes, sender } = parsed.data;
  return {
    repo: { owner: repository.owner.login, repo: repository.name },
    issue: { number: issue.number, body: issue.body ?? null },
    before: changes?.body?.from ?? '',
    sender,
    at,
  };
}

function issueEventFrom(payload: unknown): IssueEvent | { error: string } {
  const parsed = issuePayload.safeParse(payload);
  if (!parsed.success) return { error: z.prettifyError(parsed.error) };
  const { action, repository, issue, label, sender } = parsed.data;
  return {
    action,
    repo: { owner: repository.owner.login, repo: repository.name },
    issue: {
      number: issue.number,
      body: issue.body ?? null,
      labels: (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)),
      stateReason: issue.state_reason ?? null,
    },
    ...(label ? { label: label.name } : {}),
    sender,
  };
}

/**
 * The firewatch Probot app, the same function for the server, the Action and tests. Only
 * `issue_comment.created` runs commands: edited and deleted comments never re-run them.
 * `issues.*` changes made by people are reconciled into the incident. Work on one issue runs one
 * delivery at a time, so two commands cannot both read the old body and overwrite each other.
 */
export type FirewatchApp = ((app: Probot) => void) & Notifier;

/** Whether an app function can say when its background work (notification deliveries) is done. */
export function hasBackgroundWork(app: unknown): app is Notifier {
  return typeof (app as Partial<Notifier> | null)?.idle === 'function';
}

/**
 * The app's event handlers, all registered here, with the process's `Services` (built once by its
 * runtime's composition root) passed down to the use cases.
 */
export interface AppOptions {
  /** Where notification targets' `urlEnv`/`secretEnv` are looked up; default `process.env` (the sandbox adds its inbox). */
  notificationEnv?: NodeJS.ProcessEnv;
}

export function createApp(services: Services, options: AppOptions = {}): FirewatchApp {
  // One per Probot the function is loaded into; shutdown waits for all of them.
  const notifiers: Notifier[] = [];
  const idle: Notifier['idle'] = async (options = {}) => (await Promise.all(notifiers.map((notifier) => notifier.idle(options)))).every(Boolean);
  return Object.assign(firewatch, { idle });
  function firewatch(app: Probot): void {
    const { clock, stateSeal, coordination } = services;
    const { metrics } = services.telemetry;
    const loadConfig = services.config.load;
    // Every writer of an incident (commands, alerts, sweeps, reconciliation, outcomes) serializes on its key.
    const oneAtATime = coordination.serialize;
    const incidentId = (repo: { owner: string; repo: string }, body: string | null | undefined) => readIncidentState(body, stateScope(stateSeal, repo)).state?.id ?? null;
    registerAlertDispatch(app, services);
    registerStatusPageRefresh(app, { clock, loadConfig, stateSeal });
    notifiers.push(registerNotifications(app, { clock, loadConfig, stateSeal, ...(options.notificationEnv ? { env: options.notificationEnv } : {}), ...(metrics ? { registry: metrics.registry } : {}) }));
    if (metrics) app.onAny((event) => metrics.webhooks.inc({ event: event.name }));

    // The one place a pushed `.github/firewatch.yml` is noticed: the next command, alert and sweep read it again.
    app.on('push', async (context) => {
      const repo = configPushed(context.payload);
      if (!repo) return;
      // An org's `.github` holds what the others `_extends`: all of them may have changed.
      services.config.invalidate(repo.repo === '.github' ? undefined : repo);
    });

    app.on('issue_comment.created', async (context) => {
      const event = commentEventFrom(context.payload);
      const base = context.log.child({ deliveryId: context.id });
      if ('error' in event) {
        base.warn({ problems: event.error }, 'issue_comment payload without the fields firewatch needs; ignored');
        return;
      }
      const log = base.child({ incident: incidentId(event.repo, event.issue.body), repo: repoName(event.repo), issue: event.issue.number });
      const identity = await services.identity.resolve();
      try {
        // A person waits on the answer: behind only new incidents when GitHub's budget binds.
        const result = await oneAtATime(incidentKey(event.repo, event.issue.number), () =>
          withPriority(PRIORITY.command, () => runCommands({ octokit: context.octokit, event, loadConfig, clock, log, coordination, stateSeal, render: services.templates.render, identity })),
        );
        for (const { command, outcome } of result.outcomes) metrics?.commands.inc({ command, outcome });
        // `/incident`, `/escalate @user`, `/commander @user`, a reopen: whoever the commands brought in is paged now.
        if (services.pager && result.outcomes.some((outcome) => outcome.outcome === 'ok')) {
          await services.pager.pageIssue(context.octokit, event.repo, event.issue.number, () => loadConfig(context.octokit, event.repo), log);
        }
      } catch (error) {
        for (const line of parseCommands(event.comment.body)) {
          metrics?.commands.inc({ command: line.kind === 'command' ? line.command.name : 'unknown', outcome: 'error' });
        }
        log.error({ err: error }, 'running commands failed');
        throw error;
      }
    });

    app.on(['issues.labeled', 'issues.unlabeled', 'issues.closed', 'issues.reopened'], async (context) => {
      const event = issueEventFrom(context.payload);
      const base = context.log.child({ deliveryId: context.id });
      if ('error' in event) {
        base.warn({ problems: event.error }, 'issues payload without the fields firewatch needs; ignored');
        return;
      }
      const identity = await services.identity.resolve();
      // Our own writes come back as events; acting on them would loop. Another app's are checked like a person's.
      if (identity.isOwnActor(event.sender)) return;
      const log = base.child({ incident: incidentId(event.repo, event.issue.body), repo: repoName(event.repo), issue: event.issue.number });
      const result = await oneAtATime(incidentKey(event.repo, event.issue.number), () =>
        reconcileIssueEvent({ octokit: context.octokit, event, loadConfig, clock, log, stateSeal, identity }),
      );
      log.debug({ action: event.action, ...result }, 'issues event handled');
    });

    // Only firewatch writes an incident's state block: a change by anyone else is put back (issue 16 item 9).
    app.on('issues.edited', async (context) => {
      const event = bodyEditFrom(context.payload, clock());
      if (!event) return;
      const log = context.log.child({ deliveryId: context.id, incident: incidentId(event.repo, event.before), repo: repoName(event.repo), issue: event.issue.number });
      const identity = await services.identity.resolve();
      const result = await oneAtATime(incidentKey(event.repo, event.issue.number), () => guardStateBlock({ octokit: context.octokit, event, loadConfig, stateSeal, log, identity }));
      log.debug({ ...result }, 'issue body edit checked');
    });

    // Outcomes of /rollback and /redeploy (issue 6): the revert PR merged or closed, the deployment finished.
    app.on(['pull_request.closed', 'deployment_status'], async (context) => {
      const identity = await services.identity.resolve();
      const outcome = context.name === 'pull_request' ? outcomeOfClosedPull(context.payload, identity) : outcomeOfDeploymentStatus(context.payload, identity);
      if (!outcome) return;
      const [owner = '', repo = ''] = outcome.link.incidentRepo.split('/');
      const log = context.log.child({ deliveryId: context.id, incident: outcome.link.incident ?? null, repo: outcome.link.incidentRepo, issue: outcome.link.issue });
      const { config } = await loadConfig(context.octokit, { owner, repo });
      const result = await oneAtATime(incidentKey({ owner, repo }, outcome.link.issue), () => recordRollbackOutcome({ octokit: context.octokit, outcome, timezone: config.timezone, log, stateSeal }));
      log.info({ outcome: outcome.type, result }, 'rollback outcome handled');
    });

    // A postmortem PR firewatch opened was merged: its row goes into the post_mortems README index on the default branch.
    app.on('pull_request.closed', async (context) => {
      const merged = mergedPostmortemOf(context.payload, await services.identity.resolve());
      const octokit: unknown = context.octokit;
      if (!merged || !isPostmortemOctokit(octokit)) return;
      const log = context.log.child({ deliveryId: context.id, repo: repoName(merged.repo), pull: merged.number });
      try {
        const result = await oneAtATime(`postmortem-index:${repoKey(merged.repo)}`, () => indexMergedPostmortem(octokit, merged));
        log.info({ path: merged.path, result }, 'postmortem index handled');
      } catch (error) {
        // The index is a convenience: a protected default branch keeps the old one, and the postmortem is merged either way.
        log.warn({ err: error, path: merged.path }, 'could not update the postmortem index in README.md');
      }
    });

    // The run a `/redeploy` dispatched (rollback.method: workflow) finished.
    app.on('workflow_run.completed', async (context) => {
      const run = outcomeOfWorkflowRun(context.payload, await services.identity.resolve());
      if (!run) return;
      const base = context.log.child({ deliveryId: context.id, repo: run.repo });
      const link = await findDispatchingIncident(context.octokit, run.repo, run.runUrl, stateSeal);
      if (!link) {
        base.debug({ run: run.runUrl }, 'workflow run not dispatched by /redeploy of a recent incident; ignored');
        return;
      }
      const [owner = '', repo = ''] = link.incidentRepo.split('/');
      const log = base.child({ incident: link.incident ?? null, issue: link.issue });
      const { config } = await loadConfig(context.octokit, { owner, repo });
      const outcome = { link, type: run.type, text: run.text, actor: run.actor, at: run.at };
      const result = await oneAtATime(incidentKey({ owner, repo }, link.issue), () => recordRollbackOutcome({ octokit: context.octokit, outcome, timezone: config.timezone, log, stateSeal }));
      log.info({ outcome: outcome.type, result }, 'workflow run outcome handled');
    });
  }
}
