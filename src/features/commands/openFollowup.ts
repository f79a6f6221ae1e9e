import { renderFollowupMarker } from '../../domain/text/followupMarker.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { atLeast } from '../../domain/commands/permissions.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import { applyChange, type Executor } from './commandContext.ts';

const FOLLOWUP_LABEL = 'follow-up';

/**
 * `/followup <title>`: opens an issue in the service's repository (`commands.followupRepos`, else
 * the incident's) and lists it in the incident's follow-up task list. GitHub calls: the author's
 * permission there when it is another repository (they must be able to open issues in it), then
 * `issues.create`.
 */
export const openFollowup: Executor = async (context) => {
  const { request, event, session, config, octokit } = context;
  if (request.name !== 'followup' || !session.state) throw new Error(`openFollowup cannot run /${request.name}`);
  const state = session.state;
  const here = `${event.repo.owner}/${event.repo.repo}`;
  const target = config.commands.followupRepos[state.service] ?? here;
  const [owner = '', repo = ''] = target.split('/');
  if (target.toLowerCase() !== here.toLowerCase()) {
    const permission = await getPermission(octokit, { owner, repo }, event.author.login);
    if (!atLeast(permission, 'read')) {
      return { ok: false, reply: `⚠️ \`/followup\`: follow-ups of ${escapeInline(state.service)} go to ${escapeInline(target)}, where you have no access (or it does not exist). Ask someone with access, or fix \`commands.followupRepos\`.` };
    }
  }
  const body = `${context.render('followup', {
    incidentId: state.id,
    incidentRef: `${escapeInline(here)}#${event.issue.number}`,
    author: escapeInline(`@${event.author.login}`),
    title: escapeInline(request.title),
  }).trimEnd()}\n\n${renderFollowupMarker({ incident: state.id, repo: here, issue: event.issue.number })}\n`;
  const issue = await createIssue(octokit, { owner, repo }, { title: request.title, body, labels: [FOLLOWUP_LABEL] });
  const result = applyChange(context, { name: 'followup', repo: target, number: issue.number, title: request.title });
  return result.ok ? { ok: true, reply: `${result.reply} (${issue.html_url})` } : result;
};
