import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { runScript } from './runScript.ts';
import type { KeyLock } from '../../services/keyLock.ts';
import { LockTimeoutError } from '../../domain/errors/errors.ts';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A lock shared by every replica through Redis (`SET NX PX`, released only by its owner, renewed
 * while held). If a holder dies, the lock frees itself after `ttlMs`.
 */
export function createRedisLock(redis: Redis, options: { prefix?: string; ttlMs?: number; waitMs?: number } = {}): KeyLock {
  const prefix = `${options.prefix ?? 'firewatch:'}lock:`;
  const ttl = options.ttlMs ?? 30_000;
  const wait = options.waitMs ?? 120_000;
  return async function withLock<T>(key: string, task: () => Promise<T>): Promise<T> {
    const name = `${prefix}${key}`;
    const owner = randomBytes(12).toString('hex');
    const started = Date.now();
    let pause = 10;
    while ((await redis.set(name, owner, 'PX', ttl, 'NX')) !== 'OK') {
      if (Date.now() - started > wait) throw new LockTimeoutError(key, wait);
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(200, pause * 2);
    }
    const renew = setInterval(() => void runScript(redis, EXTEND, 1, name, owner, ttl).catch(() => {}), ttl / 3);
    try {
      return await task();
    } finally {
      clearInterval(renew);
      await runScript(redis, RELEASE, 1, name, owner).catch(() => {});
    }
  };
}
