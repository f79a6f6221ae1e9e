/**
 * `sandbox.fetch`: the REST API in-process, for clients that make thousands of requests. It must
 * answer exactly as the HTTP server does (status, JSON, GitHub's headers), authenticate the same,
 * and count the app's requests in the same stats.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { octokitFor, startSandbox, statusOf } from './support.ts';

let sandbox: Sandbox;
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
const inProcess = (token: string) => new Octokit({ baseUrl: sandbox.apiUrl, auth: token, request: { fetch: sandbox.fetch }, log: quietLog });

beforeAll(async () => {
  sandbox = await startSandbox({ now: new Date('2026-03-02T10:00:00Z') });
});
afterAll(() => sandbox.close());

describe('sandbox.fetch', () => {
  it('answers a list exactly as over HTTP, with the same GitHub headers', async () => {
    const params = { owner: 'acme', repo: 'shop', state: 'all' as const, per_page: 2 };
    const overHttp = await octokitFor(sandbox, 'sandbox-bob').rest.issues.listForRepo(params);
    const direct = await inProcess('sandbox-bob').rest.issues.listForRepo(params);
    expect(direct.status).toBe(200);
    expect(direct.data).toEqual(overHttp.data);
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/issues', 200, direct.data);
    expect(direct.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(direct.headers['x-github-request-id']).toMatch(/^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{4}$/);
    expect(direct.headers['x-ratelimit-limit']).toBe('5000');
    expect(direct.headers.link).toBe(overHttp.headers.link);
    expect(direct.url).toBe(overHttp.url);
  });

  it('creates with a JSON body and counts the app’s requests in the stats, as over HTTP', async () => {
    sandbox.resetStats();
    const bot = inProcess(sandbox.issueInstallationToken().token);
    const { status, data } = await bot.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'From the same process', labels: ['incident'] });
    expect(status).toBe(201);
    expectMatchesOpenApi('POST', '/repos/{owner}/{repo}/issues', 201, data);
    expect(data.user?.login).toBe('firewatch[bot]');
    await bot.rest.issues.listForRepo({ owner: 'acme', repo: 'shop', labels: 'incident' });
    expect(sandbox.stats()).toEqual({ total: 2, contentCreating: 1, byRoute: { 'POST /repos/{owner}/{repo}/issues': 1, 'GET /repos/{owner}/{repo}/issues': 1 }, limited: 0, byStatus: { '200': 1, '201': 1 } });
  });

  it('refuses what HTTP refuses: a bad token, a missing route, malformed JSON, a path outside the API', async () => {
    expect(await statusOf(inProcess('not-a-token').rest.repos.get({ owner: 'acme', repo: 'shop' }))).toBe(401);
    const lock = (octokit: Octokit) => octokit.rest.issues.lock({ owner: 'acme', repo: 'shop', issue_number: 1 });
    expect(await statusOf(lock(inProcess('sandbox-eve')))).toBe(await statusOf(lock(octokitFor(sandbox, 'sandbox-eve'))));
    expect(await statusOf(lock(inProcess('sandbox-eve')))).toBe(403);
    expect(await statusOf(inProcess('sandbox-bob').request('GET /repos/{owner}/{repo}/no-such-thing', { owner: 'acme', repo: 'shop' }))).toBe(404);
    const malformed = await sandbox.fetch(`${sandbox.apiUrl}/repos/acme/shop/issues`, { method: 'POST', headers: { authorization: 'token sandbox-bob' }, body: '{"title":' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ message: 'Problems parsing JSON' });
    const outside = await sandbox.fetch(`${sandbox.url}/_sandbox/stats`);
    expect(outside.status).toBe(404);
  });

  it('takes a Request too', async () => {
    const response = await sandbox.fetch(new Request(`${sandbox.apiUrl}/repos/acme/shop`, { headers: { Authorization: 'token sandbox-bob' } }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ full_name: 'acme/shop', permissions: { push: true } });
  });
});
