import { describe, expect, it } from 'vitest';
import { createMemoryIncidentIndex, incidentIndexKey, incidentIndexRepo } from '../../src/services/incidentIndex.ts';

const repo = incidentIndexRepo({ owner: 'Acme', repo: 'Shop' });
const key = (token: string) => incidentIndexKey({ owner: 'acme', repo: 'shop' }, token);

function counting(entries: Record<string, number> = { [key('fwfpa')]: 1 }) {
  let builds = 0;
  return {
    build: async () => {
      builds++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { entries, result: builds };
    },
    builds: () => builds,
  };
}

describe('the memory incident index', () => {
  it('lists a repository once for concurrent first alerts, and not again while marked built', async () => {
    const index = createMemoryIncidentIndex();
    const { build, builds } = counting();
    const results = await Promise.all(Array.from({ length: 5 }, () => index.ensureBuilt(repo, build)));
    expect(builds()).toBe(1);
    expect(results).toEqual([1, 1, 1, 1, 1]);
    expect(await index.get(key('fwfpa'))).toBe(1);
    expect(await index.ensureBuilt(repo, build)).toBeUndefined();
    expect(await index.ensureBuilt(repo, build, { force: true })).toBe(2);
    expect(builds()).toBe(2);
  });

  it('lists for a stale hit even when it arrives while another caller only checks the mark', async () => {
    const index = createMemoryIncidentIndex();
    const { build, builds } = counting();
    await index.ensureBuilt(repo, build);
    const [checked, forced] = await Promise.all([index.ensureBuilt(repo, build), index.ensureBuilt(repo, build, { force: true })]);
    expect(checked).toBeUndefined();
    expect(forced).toBe(2);
    expect(builds()).toBe(2);
  });

  it('lists again once the mark expires', async () => {
    let now = Date.parse('2026-01-14T09:00:00Z');
    const index = createMemoryIncidentIndex({ builtTtlMs: 60_000, now: () => now });
    const { build, builds } = counting();
    await index.ensureBuilt(repo, build);
    now += 59_000;
    await index.ensureBuilt(repo, build);
    expect(builds()).toBe(1);
    now += 2_000;
    await index.ensureBuilt(repo, build);
    expect(builds()).toBe(2);
  });

  it('forgets that a repository was listed when it forgets one of its entries for room', async () => {
    const index = createMemoryIncidentIndex({ limit: 2 });
    const { build, builds } = counting({ [key('fwfpa')]: 1, [key('fwfpb')]: 2 });
    await index.ensureBuilt(repo, build);
    await index.set({ [key('fwfpc')]: 3 });
    expect(await index.get(key('fwfpa'))).toBeUndefined();
    await index.ensureBuilt(repo, build);
    expect(builds()).toBe(2);
  });
});
