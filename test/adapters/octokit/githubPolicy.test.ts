/** The one Octokit policy: refusals honoured and counted, 5xx retried, priorities carried to the pacer; on a fake clock. */
import { describe, expect, it } from 'vitest';
import { createPacer, type Pacer, type RequestCost } from '../../../src/adapters/octokit/githubPacer.ts';
import { costOf, githubPolicy, refusalOf, type Refusal } from '../../../src/adapters/octokit/githubPolicy.ts';
import { PRIORITY, withPriority } from '../../../src/adapters/octokit/requestPriority.ts';
import { fakeClock } from '../../support/fakeTimers.ts';

type Options = { method: string; url: string; query?: string; request?: { priority?: number } };
type Wrapper = (request: (options: Options) => Promise<unknown>, options: Options) => Promise<unknown>;

function wrapped(plugin: ReturnType<typeof githubPolicy>, octokitOptions: Record<string, unknown> = {}): Wrapper {
  let wrapper: Wrapper | undefined;
  plugin({ hook: { wrap: (_name: string, fn: Wrapper) => (wrapper = fn) } } as never, octokitOptions);
  return wrapper as Wrapper;
}

const refusal = (status: number, headers: Record<string, string>, message: string) => Object.assign(new Error(message), { status, response: { headers } });
const SECONDARY = 'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later.';

