import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowDispatches } from '../src/routes/actions.ts';
import type { Sandbox } from '../src/index.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
const shop = { owner: 'acme', repo: 'shop' };
const ROUTE = '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches';

beforeAll(async () => {
  sandbox = await startSandbox();
  const alice = octokitFor(sandbox, 'sandbox-alice');
  await alice.rest.repos.createOrUpdateFileContents({
    ...shop,
    path: '.github/workflows/deploy.yml',
    message: 'Add the deploy workflow',
    content: Buffer.from('on:\n  workflow_dispatch:\n    inputs:\n      ref: {}\n').toString('base64'),
  });
  await alice.rest.repos.createOrUpdateFileContents({ ...shop, path: '.github/workflows/ci.yml', message: 'CI', content: Buffer.from('on: [push]\n').toString('base64') });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', () => {
  it('dispatches a workflow with inputs: 204, recorded, workflow_dispatch webhook', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const response = await bob.rest.actions.createWorkflowDispatch({ ...shop, workflow_id: 'deploy.yml', ref: 'main', inputs: { ref: 'abc1234', environment: 'production' } });
    expect(response.status).toBe(204);
    const repo = sandbox.repo('acme', 'shop');
    expect(repo && workflowDispatches(repo)).toEqual([expect.objectContaining({ workflow: '.github/workflows/deploy.yml', ref: 'main', inputs: { ref: 'abc1234', environment: 'production' }, actor: 'bob' })]);
    expect(sandbox.deliveries().some((d) => d.event === 'workflow_dispatch' && (d.payload?.['inputs'] as Record<string, string>)['ref'] === 'abc1234')).toBe(true);
  });

  it('returns run details when asked, in GitHub’s shape', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const response = await bob.request(`POST ${ROUTE}`, { ...shop, workflow_id: 'deploy.yml', ref: 'main', return_run_details: true });
    expect(response.status).toBe(200);
    expectMatchesOpenApi('POST', ROUTE, 200, response.data);
  });

  it('refuses read access, unknown workflows, workflows without workflow_dispatch and unknown refs', async () => {
    const eve = octokitFor(sandbox, 'sandbox-eve');
    const bob = octokitFor(sandbox, 'sandbox-bob');
    expect(await statusOf(eve.rest.actions.createWorkflowDispatch({ ...shop, workflow_id: 'deploy.yml', ref: 'main' }))).toBe(403);
    expect(await statusOf(bob.rest.actions.createWorkflowDispatch({ ...shop, workflow_id: 'nope.yml', ref: 'main' }))).toBe(404);
    expect(await statusOf(bob.rest.actions.createWorkflowDispatch({ ...shop, workflow_id: 'ci.yml', ref: 'main' }))).toBe(422);
    expect(await statusOf(bob.rest.actions.createWorkflowDispatch({ ...shop, workflow_id: 'deploy.yml', ref: 'no-such-branch' }))).toBe(422);
  });
});
