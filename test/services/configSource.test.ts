import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ConfigResult } from '../../src/domain/config/config.ts';
import { createConfigSource } from '../../src/services/configSource.ts';

const shop = { owner: 'acme', repo: 'shop' };
const api = { owner: 'acme', repo: 'api' };

function counting(results: (() => Promise<ConfigResult>)[] = []) {
  const reads: string[] = [];
  const load = (_octokit: unknown, repo: { owner: string; repo: string }) => {
    reads.push(`${repo.owner}/${repo.repo}`);
    return results.shift()?.() ?? Promise.resolve({ config: DEFAULT_CONFIG, problems: [] });
  };
  return { reads, load };
}

const octokit = { request: async () => ({}) } as never;

describe('config cache', () => {
  it('reads a repository once per TTL, whatever the case of its name, and again after it', async () => {
    let now = 0;
    const { reads, load } = counting();
    const cache = createConfigSource({ ttlMs: 60_000, load, now: () => now });
    await cache.load(octokit, shop);
    now = 59_999;
    await cache.load(octokit, { owner: 'ACME', repo: 'Shop' });
    await cache.load(octokit, api);
    expect(reads).toEqual(['acme/shop', 'acme/api']);
    now = 60_000;
    await cache.load(octokit, shop);
    expect(reads).toEqual(['acme/shop', 'acme/api', 'acme/shop']);
  });

  it('shares one read between concurrent callers', async () => {
    let release: (value: ConfigResult) => void = () => {};
    const { reads, load } = counting([() => new Promise((resolve) => (release = resolve))]);
    const cache = createConfigSource({ load });
    const first = cache.load(octokit, shop);
    const second = cache.load(octokit, shop);
    release({ config: DEFAULT_CONFIG, problems: [{ path: 'x', message: 'y' }] });
    expect(await first).toBe(await second);
    expect(reads).toEqual(['acme/shop']);
  });

  it('does not remember a failed read', async () => {
    const { reads, load } = counting([() => Promise.reject(new Error('502 Bad Gateway'))]);
    const cache = createConfigSource({ load });
    await expect(cache.load(octokit, shop)).rejects.toThrow('502');
    expect((await cache.load(octokit, shop)).problems).toEqual([]);
    expect(reads).toEqual(['acme/shop', 'acme/shop']);
  });

  it('forgets one repository, or all of them', async () => {
    const { reads, load } = counting();
    const cache = createConfigSource({ load });
    await cache.load(octokit, shop);
    await cache.load(octokit, api);
    cache.invalidate({ owner: 'Acme', repo: 'SHOP' });
    await cache.load(octokit, shop);
    await cache.load(octokit, api);
    expect(reads).toEqual(['acme/shop', 'acme/api', 'acme/shop']);
    cache.invalidate();
    await cache.load(octokit, shop);
    await cache.load(octokit, api);
    expect(reads).toEqual(['acme/shop', 'acme/api', 'acme/shop', 'acme/shop', 'acme/api']);
  });
});
