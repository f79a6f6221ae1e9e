import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisIncidentIndex } from '../../src/adapters/redis/redisIncidentIndex.ts';
import { incidentIndexKey, incidentIndexRepo } from '../../src/services/incidentIndex.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';
import { needs } from '../support/components.ts';

const shop = { owner: 'acme', repo: 'shop' };
let redis: RunningRedis;

needs('redis', 'with Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  describe('the incident index in Redis', () => {
    it('is listed by one replica and reused by another (and by a restart) while its mark lasts', async () => {
      let builds = 0;
      const build = async () => {
        builds++;
        return { entries: { [incidentIndexKey(shop, 'fwfpa')]: 7 }, result: 'listed' };
      };
      const first = createRedisIncidentIndex(redis.client(), { prefix: 'index-test:' });
      const second = createRedisIncidentIndex(redis.client(), { prefix: 'index-test:' });
      expect(await first.ensureBuilt(incidentIndexRepo(shop), build)).toBe('listed');
      expect(await second.ensureBuilt(incidentIndexRepo(shop), build)).toBeUndefined();
      expect(await second.get(incidentIndexKey(shop, 'fwfpa'))).toBe(7);
      expect(builds).toBe(1);
      // Another deployment's prefix is another index.
      const other = createRedisIncidentIndex(redis.client(), { prefix: 'index-other:' });
      await other.ensureBuilt(incidentIndexRepo(shop), build);
      expect(builds).toBe(2);
    });

    it('lists again once the shared mark expires', async () => {
      let builds = 0;
      const build = async () => {
        builds++;
        return { entries: {}, result: builds };
      };
      const index = createRedisIncidentIndex(redis.client(), { prefix: 'index-expiry:', builtTtlMs: 100 });
      await index.ensureBuilt(incidentIndexRepo(shop), build);
      await index.ensureBuilt(incidentIndexRepo(shop), build);
      expect(builds).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await index.ensureBuilt(incidentIndexRepo(shop), build);
      expect(builds).toBe(2);
    });
  });
});
