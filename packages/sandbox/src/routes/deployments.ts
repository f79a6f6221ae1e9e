/**
 * Deployments and deployment statuses. A deployment resolves its `ref` to a SHA when created;
 * statuses follow GitHub's `auto_inactive` rule (see `git/deployments.ts`).
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import type { DeploymentRecord, RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { addDeploymentStatus, createDeployment, deploymentJson, deploymentStatusJson } from '../git/deployments.ts';
import { resolveRef } from '../git/objects.ts';

const payload = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((text, ctx) => {
    try {
      const value: unknown = text === '' ? {} : JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // fall through to the issue below
    }
    ctx.addIssue({ code: 'custom', message: 'payload must be a JSON object' });
    return z.NEVER;
  }),
]);

const createSchema = z.object({
  ref: z.string().min(1),
  task: z.string().min(1).default('deploy'),
  auto_merge: z.boolean().optional(),
  required_contexts: z.array(z.string()).optional(),
  payload: payload.optional(),
  environment: z.string().min(1).default('production'),
  description: z.string().max(140).nullish(),
  transient_environment: z.boolean().optional(),
  production_environment: z.boolean().optional(),
});

const statusSchema = z.object({
  state: z.enum(['error', 'failure', 'inactive', 'in_progress', 'queued', 'pending', 'success']),
  target_url: z.string().optional(),
  log_url: z.string().optional(),
  description: z.string().max(140).optional(),
  environment: z.string().min(1).optional(),
  environment_url: z.string().optional(),
  auto_inactive: z.boolean().optional(),
});

function findDeployment(repo: RepoRecord, request: SandboxRequest): DeploymentRecord {
  const id = Number(request.params['deployment_id']);
  const deployment = Number.isInteger(id) ? repo.deployments.get(id) : undefined;
  if (!deployment) throw new HttpError(404, 'Not Found');
  return deployment;
}

function newestFirst<T extends { created_at: string; id: number }>(items: T[]): T[] {
  return [...items].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/deployments',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const q = request.query;
      const filters = { sha: q.get('sha'), ref: q.get('ref'), task: q.get('task'), environment: q.get('environment') };
      const matching = [...repo.deployments.values()].filter(
        (d) =>
          (!filters.sha || d.sha === filters.sha.toLowerCase()) &&
          (!filters.ref || d.ref === filters.ref) &&
          (!filters.task || d.task === filters.task) &&
          (!filters.environment || d.environment === filters.environment),
      );
      return paginated(sandbox.apiUrl, request, newestFirst(matching), (d) => deploymentJson(sandbox, repo, d));
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/deployments',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const input = parseBody(createSchema, request.body, 'Deployment');
      const sha = resolveRef(repo.git, input.ref);
      if (!sha) throw new HttpError(422, `No ref found for: ${input.ref}`);
      const deployment = createDeployment(sandbox, repo, sender, {
        sha,
        ref: input.ref,
        task: input.task,
        payload: input.payload ?? {},
        environment: input.environment,
        description: input.description ?? null,
      });
      return { status: 201, body: deploymentJson(sandbox, repo, deployment), headers: { location: `${sandbox.apiUrl}/repos/${repo.owner}/${repo.name}/deployments/${deployment.id}` } };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/deployments/{deployment_id}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: deploymentJson(sandbox, repo, findDeployment(repo, request)) };
    },
    { auth: 'optional' },
  );

  router.add('DELETE', '/repos/{owner}/{repo}/deployments/{deployment_id}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    actingUser(request);
    const deployment = findDeployment(repo, request);
    const active = deployment.statuses[deployment.statuses.length - 1]?.state === 'success';
    const others = [...repo.deployments.values()].filter((d) => d.id !== deployment.id && d.environment === deployment.environment);
    if (active && others.length) throw new HttpError(422, 'We cannot delete an active deployment unless it is the only deployment in a given environment.');
    repo.deployments.delete(deployment.id);
    return { status: 204 };
  });

  router.add(
    'GET',
    '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const deployment = findDeployment(repo, request);
      return paginated(sandbox.apiUrl, request, newestFirst(deployment.statuses), (s) => deploymentStatusJson(sandbox, repo, deployment, s));
    },
    { auth: 'optional' },
  );

  router.add(
    'POST',
    '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'write');
      const sender = actingUser(request);
      const deployment = findDeployment(repo, request);
      const input = parseBody(statusSchema, request.body, 'DeploymentStatus');
      const status = addDeploymentStatus(sandbox, repo, deployment, sender, {
        state: input.state,
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.environment ? { environment: input.environment } : {}),
        // `target_url` is the older name of `log_url`.
        ...((input.log_url ?? input.target_url) !== undefined ? { logUrl: input.log_url ?? input.target_url } : {}),
        ...(input.environment_url !== undefined ? { environmentUrl: input.environment_url } : {}),
        ...(input.auto_inactive !== undefined ? { autoInactive: input.auto_inactive } : {}),
      });
      return {
        status: 201,
        body: deploymentStatusJson(sandbox, repo, deployment, status),
        headers: { location: `${sandbox.apiUrl}/repos/${repo.owner}/${repo.name}/deployments/${deployment.id}/statuses/${status.id}` },
      };
    },
    { contentCreating: true },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const deployment = findDeployment(repo, request);
      const status = deployment.statuses.find((s) => s.id === Number(request.params['status_id']));
      if (!status) throw new HttpError(404, 'Not Found');
      return { status: 200, body: deploymentStatusJson(sandbox, repo, deployment, status) };
    },
    { auth: 'optional' },
  );
}
