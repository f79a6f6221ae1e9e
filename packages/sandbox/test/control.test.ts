import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { octokitFor, startSandbox } from './support.ts';

let sandbox: Sandbox;
const clockChanges: Date[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ now: new Date('2026-03-01T12:00:00Z'), onClockChange: (now) => void clockChanges.push(now) });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  sandbox.resetStats();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('POST /_sandbox/reset', () => {
  it('goes back to the seed: issues created since are gone', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Temporary' });
    expect((await control('POST', '/reset')).status).toBe(200);
    const { data } = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', state: 'all' });
    expect(data.filter((i) => !i.pull_request).map((i) => i.title)).toEqual([]);
    expect((await bob.rest.repos.get({ owner: 'acme', repo: 'post_mortems' })).status).toBe(200);
  });

  it('loads a fixture with users, repos, labels and issues, relative times against the clock', async () => {
    const result = await control('POST', '/reset', {
      now: '2026-04-01T10:00:00Z',
      users: [
        { login: 'dana', permission: 'admin', token: 'sandbox-dana' },
        { login: 'finn', token: 'sandbox-finn' },
      ],
      repos: [
        {
          name: 'api',
          labels: [{ name: 'incident', color: 'B60205' }],
          issues: [{ title: 'Old outage', user: 'dana', labels: ['incident'], state: 'closed', created_at: '-2d', comments: [{ user: 'finn', body: 'seen', created_at: '-1d' }] }],
        },
      ],
    });
    expect(result.status).toBe(200);
    expect(sandbox.now().toISOString().slice(0, 16)).toBe('2026-04-01T10:00');
    const dana = octokitFor(sandbox, 'sandbox-dana');
    const { data: issue } = await dana.rest.issues.get({ owner: 'acme', repo: 'api', issue_number: 1 });
    expect(issue).toMatchObject({ title: 'Old outage', state: 'closed', created_at: '2026-03-30T10:00:00Z', comments: 1 });
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.color))).toEqual(['b60205']);
    expect((await fetch(`${sandbox.apiUrl}/repos/acme/shop`, { headers: { authorization: 'token sandbox-dana' } })).status).toBe(404);
    expect((await fetch(`${sandbox.apiUrl}/user`, { headers: { authorization: 'token sandbox-bob' } })).status).toBe(401);
    const finn = octokitFor(sandbox, 'sandbox-finn');
    expect((await finn.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'api', username: 'finn' })).data.permission).toBe('read');
  });

  it("knows GitHub's own bots, as every github.com does: a fixture's Dependabot PR needs no user entry", async () => {
    const result = await control('POST', '/reset', {
      users: [{ login: 'dana', permission: 'admin', token: 'sandbox-dana' }],
      repos: [{ name: 'api', files: { 'package.json': '{}\n' }, pulls: [{ title: 'Bump pg from 8.11.3 to 8.12.0', user: 'dependabot[bot]', merged_at: '-1h', files: [{ path: 'package.json', content: '{"pg":"8.12.0"}\n' }] }] }],
    });
    expect(result.status).toBe(200);
    const dana = octokitFor(sandbox, 'sandbox-dana');
    const { data: pulls } = await dana.rest.pulls.list({ owner: 'acme', repo: 'api', state: 'closed' });
    expect(pulls.map((p) => [p.title, p.user?.login, p.user?.type])).toEqual([['Bump pg from 8.11.3 to 8.12.0', 'dependabot[bot]', 'Bot']]);
    expect((await dana.rest.users.getByUsername({ username: 'github-actions[bot]' })).data.type).toBe('Bot');
  });

  it('rejects a bad fixture with 422 and the zod issue paths, changing nothing', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Survives a bad reset' });
    const result = await control('POST', '/reset', { users: [{ login: 'bad login!', permission: 'god' }], repos: [{ name: '' }] });
    expect(result.status).toBe(422);
    const paths = (result.body['errors'] as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['users.0.login', 'users.0.permission', 'repos.0.name']));
    const { data } = await bob.rest.issues.listForRepo({ owner: 'acme', repo: 'shop' });
    expect(data.map((i) => i.title)).toContain('Survives a bad reset');
    expect((await control('POST', '/reset', '{not json')).status).toBe(400);
  });

  it('starts numbers again but never gives an id twice, as GitHub: a new world\'s comment is not an old one\'s', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const repoId = (await bob.rest.repos.get({ owner: 'acme', repo: 'shop' })).data.id;
    const before = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'before reset' });
    const commentBefore = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: before.data.number, body: '/ack' });
    await control('POST', '/reset');
    const after = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'after reset' });
    const commentAfter = await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: after.data.number, body: '/ack' });
    expect(after.data.number).toBe(before.data.number);
    expect(after.data.id).toBeGreaterThan(commentBefore.data.id);
    expect(commentAfter.data.id).toBeGreaterThan(commentBefore.data.id);
    // Users and repositories are the same ones, with the same ids.
    expect(after.data.user?.id).toBe(before.data.user?.id);
    expect((await bob.rest.repos.get({ owner: 'acme', repo: 'shop' })).data.id).toBe(repoId);
  });

  it('keeps installation tokens valid across a reset', async () => {
    const app = new Octokit({ baseUrl: sandbox.apiUrl, authStrategy: createAppAuth, auth: { appId: sandbox.appId, privateKey: sandbox.privateKey, installationId: sandbox.installationId } });
    await app.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'before reset' });
    await control('POST', '/reset');
    expect((await app.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'after reset' })).status).toBe(201);
  });
});

