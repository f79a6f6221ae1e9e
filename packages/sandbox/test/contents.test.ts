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
const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('contents, commits, compare and branches', () => {
  it('reads files and directories at a ref', async () => {
    const eve = octokitFor(sandbox, 'sandbox-eve');
    const file = await eve.request('GET /repos/{owner}/{repo}/contents/{path}', { ...repo, path: 'config/production.json' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/contents/{path}', 200, file.data);
    if (Array.isArray(file.data) || file.data.type !== 'file') throw new Error('expected a file');
    expect(JSON.parse(Buffer.from(file.data.content, 'base64').toString('utf8'))).toMatchObject({ paymentsTimeoutMs: 5000 });

    const { data: history } = await eve.rest.repos.listCommits({ ...repo, path: 'config/production.json' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/commits', 200, history);
    const before = history.find((c) => c.parents.length === 0)?.sha ?? '';
    const old = await eve.rest.repos.getContent({ ...repo, path: 'config/production.json', ref: before });
    if (Array.isArray(old.data) || old.data.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(old.data.content, 'base64').toString('utf8')).toContain('"paymentsTimeoutMs": 2000');

    const dir = await eve.rest.repos.getContent({ ...repo, path: 'services/checkout' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/contents/{path}', 200, dir.data);
    expect(Array.isArray(dir.data) && dir.data.map((e) => `${e.type}:${e.name}`)).toEqual(['file:handler.js', 'file:inventory.js', 'file:orders.js']);
    expect(await statusOf(eve.rest.repos.getContent({ ...repo, path: 'nope.txt' }))).toBe(404);
  });

  it('creates, updates and deletes files as commits, checking the blob sha like GitHub', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const since = sandbox.deliveries().length;
    const created = await bob.request('PUT /repos/{owner}/{repo}/contents/{path}', { ...repo, path: 'docs/oncall.md', message: 'Add on-call notes', content: base64('page the IC\n') });
    expect(created.status).toBe(201);
    expectMatchesOpenApi('PUT', '/repos/{owner}/{repo}/contents/{path}', 201, created.data);
    const sha = created.data.content?.sha ?? '';
    // `git hash-object` of the content.
    expect(sha).toBe('62ada58613120b83ff795e44d7e70b5825da2e40');

    expect(await statusOf(bob.rest.repos.createOrUpdateFileContents({ ...repo, path: 'docs/oncall.md', message: 'no sha', content: base64('x\n') }))).toBe(422);
    expect(await statusOf(bob.rest.repos.createOrUpdateFileContents({ ...repo, path: 'docs/oncall.md', message: 'stale', content: base64('x\n'), sha: 'f'.repeat(40) }))).toBe(409);
    const updated = await bob.rest.repos.createOrUpdateFileContents({ ...repo, path: 'docs/oncall.md', message: 'Expand notes', content: base64('page the IC\nthen comms\n'), sha });
    expect(updated.status).toBe(200);
    expectMatchesOpenApi('PUT', '/repos/{owner}/{repo}/contents/{path}', 200, updated.data);

    const { data: commit } = await bob.rest.repos.getCommit({ ...repo, ref: 'main' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/commits/{ref}', 200, commit);
    expect(commit).toMatchObject({ sha: updated.data.commit.sha, author: { login: 'bob' }, stats: { additions: 1, deletions: 0, total: 1 } });
    expect(commit.files?.[0]).toMatchObject({ filename: 'docs/oncall.md', status: 'modified', patch: '@@ -1 +1,2 @@\n page the IC\n+then comms' });

    const deleted = await bob.request('DELETE /repos/{owner}/{repo}/contents/{path}', { ...repo, path: 'docs/oncall.md', message: 'Remove notes', sha: updated.data.content?.sha ?? '' });
    expectMatchesOpenApi('DELETE', '/repos/{owner}/{repo}/contents/{path}', 200, deleted.data);
    expect(deleted.data.content).toBeNull();
    expect(await statusOf(octokitFor(sandbox, 'sandbox-carol').rest.repos.createOrUpdateFileContents({ ...repo, path: 'x.md', message: 'triage cannot push', content: base64('x') }))).toBe(403);

    const pushes = sandbox.deliveries().slice(since);
    expect(pushes.map((d) => d.event)).toEqual(['push', 'push', 'push']);
    pushes.forEach(expectValidWebhook);
    expect(pushes[0]?.payload).toMatchObject({ ref: 'refs/heads/main', created: false, forced: false, head_commit: { message: 'Add on-call notes', added: ['docs/oncall.md'] } });
    expect(pushes[2]?.payload?.['head_commit']).toMatchObject({ removed: ['docs/oncall.md'] });
  });

  it('compares refs and lists branches', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: pull } = await bob.rest.pulls.get({ ...repo, pull_number: 9 });
    const compare = await bob.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `main...${pull.head.ref}` });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/compare/{basehead}', 200, compare.data);
    expect(compare.data).toMatchObject({ status: 'diverged', ahead_by: 1, total_commits: 1 });
    expect(compare.data.behind_by).toBeGreaterThan(0);
    expect(compare.data.files?.map((f) => f.filename)).toEqual(['README.md']);
    const { data: pulls } = await bob.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: pull.head.sha });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/commits/{commit_sha}/pulls', 200, pulls);
    expect(pulls.map((p) => p.number)).toEqual([9]);

    const branches = await bob.rest.repos.listBranches({ ...repo, per_page: 100 });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/branches', 200, branches.data);
    expect(branches.data.map((b) => b.name)).toContain(pull.head.ref);
  });
});

describe('git data', () => {
  it('stores blobs, trees and commits under the SHAs git computes, and moves refs like a push', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const blob = await bob.request('POST /repos/{owner}/{repo}/git/blobs', { ...repo, content: 'hello\n' });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/git/blobs', 201, blob.data);
    expect(blob.data.sha).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    const same = await bob.rest.git.createBlob({ ...repo, content: base64('hello\n'), encoding: 'base64' });
    expect(same.data.sha).toBe(blob.data.sha);
    const readBack = await bob.rest.git.getBlob({ ...repo, file_sha: blob.data.sha });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}', 200, readBack.data);

    const { data: main } = await bob.rest.git.getRef({ ...repo, ref: 'heads/main' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/git/ref/{ref}', 200, main);
    const { data: head } = await bob.rest.git.getCommit({ ...repo, commit_sha: main.object.sha });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/git/commits/{commit_sha}', 200, head);
    const tree = await bob.request('POST /repos/{owner}/{repo}/git/trees', { ...repo, base_tree: head.tree.sha, tree: [{ path: 'docs/deep/hello.txt', mode: '100644', type: 'blob', sha: blob.data.sha }] });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/git/trees', 201, tree.data);
    const recursive = await bob.rest.git.getTree({ ...repo, tree_sha: tree.data.sha, recursive: 'true' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha}', 200, recursive.data);
    expect(recursive.data.tree.map((e) => e.path)).toEqual(expect.arrayContaining(['docs', 'docs/deep', 'docs/deep/hello.txt', 'services/checkout/orders.js']));

    const commit = await bob.request('POST /repos/{owner}/{repo}/git/commits', { ...repo, message: 'Add hello', tree: tree.data.sha, parents: [main.object.sha], author: { name: 'Bob', email: 'bob@acme.example', date: '2026-01-01T00:00:00Z' } });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/git/commits', 201, commit.data);
    const branch = await bob.request('POST /repos/{owner}/{repo}/git/refs', { ...repo, ref: 'refs/heads/bob/hello', sha: main.object.sha });
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/git/refs', 201, branch.data);
    expect(await statusOf(bob.rest.git.createRef({ ...repo, ref: 'refs/heads/bob/hello', sha: main.object.sha }))).toBe(422);
    const moved = await bob.rest.git.updateRef({ ...repo, ref: 'heads/bob/hello', sha: commit.data.sha });
    expectMatchesOpenApi('PATCH', '/repos/{owner}/{repo}/git/refs/{ref}', 200, moved.data);
    expect(await statusOf(bob.rest.git.updateRef({ ...repo, ref: 'heads/bob/hello', sha: main.object.sha }))).toBe(422);
    await bob.rest.git.updateRef({ ...repo, ref: 'heads/bob/hello', sha: main.object.sha, force: true });
    const matching = await bob.rest.git.listMatchingRefs({ ...repo, ref: 'heads/bob/hello' });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', 200, matching.data);
    expect(matching.data.map((r) => r.ref)).toEqual(['refs/heads/bob/hello']);
    const since = sandbox.deliveries().length;
    expect((await bob.rest.git.deleteRef({ ...repo, ref: 'heads/bob/hello' })).status).toBe(204);
    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => d.event)).toEqual(['delete', 'push']);
    expectValidWebhook(events[1] as (typeof events)[number]);
    expect(await statusOf(bob.rest.git.getRef({ ...repo, ref: 'heads/bob/hello' }))).toBe(404);
  });
});
