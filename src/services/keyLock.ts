import { serializeByKey } from './serializeByKey.ts';

/** Runs `task` while holding the lock for `key`. */
export type KeyLock = <T>(key: string, task: () => Promise<T>) => Promise<T>;

/**
 * In-process serialization first (cheap, and it keeps one replica's own batches in order), then the
 * shared lock when there is one (several replicas).
 */
export function createKeyLock(shared?: KeyLock): KeyLock {
  const local = serializeByKey();
  return (key, task) => local(key, shared ? () => shared(key, task) : task);
}
