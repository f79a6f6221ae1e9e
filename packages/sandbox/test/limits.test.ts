/**
 * Contract tests for GitHub's rate limits in the sandbox, over HTTP, checked against GitHub's
 * documentation ("Rate limits for the REST API", "Rate limits and query limits for the GraphQL
 * API", "REST API endpoints for search"): headers, statuses, bodies, `retry-after`, per-actor
 * budgets, and the `/_sandbox/limits` control endpoints. The clock is pinned (only `Date` is faked,
 * so sockets and timers are real): every window and `retry-after` is exact.
 */
import { request as httpRequest, type ClientRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { expectMatchesOpenApi, schemaProblems } from './support/openapi.ts';
import { startSandbox } from './support.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const T0_SECONDS = T0 / 1000;
const BOT = 'sandbox-firewatch';
const PRIMARY_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';
const SECONDARY_DOCS = 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits';

let sandbox: Sandbox;

beforeAll(async () => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
  vi.useRealTimers();
});
beforeEach(async () => {
  vi.setSystemTime(T0);
  // A set clock stands still unless told to run: this one runs on the faked Date, so at() moves it.
  await sandbox.changeClock({ now: new Date(T0), running: true });
  expect((await control('POST', '/limits', { preset: 'off' })).status).toBe(200);
  sandbox.reset();
  sandbox.resetStats();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

async function api(token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(path === '/graphql' ? sandbox.graphqlUrl : `${sandbox.apiUrl}${path}`, {
    method,
    headers: { ...(token ? { authorization: `token ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: Object.fromEntries(response.headers), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const graphql = (token: string, query: string, variables?: Record<string, unknown>) => api(token, 'POST', '/graphql', { query, ...(variables ? { variables } : {}) });
const createIssue = (token: string, title = 'Checkout down') => api(token, 'POST', '/repos/acme/shop/issues', { title });

async function control(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/_sandbox${path}`, {
    method,
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function setLimits(body: Record<string, unknown>): Promise<void> {
  const answer = await control('POST', '/limits', body);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

function at(ms: number): void {
  vi.setSystemTime(T0 + ms);
}

function budget(answer: Answer): Record<string, string | undefined> {
  const { headers } = answer;
  return { limit: headers['x-ratelimit-limit'], remaining: headers['x-ratelimit-remaining'], used: headers['x-ratelimit-used'], reset: headers['x-ratelimit-reset'], resource: headers['x-ratelimit-resource'] };
}

const issueCount = () => sandbox.repo('acme', 'shop')?.issues.size ?? 0;
const supportSentence = (answer: Answer) => `If you reach out to GitHub Support for help, please include the request ID ${answer.headers['x-github-request-id']}.`;

describe('x-ratelimit-* headers', () => {
  it('report the budget in force on every REST, search and GraphQL response, limits off included', async () => {
    const first = await api('sandbox-bob', 'GET', '/repos/acme/shop');
    expect(budget(first)).toEqual({ limit: '5000', remaining: '4999', used: '1', reset: String(T0_SECONDS + 3600), resource: 'core' });
    at(90_000);
    const second = await api('sandbox-bob', 'GET', '/repos/acme/shop/issues');
    expect(budget(second)).toEqual({ limit: '5000', remaining: '4998', used: '2', reset: String(T0_SECONDS + 3600), resource: 'core' });
    const unknownPath = await api('sandbox-bob', 'GET', '/repos/acme/shop/nonsense');
    expect(unknownPath.status).toBe(404);
    expect(budget(unknownPath)).toMatchObject({ used: '3', resource: 'core' });

    const search = await api('sandbox-bob', 'GET', '/search/issues?q=repo:acme/shop');
    expect(budget(search)).toEqual({ limit: '30', remaining: '29', used: '1', reset: String(T0_SECONDS + 90 + 60), resource: 'search' });
    const query = await graphql('sandbox-bob', '{ viewer { login } }');
    expect(budget(query)).toEqual({ limit: '5000', remaining: '4999', used: '1', reset: String(T0_SECONDS + 90 + 3600), resource: 'graphql' });
    const anonymous = await api(undefined, 'GET', '/repos/acme/shop');
    expect(budget(anonymous)).toMatchObject({ limit: '60', remaining: '59', used: '1', resource: 'core' });
    // Another identity has its own budget.
    expect(budget(await api('sandbox-alice', 'GET', '/repos/acme/shop'))).toMatchObject({ remaining: '4999', used: '1' });
  });

  it('GET /rate_limit reports every budget, in the OpenAPI shape, without spending the primary one', async () => {
    await api('sandbox-bob', 'GET', '/repos/acme/shop');
    await api('sandbox-bob', 'GET', '/search/issues?q=repo:acme/shop');
    for (let i = 0; i < 2; i += 1) {
      const answer = await api('sandbox-bob', 'GET', '/rate_limit');
      expect(answer.status).toBe(200);
      expectMatchesOpenApi('GET', '/rate_limit', 200, answer.body);
      const core = { limit: 5000, used: 1, remaining: 4999, reset: T0_SECONDS + 3600 };
      expect(answer.body).toEqual({ resources: { core, search: { limit: 30, used: 1, remaining: 29, reset: T0_SECONDS + 60 }, graphql: { limit: 5000, used: 0, remaining: 5000, reset: T0_SECONDS + 3600 } }, rate: core });
      expect(budget(answer)).toMatchObject({ used: '1', remaining: '4999' });
    }
  });

  it('never advertise an exhausted budget while no limit is enforced', async () => {
    const bot = sandbox.issueInstallationToken().token;
    const remaining: number[] = [];
    for (let i = 0; i < 5001; i += 1) {
      const response = await sandbox.fetch(`${sandbox.apiUrl}/repos/acme/shop`, { headers: { authorization: `token ${bot}` } });
      expect(response.status).toBe(200);
      remaining.push(Number(response.headers.get('x-ratelimit-remaining')));
    }
    expect(Math.min(...remaining)).toBe(1);
    expect(remaining.slice(-2)).toEqual([4999, 4998]);
  });
});

describe('primary rate limit', () => {
  it('refuses the request after the last one of the hour: 403, GitHub’s body, x-ratelimit-remaining 0, retry-after until the reset', async () => {
    await setLimits({ preset: 'github', primaryPerHour: 3 });
    for (const remaining of ['2', '1', '0']) expect(budget(await api(BOT, 'GET', '/repos/acme/shop'))).toMatchObject({ limit: '3', remaining });
    at(10 * 60_000);
    const refused = await api(BOT, 'GET', '/repos/acme/shop');
    expect(refused.status).toBe(403);
    expect(budget(refused)).toEqual({ limit: '3', remaining: '0', used: '3', reset: String(T0_SECONDS + 3600), resource: 'core' });
    expect(refused.headers['retry-after']).toBe('3000');
    expect(refused.body).toEqual({ message: `API rate limit exceeded for installation ID ${sandbox.installationId}. ${supportSentence(refused)}`, documentation_url: PRIMARY_DOCS, status: '403' });
    expect(schemaProblems('basic-error', refused.body)).toEqual([]);

    // Every token of the installation spends the same budget; a user has their own.
    expect((await api(sandbox.issueInstallationToken().token, 'GET', '/repos/acme/shop')).status).toBe(403);
    expect(budget(await api('sandbox-alice', 'GET', '/repos/acme/shop'))).toMatchObject({ limit: '3', remaining: '2' });

    // A write is refused the same way and creates nothing.
    const before = issueCount();
    expect((await createIssue(BOT)).status).toBe(403);
    expect(issueCount()).toBe(before);

    at(3600_000 - 1);
    expect((await api(BOT, 'GET', '/repos/acme/shop')).status).toBe(403);
    at(3600_000);
    const renewed = await api(BOT, 'GET', '/repos/acme/shop');
    expect(renewed.status).toBe(200);
    expect(budget(renewed)).toEqual({ limit: '3', remaining: '2', used: '1', reset: String(T0_SECONDS + 7200), resource: 'core' });
  });

  it('names a user by ID and an anonymous caller by IP, with GitHub’s message for each', async () => {
    await setLimits({ primaryPerHour: 1, unauthenticatedPerHour: 1 });
    await api('sandbox-alice', 'GET', '/repos/acme/shop');
    const user = await api('sandbox-alice', 'GET', '/repos/acme/shop');
    expect(user.body['message']).toBe(`API rate limit exceeded for user ID ${sandbox.user('alice')?.id}. ${supportSentence(user)}`);
    await api(undefined, 'GET', '/repos/acme/shop');
    const anonymous = await api(undefined, 'GET', '/repos/acme/shop');
    expect(anonymous.status).toBe(403);
    expect(anonymous.body['message']).toBe("API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)");
    expect(budget(anonymous)).toMatchObject({ limit: '1', remaining: '0' });
  });

  it('starts a new window when the sandbox clock moves past the reset; x-ratelimit-reset stays wall-clock time', async () => {
    await setLimits({ primaryPerHour: 1 });
    await api(BOT, 'GET', '/repos/acme/shop');
    expect((await api(BOT, 'GET', '/repos/acme/shop')).status).toBe(403);
    expect((await control('POST', '/clock', { now: new Date(T0 + 3600_000).toISOString() })).status).toBe(200);
    const renewed = await api(BOT, 'GET', '/repos/acme/shop');
    expect(renewed.status).toBe(200);
    // An hour from now as the client's clock reads it, though the sandbox clock is an hour ahead.
    expect(budget(renewed)).toMatchObject({ remaining: '0', used: '1', reset: String(T0_SECONDS + 3600) });
  });
});

describe('GraphQL primary rate limit (points)', () => {
  const expensive = '{ repository(owner: "acme", name: "shop") { pullRequests(first: 100) { nodes { files(first: 100) { nodes { path } } labels(first: 100) { nodes { name } } commits(first: 100) { nodes { url } } } } } rateLimit { cost limit used remaining nodeCount } }';

  it('charges a query its points in a budget of its own and answers an exhausted one with 200 RATE_LIMITED', async () => {
    await setLimits({ preset: 'github', primaryPerHour: 5 });
    // 1 + 100 + 100 + 100 requests to fulfil, divided by 100: 3 points.
    const first = await graphql('sandbox-alice', expensive);
    expect(first.status).toBe(200);
    expect((first.body['data'] as Record<string, unknown>)['rateLimit']).toEqual({ cost: 3, limit: 5, used: 3, remaining: 2, nodeCount: 100 + 3 * 100 * 100 });
    expect(budget(first)).toMatchObject({ limit: '5', remaining: '2', used: '3', resource: 'graphql' });
    for (const remaining of ['1', '0']) expect(budget(await graphql('sandbox-alice', '{ viewer { login } }'))).toMatchObject({ remaining });
    at(60_000);
    const refused = await graphql('sandbox-alice', '{ viewer { login } }');
    expect(refused.status).toBe(200);
    expect(refused.body).toEqual({ errors: [{ type: 'RATE_LIMITED', message: `API rate limit already exceeded for user ID ${sandbox.user('alice')?.id}.` }] });
    expect(budget(refused)).toEqual({ limit: '5', remaining: '0', used: '5', reset: String(T0_SECONDS + 3600), resource: 'graphql' });
    expect(refused.headers['retry-after']).toBe(String(3600 - 60));
    // REST is another budget.
    expect(budget(await api('sandbox-alice', 'GET', '/repos/acme/shop'))).toMatchObject({ remaining: '4', resource: 'core' });
  });
});

describe('content creation (secondary rate limit)', () => {
  it('admits 80 content-creating requests a minute per actor, then refuses with 403, GitHub’s message and an exact retry-after, creating nothing', async () => {
    await setLimits({ preset: 'github' });
    for (let i = 0; i < 80; i += 1) {
      at(i * 100);
      expect((await createIssue(BOT, `Incident ${i}`)).status).toBe(201);
    }
    at(8_000);
    const before = { issues: issueCount(), deliveries: sandbox.deliveries().length };
    const refused = await createIssue(BOT, 'One too many');
    expect(refused.status).toBe(403);
    expect(refused.headers['retry-after']).toBe('52');
    expect(refused.body).toEqual({
      message: `You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. ${supportSentence(refused)}`,
      documentation_url: SECONDARY_DOCS,
      status: '403',
    });
    expect(schemaProblems('basic-error', refused.body)).toEqual([]);
    // The primary budget is reported as it stands: the refused request did not spend it.
    expect(budget(refused)).toMatchObject({ limit: '5000', remaining: '4920', used: '80', resource: 'core' });
    expect({ issues: issueCount(), deliveries: sandbox.deliveries().length }).toEqual(before);

    // Reads go on; other actors create as usual.
    expect((await api(BOT, 'GET', '/repos/acme/shop/issues?per_page=1')).status).toBe(200);
    expect((await createIssue('sandbox-alice', 'By a person')).status).toBe(201);

    at(8_000 + 51_000);
    expect(await createIssue(BOT, 'Still too early')).toMatchObject({ status: 403, headers: { 'retry-after': '1' } });
    at(8_000 + 52_000);
    expect((await createIssue(BOT, 'Honoured the retry-after')).status).toBe(201);

    const stats = sandbox.stats();
    expect(stats.limited).toBe(2);
    expect(stats.byStatus).toEqual({ '200': 1, '201': 81, '403': 2 });
    expect(stats.contentCreating).toBe(83);
  });

  it('admits 500 an hour: the next is refused until the oldest leaves the hour', async () => {
    await setLimits({ preset: 'github', contentCreatingPerHour: 3 });
    for (const minute of [0, 20, 40]) {
      at(minute * 60_000);
      expect((await createIssue(BOT)).status).toBe(201);
    }
    at(50 * 60_000);
    const refused = await createIssue(BOT);
    expect(refused.status).toBe(403);
    expect(refused.headers['retry-after']).toBe(String(10 * 60));
    at(60 * 60_000);
    expect((await createIssue(BOT)).status).toBe(201);
  });

  it('retry-after covers every limit that refuses, so waiting it out is enough', async () => {
    await setLimits({ contentCreatingPerMinute: 2, contentCreatingPerHour: 2 });
    await createIssue(BOT);
    at(1_000);
    await createIssue(BOT);
    at(2_000);
    const refused = await createIssue(BOT);
    // The minute frees a slot at 0:60, the hour only at 1:00:00.
    expect(refused.headers['retry-after']).toBe(String(3600 - 2));
    at(3600_000 - 1);
    expect((await createIssue(BOT)).status).toBe(403);
    at(3600_000);
    expect((await createIssue(BOT)).status).toBe(201);
  });

  it('refused requests spend nothing: asking again early does not push the retry back', async () => {
    await setLimits({ contentCreatingPerMinute: 1 });
    await createIssue(BOT);
    for (const [second, retryAfter] of [
      [10, '50'],
      [20, '40'],
      [59, '1'],
    ] as const) {
      at(second * 1000);
      expect((await createIssue(BOT)).headers['retry-after']).toBe(retryAfter);
    }
    at(60_000);
    expect((await createIssue(BOT)).status).toBe(201);
  });

  it('counts GraphQL mutations that create content, and refuses them with 403', async () => {
    await setLimits({ contentCreatingPerMinute: 1 });
    const merged = await graphql('sandbox-alice', '{ repository(owner: "acme", name: "shop") { pullRequests(states: [MERGED], first: 1) { nodes { id } } } }');
    const pullRequest = (((merged.body['data'] as Record<string, Record<string, Record<string, { id: string }[]>>>)['repository']?.['pullRequests']?.['nodes'] ?? [])[0] ?? { id: '' }).id;
    expect(pullRequest).not.toBe('');
    expect((await createIssue('sandbox-alice')).status).toBe(201);
    const revert = await graphql('sandbox-alice', 'mutation($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { revertPullRequest { number } } }', { id: pullRequest });
    expect(revert.status).toBe(403);
    expect(String(revert.body['message'])).toMatch(/^You have exceeded a secondary rate limit and have been temporarily blocked from content creation\./);
    expect(revert.headers['retry-after']).toBe('60');
    at(60_000);
    const admitted = await graphql('sandbox-alice', 'mutation($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { revertPullRequest { number } } }', { id: pullRequest });
    expect(admitted.body['errors']).toBeUndefined();
  });
});

describe('search rate limit', () => {
  it('admits 30 searches a minute, then refuses with x-ratelimit-remaining 0 and the reset within the minute; REST is not affected', async () => {
    await setLimits({ preset: 'github' });
    for (let i = 0; i < 30; i += 1) expect((await api('sandbox-bob', 'GET', '/search/issues?q=repo:acme/shop')).status).toBe(200);
    at(5_000);
    const refused = await api('sandbox-bob', 'GET', '/search/issues?q=repo:acme/shop');
    expect(refused.status).toBe(403);
    expect(budget(refused)).toEqual({ limit: '30', remaining: '0', used: '30', reset: String(T0_SECONDS + 60), resource: 'search' });
    expect(refused.headers['retry-after']).toBe('55');
    expect(refused.body).toEqual({ message: `API rate limit exceeded for user ID ${sandbox.user('bob')?.id}. ${supportSentence(refused)}`, documentation_url: PRIMARY_DOCS, status: '403' });
    expect(budget(await api('sandbox-bob', 'GET', '/repos/acme/shop'))).toMatchObject({ remaining: '4999', resource: 'core' });
    expect((await api('sandbox-alice', 'GET', '/search/issues?q=repo:acme/shop')).status).toBe(200);
    at(60_000);
    expect(budget(await api('sandbox-bob', 'GET', '/search/issues?q=repo:acme/shop'))).toMatchObject({ remaining: '29', reset: String(T0_SECONDS + 120) });
  });

  it('allows 10 a minute without a token', async () => {
    await setLimits({ preset: 'github' });
    for (let i = 0; i < 10; i += 1) expect((await api(undefined, 'GET', '/search/issues?q=repo:acme/shop')).status).toBe(200);
    expect(budget(await api(undefined, 'GET', '/search/issues?q=repo:acme/shop'))).toMatchObject({ limit: '10', remaining: '0' });
  });
});

describe('points per endpoint (secondary rate limit)', () => {
  it('refuses an endpoint over its points a minute (1 a read, 5 a write); other endpoints go on', async () => {
    await setLimits({ endpointPointsPerMinute: 10 });
    for (let i = 0; i < 10; i += 1) expect((await api('sandbox-bob', 'GET', '/repos/acme/shop')).status).toBe(200);
    at(30_000);
    const refused = await api('sandbox-bob', 'GET', '/repos/acme/shop');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${supportSentence(refused)}`, documentation_url: SECONDARY_DOCS, status: '403' });
    expect(refused.headers['retry-after']).toBe('30');
    expect((await api('sandbox-bob', 'GET', '/repos/acme/shop/issues')).status).toBe(200);
    const { number } = (await createIssue('sandbox-bob')).body;
    const comment = () => api('sandbox-bob', 'POST', `/repos/acme/shop/issues/${String(number)}/comments`, { body: 'seen' });
    expect((await comment()).status).toBe(201);
    expect((await comment()).status).toBe(201);
    expect((await comment()).status).toBe(403);
  });
});

describe('concurrent requests (secondary rate limit)', () => {
  /** A GraphQL request whose body is still being uploaded: in flight until `finish`. */
  function slowQuery(token: string): { request: ClientRequest; answer: Promise<{ status: number; body: string }>; finish(): void } {
    const url = new URL(sandbox.graphqlUrl);
    const request = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: { authorization: `token ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } });
    const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      });
      request.on('error', reject);
    });
    request.write('{"query": ');
    request.flushHeaders();
    return { request, answer, finish: () => request.end('"{ viewer { login } }"}') };
  }

  async function inFlight(caller: string): Promise<number> {
    const usage = (await control('GET', '/limits')).body['usage'] as Record<string, { inFlight: number }>;
    return usage[caller]?.inFlight ?? 0;
  }

  it('refuses the 101st concurrent request of one actor with 403 and retry-after; the 100 complete, other actors go on', async () => {
    await setLimits({ preset: 'github' });
    const slow = Array.from({ length: 100 }, () => slowQuery('sandbox-alice'));
    try {
      for (let waited = 0; (await inFlight('user:alice')) < 100; waited += 1) {
        expect(waited).toBeLessThan(3000);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const refused = await graphql('sandbox-alice', '{ viewer { login } }');
      expect(refused.status).toBe(403);
      expect(refused.body['message']).toBe(`You have exceeded a secondary rate limit. Please wait a few minutes before you try again. ${supportSentence(refused)}`);
      expect(refused.headers['retry-after']).toBe('1');
      expect((await graphql('sandbox-bob', '{ viewer { login } }')).status).toBe(200);
    } finally {
      for (const query of slow) query.finish();
    }
    const answers = await Promise.all(slow.map((query) => query.answer));
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 100 }, () => 200));
    expect(JSON.parse(answers[0]?.body ?? '{}')).toEqual({ data: { viewer: { login: 'alice' } } });
    expect(await inFlight('user:alice')).toBe(0);
    expect((await graphql('sandbox-alice', '{ viewer { login } }')).status).toBe(200);
  });
});

describe('/_sandbox/limits', () => {
  const off = { primaryPerHour: null, unauthenticatedPerHour: null, searchPerMinute: null, unauthenticatedSearchPerMinute: null, contentCreatingPerMinute: null, contentCreatingPerHour: null, endpointPointsPerMinute: null, graphqlPointsPerMinute: null, concurrentRequests: null };
  const github = { primaryPerHour: 5000, unauthenticatedPerHour: 60, searchPerMinute: 30, unauthenticatedSearchPerMinute: 10, contentCreatingPerMinute: 80, contentCreatingPerHour: 500, endpointPointsPerMinute: 900, graphqlPointsPerMinute: 2000, concurrentRequests: 100 };

  it('is off unless started with limits; GET says what is in force', async () => {
    const fresh = await startSandbox();
    const withGithub = await startSandbox({ limits: { preset: 'github' } });
    try {
      expect(await (await fetch(`${fresh.url}/_sandbox/limits`)).json()).toEqual({ preset: 'off', ...off, usage: {} });
      expect(await (await fetch(`${withGithub.url}/_sandbox/limits`)).json()).toEqual({ preset: 'github', ...github, usage: {} });
    } finally {
      await fresh.close();
      await withGithub.close();
    }
  });

  it('POST takes a preset, explicit numbers, or both; GET then returns the same', async () => {
    expect((await control('POST', '/limits', { preset: 'github' })).body).toEqual({ preset: 'github', ...github, usage: {} });
    const explicit = { contentCreatingPerMinute: 80, contentCreatingPerHour: 500, searchPerMinute: 30, primaryPerHour: 5000 };
    expect((await control('POST', '/limits', explicit)).body).toEqual({ preset: 'custom', ...off, ...explicit, usage: {} });
    expect((await control('POST', '/limits', { preset: 'github', contentCreatingPerMinute: 10, concurrentRequests: null })).body).toMatchObject({ preset: 'custom', ...github, contentCreatingPerMinute: 10, concurrentRequests: null });
    expect((await control('GET', '/limits')).body).toMatchObject({ preset: 'custom', contentCreatingPerMinute: 10, concurrentRequests: null });
    expect((await control('POST', '/limits', { preset: 'off' })).body).toEqual({ preset: 'off', ...off, usage: {} });
  });

  it.each([
    ['an empty object', {}, ''],
    ['an unknown preset', { preset: 'fast' }, 'preset'],
    ['zero', { contentCreatingPerMinute: 0 }, 'contentCreatingPerMinute'],
    ['a fraction', { primaryPerHour: 1.5 }, 'primaryPerHour'],
    ['a string', { searchPerMinute: '30' }, 'searchPerMinute'],
    ['fewer points than a write costs', { endpointPointsPerMinute: 4 }, 'endpointPointsPerMinute'],
    ['an unknown limit', { writesPerMinute: 10 }, ''],
    ['an array', [], ''],
  ])('rejects %s with 422 and the path, keeping the limits in force', async (_name, body, path) => {
    await setLimits({ preset: 'github' });
    const answer = await control('POST', '/limits', body);
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ error: 'Invalid limits' });
    expect((answer.body['errors'] as { path: string }[]).map((error) => error.path)).toContain(path);
    expect((await control('GET', '/limits')).body).toMatchObject({ preset: 'github' });
  });

  it('rejects malformed JSON with 400', async () => {
    expect((await control('POST', '/limits', '{"preset":')).status).toBe(400);
    expect((await control('GET', '/limits')).body).toMatchObject({ preset: 'off' });
  });

  it('POST /_sandbox/reset keeps the limits and starts every budget afresh; DELETE /_sandbox/limits/usage resets only the budgets', async () => {
    await setLimits({ primaryPerHour: 2 });
    await createIssue('sandbox-bob', 'Kept by a usage reset');
    await api('sandbox-bob', 'GET', '/repos/acme/shop');
    expect((await api('sandbox-bob', 'GET', '/repos/acme/shop')).status).toBe(403);
    expect((await control('GET', '/limits')).body['usage']).toMatchObject({ 'user:bob': { inFlight: 0, core: { used: 2, remaining: 0 }, contentCreating: { lastMinute: 1, lastHour: 1 } } });

    expect((await control('DELETE', '/limits/usage')).status).toBe(204);
    expect((await control('GET', '/limits')).body).toMatchObject({ preset: 'custom', primaryPerHour: 2, usage: {} });
    const issues = (await api('sandbox-bob', 'GET', '/repos/acme/shop/issues')).body as unknown as { title: string }[];
    expect(issues.map((issue) => issue.title)).toContain('Kept by a usage reset');
    await api('sandbox-bob', 'GET', '/repos/acme/shop');
    expect((await api('sandbox-bob', 'GET', '/repos/acme/shop')).status).toBe(403);

    expect((await control('POST', '/reset')).status).toBe(200);
    expect((await control('GET', '/limits')).body).toMatchObject({ preset: 'custom', primaryPerHour: 2, usage: {} });
    expect(budget(await api('sandbox-bob', 'GET', '/repos/acme/shop'))).toMatchObject({ limit: '2', remaining: '1' });
  });
});

describe('/_sandbox/stats', () => {
  it('counts the app’s requests refused by a limit, and every status, not users’', async () => {
    await setLimits({ contentCreatingPerMinute: 1 });
    await createIssue(BOT, 'first');
    await createIssue(BOT, 'second');
    await createIssue('sandbox-alice', 'by alice');
    await createIssue('sandbox-alice', 'by alice again');
    await api(BOT, 'GET', '/repos/acme/shop/issues/999');
    expect(sandbox.stats()).toEqual({
      total: 3,
      contentCreating: 2,
      limited: 1,
      byRoute: { 'POST /repos/{owner}/{repo}/issues': 2, 'GET /repos/{owner}/{repo}/issues/{issue_number}': 1 },
      byStatus: { '201': 1, '403': 1, '404': 1 },
    });
  });
});
