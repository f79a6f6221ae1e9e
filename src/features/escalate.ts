import { escapeInline } from '../domain/markdown.ts';
import { assignableUsers } from '../github/assignableUsers.ts';
import { applyChange, type Executor } from './commandContext.ts';

/**
 * `/escalate @user|@org/team [reason]`: brings in help. The person is assigned when GitHub allows
 * it; the reply mentions the target, which is what notifies a team. Without a target there is
 * nobody to page: on-call schedules are not configured, and firewatch does not pretend to page.
 * GitHub calls: `issues.checkUserCanBeAssigned` for a person.
 */
export const escalate: Executor = async (context) => {
  const { request, event } = context;
  if (request.name !== 'escalate') throw new Error(`escalate cannot run /${request.name}`);
  if (!request.target) {
    return {
      ok: false,
      reply:
        '⚠️ `/escalate` without a target would page the secondary on-call, but no escalation policy or on-call schedule is configured for this repository yet, so nobody was paged. Name who should help: `/escalate @user reason` or `/escalate @org/team reason`.',
    };
  }
  const { target } = request;
  if (target.kind === 'team' && target.org.toLowerCase() !== event.repo.owner.toLowerCase()) {
    return { ok: false, reply: `⚠️ \`/escalate\`: ${escapeInline(`@${target.org}/${target.slug}`)} is not a team of ${escapeInline(event.repo.owner)}; only its teams can be notified here. Name a team of ${escapeInline(event.repo.owner)} or a person.` };
  }
  const assignable = target.kind === 'user' ? (await assignableUsers(context.octokit, event.repo, [target.login])).assignable.length > 0 : false;
  return applyChange(context, { name: 'escalate', target, ...(request.reason ? { reason: request.reason } : {}), assignable });
};
