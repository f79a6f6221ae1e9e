import { describe, expect, it } from 'vitest';
import { createPacer, githubPacer, rateLimitWait } from '../../src/adapters/octokit/githubPacer.ts';

describe('github pacer', () => {
  it('grants at most perMinute slots in any minute', async () => {
    let now = 0;
    const slept: number[] = [];
    const pacer = createPacer({ perMinute: 80, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } });
    for (let i = 0; i < 80; i++) await pacer.slot();
    expect(slept).toEqual([]);
    await pacer.slot();
    expect(slept).toEqual([60_000]);
    expect(pacer.inWindow()).toBeLessThanOrEqual(80);
  });

  it('reads how long GitHub wants us to wait', () => {
    const error = (status: number, headers: Record<string, string>, message = 'x') => Object.assign(new Error(message), { status, response: { headers } });
    expect(rateLimitWait(error(403, { 'retry-after': '7' }))).toBe(7_000);
    expect(rateLimitWait(error(429, {}))).toBe(60_000);
    expect(rateLimitWait(error(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '100' }), 40_000)).toBe(60_000);
    expect(rateLimitWait(error(403, {}, 'You have exceeded a secondary rate limit'))).toBe(60_000);
    expect(rateLimitWait(error(403, {}, 'Resource not accessible by integration'))).toBeUndefined();
    expect(rateLimitWait(error(500, { 'retry-after': '1' }))).toBeUndefined();
  });

  type Wrapper = (request: (options: { method: string; url: string }) => Promise<unknown>, options: { method: string; url: string }) => Promise<unknown>;
  function wrapped(plugin: ReturnType<typeof githubPacer>) {
    let wrapper: Wrapper | undefined;
    plugin({ hook: { wrap: (_name: string, fn: Wrapper) => (wrapper = fn) } } as never);
    return wrapper as Wrapper;
  }

  it('retries a request refused with 403 + retry-after, after the wait', async () => {
    const slept: number[] = [];
    const wrapper = wrapped(githubPacer({ sleep: async (ms) => void slept.push(ms) }));
    let calls = 0;
    const result = await wrapper(async () => {
      calls += 1;
      if (calls === 1) throw Object.assign(new Error('secondary rate limit'), { status: 403, response: { headers: { 'retry-after': '2' } } });
      return 'ok';
    }, { method: 'POST', url: '/repos/{owner}/{repo}/issues' });
    expect(result).toBe('ok');
    expect(slept).toEqual([2_000]);
  });

  it('hands long waits to the queue instead of sleeping through them', async () => {
    const wrapper = wrapped(githubPacer({ maxWaitMs: 1_000, sleep: async () => {} }));
    const refusal = Object.assign(new Error('rate limited'), { status: 429, response: { headers: { 'retry-after': '600' } } });
    await expect(wrapper(async () => Promise.reject(refusal), { method: 'POST', url: '/x' })).rejects.toBe(refusal);
  });

  it('paces POST/PATCH/PUT/DELETE but not reads', async () => {
    let slots = 0;
    const wrapper = wrapped(githubPacer({ pacer: { slot: async () => void (slots += 1), inWindow: () => slots } }));
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'GET']) await wrapper(async () => 'ok', { method, url: '/repos/a/b/issues' });
    expect(slots).toBe(4);
  });
});
