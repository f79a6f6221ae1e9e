import { CONFIG_PATH, type ConfigResult } from '../domain/config/config.ts';
import type { RepoRef } from '../adapters/github/types.ts';
import { repoKey } from '../domain/repo/repoRef.ts';
import { loadConfig, type ConfigReader } from '../adapters/github/loadConfig.ts';

export type LoadConfig = (octokit: ConfigReader, repo: RepoRef) => Promise<ConfigResult>;

/**
 * Where every part of a process reads `.github/firewatch.yml` (webhook handlers, alert filing,
 * sweeps): one cache, invalidated from one place (the `push` and installation handlers of
 * `app.ts`), so a pushed config is seen by the next command, alert and sweep alike.
 */
export interface ConfigSource {
  /** `loadConfig`, answered from memory while the repository's config is younger than the TTL. */
  load: LoadConfig;
  /** Reads `repo`'s config (every repository's, without one) again next time: a push changed it. */
  invalidate(repo?: RepoRef): void;
  /** Told about every invalidation (the list of repositories to sweep listens). */
  onInvalidate(listener: (repo?: RepoRef) => void): void;
}

export interface ConfigSourceOptions {
  /** How long a config is reused. Default 60 s: a change reaches every reader within a minute even if its push event is missed. */
  ttlMs?: number;
  load?: LoadConfig;
  /** Monotonic milliseconds. */
  now?: () => number;
}

/**
 * Concurrent reads of one repository share one request; a failed read is not remembered. An alert
 * storm that opens 50 incidents reads the file once, not once per handler per incident.
 */
export function createConfigSource(options: ConfigSourceOptions = {}): ConfigSource {
  const ttl = options.ttlMs ?? 60_000;
  const now = options.now ?? (() => performance.now());
  const load = options.load ?? loadConfig;
  const entries = new Map<string, { readAt: number; value: Promise<ConfigResult> }>();
  const listeners: ((repo?: RepoRef) => void)[] = [];
  return {
    load(octokit, repo) {
      const key = repoKey(repo);
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
    invalidate(repo) {
      if (repo) entries.delete(repoKey(repo));
      else entries.clear();
      for (const listener of listeners) listener(repo);
    },
    onInvalidate(listener) {
      listeners.push(listener);
    },
  };
}

/** The repository whose `.github/firewatch.yml` a push to its default branch added, changed or removed; null otherwise. */
export function configPushed(payload: {
  ref: string;
  repository: { name: string; owner: { login?: string; name?: string | null } | null; default_branch?: string };
  commits?: readonly { added?: readonly string[]; modified?: readonly string[]; removed?: readonly string[] }[];
}): RepoRef | null {
  const { repository } = payload;
  const owner = repository.owner?.login ?? repository.owner?.name;
  if (!owner || payload.ref !== `refs/heads/${repository.default_branch ?? 'main'}`) return null;
  const touched = (payload.commits ?? []).some((commit) => [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].includes(CONFIG_PATH));
  return touched ? { owner, repo: repository.name } : null;
}
