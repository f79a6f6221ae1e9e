/**
 * What became of a rollback, from webhooks: a revert PR opened by `/rollback` was merged (or
 * closed without merging), a deployment created by `/redeploy` succeeded or failed, or a
 * workflow run `/redeploy` dispatched completed. The hidden link in the PR body or the deployment
 * payload names the incident; a workflow run carries no such link (GitHub does not echo the
 * inputs), so its incident is the one whose timeline holds the run's URL, which `/redeploy`
 * recorded from the dispatch's run details. The outcome is added to its timeline (state block and
 * a comment whose marker records the entry). Redeliveries add nothing twice.
 *
 * GitHub calls: `issues.get`, `issues.update`, `issues.createComment`; for a workflow run one
 * `issues.listForRepo` first.
 */
import type { Identity } from '../../services/identity.ts';
import { z } from 'zod';
import { parseRollbackLink, rollbackLinkFromPayload, type RollbackLink } from '../../domain/correlation/rollbackLink.ts';
import { renderEventMarker } from '../../domain/text/eventMarker.ts';
import { readIncidentState, type TimelineEntry } from '../../domain/incident/incidentState.ts';
import { escapeInline, inlineCode, safeLink } from '../../domain/text/markdown.ts';
import { MITIGATING_ENTRIES, recordMitigation } from '../../domain/incident/mitigation.ts';
import { createComment } from '../../adapters/github/createComment.ts';
import { getIssue } from '../../adapters/github/getIssue.ts';
import type { OctokitWith, RestIssues } from '../../adapters/github/types.ts';
import { updateIssue } from '../../adapters/github/updateIssue.ts';
import type { RestListIssues } from '../../adapters/github/listIssues.ts';
import type { Render } from '../../adapters/templates/templates.ts';
import { renderIncidentBody } from '../incidents/renderIncidentBody.ts';
import type { Log } from '../../services/log.ts';
import { stateScope, UNSEALED, type StateSeal } from '../../domain/incident/stateSeal.ts';

export type OutcomeOctokit = OctokitWith<{ issues: Pick<RestIssues, 'get' | 'update' | 'createComment'> }>;

export interface RollbackOutcome {
  link: RollbackLink;
  type: 'rollback-merged' | 'rollback-closed' | 'redeploy-succeeded' | 'redeploy-failed';
  /** Markdown, user text escaped. */
  text: string;
  actor: string;
  at: string;
}

const login = z.object({ login: z.string() }).nullish();

const closedPull = z.object({
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }),
  pull_request: z.object({ number: z.number().int(), html_url: z.string(), body: z.string().nullish(), user: z.object({ login: z.string(), type: z.string() }), merged: z.boolean().nullish(), merged_by: login, merged_at: z.string().nullish(), closed_at: z.string().nullish() }),
});

const deploymentStatus = z.object({
  repository: z.object({ full_name: z.string() }),
  sender: z.object({ login: z.string() }),
  deployment_status: z.object({ state: z.string(), created_at: z.string(), environment: z.string().nullish(), log_url: z.string().nullish(), target_url: z.string().nullish() }),
  deployment: z.object({ id: z.number().int(), sha: z.string(), environment: z.string().nullish(), payload: z.unknown(), creator: z.object({ login: z.string(), type: z.string() }).nullish() }),
});

const workflowRun = z.object({
  action: z.literal('completed'),
  repository: z.object({ full_name: z.string() }),
  workflow_run: z.object({
    id: z.number().int(),
    name: z.string().nullish(),
    path: z.string().nullish(),
    run_number: z.number().int().nullish(),
    event: z.string(),
    conclusion: z.string().nullish(),
    html_url: z.string(),
    updated_at: z.string(),
    actor: z.object({ login: z.string(), type: z.string() }).nullish(),
    triggering_actor: z.object({ login: z.string(), type: z.string() }).nullish(),
  }),
});

