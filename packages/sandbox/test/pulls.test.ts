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

async function branchWithFile(token: string, branch: string, path: string, content: string): Promise<void> {
  const octokit = octokitFor(sandbox, token);
  const { data: main } = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
  await octokit.rest.git.createRef({ ...repo, ref: `refs/heads/${branch}`, sha: main.object.sha });
  let sha: string | undefined;
  try {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path, ref: branch });
    if (!Array.isArray(data)) sha = data.sha;
  } catch {
    sha = undefined;
  }
  await octokit.rest.repos.createOrUpdateFileContents({ ...repo, path, branch, message: `Change ${path}`, content: Buffer.from(content).toString('base64'), ...(sha ? { sha } : {}) });
}

describe('pull requests over REST', () => {
  it('lists the seeded merged PRs newest first, in GitHub shapes', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const response = await bob.request('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'closed', per_page: 100 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/pulls', 200, response.data);
    expect(response.data.map((p) => p.number)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(response.data.every((p) => p.merged_at !== null && p.base.ref === 'main')).toBe(true);
    const open = await bob.rest.pulls.list({ ...repo });
    expect(open.data.map((p) => p.title)).toEqual(['Document the rollback procedure']);

    const { data: risky } = await bob.rest.pulls.get({ ...repo, pull_number: 7 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', 200, risky);
    expect(risky).toMatchObject({ merged: true, changed_files: 2, additions: 20, deletions: 2, user: { login: 'bob' } });
    expect(risky.labels.map((l) => l.name)).toEqual(['risky']);
    const { data: merge } = await bob.rest.git.getCommit({ ...repo, commit_sha: risky.merge_commit_sha ?? '' });
    expect(merge.parents.map((p) => p.sha)).toContain(risky.head.sha);
    expect(merge.message).toBe(`Merge pull request #7 from acme/${risky.head.ref}\n\nReserve inventory before authorizing payment`);

    const files = await bob.rest.pulls.listFiles({ ...repo, pull_number: 5 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', 200, files.data);
    expect(files.data).toEqual([expect.objectContaining({ filename: 'config/production.json', status: 'modified', additions: 2, deletions: 2 })]);
    expect(files.data[0]?.patch).toContain('-  "paymentsTimeoutMs": 2000,\n+  "paymentsTimeoutMs": 5000,');
    const commits = await bob.rest.pulls.listCommits({ ...repo, pull_number: 5 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/commits', 200, commits.data);
    expect(commits.data.map((c) => c.commit.message)).toEqual(['Raise payments timeout and connection pool in production']);
    expect((await bob.rest.pulls.checkIfMerged({ ...repo, pull_number: 7 })).status).toBe(204);
    expect(await statusOf(bob.rest.pulls.checkIfMerged({ ...repo, pull_number: 9 }))).toBe(404);
  });

  it('opens, edits and merges a PR, refusing what GitHub refuses, and emits valid webhooks', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    await branchWithFile('sandbox-bob', 'bob/limits', 'services/checkout/limits.js', 'export const MAX_ITEMS = 60;\n');
    const since = sandbox.deliveries().length;

    const created = await bob.request('POST /repos/{owner}/{repo}/pulls', { ...repo, title: 'Raise the cart limit', head: 'bob/limits', base: 'main', body: 'Customers hit 50.' });
    expect(created.status).toBe(201);
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/pulls', 201, created.data);
    expect(created.data).toMatchObject({ state: 'open', mergeable: true, commits: 1, additions: 1, changed_files: 1 });
    const number = created.data.number;
    const duplicate = await bob.rest.pulls.create({ ...repo, title: 'again', head: 'bob/limits', base: 'main' }).catch((e: { status: number; response: { data: unknown } }) => e);
    expect(duplicate).toMatchObject({ status: 422, response: { data: { errors: [{ message: 'A pull request already exists for acme:bob/limits.' }] } } });
    const empty = await bob.rest.pulls.create({ ...repo, title: 'nothing', head: 'main', base: 'bob/limits' }).catch((e: { status: number; response: { data: unknown } }) => e);
    expect(empty).toMatchObject({ status: 422, response: { data: { errors: [{ message: 'No commits between bob/limits and main' }] } } });
    expect(await statusOf(bob.rest.pulls.create({ ...repo, title: 'x', head: 'nope', base: 'main' }))).toBe(422);

    const edited = await bob.rest.pulls.update({ ...repo, pull_number: number, title: 'Raise the cart limit to 60' });
    expectMatchesOpenApi('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', 200, edited.data);
    expect(await statusOf(octokitFor(sandbox, 'sandbox-eve').rest.pulls.merge({ ...repo, pull_number: number }))).toBe(403);
    expect(await statusOf(bob.rest.pulls.merge({ ...repo, pull_number: number, sha: '0'.repeat(40) }))).toBe(409);

    const merged = await bob.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', { ...repo, pull_number: number, merge_method: 'squash' });
    expectMatchesOpenApi('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', 200, merged.data);
    expect(merged.data).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    const { data: main } = await bob.rest.repos.getBranch({ ...repo, branch: 'main' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/branches/{branch}', 200, main);
    expect(main.commit.sha).toBe(merged.data.sha);
    expect(main.commit.commit.message).toBe(`Raise the cart limit to 60 (#${number})\n\n* Change services/checkout/limits.js`);
    expect(await statusOf(bob.rest.pulls.merge({ ...repo, pull_number: number }))).toBe(405);

    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual(['pull_request.opened', 'pull_request.edited', 'push.', 'pull_request.closed']);
    events.forEach(expectValidWebhook);
    expect(events[1]?.payload?.['changes']).toEqual({ title: { from: 'Raise the cart limit' } });
    expect(events[3]?.payload?.['pull_request']).toMatchObject({ merged: true, merged_by: { login: 'bob' }, merge_commit_sha: merged.data.sha });
  });

  it('closes and reopens, and reports a conflicting PR as not mergeable', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    await branchWithFile('sandbox-bob', 'bob/timeout-a', 'config/staging.json', '{ "paymentsTimeoutMs": 1000 }\n');
    await branchWithFile('sandbox-bob', 'bob/timeout-b', 'config/staging.json', '{ "paymentsTimeoutMs": 9000 }\n');
    const { data: a } = await bob.rest.pulls.create({ ...repo, title: 'A', head: 'bob/timeout-a', base: 'main' });
    const { data: b } = await bob.rest.pulls.create({ ...repo, title: 'B', head: 'bob/timeout-b', base: 'main' });
    await bob.rest.pulls.merge({ ...repo, pull_number: a.number });
    const { data: conflicted } = await bob.rest.pulls.get({ ...repo, pull_number: b.number });
    expect(conflicted).toMatchObject({ mergeable: false, mergeable_state: 'dirty' });
    expect(await statusOf(bob.rest.pulls.merge({ ...repo, pull_number: b.number }))).toBe(405);

    const since = sandbox.deliveries().length;
    await bob.rest.pulls.update({ ...repo, pull_number: b.number, state: 'closed' });
    await bob.rest.pulls.update({ ...repo, pull_number: b.number, state: 'open' });
    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => d.action)).toEqual(['closed', 'reopened']);
    events.forEach(expectValidWebhook);
    expect(events[0]?.payload?.['pull_request']).toMatchObject({ merged: false, state: 'closed' });
  });
});
