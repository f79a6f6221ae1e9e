/**
 * `/deploys [window]` (triage): recomputes the incident's suspected changes now, optionally
 * looking further back, and edits the one suspects comment in place. The reply only points to
 * it, so the ranking lives in one place.
 */
import { candidateReference } from '../../domain/correlation/candidate.ts';
import { SUSPECTS_LOOKED_AT } from '../../domain/incident/incidentView.ts';
import { escapeInline, safeLink } from '../../domain/text/markdown.ts';
import { hasChangeApis, NO_CHANGE_APIS } from './changeOctokit.ts';
import type { Executor } from './commandContext.ts';
import { correlateIncident } from '../correlation/correlate.ts';
import { recordTimeline } from '../incidents/recordTimeline.ts';

export const deploys: Executor = async (context) => {
  const { request, event, config, session, now, octokit, log, render } = context;
  if (request.name !== 'deploys') throw new Error(`deploys cannot run /${request.name}`);
  if (!hasChangeApis(octokit)) return { ok: false, reply: NO_CHANGE_APIS };
  if (!session.state) return { ok: false, reply: '⚠️ `/deploys` works on incident issues only.' };
  const result = await correlateIncident({
    octokit,
    repo: event.repo,
    issueNumber: event.issue.number,
    state: session.state,
    config,
    now,
    log,
    render,
    recomputedBy: event.author.login,
    identity: context.identity,
    ...(request.windowBeforeMs ? { windowBeforeMs: request.windowBeforeMs } : {}),
  });
  // The first look at the suspects ticks "Check recent changes" in the body's first steps; later ones add nothing.
  if (!session.state.timeline.some((entry) => (SUSPECTS_LOOKED_AT as readonly string[]).includes(entry.type))) {
    recordTimeline(session, { at: now.toISOString(), type: 'suspects-reviewed', actor: event.author.login, text: 'Looked at the suspected changes (/deploys)', ref: event.comment.id });
  }
  const link = safeLink('Suspected changes', result.comment.html_url);
  const top = result.ranking.suspects[0];
  const window = request.window ? ` over the last ${escapeInline(request.window)} before the first alert` : '';
  const verb = result.outcome === 'unchanged' ? 'are unchanged' : result.outcome === 'created' ? 'posted' : 'updated';
  const summary =
    result.ranking.verdict === 'suspects' && top
      ? `most likely ${escapeInline(candidateReference(top.candidate, result.facts.serviceRepos[0]))} (${Math.round(top.score * 100)}%), roll back with \`${result.block.suspects[0]?.command ?? top.rollback}\``
      : `no likely suspect among ${result.ranking.considered} change${result.ranking.considered === 1 ? '' : 's'}`;
  return { ok: true, reply: `🔎 ${link} ${verb}${window}: ${summary}.` };
};