describe('the Octokit policy', () => {
  it('tells what each request spends: creations and labels are content, updates and reads are not, searches and GraphQL mutations apart', () => {
    expect(costOf({ method: 'POST', url: '/repos/{owner}/{repo}/issues' })).toMatchObject({ contentCreating: true, points: 5 });
    expect(costOf({ method: 'PUT', url: '/repos/{owner}/{repo}/issues/{issue_number}/labels' })).toMatchObject({ contentCreating: true });
    expect(costOf({ method: 'PATCH', url: '/repos/{owner}/{repo}/issues/{issue_number}' })).toMatchObject({ contentCreating: false, points: 5 });
    expect(costOf({ method: 'GET', url: '/search/issues' })).toMatchObject({ search: true, contentCreating: false, points: 1 });
    expect(costOf({ method: 'POST', url: '/graphql', query: 'mutation($id: ID!) { revertPullRequest(input: {pullRequestId: $id}) { clientMutationId } }' })).toMatchObject({ contentCreating: true, graphql: true, points: 5 });
    expect(costOf({ method: 'POST', url: '/graphql', query: 'query { viewer { login } }' })).toMatchObject({ contentCreating: false, graphql: true, points: 1 });
    expect(costOf({ method: 'POST', url: '/app/installations/{installation_id}/access_tokens' })).toBeUndefined();
  });

  it("reads GitHub's refusals: secondary with retry-after, primary with x-ratelimit-reset, 429 without headers; other 403s are not refusals", () => {
    expect(refusalOf(refusal(403, { 'retry-after': '7', 'x-ratelimit-resource': 'core', 'x-ratelimit-remaining': '4000' }, SECONDARY))).toEqual({ kind: 'secondary', resource: 'core', waitMs: 7_000 });
    expect(refusalOf(refusal(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100', 'x-ratelimit-resource': 'search' }, 'API rate limit exceeded'), 40_000)).toEqual({ kind: 'primary', resource: 'search', waitMs: 60_000 });
    expect(refusalOf(refusal(429, {}, 'Too Many Requests'))).toEqual({ kind: 'secondary', resource: 'unknown', waitMs: 60_000 });
    expect(refusalOf(refusal(403, {}, 'Resource not accessible by integration'))).toBeUndefined();
    expect(refusalOf(refusal(500, { 'retry-after': '1' }, 'boom'))).toBeUndefined();
  });

  it('a secondary refusal pauses content creation for its retry-after, is counted, and the request goes again after it', async () => {
    const clock = fakeClock();
    const pacer = createPacer({ clock });
    const refusals: Refusal[] = [];
    const wrapper = wrapped(githubPolicy({ pacer, sleep: clock.sleep, metrics: { refused: (r) => refusals.push(r) } }));
    const sent: number[] = [];
    const result = wrapper(async () => {
      sent.push(clock.now());
      if (sent.length === 1) throw refusal(403, { 'retry-after': '2', 'x-ratelimit-resource': 'core', 'x-ratelimit-remaining': '4999' }, SECONDARY);
      return 'created';
    }, { method: 'POST', url: '/repos/{owner}/{repo}/issues' });
    await clock.advance(5_000);
    await expect(result).resolves.toBe('created');
    expect(sent).toEqual([0, 2_000]);
    expect(refusals).toEqual([{ kind: 'secondary', resource: 'core', waitMs: 2_000 }]);
  });

  it('an exhausted primary budget is waited out until x-ratelimit-reset, also for a read', async () => {
    const clock = fakeClock(1_000_000);
    const wrapper = wrapped(githubPolicy({ pacer: createPacer({ clock }), sleep: clock.sleep }));
    const sent: number[] = [];
    const result = wrapper(async () => {
      sent.push(clock.now());
      if (sent.length === 1) throw refusal(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1030', 'x-ratelimit-resource': 'core' }, 'API rate limit exceeded for installation ID 1.');
      return 'ok';
    }, { method: 'GET', url: '/repos/{owner}/{repo}' });
    await clock.advance(60_000);
    await expect(result).resolves.toBe('ok');
    expect(sent).toEqual([1_000_000, 1_030_000]);
  });

  it('gives a refusal asking for longer than it may wait to the caller at once (the alert queue retries later)', async () => {
    const clock = fakeClock();
    const wrapper = wrapped(githubPolicy({ pacer: createPacer({ clock }), sleep: clock.sleep, maxWaitMs: 60_000 }));
    const error = refusal(403, { 'retry-after': '600' }, SECONDARY);
    await expect(wrapper(async () => Promise.reject(error), { method: 'POST', url: '/repos/{owner}/{repo}/issues' })).rejects.toBe(error);
  });

  it('retries a 5xx after 1 s and 4 s, then gives up; a 404 is not retried', async () => {
    const clock = fakeClock();
    const retried: string[] = [];
    const wrapper = wrapped(githubPolicy({ pacer: createPacer({ clock }), sleep: clock.sleep, metrics: { retried: (reason) => retried.push(reason) }, serverErrorRetries: 2 }));
    const sent: number[] = [];
    const failing = wrapper(async () => {
      sent.push(clock.now());
      throw Object.assign(new Error('Bad Gateway'), { status: 502, response: { status: 502, headers: {} } });
    }, { method: 'PATCH', url: '/repos/{owner}/{repo}/issues/{issue_number}' });
    const settled = failing.catch((error: unknown) => error);
    await clock.advance(10_000);
    expect(await settled).toMatchObject({ status: 502 });
    expect(sent).toEqual([0, 1_000, 5_000]);
    expect(retried).toEqual(['server error', 'server error']);
    // A request that got no answer (Octokit's 500 without a response) is told at once where that is asked for.
    const quick = wrapped(githubPolicy({ pacer: createPacer({ clock }), sleep: clock.sleep, retryUnanswered: false }));
    let attempts = 0;
    await expect(quick(async () => Promise.reject(Object.assign(new Error('fetch failed'), { status: 500, attempt: ++attempts })), { method: 'GET', url: '/x' })).rejects.toMatchObject({ status: 500 });
    expect(attempts).toBe(1);
    let calls = 0;
    await expect(wrapper(async () => Promise.reject(Object.assign(new Error('Not Found'), { status: 404, calls: ++calls })), { method: 'GET', url: '/x' })).rejects.toMatchObject({ status: 404 });
    expect(calls).toBe(1);
  });

  it("asks the pacer for the caller's priority (withPriority, or the request's own option), per installation", async () => {
    const asked: { priority: number; key: string | undefined; cost: RequestCost }[] = [];
    const pacer: Pacer = {
      ...createPacer(),
      acquire: async (cost, options) => {
        asked.push({ cost, priority: options.priority, key: options.key });
        return { done() {}, refused() {} };
      },
    };
    const wrapper = wrapped(githubPolicy({ pacer }), { auth: { installationId: 7 } });
    await withPriority(PRIORITY.sweep, () => wrapper(async () => 'ok', { method: 'POST', url: '/repos/{owner}/{repo}/issues/{issue_number}/comments' }));
    await wrapper(async () => 'ok', { method: 'POST', url: '/repos/{owner}/{repo}/issues', request: { priority: 1 } });
    await wrapper(async () => 'ok', { method: 'GET', url: '/repos/{owner}/{repo}' });
    expect(asked.map(({ priority, key }) => ({ priority, key }))).toEqual([
      { priority: PRIORITY.sweep, key: 'installation:7' },
      { priority: 1, key: 'installation:7' },
      { priority: PRIORITY.notice, key: 'installation:7' },
    ]);
  });
});
