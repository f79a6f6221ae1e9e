/**
 * Which issue holds the incident for a search token (`owner/repo#fwfp…` → issue number). Only a
 * shortcut: GitHub search lags behind writes, so a just-opened incident is remembered here; every
 * hit is checked against the issue itself, and a miss falls back to search. With Redis, replicas
 * share it; without, it is rebuilt from GitHub after a restart.
 */
export interface IncidentIndex {
  get(key: string): Promise<number | undefined>;
  set(entries: Record<string, number>): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A bounded in-memory index: the oldest entries are forgotten first, so memory stays flat. */
export function createMemoryIncidentIndex(limit = 10_000): IncidentIndex {
  const entries = new Map<string, number>();
  return {
    async get(key) {
      return entries.get(key);
    },
    async set(more) {
      for (const [key, issue] of Object.entries(more)) {
        entries.delete(key);
        entries.set(key, issue);
      }
      while (entries.size > limit) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    async delete(key) {
      entries.delete(key);
    },
  };
}

export function incidentIndexKey(repo: { owner: string; repo: string }, token: string): string {
  return `${repo.owner}/${repo.repo}#${token}`.toLowerCase();
}