describe('/_sandbox/stats', () => {
  it('counts only the app requests, content-creating ones separately, by route template', async () => {
    await octokitFor(sandbox, 'sandbox-bob').rest.issues.create({ owner: 'acme', repo: 'shop', title: 'by a user' });
    const app = new Octokit({ baseUrl: sandbox.apiUrl, authStrategy: createAppAuth, auth: { appId: sandbox.appId, privateKey: sandbox.privateKey, installationId: sandbox.installationId } });
    const { data: issue } = await app.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'by the app' });
    await app.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'hello' });
    await app.rest.issues.get({ owner: 'acme', repo: 'shop', issue_number: issue.number });
    const bot = octokitFor(sandbox, 'sandbox-firewatch');
    await bot.rest.reactions.createForIssue({ owner: 'acme', repo: 'shop', issue_number: issue.number, content: 'eyes' });
    await control('GET', '/clock');

    const stats = await control('GET', '/stats');
    expect(stats.body).toEqual({
      total: 5,
      contentCreating: 3,
      byRoute: {
        'POST /app/installations/{installation_id}/access_tokens': 1,
        'POST /repos/{owner}/{repo}/issues': 1,
        'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': 1,
        'GET /repos/{owner}/{repo}/issues/{issue_number}': 1,
        'POST /repos/{owner}/{repo}/issues/{issue_number}/reactions': 1,
      },
      limited: 0,
      byStatus: { '200': 1, '201': 4 },
    });
    expect((await control('DELETE', '/stats')).status).toBe(204);
    expect((await control('GET', '/stats')).body).toEqual({ total: 0, contentCreating: 0, byRoute: {}, limited: 0, byStatus: {} });
  });
});

