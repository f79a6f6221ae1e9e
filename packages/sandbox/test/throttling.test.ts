/**
 * The sandbox's refusals are the ones Octokit's throttling plugin (in Probot's Octokit) is built
 * for: a secondary limit reaches `onSecondaryRateLimit` with the `retry-after` seconds, an
 * exhausted primary or search budget reaches `onRateLimit` with the time to the reset, and the
 * retry the plugin then makes succeeds. The clock is pinned (`Date` only); the handlers move it on
 * by the time they are told to wait, and the plugin waits 1 ms per second of it.
 */
import { ProbotOctokit } from 'probot';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { startSandbox } from './support.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let sandbox: Sandbox;
let octokits = 0;

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
  sandbox.reset();
  sandbox.resetStats();
});

interface Limited {
  limit: 'secondary' | 'primary';
  retryAfter: number;
  request: string;
  retryCount: number;
}

/** Probot's Octokit as the app builds it, with handlers that record each limit, wait it out and retry once. */
function throttled(token: string, limited: Limited[]) {
  const handler =
    (limit: Limited['limit']) =>
    (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      limited.push({ limit, retryAfter, request: `${options.method ?? ''} ${options.url ?? ''}`, retryCount });
      vi.setSystemTime(Date.now() + retryAfter * 1000);
      return retryCount === 0;
    };
  octokits += 1;
  return new ProbotOctokit({
    baseUrl: sandbox.apiUrl,
    auth: { token },
    log: quiet,
    retry: { enabled: false },
    // Bottleneck groups are shared by id across instances: one per test keeps them apart.
    throttle: { id: `sandbox-throttling-${octokits}`, retryAfterBaseValue: 1, onSecondaryRateLimit: handler('secondary'), onRateLimit: handler('primary') },
  });
}

async function setLimits(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandbox.url}/_sandbox/limits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
}

describe("Octokit's throttling against the sandbox", () => {
  it('sees a content creation refusal as a secondary rate limit, waits its retry-after and then creates', async () => {
    await setLimits({ preset: 'github', contentCreatingPerMinute: 1 });
    const limited: Limited[] = [];
    const octokit = throttled('sandbox-firewatch', limited);
    expect((await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'First' })).status).toBe(201);
    vi.setSystemTime(T0 + 15_000);
    const second = await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Second' });
    expect(second.status).toBe(201);
    // 45 s, not the plugin's fallback of 60: the header was read.
    expect(limited).toEqual([{ limit: 'secondary', retryAfter: 45, request: 'POST /repos/{owner}/{repo}/issues', retryCount: 0 }]);
    expect(sandbox.stats()).toMatchObject({ limited: 1, byStatus: { '201': 2, '403': 1 } });
    expect([...(sandbox.repo('acme', 'shop')?.issues.values() ?? [])].filter((issue) => !issue.isPullRequest).map((issue) => issue.title)).toEqual(['First', 'Second']);
  });

  it('sees a content-creating GraphQL mutation refused as a secondary rate limit too', async () => {
    await setLimits({ contentCreatingPerMinute: 1 });
    const limited: Limited[] = [];
    const octokit = throttled('sandbox-alice', limited);
    const { repository } = await octokit.graphql<{ repository: { pullRequests: { nodes: { id: string }[] } } }>('{ repository(owner: "acme", name: "shop") { pullRequests(states: [MERGED], first: 1) { nodes { id } } } }');
    await octokit.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Spends the minute' });
    vi.setSystemTime(T0 + 20_000);
    const result = await octokit.graphql<{ revertPullRequest: { revertPullRequest: { title: string } } }>('mutation($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { revertPullRequest { title } } }', { id: repository.pullRequests.nodes[0]?.id });
    expect(result.revertPullRequest.revertPullRequest.title).toMatch(/^Revert /);
    expect(limited).toEqual([expect.objectContaining({ limit: 'secondary', retryAfter: 40, retryCount: 0 })]);
  });

  it('sees an exhausted primary budget as a rate limit, waits until after the reset and then reads', async () => {
    await setLimits({ preset: 'github', primaryPerHour: 2 });
    const limited: Limited[] = [];
    const octokit = throttled('sandbox-firewatch', limited);
    await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    vi.setSystemTime(T0 + 60_000);
    await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    const third = await octokit.rest.repos.get({ owner: 'acme', repo: 'shop' });
    expect(third.status).toBe(200);
    expect(third.headers['x-ratelimit-remaining']).toBe('1');
    // The plugin adds a second to the reset, so that it retries after it.
    expect(limited).toEqual([{ limit: 'primary', retryAfter: 3600 - 60 + 1, request: 'GET /repos/{owner}/{repo}', retryCount: 0 }]);
  });

  it('sees an exhausted search budget as a rate limit that ends within the minute', async () => {
    await setLimits({ preset: 'github', searchPerMinute: 1 });
    const limited: Limited[] = [];
    const octokit = throttled('sandbox-bob', limited);
    await octokit.rest.search.issuesAndPullRequests({ q: 'repo:acme/shop' });
    const second = await octokit.rest.search.issuesAndPullRequests({ q: 'repo:acme/shop' });
    expect(second.status).toBe(200);
    expect(limited).toEqual([{ limit: 'primary', retryAfter: 61, request: 'GET /search/issues', retryCount: 0 }]);
  });
});
