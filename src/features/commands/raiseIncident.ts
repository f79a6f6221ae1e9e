import { findCommand } from '../../domain/commands/commands.ts';
import { declareIncident } from '../../domain/incident/declareIncident.ts';
import { incidentTitle } from '../../domain/incident/incidentTitle.ts';
import { INCIDENT_LABEL, severityLabel, statusLabel } from '../../domain/incident/labels.ts';
import { escapeInline } from '../../domain/text/markdown.ts';
import { canRun } from '../../domain/commands/permissions.ts';
import { createIssue } from '../../adapters/github/createIssue.ts';
import { ensureLabels } from '../../adapters/github/ensureLabels.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import type { Executor } from './commandContext.ts';
import { renderIncidentBody } from '../incidents/renderIncidentBody.ts';
import { stateScope } from '../../domain/incident/stateSeal.ts';

/**
 * `/incident [P1..P5] <title>` (runbook: "raise"). An ordinary issue in the incident repository
 * becomes the incident in place (its text is kept below the generated sections). From a pull
 * request, or when `incidents.repo` is another repository, a new incident issue is opened there
 * (the author must be allowed to run `/incident` there too) and both link to each other.
 */
export const raiseIncident: Executor = async (context) => {
  const { request, event, session, config, octokit, now } = context;
  if (request.name !== 'incident') throw new Error(`raiseIncident cannot run /${request.name}`);
  if (session.state) {
    return { ok: false, reply: `⚠️ \`/incident\`: #${event.issue.number} is already incident \`${session.state.id}\` (${session.state.severity}, ${session.state.status}). Use \`/severity\` or \`/status\` to change it.` };
  }
  const severity = request.severity ?? config.incidents.defaultSeverity;
  const service = request.service ?? event.repo.repo;
  const here = `${event.repo.owner}/${event.repo.repo}`;
  const targetName = config.incidents.repo ?? here;
  const [owner = '', repo = ''] = targetName.split('/');
  const target = { owner, repo };

  if (!event.issue.isPullRequest && targetName.toLowerCase() === here.toLowerCase()) {
    const state = declareIncident({ title: request.title, severity, service, actor: event.author.login, now, ref: event.comment.id });
    // Before the runner's one write of this issue's labels and body: it has no later step for this.
    await ensureLabels(octokit, event.repo, { cache: context.labels });
    session.state = state;
    session.dirty = true;
    session.title = incidentTitle(state);
    session.entries.push(...state.timeline);
    return { ok: true, reply: `🔥 Declared incident \`${state.id}\` (**${severity}**, ${escapeInline(service)}): this issue is now the incident. Next: \`/ack\`, then \`/commander\` and \`/status\`.` };
  }

  const spec = findCommand('incident');
  const permission = await getPermission(octokit, target, event.author.login);
  if (!canRun(permission, spec, context.overrides)) {
    return { ok: false, reply: `⚠️ Cannot declare the incident in ${escapeInline(targetName)}, where incidents are filed: you have **${permission}** access there. Ask someone with access there to run \`/incident\`.` };
  }
  const state = declareIncident({ title: request.title, severity, service, actor: event.author.login, now, ref: event.comment.id, declaredFrom: { repo: here, number: event.issue.number } });
  // The labels are named in the create call (GitHub creates missing ones); their colors come after.
  const issue = await createIssue(octokit, target, {
    title: incidentTitle(state),
    body: renderIncidentBody(state, { timezone: config.timezone, render: context.render, scope: stateScope(context.scope.seal, target) }),
    labels: [...new Set([INCIDENT_LABEL, severityLabel(severity), statusLabel(state.status), ...config.incidents.labels])],
  });
  // The incident exists: a failure to color labels must not report the declaration as failed.
  await ensureLabels(octokit, target, { cache: context.labels }).catch((error: unknown) => context.log.warn({ err: error, incident: state.id }, 'could not create the contract labels; the next incident tries again'));
  return { ok: true, reply: `🔥 Declared incident \`${state.id}\` (**${severity}**, ${escapeInline(service)}) in ${escapeInline(targetName)}#${issue.number}: ${issue.html_url}. Run the incident's commands there.` };
};
