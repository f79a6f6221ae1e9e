/**
 * `/rollback #123 [--force]` (write): opens a revert PR of a merged PR with GitHub's
 * `revertPullRequest`, titled `[rollback] Revert "…"`, labelled `rollback`, its body naming the
 * incident (GitHub shows the cross-reference on the incident) and carrying a hidden link back so
 * the merge lands in the timeline. The incident records it in its timeline and the reply links
 * the PR. `/rollback` alone lists the suspects with their commands. With `rollback.method:
 * deployment` or `workflow` it refuses and points to `/redeploy`, the configured way back.
 *
 * GitHub calls: one GraphQL query (the PR and recent PRs that may already revert it), the
 * collaborator permission when the PR lives in another repository, the mutation, one label
 * request, and `enablePullRequestAutoMerge` with `rollback.autoMerge`.
 */
import { decideRollback, rollbackMethodRefusal } from '../../domain/correlation/decideRollback.ts';
import { renderRollbackLink } from '../../domain/correlation/rollbackLink.ts';
import { serviceScope } from '../../domain/correlation/serviceScope.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { escapeInline, inlineCode, safeLink } from '../../domain/text/markdown.ts';
import { findMarkedComment } from '../../adapters/github/findMarkedComment.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import { enableAutoMerge, fetchRollbackFacts, revertPullRequest } from '../../adapters/github/revertPullRequest.ts';
import { hasChangeApis, NO_CHANGE_APIS, type ChangeOctokit } from './changeOctokit.ts';
import type { CommandContext, CommandResult, Executor } from './commandContext.ts';
import { isSuspectsComment } from '../correlation/correlate.ts';
import { recordTimeline } from '../incidents/recordTimeline.ts';

const ROLLBACK_LABEL = 'rollback';

/** The reply to a bare `/rollback`: the suspects and their commands, or how to get them. */
async function listSuspects(octokit: ChangeOctokit, context: CommandContext): Promise<CommandResult> {
  const { event } = context;
  const { comment } = await findMarkedComment(octokit, { owner: event.repo.owner, repo: event.repo.repo, issue_number: event.issue.number }, isSuspectsComment, context.identity);
  const block = parseSuspectsBlock(comment?.body);
  const head = '⚠️ `/rollback` needs the pull request to revert, e.g. `/rollback #123`.';
  if (!block || block.suspects.length === 0) {
    return { ok: false, reply: `${head} There are no suspected changes for this incident yet: comment \`/deploys\` to rank the recent ones.` };
  }
  // Change events reported by other tools have no command: firewatch cannot undo them.
  const lines = block.suspects.slice(0, 3).map((s) => `- ${s.command ? `${inlineCode(s.command)} — ` : ''}${escapeInline(s.key)} (${Math.round(s.score * 100)}%)`);
  const verdict = block.verdict === 'suspects' ? 'The top suspects' : 'No change is a likely suspect; the closest were';
  return { ok: false, reply: `${head} ${verdict}${comment ? ` (${safeLink('suspected changes', comment.html_url)})` : ''}:\n\n${lines.join('\n')}` };
}

