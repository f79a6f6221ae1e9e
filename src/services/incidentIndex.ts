/**
 * Which issue holds the incident of an alert token (`owner/repo#fwfp…` → issue number), so alerts
 * find their incident without a Search API call (GitHub allows 30 searches a minute). A repository's
 * entries are rebuilt from one listing of its incident issues the first time it is seen, then kept
 * up to date as incidents are opened; while a repository is marked built, a token it does not know
 * has no incident. Every hit is checked against the issue itself; a stale one sends the caller
 * back to the listing. With Redis, replicas share the entries and the mark (which expires, so a
 * process that missed an incident filed elsewhere lists again); without, a restart lists again.
 */
export interface IncidentIndex {
  get(key: string): Promise<number | undefined>;
  set(entries: Record<string, number>): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Makes sure `repo`'s entries were rebuilt (by `build`, which lists the repository's incidents and
   * returns the entries) within the mark's lifetime; concurrent callers in this process share one
   * build. `force` rebuilds even when marked (a stale hit). Returns what `build` returned, or
   * undefined when the mark made building unnecessary.
   */
  ensureBuilt<T>(repo: string, build: () => Promise<{ entries: Record<string, number>; result: T }>, options?: { force?: boolean }): Promise<T | undefined>;
}

/** How long a repository's rebuilt entries are trusted before its incidents are listed again. */
export const INDEX_BUILT_TTL_MS = 60 * 60_000;

/** What both index kinds share: one build per repository at a time in this process. */
export function sharedBuilds(marks: { isBuilt(repo: string): Promise<boolean>; markBuilt(repo: string): Promise<void> }, set: IncidentIndex['set']): IncidentIndex['ensureBuilt'] {
  const running = new Map<string, Promise<{ listed: boolean; result?: unknown }>>();
  return async function ensureBuilt<T>(repo: string, build: () => Promise<{ entries: Record<string, number>; result: T }>, options: { force?: boolean } = {}): Promise<T | undefined> {
    const key = repo.toLowerCase();
    const pending = running.get(key);
    if (pending) {
      // Someone is listing the repository right now: as fresh as ours would be. A pass that only
      // found the mark set is no listing, though, and a stale hit needs one.
      const shared = await pending;
      if (shared.listed || !options.force) return shared.result as T | undefined;
      return ensureBuilt(repo, build, options);
    }
    // Registered before the first await, so callers arriving meanwhile share this pass.
    const pass = (async () => {
      if (!options.force && (await marks.isBuilt(key))) return { listed: false };
      const { entries, result } = await build();
      await set(entries);
      await marks.markBuilt(key);
      return { listed: true, result };
    })();
    running.set(key, pass);
    try {
      return (await pass).result as T | undefined;
    } finally {
      running.delete(key);
    }
  };
}

/**
 * A bounded in-memory index: the oldest entries are forgotten first, so memory stays flat. A
 * repository that lost an entry that way is no longer marked built (its misses would lie).
 */
export function createMemoryIncidentIndex(options: { limit?: number; builtTtlMs?: number; now?: () => number } = {}): IncidentIndex {
  const limit = options.limit ?? 10_000;
  const ttl = options.builtTtlMs ?? INDEX_BUILT_TTL_MS;
  const now = options.now ?? Date.now;
  const entries = new Map<string, number>();
  const built = new Map<string, number>();
  const set: IncidentIndex['set'] = async (more) => {
    for (const [key, issue] of Object.entries(more)) {
      entries.delete(key);
      entries.set(key, issue);
    }
    while (entries.size > limit) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
      built.delete(oldest.slice(0, oldest.lastIndexOf('#')));
    }
  };
  return {
    async get(key) {
      return entries.get(key);
    },
    set,
    async delete(key) {
      entries.delete(key);
    },
    ensureBuilt: sharedBuilds(
      {
        isBuilt: async (repo) => (built.get(repo) ?? 0) > now(),
        markBuilt: async (repo) => void built.set(repo, now() + ttl),
      },
      set,
    ),
  };
}

/** The repository part of an index key (`owner/repo`, lower-cased), as `ensureBuilt` takes it. */
export function incidentIndexRepo(repo: { owner: string; repo: string }): string {
  return `${repo.owner}/${repo.repo}`.toLowerCase();
}

export function incidentIndexKey(repo: { owner: string; repo: string }, token: string): string {
  return `${incidentIndexRepo(repo)}#${token}`.toLowerCase();
}
