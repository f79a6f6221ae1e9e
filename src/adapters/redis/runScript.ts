import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

const digests = new Map<string, string>();

/**
 * Runs a Lua script by its SHA-1 (`EVALSHA`), sending the script's text (`EVAL`, which also
 * caches it in Redis) only when Redis does not know it yet (`NOSCRIPT`: the first call, or after
 * a restart or `SCRIPT FLUSH`). The alert queue runs a script for every notification it accepts:
 * sending a kilobyte of Lua each time cost more than the rest of the enqueue.
 */
export async function runScript(redis: Redis, script: string, keys: number, ...args: (string | number)[]): Promise<unknown> {
  let sha = digests.get(script);
  if (!sha) {
    sha = createHash('sha1').update(script).digest('hex');
    digests.set(script, sha);
  }
  try {
    return await redis.evalsha(sha, keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(script, keys, ...args);
  }
}
