import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { Router } from '../src/router.ts';
import { register as registerApps } from '../src/routes/apps.ts';
import { register as registerCollaborators } from '../src/routes/collaborators.ts';
import { register as registerComments } from '../src/routes/comments.ts';
import { register as registerIssues } from '../src/routes/issues.ts';
import { register as registerLabels } from '../src/routes/labels.ts';
import { register as registerRateLimit } from '../src/routes/rateLimit.ts';
import { register as registerReactions } from '../src/routes/reactions.ts';
import { register as registerRepos } from '../src/routes/repos.ts';
import { register as registerSearch } from '../src/routes/search.ts';
import { register as registerUsers } from '../src/routes/users.ts';
import { expectMatchesOpenApi, openApiProblems } from './support/openapi.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
let bob: Octokit;
let carol: Octokit;
let eve: Octokit;

/** Calls `route` through Octokit and checks the response against GitHub's OpenAPI description. */
async function call(octokit: Octokit, route: string, params: Record<string, unknown> = {}): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }> {
  const response = await octokit.request(route, { owner: 'acme', repo: 'shop', ...params });
  const [method = '', template = ''] = route.split(' ');
  expectMatchesOpenApi(method, template, response.status, response.status === 204 ? undefined : response.data);
  return response as { status: number; data: unknown; headers: Record<string, unknown> };
}

type Json = Record<string, unknown>;

beforeAll(async () => {
  sandbox = await startSandbox();
  bob = octokitFor(sandbox, 'sandbox-bob');
  carol = octokitFor(sandbox, 'sandbox-carol');
  eve = octokitFor(sandbox, 'sandbox-eve');
});
afterAll(() => sandbox.close());

describe('route table', () => {
  it("registers only routes that exist in GitHub's OpenAPI description, under their exact templates", () => {
    const router = new Router();
    for (const register of [registerRepos, registerIssues, registerComments, registerLabels, registerReactions, registerSearch, registerCollaborators, registerUsers, registerApps, registerRateLimit]) register(router, sandbox);
    const routes = router.list();
    expect(routes.length).toBeGreaterThan(45);
    const unknown = routes.filter((r) => openApiProblems(r.method, r.template, 200, {}).some((p) => p.includes('is not in')));
    expect(unknown).toEqual([]);
  });
});