export const rollback: Executor = async (context) => {
  const { request, event, config, session, now } = context;
  if (request.name !== 'rollback') throw new Error(`rollback cannot run /${request.name}`);
  const { octokit } = context;
  if (!hasChangeApis(octokit)) return { ok: false, reply: NO_CHANGE_APIS };
  const state = session.state;
  if (!state) return { ok: false, reply: `⚠️ \`/rollback\` works on incident issues only.` };
  const { method } = config.correlation.rollback;
  if (method !== 'revert-pr') {
    const { comment } = await findMarkedComment(octokit, { owner: event.repo.owner, repo: event.repo.repo, issue_number: event.issue.number }, isSuspectsComment, context.identity);
    const block = parseSuspectsBlock(comment?.body);
    const example = block?.verdict === 'suspects' ? block.suspects.find((s) => s.command)?.command : undefined;
    const asked = request.target ? `${request.target.repo ?? ''}#${request.target.number}` : undefined;
    context.log.info({ incident: state.id, method }, 'rollback refused: the configured method is not revert-pr');
    return { ok: false, reply: rollbackMethodRefusal(method, asked, example) ?? '' };
  }
  if (!request.target) return listSuspects(octokit, context);

  const incidentRepo = `${event.repo.owner}/${event.repo.repo}`;
  const scope = serviceScope(config.routing, state.service, incidentRepo);
  const repo = request.target.repo ?? scope.repos[0] ?? incidentRepo;
  const asked = request.target.repo ? `${request.target.repo}#${request.target.number}` : `#${request.target.number}`;
  const [owner = '', name = ''] = repo.split('/');
  const sameRepo = repo.toLowerCase() === incidentRepo.toLowerCase();
  const lookup = await fetchRollbackFacts(octokit, repo, request.target.number);
  const permission = sameRepo ? context.permission : lookup.repo ? await getPermission(octokit, { owner, repo: name }, event.author.login) : 'none';
  const decision = decideRollback({ asked, pull: lookup.pull, others: lookup.others, serviceRepos: scope.repos, force: request.force, permission });
  if (!decision.ok) {
    context.log.info({ incident: state.id, target: `${repo}#${request.target.number}`, reason: decision.reason }, 'rollback refused');
    return { ok: false, reply: decision.message };
  }
  const { pull } = decision;

  const link = renderRollbackLink({ incidentRepo, issue: event.issue.number, incident: state.id, reverts: `${pull.repo}#${pull.number}`, by: event.author.login });
  const incidentRef = `${incidentRepo}#${event.issue.number}`;
  const body = [
    `Rolls back ${pull.repo}#${pull.number} for incident ${incidentRef} (${inlineCode(state.id)}: ${escapeInline(state.title)}), asked for by ${inlineCode(event.author.login)} with ${inlineCode(`/rollback ${asked}`)}.`,
    '',
    `Reverts ${pull.repo}#${pull.number}`,
    '',
    'Merging this pull request undoes the change; firewatch records the merge in the incident timeline.',
    '',
    link,
  ].join('\n');
  const title = `[rollback] Revert "${pull.title}"`.slice(0, 256);
  const revert = await revertPullRequest(octokit, { id: pull.id, title, body });
  if (!revert.ok) {
    const files = revert.conflicts.length ? `later changes conflict in ${revert.conflicts.map((file) => inlineCode(file)).join(', ')}` : escapeInline(revert.message);
    context.log.info({ incident: state.id, target: `${pull.repo}#${pull.number}`, conflicts: revert.conflicts }, 'revert not clean');
    return {
      ok: false,
      reply: `⚠️ Cannot roll back ${asked} cleanly: ${files}. Revert it by hand and resolve ${revert.conflicts.length === 1 ? 'that file' : 'those files'}${pull.mergeCommitSha ? ` (\`git revert -m 1 ${pull.mergeCommitSha.slice(0, 7)}\`)` : ''}, or roll forward with a fix.`,
    };
  }
  await octokit.rest.issues.addLabels({ owner, repo: name, issue_number: revert.number, labels: [ROLLBACK_LABEL] });
  let autoMerge = '';
  if (config.correlation.rollback.autoMerge) {
    const enabled = await enableAutoMerge(octokit, revert.id);
    autoMerge = enabled.ok ? ' Auto-merge is on: it merges when its checks pass.' : ` Auto-merge could not be enabled (${escapeInline(enabled.message)}); merge it by hand.`;
  }
  const revertRef = sameRepo ? `#${revert.number}` : `${pull.repo}#${revert.number}`;
  recordTimeline(session, {
    at: now.toISOString(),
    type: 'rollback',
    actor: event.author.login,
    text: `Rollback of ${escapeInline(asked)} opened: ${safeLink(revertRef, revert.url)}`,
    markdown: true,
    ref: event.comment.id,
  });
  context.log.info({ incident: state.id, target: `${pull.repo}#${pull.number}`, revert: revert.number }, 'revert PR opened');
  return {
    ok: true,
    reply: `↩️ Opened ${safeLink(`${revertRef} [rollback] Revert "${pull.title}"`, revert.url)} to roll back ${escapeInline(asked)}. It is labelled \`${ROLLBACK_LABEL}\` and links back here; merging it rolls back, and the merge shows up in the timeline.${autoMerge}`,
  };
};
