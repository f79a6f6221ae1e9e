import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAppJwt } from '../src/auth.ts';
import type { Sandbox } from '../src/index.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
let issueNumber: number;

beforeAll(async () => {
  sandbox = await startSandbox();
  const { data } = await octokitFor(sandbox, 'sandbox-bob').rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Permission matrix' });
  issueNumber = data.number;
});
afterAll(() => sandbox.close());

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.token ? { authorization: `token ${init.token}` } : {}), 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('permission matrix', () => {
  it.each([
    ['eve (read)', 403, 'sandbox-eve'],
    ['carol (triage)', 200, 'sandbox-carol'],
    ['bob (write)', 200, 'sandbox-bob'],
    ['alice (admin)', 200, 'sandbox-alice'],
    ['the bot', 200, 'sandbox-firewatch'],
  ])('%s adding a label → %i', async (_who, expected, token) => {
    const octokit = octokitFor(sandbox, token);
    expect(await statusOf(octokit.rest.issues.addLabels({ owner: 'acme', repo: 'shop', issue_number: issueNumber, labels: ['triaged'] }))).toBe(expected);
  });

  it('refuses a reader with GitHub-shaped 403 and changes nothing', async () => {
    const result = await api(`/repos/acme/shop/issues/${issueNumber}/labels`, { method: 'POST', token: 'sandbox-eve', body: { labels: ['sev:P1'] } });
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ message: expect.stringContaining('triage'), documentation_url: expect.any(String) });
    const labels = await api(`/repos/acme/shop/issues/${issueNumber}/labels`, { token: 'sandbox-eve' });
    expect((labels.body as unknown as { name: string }[]).map((l) => l.name)).not.toContain('sev:P1');
  });

  it('lets readers open issues and comment, but drops the labels they try to set', async () => {
    const eve = octokitFor(sandbox, 'sandbox-eve');
    const { data } = await eve.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'From a reader', labels: ['sev:P1'] });
    expect(data.labels).toEqual([]);
    expect((await eve.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: data.number, body: 'me too' })).status).toBe(201);
    expect((await eve.rest.reactions.createForIssue({ owner: 'acme', repo: 'shop', issue_number: data.number, content: '+1' })).status).toBe(201);
  });

  it("lets triage close others' issues but not rewrite their title; write can", async () => {
    const carol = octokitFor(sandbox, 'sandbox-carol');
    const eve = octokitFor(sandbox, 'sandbox-eve');
    expect(await statusOf(carol.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issueNumber, title: 'renamed' }))).toBe(403);
    expect(await statusOf(eve.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issueNumber, state: 'closed' }))).toBe(403);
    expect((await carol.rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issueNumber, state: 'closed' })).data.state).toBe('closed');
    expect((await octokitFor(sandbox, 'sandbox-bob').rest.issues.update({ owner: 'acme', repo: 'shop', issue_number: issueNumber, title: 'renamed', state: 'open' })).data.title).toBe('renamed');
  });

  it('needs write to manage repository labels', async () => {
    expect((await api('/repos/acme/shop/labels', { method: 'POST', token: 'sandbox-carol', body: { name: 'x-carol' } })).status).toBe(403);
    expect((await api('/repos/acme/shop/labels', { method: 'POST', token: 'sandbox-bob', body: { name: 'x-bob' } })).status).toBe(201);
  });
});

