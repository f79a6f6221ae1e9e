import type { ConfigResult } from '../domain/config/config.ts';
import type { RepoRef } from '../adapters/github/types.ts';
import { loadConfig, type ConfigReader } from '../features/config/loadConfig.ts';

export type LoadConfig = (octokit: ConfigReader, repo: RepoRef) => Promise<ConfigResult>;

export interface ConfigCache {
  /** `loadConfig`, answered from memory while the repository's config is younger than the TTL. */
  load: LoadConfig;
  /** Reads `repo`'s config (every repository's, without one) again next time: a push changed it. */
  forget(repo?: RepoRef): void;
}

export interface ConfigCacheOptions {
  /** How long a config is reused. Default 60 s: a change reaches every handler within a minute even if its push event is missed. */
  ttlMs?: number;
  load?: LoadConfig;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/**
 * One config read shared by the server's webhook handlers. Every incident event used to read
 * `.github/firewatch.yml` again in each handler that looks at it (notifications on `issues.opened`
 * and `issues.edited`, the status page on `issues.edited`, every command), so an alert storm that
 * opened 50 incidents read the same file about 100 times. Concurrent reads of one repository share
 * one request; a failed read is not remembered. The server forgets a repository's entry when a push
 * to its default branch touches the file (and every entry when the org's `.github` repository
 * changes, since others `_extends` it).
 */
export function createConfigCache(options: ConfigCacheOptions = {}): ConfigCache {
  const ttl = options.ttlMs ?? 60_000;
  const now = options.now ?? (() => performance.now());
  const load = options.load ?? loadConfig;
  const entries = new Map<string, { readAt: number; value: Promise<ConfigResult> }>();
  return {
    load(octokit, repo) {
      const key = `${repo.owner}/${repo.repo}`.toLowerCase();
      const cached = entries.get(key);
      if (cached && now() - cached.readAt < ttl) return cached.value;
      const value = load(octokit, repo);
      const entry = { readAt: now(), value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    forget(repo) {
      if (repo) entries.delete(`${repo.owner}/${repo.repo}`.toLowerCase());
      else entries.clear();
    },
  };
}
