/**
 * `/redeploy <environment> [ref]` (write), for teams that deploy by ref: puts back the given ref,
 * or the last good deployment before the top suspect, or what ran before the current deployment.
 * With `rollback.method: workflow` it dispatches the configured workflow with inputs; otherwise it
 * creates a deployment through the Deployments API, its payload linking back to the incident so
 * the deployment's outcome lands in the timeline.
 *
 * GitHub calls: one GraphQL query for the deployments, one comment read (when no ref is given),
 * the collaborator permission when the target repository is not the incident's, then
 * `repos.createDeployment` or `actions.createWorkflowDispatch` (asking for the run's details, so
 * the run's outcome can be matched to this incident).
 */
import { sameEnvironment } from '../../domain/correlation/classifyPath.ts';
import { decideRedeploy, type RedeployFacts } from '../../domain/correlation/decideRedeploy.ts';
import { serviceScope } from '../../domain/correlation/serviceScope.ts';
import { parseSuspectsBlock } from '../../domain/correlation/suspectsView.ts';
import { escapeInline, inlineCode, safeLink } from '../../domain/text/markdown.ts';
import { atLeast } from '../../domain/commands/permissions.ts';
import { fetchDeployments } from '../../adapters/github/fetchDeployments.ts';
import { findMarkedComment } from '../../adapters/github/findMarkedComment.ts';
import { getPermission } from '../../adapters/github/getPermission.ts';
import { hasChangeApis, NO_CHANGE_APIS } from './changeOctokit.ts';
import type { Executor } from './commandContext.ts';
import { isSuspectsComment } from '../correlation/correlate.ts';
import { recordTimeline } from '../incidents/recordTimeline.ts';

/** `{{ref}}`, `{{environment}}`, `{{incident}}`, `{{issue}}` in workflow inputs. */
function renderWorkflowInputs(inputs: Record<string, string>, values: Record<'ref' | 'environment' | 'incident' | 'issue', string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, template]) => [key, template.replace(/\{\{\s*(ref|environment|incident|issue)\s*\}\}/g, (_m, name: keyof typeof values) => values[name])]),
  );
}

/** `{ workflow_run_id, html_url }` of a dispatch asked to return run details; GitHub versions without them answer 204. */
function runDetails(data: unknown): { id: number; url: string } | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { workflow_run_id: id, html_url: url } = data as { workflow_run_id?: unknown; html_url?: unknown };
  return typeof id === 'number' && typeof url === 'string' ? { id, url } : undefined;
}

export const redeploy: Executor = async (context) => {
  const { request, event, config, session, now, octokit } = context;
  if (request.name !== 'redeploy') throw new Error(`redeploy cannot run /${request.name}`);
  if (!hasChangeApis(octokit)) return { ok: false, reply: NO_CHANGE_APIS };
  const state = session.state;
  if (!state) return { ok: false, reply: '⚠️ `/redeploy` works on incident issues only.' };

  const incidentRepo = `${event.repo.owner}/${event.repo.repo}`;
  const scope = serviceScope(config.routing, state.service, incidentRepo);
  const mainRepo = scope.repos[0] ?? incidentRepo;
  const { method, workflow } = config.correlation.rollback;
  const useWorkflow = method === 'workflow' && workflow !== undefined;
  const targetRepo = useWorkflow ? (workflow.repo ?? mainRepo) : mainRepo;
  const [owner = '', name = ''] = targetRepo.split('/');

  const deployments = await fetchDeployments(octokit, mainRepo);
  const facts: RedeployFacts = { deployments, ...(request.environment ? { environment: request.environment } : {}), ...(request.ref ? { ref: request.ref } : {}) };
  if (request.environment && !request.ref) {
    const { comment } = await findMarkedComment(octokit, { owner: event.repo.owner, repo: event.repo.repo, issue_number: event.issue.number }, isSuspectsComment, context.identity);
    const block = parseSuspectsBlock(comment?.body);
    const top = block?.verdict === 'suspects' ? block.suspects[0] : undefined;
    if (top?.before && sameEnvironment(block?.environment ?? 'production', request.environment)) facts.suggested = { ref: top.before, label: top.key };
  }
  const decision = decideRedeploy(facts);
  if (!decision.ok) return { ok: false, reply: `⚠️ ${decision.message}` };
  const environment = request.environment ?? '';

  if (targetRepo.toLowerCase() !== incidentRepo.toLowerCase()) {
    const permission = await getPermission(octokit, { owner, repo: name }, event.author.login);
    if (!atLeast(permission, 'write')) {
      return { ok: false, reply: `⚠️ Cannot redeploy ${escapeInline(environment)}: it needs **write** access to ${escapeInline(targetRepo)} and you have **${permission}** there. Ask someone with write access to ${escapeInline(targetRepo)}.` };
    }
  }

  const shortRef = /^[0-9a-f]{40}$/i.test(decision.ref) ? decision.ref.slice(0, 7) : decision.ref;
  const link = { incidentRepo, issue: event.issue.number, incident: state.id, ref: decision.ref, by: event.author.login };
  if (useWorkflow) {
    const inputs = renderWorkflowInputs(workflow.inputs, { ref: decision.ref, environment, incident: state.id, issue: `${incidentRepo}#${event.issue.number}` });
    // Run details give the run's URL: recorded in the timeline, it is how the run's outcome finds this incident.
    const dispatched = await octokit.rest.actions.createWorkflowDispatch({ owner, repo: name, workflow_id: workflow.id, ref: workflow.ref, inputs, return_run_details: true });
    const run = runDetails(dispatched.data);
    const runLink = run ? `, ${safeLink(`run ${run.id}`, run.url)}` : '';
    recordTimeline(session, { at: now.toISOString(), type: 'redeploy', actor: event.author.login, text: `Redeploy of ${inlineCode(shortRef)} to ${escapeInline(environment)} dispatched (workflow ${inlineCode(String(workflow.id))}${runLink})`, markdown: true, ref: event.comment.id });
    const given = Object.entries(inputs).map(([key, value]) => inlineCode(`${key}=${value}`)).join(', ');
    return {
      ok: true,
      reply: `🔁 Dispatched workflow ${inlineCode(String(workflow.id))} of ${escapeInline(targetRepo)} (ref ${inlineCode(workflow.ref)}${runLink}) to deploy ${escapeInline(decision.reason)} to **${escapeInline(environment)}**${given ? ` with inputs ${given}` : ''}.${run ? ' Its outcome shows up in the timeline.' : ''}`,
    };
  }

  const created = await octokit.rest.repos.createDeployment({
    owner,
    repo: name,
    ref: decision.ref,
    environment,
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
    description: `firewatch rollback for incident ${state.id}`.slice(0, 140),
    payload: { firewatch: link },
  });
  if (created.status !== 201 || created.data.id === undefined) {
    return { ok: false, reply: `⚠️ GitHub did not create the deployment of ${inlineCode(shortRef)} to ${escapeInline(environment)}${created.data.message ? `: ${escapeInline(created.data.message)}` : ''}.` };
  }
  recordTimeline(session, {
    at: now.toISOString(),
    type: 'redeploy',
    actor: event.author.login,
    text: `Redeploy of ${inlineCode(shortRef)} to ${escapeInline(environment)} requested (deployment ${created.data.id})`,
    markdown: true,
    ref: event.comment.id,
  });
  return { ok: true, reply: `🔁 Created deployment ${created.data.id} of ${escapeInline(decision.reason)} to **${escapeInline(environment)}** in ${escapeInline(mainRepo)}. Its outcome shows up in the timeline.` };
};