describe('repositories and users', () => {
  it('lists the org repositories and the installation repositories', async () => {
    const orgRepos = (await call(bob, 'GET /orgs/{org}/repos', { org: 'acme' })).data as Json[];
    expect(orgRepos.map((r) => r['full_name'])).toEqual(['acme/shop', 'acme/post_mortems']);
    const installation = (await call(octokitFor(sandbox, 'sandbox-firewatch'), 'GET /installation/repositories')).data as Json;
    expect(installation['total_count']).toBe(2);
    expect(await statusOf(bob.request('GET /installation/repositories'))).toBe(403);
  });

  it('checks whether a user is a collaborator (204/404)', async () => {
    expect((await call(bob, 'GET /repos/{owner}/{repo}/collaborators/{username}', { username: 'eve' })).status).toBe(204);
    expect(await statusOf(bob.request('GET /repos/{owner}/{repo}/collaborators/{username}', { owner: 'acme', repo: 'shop', username: 'firewatch[bot]' }))).toBe(404);
  });

  it('serves the seeded repository with the caller permissions and sandbox URLs', async () => {
    const { data } = await call(bob, 'GET /repos/{owner}/{repo}');
    const repo = data as Json;
    expect(repo['full_name']).toBe('acme/shop');
    expect(repo['html_url']).toBe(`${sandbox.url}/acme/shop`);
    expect(repo['permissions']).toMatchObject({ push: true, admin: false });
    expect((repo['owner'] as Json)['type']).toBe('Organization');
  });

  it('answers GET /user with the token owner and GET /users/{username} with a public profile', async () => {
    const me = (await call(bob, 'GET /user')).data as Json;
    expect(me['login']).toBe('bob');
    const alice = (await call(bob, 'GET /users/{username}', { username: 'alice' })).data as Json;
    expect(alice['login']).toBe('alice');
    expect(await statusOf(bob.request('GET /users/{username}', { username: 'nobody' }))).toBe(404);
  });

  it('reports collaborator permissions with legacy permission and real role', async () => {
    const carolPerm = (await call(bob, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', { username: 'carol' })).data as Json;
    expect(carolPerm).toMatchObject({ permission: 'read', role_name: 'triage' });
    const alicePerm = (await call(bob, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', { username: 'alice' })).data as Json;
    expect(alicePerm).toMatchObject({ permission: 'admin', role_name: 'admin' });
    const botPerm = (await call(bob, 'GET /repos/{owner}/{repo}/collaborators/{username}/permission', { username: 'firewatch[bot]' })).data as Json;
    expect(botPerm['permission']).toBe('write');
  });

  it('checks assignees and lists collaborators', async () => {
    expect((await call(bob, 'GET /repos/{owner}/{repo}/assignees/{assignee}', { assignee: 'carol' })).status).toBe(204);
    expect(await statusOf(bob.request('GET /repos/{owner}/{repo}/assignees/{assignee}', { owner: 'acme', repo: 'shop', assignee: 'mallory' }))).toBe(404);
    const collaborators = (await call(bob, 'GET /repos/{owner}/{repo}/collaborators')).data as Json[];
    expect(collaborators.map((c) => c['login'])).toEqual(expect.arrayContaining(['alice', 'bob', 'carol', 'eve']));
    await call(bob, 'GET /repos/{owner}/{repo}/assignees');
  });
});

describe('issues', () => {
  it('creates, reads, edits, closes and reopens an issue', async () => {
    const created = await call(bob, 'POST /repos/{owner}/{repo}/issues', { title: 'Checkout latency', body: 'p99 > 2s', labels: ['incident', 'sev:P2'], assignees: ['carol'] });
    expect(created.status).toBe(201);
    const issue = created.data as Json;
    const number = issue['number'] as number;
    expect(issue['html_url']).toBe(`${sandbox.url}/acme/shop/issues/${number}`);
    expect((issue['labels'] as Json[]).map((l) => l['name'])).toEqual(['incident', 'sev:P2']);
    expect((issue['assignee'] as Json)['login']).toBe('carol');
    expect((issue['user'] as Json)['login']).toBe('bob');

    const fetched = (await call(bob, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number })).data as Json;
    expect(fetched['title']).toBe('Checkout latency');

    const closed = (await call(bob, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number, state: 'closed', state_reason: 'not_planned', title: 'Checkout latency (dup)', labels: ['incident'] })).data as Json;
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'not_planned', title: 'Checkout latency (dup)' });
    expect((closed['closed_by'] as Json)['login']).toBe('bob');
    expect((closed['labels'] as Json[]).map((l) => l['name'])).toEqual(['incident']);

    const reopened = (await call(bob, 'PATCH /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number, state: 'open' })).data as Json;
    expect(reopened).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
  });

  it('locks and unlocks, and refuses comments from readers while locked', async () => {
    const { data } = await call(bob, 'POST /repos/{owner}/{repo}/issues', { title: 'Heated' });
    const number = (data as Json)['number'] as number;
    expect((await call(carol, 'PUT /repos/{owner}/{repo}/issues/{issue_number}/lock', { issue_number: number, lock_reason: 'too heated' })).status).toBe(204);
    const locked = (await call(bob, 'GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: number })).data as Json;
    expect(locked).toMatchObject({ locked: true, active_lock_reason: 'too heated' });
    expect(await statusOf(eve.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: number, body: 'hi' }))).toBe(403);
    expect((await call(carol, 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/lock', { issue_number: number })).status).toBe(204);
    expect((await eve.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: number, body: 'hi' })).status).toBe(201);
  });

  it('lists issues with filters, sorting and link-header pagination', async () => {
    for (const title of ['page-a', 'page-b', 'page-c']) await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title, labels: ['paging'] });
    const first = await call(bob, 'GET /repos/{owner}/{repo}/issues', { labels: 'paging', per_page: 2, direction: 'asc' });
    expect((first.data as Json[]).map((i) => i['title'])).toEqual(['page-a', 'page-b']);
    expect(String(first.headers['link'])).toContain('rel="next"');
    const all = await bob.paginate(bob.rest.issues.listForRepo, { owner: 'acme', repo: 'shop', labels: 'paging', per_page: 2 });
    expect(all.map((i) => i.title)).toEqual(['page-c', 'page-b', 'page-a']);
    const closedOnly = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'closed' });
    expect(closedOnly.data.every((i) => i.state === 'closed')).toBe(true);
  });

  it('adds and removes assignees', async () => {
    const { data } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Assign me' });
    const added = await call(carol, 'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees', { issue_number: data.number, assignees: ['alice', 'bob'] });
    expect(((added.data as Json)['assignees'] as Json[]).map((a) => a['login'])).toEqual(['alice', 'bob']);
    const removed = await call(carol, 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/assignees', { issue_number: data.number, assignees: ['alice'] });
    expect(((removed.data as Json)['assignees'] as Json[]).map((a) => a['login'])).toEqual(['bob']);
  });
});

