/**
 * The Octokit our server's Probot makes: against GitHub a 5xx is retried (Probot's retry plugin);
 * against the sandbox, which never fails transiently, it is not, because the plugin's scheduling
 * would only slow every request down.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/adapters/telemetry/metrics.ts';
import { createFirewatchProbot } from '../../src/adapters/octokit/probot.ts';

const API = 'https://ghe.test/api/v3';

function probot(retry: boolean | undefined) {
  return createFirewatchProbot({
    credentials: { kind: 'token', token: 'ghp_test', baseUrl: API },
    metrics: createMetrics(),
    throttle: false,
    logLevel: 'fatal',
    ...(retry === undefined ? {} : { retry }),
  });
}

afterEach(() => {
  nock.cleanAll();
});

describe('createFirewatchProbot', () => {
  it('retries a 502 by default', async () => {
    const scope = nock(API).get('/repos/acme/shop').reply(502, { message: 'Bad Gateway' }).get('/repos/acme/shop').reply(200, { full_name: 'acme/shop' });
    const octokit = await probot(undefined).auth();
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'shop' });
    expect(data).toEqual({ full_name: 'acme/shop' });
    expect(scope.isDone()).toBe(true);
  });

  it('with retry: false, reports the 502 at once', async () => {
    const scope = nock(API).get('/repos/acme/shop').reply(502, { message: 'Bad Gateway' });
    const octokit = await probot(false).auth();
    await expect(octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'shop' })).rejects.toMatchObject({ status: 502 });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
