import { describe, expect, it } from 'vitest';
import { connection, describeFailure } from '../src/runtimes/cli/support.ts';

const github = connection({}, { GITHUB_TOKEN: 'ghp_x' });
const sandbox = connection({}, {});

/** An error shaped as Octokit's RequestError for an HTTP answer. */
function answered(status: number, message: string, url: string, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(message), { name: 'HttpError', status, request: { method: 'GET', url, headers: {} }, response: { status, url, headers, data: {} } });
}

describe('connection', () => {
  it('says which setting chose GitHub and the token', () => {
    expect(sandbox).toMatchObject({ baseUrl: 'http://127.0.0.1:3001/api/v3', token: 'sandbox-alice', via: 'sandbox', tokenVia: 'sandbox' });
    expect(github).toMatchObject({ baseUrl: 'https://api.github.com', token: 'ghp_x', via: 'GITHUB_TOKEN', tokenVia: 'GITHUB_TOKEN' });
    expect(connection({ 'api-url': 'http://x/api/v3', token: 't' }, { GITHUB_TOKEN: 'ghp_x' })).toMatchObject({ baseUrl: 'http://x/api/v3', token: 't', via: '--api-url', tokenVia: '--token' });
    expect(connection({}, { GHE_HOST: 'ghe.example', GITHUB_TOKEN: 'g' })).toMatchObject({ baseUrl: 'https://ghe.example/api/v3', via: 'GHE_HOST' });
    expect(connection({}, { SANDBOX_PORT: '4001' }).sandboxUrl).toBe('http://127.0.0.1:4001/api/v3');
  });
});

describe('describeFailure', () => {
  it('tells a rate limit with the time to try again', () => {
    const error = answered(403, 'API rate limit exceeded for installation ID 1. - https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting', 'https://api.github.com/repos/acme/shop/issues', {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(Date.parse('2026-01-14T09:42:00Z') / 1000),
    });
    expect(describeFailure(error, github)).toBe('https://api.github.com is rate limiting this token (403 API rate limit exceeded for installation ID 1.): try again after 09:42 UTC');
  });

  it('tells a missing permission apart from a rate limit', () => {
    const error = answered(403, 'Resource not accessible by integration', 'https://api.github.com/repos/acme/shop/issues/3');
    expect(describeFailure(error, github)).toBe('https://api.github.com refused (403 Resource not accessible by integration) for acme/shop#3: the token lacks a permission this needs; check GITHUB_TOKEN (or pass --token)');
  });

  it('a 404 with a GITHUB_TOKEN in the shell says the sandbox is elsewhere', () => {
    const error = answered(404, 'Not Found - https://docs.github.com/rest', 'https://api.github.com/repos/acme/shop/issues?state=all');
    expect(describeFailure(error, github)).toBe(
      'acme/shop was not found at https://api.github.com (or the token cannot see it): check --repo (or FIREWATCH_REPO); GITHUB_TOKEN is set, so firewatch read https://api.github.com: pass --api-url http://127.0.0.1:3001/api/v3 for the sandbox',
    );
  });

  it('a server error is worth a retry; a failed connection is not a server error', () => {
    expect(describeFailure(answered(502, 'Bad Gateway', 'https://api.github.com/repos/acme/shop'), github)).toBe('https://api.github.com failed (502 Bad Gateway): try again later');
    const socket = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3001'), { code: 'ECONNREFUSED' });
    const fetchFailed = Object.assign(new TypeError('fetch failed'), { cause: socket });
    const octokit = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3001'), { status: 500, request: { url: 'http://127.0.0.1:3001/api/v3/repos/acme/shop' }, cause: fetchFailed });
    expect(describeFailure(octokit, sandbox)).toMatch(/^cannot reach GitHub at http:\/\/127\.0\.0\.1:3001\/api\/v3 \(connection refused\): start the sandbox first/);
  });

  it('leaves anything else (a bug) to its stack trace', () => {
    expect(describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')"), sandbox)).toBeUndefined();
    expect(describeFailure('a string', sandbox)).toBeUndefined();
  });
});
