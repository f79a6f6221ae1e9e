import { ownComments } from '../../services/identity.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { decideNextEscalation, escalationStepKey, notifiedEscalationSteps } from '../../domain/schedule/decideEscalation.ts';
import { settledReminders } from '../../domain/sweep/reminderMarker.ts';
import { assignableUsers } from '../../adapters/github/assignableUsers.ts';
import { listIssueComments, type ListCommentsOctokit } from '../../adapters/github/listIssueComments.ts';
import { applyChange, type CommandContext, type CommandResult, type Executor } from './commandContext.ts';

function canListComments(octokit: unknown): octokit is ListCommentsOctokit {
  const rest = (octokit as { rest?: { issues?: Record<string, unknown> } } | null)?.rest;
  return typeof rest?.issues?.['listComments'] === 'function';
}

/**
 * `/escalate` without a target: the next escalation-policy step nobody paged yet (the ack-SLO
 * sweep's markers and earlier replies say which were), or the on-call people not on the incident.
 * The reply's marker settles `escalation-N`, so the sweep carries on from the step after it.
 * GitHub calls: `issues.listComments` (only with a policy), `issues.checkUserCanBeAssigned` per person.
 */
async function escalateNext(context: CommandContext): Promise<CommandResult> {
  const { request, event, session, config } = context;
  if (request.name !== 'escalate') throw new Error(`escalate cannot run /${request.name}`);
  if (!session.state) return { ok: false, reply: `⚠️ #${event.issue.number} is not an incident issue.` };
  let reminderKeys = new Set<string>();
  if (config.oncall.escalation.steps.length > 0) {
    if (!canListComments(context.octokit)) throw new Error('/escalate needs issues.listComments to know which escalation steps were paged');
    const comments = await listIssueComments(context.octokit, event.repo, event.issue.number);
    // Only firewatch's own markers count: a person or another app pasting one must not be able to skip a step.
    const ours = ownComments(comments, context.identity);
    reminderKeys = settledReminders(ours.map((comment) => comment.body));
  }
  const plan = decideNextEscalation({
    schedule: config.oncall,
    now: context.now,
    notifiedSteps: notifiedEscalationSteps(session.state, [...reminderKeys, ...(session.reminders ?? [])]),
    assignees: [...(session.issue?.assignees ?? []), ...session.assign],
  });
  if (!plan.ok) return { ok: false, reply: plan.message };
  const { assignable } = plan.users.length ? await assignableUsers(context.octokit, event.repo, plan.users) : { assignable: [] };
  const result = applyChange(context, {
    name: 'escalate-next',
    ...(plan.kind === 'step' ? { step: { index: plan.index, count: plan.count } } : {}),
    users: plan.users,
    teams: plan.teams,
    assignable,
    ...(request.reason ? { reason: request.reason } : {}),
  });
  if (result.ok && plan.kind === 'step') session.reminders = [...(session.reminders ?? []), escalationStepKey(plan.index)];
  return result;
}

/**
 * `/escalate @user|@org/team [reason]`: brings in help. The person is assigned when GitHub allows
 * it; the reply mentions the target, which is what notifies a team. Without a target it brings
 * in the next escalation step (see `escalateNext`). GitHub calls: `issues.checkUserCanBeAssigned`
 * for a person.
 */
export const escalate: Executor = async (context) => {
  const { request, event } = context;
  if (request.name !== 'escalate') throw new Error(`escalate cannot run /${request.name}`);
  if (!request.target) return escalateNext(context);
  const { target } = request;
  if (target.kind === 'team' && target.org.toLowerCase() !== event.repo.owner.toLowerCase()) {
    return { ok: false, reply: `⚠️ \`/escalate\`: ${escapeInline(`@${target.org}/${target.slug}`)} is not a team of ${escapeInline(event.repo.owner)}; only its teams can be notified here. Name a team of ${escapeInline(event.repo.owner)} or a person.` };
  }
  const assignable = target.kind === 'user' ? (await assignableUsers(context.octokit, event.repo, [target.login])).assignable.length > 0 : false;
  return applyChange(context, { name: 'escalate', target, ...(request.reason ? { reason: request.reason } : {}), assignable });
};