describe('comments', () => {
  it('creates, lists, gets, edits and deletes comments', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Comments' });
    const created = (await call(eve, 'POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: issue.number, body: '/help' })).data as Json;
    expect(created['html_url']).toBe(`${sandbox.url}/acme/shop/issues/${issue.number}#issuecomment-${String(created['id'])}`);
    const listed = (await call(bob, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { issue_number: issue.number })).data as Json[];
    expect(listed.map((c) => c['body'])).toEqual(['/help']);
    await call(bob, 'GET /repos/{owner}/{repo}/issues/comments', {});
    const got = (await call(bob, 'GET /repos/{owner}/{repo}/issues/comments/{comment_id}', { comment_id: created['id'] })).data as Json;
    expect((got['user'] as Json)['login']).toBe('eve');
    const edited = (await call(eve, 'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { comment_id: created['id'], body: '/help please' })).data as Json;
    expect(edited['body']).toBe('/help please');
    expect((await call(bob, 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { comment_id: created['id'] })).status).toBe(204);
    expect(await statusOf(bob.rest.issues.getComment({ owner: 'acme', repo: 'shop', comment_id: created['id'] as number }))).toBe(404);
  });

  it('refuses bodies over 65,536 characters with 422, as GitHub does (issues, comments, edits)', async () => {
    const long = 'x'.repeat(65_537);
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Long bodies' });
    expect(await statusOf(bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Too long', body: long }))).toBe(422);
    expect(await statusOf(bob.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: long }))).toBe(422);
    expect(await statusOf(bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: long }))).toBe(422);
    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: long.slice(1) });
    expect(await statusOf(bob.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: comment.id, body: long }))).toBe(422);
  });

  it('lets only the author or write+ edit a comment', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Edit rights' });
    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'by bob' });
    expect(await statusOf(eve.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: comment.id, body: 'hijacked' }))).toBe(403);
    expect(await statusOf(carol.rest.issues.deleteComment({ owner: 'acme', repo: 'shop', comment_id: comment.id }))).toBe(403);
    const { data: eves } = await eve.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'by eve' });
    expect((await bob.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: eves.id, body: 'moderated' })).data.body).toBe('moderated');
  });
});