describe('authentication and errors', () => {
  it('answers an unknown token with 401 Bad credentials', async () => {
    const result = await api('/repos/acme/shop', { token: 'nope' });
    expect(result.status).toBe(401);
    expect(result.body['message']).toBe('Bad credentials');
    expect((await api('/repos/acme/shop', { token: 'Bearer' })).status).toBe(401);
  });

  it('allows anonymous reads of public repositories but not writes', async () => {
    expect((await api('/repos/acme/shop')).status).toBe(200);
    expect((await api(`/repos/acme/shop/issues/${issueNumber}`)).status).toBe(200);
    expect((await api('/repos/acme/shop/issues', { method: 'POST', body: { title: 'anon' } })).status).toBe(401);
  });

  it('hides private repositories from anonymous callers and non-collaborators (404)', async () => {
    sandbox.reset({
      users: [{ login: 'alice', permission: 'admin', token: 'sandbox-alice' }, { login: 'mallory', permission: 'read', token: 'sandbox-mallory' }],
      repos: [
        { owner: 'acme', name: 'secret', private: true, collaborators: { mallory: 'read' }, default_branch: 'main', files: {}, labels: [], pulls: [], deployments: [], issues: [] },
        { owner: 'acme', name: 'vault', private: true, collaborators: {}, default_branch: 'main', files: {}, labels: [], pulls: [], deployments: [], issues: [] },
      ],
    });
    try {
      sandbox.state.repos.get('acme/vault')?.collaborators.delete('mallory');
      expect((await api('/repos/acme/secret')).status).toBe(404);
      expect((await api('/repos/acme/secret', { token: 'sandbox-mallory' })).status).toBe(200);
      expect((await api('/repos/acme/vault', { token: 'sandbox-mallory' })).status).toBe(404);
    } finally {
      sandbox.reset();
      const { data } = await octokitFor(sandbox, 'sandbox-bob').rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Permission matrix' });
      issueNumber = data.number;
    }
  });

  it('answers an unknown repository or issue with 404 Not Found', async () => {
    expect(await api('/repos/acme/nope', { token: 'sandbox-bob' })).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect((await api('/repos/acme/shop/issues/99999', { token: 'sandbox-bob' })).status).toBe(404);
  });

  it('answers invalid bodies with 422 in GitHub error shape and creates nothing', async () => {
    const before = sandbox.repo('acme', 'shop')?.issues.size;
    const missing = await api('/repos/acme/shop/issues', { method: 'POST', token: 'sandbox-bob', body: { body: 'no title' } });
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({ message: 'Validation Failed', errors: [{ resource: 'Issue', field: 'title', code: 'missing_field' }], status: '422' });
    expect(typeof missing.body['documentation_url']).toBe('string');
    const wrongType = await api(`/repos/acme/shop/issues/${issueNumber}`, { method: 'PATCH', token: 'sandbox-bob', body: { state: 'sideways' } });
    expect(wrongType.body).toMatchObject({ message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
    const reaction = await api(`/repos/acme/shop/issues/${issueNumber}/reactions`, { method: 'POST', token: 'sandbox-bob', body: { content: 'thumbsup' } });
    expect(reaction.status).toBe(422);
    const tooLong = await api(`/repos/acme/shop/issues/${issueNumber}/comments`, { method: 'POST', token: 'sandbox-bob', body: { body: 'x'.repeat(65_537) } });
    expect(tooLong.status).toBe(422);
    expect(sandbox.repo('acme', 'shop')?.issues.size).toBe(before);
  });

  it('sends GitHub headers Octokit relies on', async () => {
    const response = await fetch(`${sandbox.apiUrl}/repos/acme/shop`, { headers: { authorization: 'token sandbox-bob' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-github-request-id')).toMatch(/\S+/);
    expect(Number(response.headers.get('x-ratelimit-limit'))).toBe(5000);
    expect(Number(response.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000);
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });
});

describe('the embedded GitHub App', () => {
  it('authenticates with a JWT, lists its installation and issues installation tokens (auth-app)', async () => {
    const app = new Octokit({ baseUrl: sandbox.apiUrl, authStrategy: createAppAuth, auth: { appId: sandbox.appId, privateKey: sandbox.privateKey } });
    const me = await app.request('GET /app');
    expectMatchesOpenApi('GET', '/app', 200, me.data);
    expect(me.data?.slug).toBe('firewatch');
    const installations = await app.request('GET /app/installations');
    expectMatchesOpenApi('GET', '/app/installations', 200, installations.data);
    expect(installations.data.map((i) => i.id)).toEqual([sandbox.installationId]);
    for (const [route, params] of [
      ['GET /repos/{owner}/{repo}/installation', { owner: 'acme', repo: 'shop' }],
      ['GET /orgs/{org}/installation', { org: 'acme' }],
      ['GET /users/{username}/installation', { username: 'acme' }],
      ['GET /app/installations/{installation_id}', { installation_id: sandbox.installationId }],
    ] as const) {
      const response = await app.request(route, params);
      const [method = '', template = ''] = route.split(' ');
      expectMatchesOpenApi(method, template, 200, response.data);
    }

    const installation = new Octokit({
      baseUrl: sandbox.apiUrl,
      authStrategy: createAppAuth,
      auth: { appId: sandbox.appId, privateKey: sandbox.privateKey, installationId: sandbox.installationId },
    });
    const { data: issue } = await installation.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Opened by the app', labels: ['incident'] });
    expect(issue.user?.login).toBe('firewatch[bot]');
    expect(issue.user?.type).toBe('Bot');
    expect(issue.performed_via_github_app?.slug).toBe('firewatch');
    expect(issue.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual(['incident']);
  });

  it('returns an installation token response matching the OpenAPI description', async () => {
    const jwt = signAppJwt(sandbox.privateKey, sandbox.appId);
    const response = await fetch(`${sandbox.apiUrl}/app/installations/${sandbox.installationId}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${jwt}` } });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; expires_at: string };
    expectMatchesOpenApi('POST', '/app/installations/{installation_id}/access_tokens', 201, body);
    expect(body.token).toMatch(/^ghs_/);
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now());
    const me = await api('/repos/acme/shop', { token: body.token });
    expect(me.status).toBe(200);
  });

  it('rejects JWTs signed with another key, expired or for another app', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }).privateKey;
    const bad = [signAppJwt(other, sandbox.appId), signAppJwt(sandbox.privateKey, sandbox.appId, Date.now() - 3_600_000), signAppJwt(sandbox.privateKey, 999)];
    for (const jwt of bad) {
      const response = await fetch(`${sandbox.apiUrl}/app`, { headers: { authorization: `Bearer ${jwt}` } });
      expect(response.status).toBe(401);
    }
    expect((await api('/app', { token: 'sandbox-bob' })).status).toBe(401);
    const jwt = signAppJwt(sandbox.privateKey, sandbox.appId);
    const repoWithJwt = await fetch(`${sandbox.apiUrl}/repos/acme/shop/issues`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(repoWithJwt.status).toBe(403);
  });

  it('accepts the fixed bot token as firewatch[bot] with write access', async () => {
    const bot = octokitFor(sandbox, 'sandbox-firewatch');
    const { data } = await bot.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issueNumber, body: 'from the bot' });
    expect(data.user?.login).toBe('firewatch[bot]');
    expect(await statusOf(bot.request('GET /user'))).toBe(403);
  });
});