describe('/_sandbox/clock', () => {
  it('reads and sets the time used for timestamps, and tells the app', async () => {
    expect(Date.parse(String((await control('GET', '/clock')).body['now']))).toBeGreaterThanOrEqual(Date.parse('2026-03-01T12:00:00Z'));
    const set = await control('POST', '/clock', { now: '2026-06-15T08:30:00Z' });
    expect(set.status).toBe(200);
    expect(clockChanges.at(-1)?.toISOString().slice(0, 16)).toBe('2026-06-15T08:30');
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Stamped' });
    expect(issue.created_at.slice(0, 16)).toBe('2026-06-15T08:30');
    await control('POST', '/clock', { now: '2026-06-15T09:45:00+00:00' });
    const { data: closed } = await bob.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issue.number, state: 'closed' });
    expect(closed.closed_at?.slice(0, 16)).toBe('2026-06-15T09:45');
    expect(closed.updated_at.slice(0, 16)).toBe('2026-06-15T09:45');
  });

  it('keeps a set time standing still: everything done after it carries that exact time', async () => {
    expect((await control('POST', '/clock', { now: '2026-06-15T08:30:00Z' })).body).toEqual({ now: '2026-06-15T08:30:00.000Z', running: false });
    await sleep(30);
    expect((await control('GET', '/clock')).body).toEqual({ now: '2026-06-15T08:30:00.000Z', running: false });
    expect(sandbox.now().toISOString()).toBe('2026-06-15T08:30:00.000Z');
  });

  it('advances by an ISO-8601 duration or milliseconds, and tells the app each time', async () => {
    await control('POST', '/clock', { now: '2026-06-15T08:30:00Z' });
    const changes = clockChanges.length;
    expect((await control('POST', '/clock', { advance: 'PT1H30M' })).body).toEqual({ now: '2026-06-15T10:00:00.000Z', running: false });
    expect((await control('POST', '/clock', { advance: 90_000 })).body).toEqual({ now: '2026-06-15T10:01:30.000Z', running: false });
    expect(clockChanges.slice(changes).map((at) => at.toISOString())).toEqual(['2026-06-15T10:00:00.000Z', '2026-06-15T10:01:30.000Z']);
  });

  it('runs on real time only when told to, and stops again where it got to', async () => {
    const started = await control('POST', '/clock', { now: '2026-06-15T08:30:00Z', running: true });
    expect(started.body).toEqual({ now: expect.stringMatching(/^2026-06-15T08:30:00\./), running: true });
    await sleep(30);
    const ran = Date.parse(String((await control('GET', '/clock')).body['now']));
    expect(ran).toBeGreaterThanOrEqual(Date.parse('2026-06-15T08:30:00.030Z'));
    const changes = clockChanges.length;
    const stopped = await control('POST', '/clock', { running: false });
    expect(stopped.body['running']).toBe(false);
    // Starting or stopping does not move the time, so the app has nothing to sweep.
    expect(clockChanges.length).toBe(changes);
    const at = stopped.body['now'];
    await sleep(30);
    expect((await control('GET', '/clock')).body).toEqual({ now: at, running: false });
  });

  it('a fixture with a time sets the clock there, standing still', async () => {
    await control('POST', '/reset', { now: '2026-04-01T10:00:00Z' });
    await sleep(30);
    expect((await control('GET', '/clock')).body).toEqual({ now: '2026-04-01T10:00:00.000Z', running: false });
  });

  it('rejects a bad clock with 422 (or 400 for malformed JSON) and keeps the time', async () => {
    await control('POST', '/clock', { now: '2026-06-15T08:30:00Z' });
    expect((await control('POST', '/clock', { now: 'yesterday' })).status).toBe(422);
    expect((await control('POST', '/clock', {})).status).toBe(422);
    expect((await control('POST', '/clock', { advance: 'half an hour' })).body).toMatchObject({ errors: [{ path: 'advance', message: expect.stringContaining('ISO-8601 duration') }] });
    expect((await control('POST', '/clock', { now: '2026-06-15T08:30:00Z', advance: 'PT1M' })).status).toBe(422);
    expect((await control('POST', '/clock', { running: 'yes' })).status).toBe(422);
    expect((await control('POST', '/clock', '{"now":')).status).toBe(400);
    expect((await control('GET', '/clock')).body).toEqual({ now: '2026-06-15T08:30:00.000Z', running: false });
  });
});

describe('a failing clock-change hook', () => {
  it('still moves the clock and reports the failure with 500', async () => {
    const failing = await startSandbox({
      onClockChange: () => {
        throw new Error('sweep exploded');
      },
    });
    try {
      const response = await fetch(`${failing.url}/_sandbox/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ now: '2030-01-01T00:00:00Z' }) });
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ hint: 'sweep exploded' });
      expect(failing.now().getUTCFullYear()).toBe(2030);
    } finally {
      await failing.close();
    }
  });
});

describe('HTTP robustness', () => {
  it('answers a body over 1 MiB with 413 and creates nothing', async () => {
    const before = sandbox.repo('acme', 'shop')?.issues.size;
    const response = await fetch(`${sandbox.apiUrl}/repos/acme/shop/issues`, {
      method: 'POST',
      headers: { authorization: 'token sandbox-bob', 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'big', body: 'x'.repeat(1024 * 1024 + 1) }),
    });
    expect(response.status).toBe(413);
    expect(sandbox.repo('acme', 'shop')?.issues.size).toBe(before);
  });

  it('answers malformed JSON with 400 Problems parsing JSON', async () => {
    const response = await fetch(`${sandbox.apiUrl}/repos/acme/shop/issues`, { method: 'POST', headers: { authorization: 'token sandbox-bob' }, body: '{"title": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe('Problems parsing JSON');
  });

  it('answers unknown routes and wrong methods with 404 Not Found, like GitHub', async () => {
    const headers = { authorization: 'token sandbox-bob' };
    const unknown = await fetch(`${sandbox.apiUrl}/repos/acme/shop/nonsense`, { headers });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { message: string }).message).toBe('Not Found');
    expect((await fetch(`${sandbox.apiUrl}/repos/acme/shop`, { method: 'DELETE', headers })).status).toBe(404);
    expect((await fetch(`${sandbox.url}/_sandbox/nothing`)).status).toBe(404);
  });

  it('listens on loopback only', () => {
    expect(new URL(sandbox.url).hostname).toBe('127.0.0.1');
    expect(sandbox.apiUrl).toBe(`${sandbox.url}/api/v3`);
    expect(sandbox.graphqlUrl).toBe(`${sandbox.url}/api/graphql`);
  });
});