/** A completed workflow run, before its incident is known. */
export interface WorkflowRunOutcome {
  /** `owner/name` the run belongs to: where the incident is looked for. */
  repo: string;
  runUrl: string;
  type: 'redeploy-succeeded' | 'redeploy-failed';
  text: string;
  actor: string;
  at: string;
}

/**
 * A `workflow_run.completed` payload of a run firewatch dispatched (`/redeploy` with
 * `rollback.method: workflow`), as an outcome; `null` for any other run. Skipped and neutral
 * runs did nothing, so they are not an outcome either.
 */
export function outcomeOfWorkflowRun(payload: unknown, identity: Identity): WorkflowRunOutcome | null {
  const parsed = workflowRun.safeParse(payload);
  if (!parsed.success) return null;
  const { workflow_run: run, repository } = parsed.data;
  const dispatcher = run.triggering_actor ?? run.actor;
  if (!dispatcher || run.event !== 'workflow_dispatch' || !identity.isOwnActor(dispatcher) || !run.conclusion) return null;
  const file = run.path?.split('/').pop() || run.name || 'workflow';
  const what = `Redeploy workflow run ${safeLink(`${file} #${run.run_number ?? run.id}`, run.html_url)}`;
  const common = { repo: repository.full_name, runUrl: run.html_url, actor: dispatcher.login, at: run.updated_at };
  if (run.conclusion === 'success') return { ...common, type: 'redeploy-succeeded', text: `${what} succeeded` };
  if (['failure', 'timed_out', 'cancelled', 'startup_failure'].includes(run.conclusion)) return { ...common, type: 'redeploy-failed', text: `${what} failed (${escapeInline(run.conclusion.replace(/_/g, ' '))})` };
  return null;
}

/** Incidents looked at for a run's URL: the most recently updated ones, where a fresh `/redeploy` is. */
const RECENT_INCIDENTS = 30;

/** The incident whose timeline recorded dispatching the run at `runUrl`, as a link; `null` when none did. */
export async function findDispatchingIncident(octokit: OctokitWith<{ issues: RestListIssues }>, repo: string, runUrl: string, stateSeal: StateSeal = UNSEALED): Promise<RollbackLink | null> {
  const [owner = '', name = ''] = repo.split('/');
  const scope = stateScope(stateSeal, { owner, repo: name });
  const { data: issues } = await octokit.rest.issues.listForRepo({ owner, repo: name, labels: 'incident', state: 'all', sort: 'updated', direction: 'desc', per_page: RECENT_INCIDENTS });
  for (const issue of issues) {
    if (issue.pull_request) continue;
    const state = readIncidentState(issue.body, scope).state;
    // The exact URL inside a Markdown link target: run 12 must not match run 123.
    if (state?.timeline.some((entry) => entry.type === 'redeploy' && entry.text.includes(`(${runUrl})`))) return { incidentRepo: repo, issue: issue.number, incident: state.id };
  }
  return null;
}

/** A `pull_request.closed` payload about a revert PR opened by `/rollback`, as an outcome; `null` for any other PR. */
export function outcomeOfClosedPull(payload: unknown, identity: Identity): RollbackOutcome | null {
  const parsed = closedPull.safeParse(payload);
  if (!parsed.success) return null;
  const { pull_request: pull, repository, sender } = parsed.data;
  // Only PRs firewatch opened: anyone (another app too) may write the hidden link into a PR body.
  if (!identity.isOwnActor(pull.user)) return null;
  const link = parseRollbackLink(pull.body);
  if (!link) return null;
  const reference = repository.full_name.toLowerCase() === link.incidentRepo.toLowerCase() ? `#${pull.number}` : `${repository.full_name}#${pull.number}`;
  const revert = safeLink(reference, pull.html_url);
  const what = link.reverts ? ` (reverting ${escapeInline(link.reverts)})` : '';
  if (pull.merged) {
    const by = pull.merged_by?.login ?? sender.login;
    return { link, type: 'rollback-merged', text: `Rollback ${revert}${what} merged by ${inlineCode(by)}`, actor: by, at: pull.merged_at ?? pull.closed_at ?? new Date().toISOString() };
  }
  return { link, type: 'rollback-closed', text: `Rollback ${revert}${what} closed without merging by ${inlineCode(sender.login)}`, actor: sender.login, at: pull.closed_at ?? new Date().toISOString() };
}