describe('labels', () => {
  it('creates, reads, renames and deletes repository labels', async () => {
    const created = await call(bob, 'POST /repos/{owner}/{repo}/labels', { name: 'sev:P1', color: 'B60205', description: 'Critical' });
    expect(created.status).toBe(201);
    expect((created.data as Json)['color']).toBe('b60205');
    expect(await statusOf(bob.rest.issues.createLabel({ owner: 'acme', repo: 'shop', name: 'SEV:p1' }))).toBe(422);
    const listed = (await call(bob, 'GET /repos/{owner}/{repo}/labels', { per_page: 100 })).data as Json[];
    expect(listed.map((l) => l['name'])).toContain('sev:P1');
    await call(bob, 'GET /repos/{owner}/{repo}/labels/{name}', { name: 'sev:P1' });
    const renamed = (await call(bob, 'PATCH /repos/{owner}/{repo}/labels/{name}', { name: 'sev:P1', new_name: 'sev:P0' })).data as Json;
    expect(renamed['name']).toBe('sev:P0');
    expect((await call(bob, 'DELETE /repos/{owner}/{repo}/labels/{name}', { name: 'sev:P0' })).status).toBe(204);
    expect(await statusOf(bob.rest.issues.getLabel({ owner: 'acme', repo: 'shop', name: 'sev:P0' }))).toBe(404);
  });

  it('creates the unknown labels an issue is opened with, as GitHub does: gray and without a description', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Opened with labels', labels: ['opened-with-1', 'opened-with-2'] });
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['opened-with-1', 'opened-with-2']);
    const { data: label } = await bob.rest.issues.getLabel({ owner: 'acme', repo: 'shop', name: 'opened-with-1' });
    expect(label).toMatchObject({ name: 'opened-with-1', color: 'ededed', description: null });
  });

  it('adds, sets, lists and removes issue labels, creating unknown ones', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Labels' });
    const added = (await call(carol, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { issue_number: issue.number, labels: ['status:triggered', 'brand-new-label'] })).data as Json[];
    expect(added.map((l) => l['name'])).toEqual(['status:triggered', 'brand-new-label']);
    expect((await bob.rest.issues.getLabel({ owner: 'acme', repo: 'shop', name: 'brand-new-label' })).data.color).toBe('ededed');
    const set = (await call(carol, 'PUT /repos/{owner}/{repo}/issues/{issue_number}/labels', { issue_number: issue.number, labels: ['status:acknowledged'] })).data as Json[];
    expect(set.map((l) => l['name'])).toEqual(['status:acknowledged']);
    const listed = (await call(bob, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', { issue_number: issue.number })).data as Json[];
    expect(listed.map((l) => l['name'])).toEqual(['status:acknowledged']);
    const afterRemove = (await call(carol, 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { issue_number: issue.number, name: 'status:acknowledged' })).data as Json[];
    expect(afterRemove).toEqual([]);
    expect(await statusOf(carol.rest.issues.removeLabel({ owner: 'acme', repo: 'shop', issue_number: issue.number, name: 'status:acknowledged' }))).toBe(404);
    await carol.rest.issues.addLabels({ owner: 'acme', repo: 'shop', issue_number: issue.number, labels: ['x'] });
    expect((await call(carol, 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels', { issue_number: issue.number })).status).toBe(204);
  });
});

describe('reactions', () => {
  it('creates (201, then 200 for the same), lists and deletes reactions on issues', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'React' });
    const first = await call(eve, 'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions', { issue_number: issue.number, content: 'eyes' });
    expect(first.status).toBe(201);
    const again = await call(eve, 'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions', { issue_number: issue.number, content: 'eyes' });
    expect(again.status).toBe(200);
    expect((again.data as Json)['id']).toBe((first.data as Json)['id']);
    const listed = (await call(bob, 'GET /repos/{owner}/{repo}/issues/{issue_number}/reactions', { issue_number: issue.number })).data as Json[];
    expect(listed).toHaveLength(1);
    expect((await bob.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue.number })).data.reactions?.eyes).toBe(1);
    expect(await statusOf(bob.rest.reactions.deleteForIssue({ owner: 'acme', repo: 'shop', issue_number: issue.number, reaction_id: (first.data as Json)['id'] as number }))).toBe(403);
    expect((await call(eve, 'DELETE /repos/{owner}/{repo}/issues/{issue_number}/reactions/{reaction_id}', { issue_number: issue.number, reaction_id: (first.data as Json)['id'] })).status).toBe(204);
  });

  it('creates, lists and deletes reactions on comments', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'React to comment' });
    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: '/ack' });
    const created = await call(bob, 'POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { comment_id: comment.id, content: 'rocket' });
    expect(created.status).toBe(201);
    const listed = (await call(bob, 'GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { comment_id: comment.id, content: 'rocket' })).data as Json[];
    expect(listed.map((r) => r['content'])).toEqual(['rocket']);
    expect((await bob.rest.issues.getComment({ owner: 'acme', repo: 'shop', comment_id: comment.id })).data.reactions?.rocket).toBe(1);
    expect((await call(bob, 'DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}', { comment_id: comment.id, reaction_id: (created.data as Json)['id'] })).status).toBe(204);
  });
});

describe("GitHub's 65,536-character limit on bodies", () => {
  const limit = 65_536;
  const refusal = async (call: Promise<unknown>) => {
    try {
      await call;
    } catch (error) {
      const { status, response } = error as { status: number; response: { data: { message: string; errors: { resource: string; field: string; message: string }[] } } };
      return { status, data: response.data };
    }
    throw new Error('the request was accepted');
  };

  it('refuses an issue or comment body one character over, with 422 as GitHub does, and changes nothing', async () => {
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Limit', body: 'x'.repeat(limit) });
    expect(issue.body).toHaveLength(limit);
    for (const [call, resource] of [
      [bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Too long', body: 'x'.repeat(limit + 1) }), 'Issue'],
      [bob.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'y'.repeat(limit + 1) }), 'Issue'],
      [bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'z'.repeat(limit + 1) }), 'IssueComment'],
    ] as const) {
      const { status, data } = await refusal(call);
      expect(status).toBe(422);
      expect(data.message).toBe('Validation Failed');
      expect(data.errors).toEqual([expect.objectContaining({ resource, field: 'body', message: `body is too long (maximum is ${limit} characters)` })]);
    }
    const { data: after } = await bob.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    expect(after.body).toBe('x'.repeat(limit));
    const { data: comments } = await bob.rest.issues.listComments({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    expect(comments).toHaveLength(0);

    const { data: comment } = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'c'.repeat(limit) });
    const { status } = await refusal(bob.rest.issues.updateComment({ owner: 'acme', repo: 'shop', comment_id: comment.id, body: 'd'.repeat(limit + 1) }));
    expect(status).toBe(422);
  });
});
