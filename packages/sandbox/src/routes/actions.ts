/**
 * GitHub Actions, the one route firewatch uses: dispatching a workflow (`/redeploy` with
 * `rollback.method: workflow`). A workflow is a file in `.github/workflows/` at the ref; it must
 * declare `workflow_dispatch`, as on GitHub. No run is executed: the dispatch is recorded and the
 * `workflow_dispatch` webhook is emitted, which is what a test or a demo can observe.
 */
import { z } from 'zod';
import { actingUser, requireRepo } from '../auth.ts';
import { HttpError, type Router } from '../router.ts';
import { fullName } from '../shapes.ts';
import type { RepoRecord } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';
import { readBlob, readPath, resolveRef } from '../git/objects.ts';

const dispatchSchema = z.object({
  ref: z.string().min(1),
  inputs: z
    .record(z.string(), z.unknown())
    .refine((inputs) => Object.keys(inputs).length <= 25, 'inputs can have at most 25 properties')
    .optional(),
  return_run_details: z.boolean().optional(),
});

export interface WorkflowDispatch {
  workflow: string;
  ref: string;
  sha: string;
  inputs: Record<string, unknown>;
  actor: string;
  at: string;
}

const dispatches = new WeakMap<RepoRecord, WorkflowDispatch[]>();

/** Dispatches recorded for a repository since it was created (a reset creates new repositories). */
export function workflowDispatches(repo: RepoRecord): readonly WorkflowDispatch[] {
  return dispatches.get(repo) ?? [];
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    const sender = actingUser(request);
    const input = parseBody(dispatchSchema, request.body, 'WorkflowDispatch');
    const workflowId = request.params['workflow_id'] ?? '';
    // Numeric workflow ids are not modelled: workflows are known by their file name only.
    if (!/^[\w.-]+\.ya?ml$/.test(workflowId)) throw new HttpError(404, 'Not Found');
    const sha = resolveRef(repo.git, input.ref);
    if (!sha) throw new HttpError(422, `No ref found for: ${input.ref}`);
    const tree = repo.git.commits.get(sha)?.tree;
    const path = `.github/workflows/${workflowId}`;
    const entry = tree ? readPath(repo.git, tree, path) : undefined;
    if (!entry || entry.type !== 'blob') throw new HttpError(404, 'Not Found');
    const text = readBlob(repo.git, entry.sha)?.toString('utf8') ?? '';
    if (!/(^|[\s[,{])workflow_dispatch\b/m.test(text)) throw new HttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
    const at = sandbox.now().toISOString();
    const dispatch: WorkflowDispatch = { workflow: path, ref: input.ref, sha, inputs: input.inputs ?? {}, actor: sender.login, at };
    dispatches.set(repo, [...workflowDispatches(repo), dispatch]);
    sandbox.emit('workflow_dispatch', { inputs: dispatch.inputs, ref: input.ref.startsWith('refs/') ? input.ref : `refs/heads/${input.ref}`, workflow: path }, { repo, sender });
    if (!input.return_run_details) return { status: 204 };
    const runId = sandbox.nextId();
    return {
      status: 200,
      body: {
        workflow_run_id: runId,
        run_url: `${sandbox.apiUrl}/repos/${fullName(repo)}/actions/runs/${runId}`,
        html_url: `${sandbox.url}/${fullName(repo)}/actions/runs/${runId}`,
      },
    };
  });
}