/** A `deployment_status` payload about a `/redeploy` deployment that finished, as an outcome; `null` otherwise. */
export function outcomeOfDeploymentStatus(payload: unknown, identity: Identity): RollbackOutcome | null {
  const parsed = deploymentStatus.safeParse(payload);
  if (!parsed.success) return null;
  const { deployment, deployment_status: status, sender } = parsed.data;
  if (!identity.isOwnActor(deployment.creator)) return null;
  const link = rollbackLinkFromPayload(deployment.payload);
  if (!link) return null;
  const environment = escapeInline(status.environment ?? deployment.environment ?? 'its environment');
  const logs = status.log_url ?? status.target_url;
  const where = logs ? ` (${safeLink('logs', logs)})` : '';
  const what = `Redeploy of ${inlineCode(deployment.sha.slice(0, 7))} to ${environment} (deployment ${deployment.id})`;
  if (status.state === 'success') return { link, type: 'redeploy-succeeded', text: `${what} succeeded${where}`, actor: sender.login, at: status.created_at };
  if (status.state === 'failure' || status.state === 'error') return { link, type: 'redeploy-failed', text: `${what} failed${where}`, actor: sender.login, at: status.created_at };
  return null;
}

const ICONS: Record<RollbackOutcome['type'], string> = { 'rollback-merged': '✅', 'rollback-closed': '⚠️', 'redeploy-succeeded': '✅', 'redeploy-failed': '❌' };

export async function recordRollbackOutcome(options: { octokit: OutcomeOctokit; outcome: RollbackOutcome; timezone?: string; log: Log; render?: Render; stateSeal?: StateSeal }): Promise<'recorded' | 'duplicate' | 'not-an-incident'> {
  const { octokit, outcome, log } = options;
  const [owner = '', repo = ''] = outcome.link.incidentRepo.split('/');
  const incidentRepo = { owner, repo };
  const issue = await getIssue(octokit, incidentRepo, outcome.link.issue);
  const scope = stateScope(options.stateSeal ?? UNSEALED, incidentRepo);
  const state = readIncidentState(issue?.body, scope).state;
  if (!issue || !state) {
    log.warn({ incident: outcome.link.incident ?? null, issue: outcome.link.issue }, `rollback outcome for ${outcome.link.incidentRepo}#${outcome.link.issue}, which is not an incident issue; ignored`);
    return 'not-an-incident';
  }
  if (state.timeline.some((entry) => entry.type === outcome.type && entry.text === outcome.text)) return 'duplicate';
  const entry: TimelineEntry = { at: new Date(Date.parse(outcome.at)).toISOString(), type: outcome.type, actor: outcome.actor, text: outcome.text, markdown: true };
  const recorded = { ...state, timeline: [...state.timeline, entry].sort((a, b) => a.at.localeCompare(b.at)) };
  const next = (MITIGATING_ENTRIES as readonly string[]).includes(outcome.type) ? recordMitigation(recorded, entry.at) : recorded;
  const body = renderIncidentBody(next, { timezone: options.timezone ?? 'UTC', existingBody: issue.body ?? null, scope, ...(options.render ? { render: options.render } : {}) });
  await updateIssue(octokit, incidentRepo, issue.number, { body });
  await createComment(octokit, incidentRepo, issue.number, `${ICONS[outcome.type]} ${outcome.text}.`, renderEventMarker({ type: outcome.type, at: entry.at, actor: outcome.actor, incident: state.id, entries: [entry] }));
  log.info({ incident: state.id, issue: issue.number, outcome: outcome.type }, 'rollback outcome recorded');
  return 'recorded';
}
