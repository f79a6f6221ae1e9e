import { escapeInline } from '../../domain/text/markdown.ts';
import type { IncidentCommand } from '../../domain/incident/transition.ts';
import { assignableUsers } from '../../adapters/github/assignableUsers.ts';
import { applyChange, type CommandContext, type Executor } from './commandContext.ts';
import { onIncidentResolved } from '../postmortem/postmortem.ts';

/** Roles go to people GitHub can assign here; anyone else is refused before anything changes. */
async function checkAssignable(context: CommandContext, login: string): Promise<string | undefined> {
  const { assignable } = await assignableUsers(context.octokit, context.event.repo, [login]);
  if (assignable.length) return undefined;
  const repo = `${context.event.repo.owner}/${context.event.repo.repo}`;
  return `⚠️ \`/${context.line.invokedAs}\`: ${escapeInline(`@${login}`)} cannot be assigned in ${escapeInline(repo)} (no such user, or no access to the repository). Name someone with access, or \`/escalate\` to notify people outside it.`;
}

/**
 * The commands that only change the incident itself (status, severity, roles, timeline, close,
 * reopen): the request becomes a state-machine command; writes happen once per comment.
 * GitHub calls: `issues.checkUserCanBeAssigned` for roles, nothing else.
 */
export const changeIncident: Executor = async (context) => {
  const { request } = context;
  let command: IncidentCommand;
  switch (request.name) {
    case 'ack':
    case 'reopen':
      command = { name: request.name };
      break;
    case 'severity':
    case 'status':
    case 'note':
    case 'resolve':
    case 'cancel':
      command = request;
      break;
    case 'commander':
    case 'comms':
    case 'responder': {
      if (request.name !== 'responder' || request.action === 'add') {
        const problem = await checkAssignable(context, request.login);
        if (problem) return { ok: false, reply: problem };
      }
      command = request;
      break;
    }
    default:
      throw new Error(`changeIncident cannot run /${request.name}`);
  }
  const result = applyChange(context, command);
  const resolves = request.name === 'resolve' || (request.name === 'status' && request.status === 'resolved');
  return resolves ? onIncidentResolved(context, result) : result;
};
