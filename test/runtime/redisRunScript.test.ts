import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../../src/adapters/redis/runScript.ts';
import { startRedis, type RunningRedis } from '../support/redis.ts';
import { needs } from '../support/components.ts';

let redis: RunningRedis;

/** How many times Redis ran each command, from `INFO commandstats`. */
async function calls(command: string): Promise<number> {
  const info = await redis.client().info('commandstats');
  return Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
}

needs('redis', 'with Redis', () => {
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  describe('runScript', () => {
    const INCREMENT = "return redis.call('INCRBY', KEYS[1], ARGV[1])";

    it('sends a script once and runs it by its digest after that, also after Redis forgot it', async () => {
      const client = redis.client();
      expect(await runScript(client, INCREMENT, 1, 'script-test:n', 2)).toBe(2);
      expect(await calls('eval')).toBe(1);
      expect(await runScript(client, INCREMENT, 1, 'script-test:n', 3)).toBe(5);
      expect(await runScript(client, INCREMENT, 1, 'script-test:n', 4)).toBe(9);
      // The script's text went over the wire once; EVALSHA ran it each time (the first answered NOSCRIPT).
      expect(await calls('eval')).toBe(1);
      expect(await calls('evalsha')).toBe(3);
      await client.script('FLUSH');
      expect(await runScript(client, INCREMENT, 1, 'script-test:n', 1)).toBe(10);
      expect(await calls('eval')).toBe(2);
    });

    it('passes on what the script itself fails with', async () => {
      await expect(runScript(redis.client(), "return redis.error_reply('BAD input')", 0)).rejects.toThrow('BAD input');
    });
  });
});
