/**
 * The Octokit our server's Probot makes, against GitHub and the sandbox alike: one policy, so a 5xx
 * is retried and a rate-limit refusal is honoured once by it (Octokit's own throttling and retry
 * plugins are off), and both are counted on /metrics.
 */
import nock from 'nock';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/adapters/telemetry/metrics.ts';
import { createFirewatchProbot } from '../../../src/adapters/octokit/probot.ts';

const API = 'https://ghe.test/api/v3';

function probot() {
  const metrics = createMetrics();
  return { metrics, probot: createFirewatchProbot({ credentials: { kind: 'token', token: 'ghp_test', baseUrl: API }, metrics, logLevel: 'fatal' }) };
}

afterEach(() => {
  nock.cleanAll();
});

describe('createFirewatchProbot', () => {
  it('retries a 502 once it answers, and counts the retry', async () => {
    const scope = nock(API).get('/repos/acme/shop').reply(502, { message: 'Bad Gateway' }).get('/repos/acme/shop').reply(200, { full_name: 'acme/shop' });
    const { probot: app, metrics } = probot();
    const octokit = await app.auth();
    const { data } = await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'shop' });
    expect(data).toEqual({ full_name: 'acme/shop' });
    expect(scope.isDone()).toBe(true);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_github_retries_total')).toContain('firewatch_github_retries_total{reason="server error"} 1');
  });

  it('honours a secondary refusal once, with its retry-after, and counts it by kind', async () => {
    const scope = nock(API)
      .post('/repos/acme/shop/issues')
      .reply(403, { message: 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation.' }, { 'retry-after': '0', 'x-ratelimit-resource': 'core', 'x-ratelimit-remaining': '4990' })
      .post('/repos/acme/shop/issues')
      .reply(201, { number: 1 });
    const { probot: app, metrics } = probot();
    const octokit = await app.auth();
    const { data } = await octokit.request('POST /repos/{owner}/{repo}/issues', { owner: 'acme', repo: 'shop', title: 'x' });
    expect(data).toEqual({ number: 1 });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
    expect(await metrics.registry.getSingleMetricAsString('firewatch_github_rate_limit_refusals_total')).toContain('firewatch_github_rate_limit_refusals_total{kind="secondary",resource="core"} 1');
    // Each attempt is a request GitHub answered.
    const requests = await metrics.registry.getSingleMetricAsString('firewatch_github_requests_total');
    expect(requests).toContain('status="403"} 1');
    expect(requests).toContain('status="201"} 1');
  });
});
