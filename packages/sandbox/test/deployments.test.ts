import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { expectValidWebhook } from './support/webhookSchema.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const repo = { owner: 'acme', repo: 'shop' };

describe('deployments', () => {
  it('serves the seeded history: production deploys of merge commits, older ones inactive', async () => {
    const eve = octokitFor(sandbox, 'sandbox-eve');
    const { data: production } = await eve.rest.repos.listDeployments({ ...repo, environment: 'production' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/deployments', 200, production);
    expect(production).toHaveLength(4);
    const { data: risky } = await eve.rest.pulls.get({ ...repo, pull_number: 7 });
    expect(production[0]).toMatchObject({ sha: risky.merge_commit_sha, environment: 'production', creator: { login: 'bob' } });

    const latest = await eve.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: production[0]?.id ?? 0 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 200, latest.data);
    expect(latest.data.map((s) => s.state)).toEqual(['success', 'in_progress']);
    const previous = await eve.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: production[1]?.id ?? 0 });
    expect(previous.data.map((s) => s.state)).toEqual(['inactive', 'success', 'in_progress']);
  });

  it('creates a deployment from a ref and follows auto_inactive, emitting valid webhooks', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: main } = await bob.rest.git.getRef({ ...repo, ref: 'heads/main' });
    const since = sandbox.deliveries().length;
    const created = await bob.request('POST /repos/{owner}/{repo}/deployments', { ...repo, ref: 'main', environment: 'production', auto_merge: false, required_contexts: [], payload: { reason: 'redeploy' } });
    expect(created.status).toBe(201);
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/deployments', 201, created.data);
    if (!('id' in created.data)) throw new Error('expected a deployment');
    expect(created.data).toMatchObject({ sha: main.object.sha, ref: 'main', payload: { reason: 'redeploy' } });
    const id = Number(created.data.id);

    const status = await bob.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { ...repo, deployment_id: id, state: 'success', log_url: 'https://ci.acme.example/run/1', environment_url: 'https://shop.acme.example' });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses', 201, status.data);
    const one = await bob.rest.repos.getDeploymentStatus({ ...repo, deployment_id: id, status_id: Number(status.data.id) });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}', 200, one.data);
    const got = await bob.rest.repos.getDeployment({ ...repo, deployment_id: id });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/deployments/{deployment_id}', 200, got.data);

    const { data: production } = await bob.rest.repos.listDeployments({ ...repo, environment: 'production' });
    const { data: older } = await bob.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: production[1]?.id ?? 0 });
    expect(older[0]?.state).toBe('inactive');
    expect(await statusOf(bob.rest.repos.deleteDeployment({ ...repo, deployment_id: id }))).toBe(422);
    expect(await statusOf(bob.rest.repos.createDeployment({ ...repo, ref: 'no-such-branch' }))).toBe(422);
    expect(await statusOf(octokitFor(sandbox, 'sandbox-carol').rest.repos.createDeployment({ ...repo, ref: 'main' }))).toBe(403);

    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual(['deployment.created', 'deployment_status.created']);
    events.forEach(expectValidWebhook);
    expect(events[1]?.payload).toMatchObject({ deployment_status: { state: 'success', environment_url: 'https://shop.acme.example' }, deployment: { id } });
  });
});

describe('releases', () => {
  it('creates a release that tags the default branch and becomes the latest', async () => {
    const alice = octokitFor(sandbox, 'sandbox-alice');
    expect(await statusOf(alice.rest.repos.getLatestRelease(repo))).toBe(404);
    const created = await alice.request('POST /repos/{owner}/{repo}/releases', { ...repo, tag_name: 'v3.15.0', name: 'v3.15.0', body: 'Inventory reservations' });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/releases', 201, created.data);
    await alice.rest.repos.createRelease({ ...repo, tag_name: 'v3.16.0-rc.1', prerelease: true });
    const { data: latest } = await alice.rest.repos.getLatestRelease(repo);
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/releases/latest', 200, latest);
    expect(latest.tag_name).toBe('v3.15.0');
    const { data: list } = await alice.rest.repos.listReleases(repo);
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/releases', 200, list);
    expect(list.map((r) => r.tag_name)).toEqual(['v3.16.0-rc.1', 'v3.15.0']);
    const { data: tag } = await alice.rest.git.getRef({ ...repo, ref: 'tags/v3.15.0' });
    const { data: main } = await alice.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expect(tag.object.sha).toBe(main.object.sha);
    expect(await statusOf(alice.rest.repos.createRelease({ ...repo, tag_name: 'v3.15.0' }))).toBe(422);
  });
});
