import { CONFIG_PATH } from '../../domain/config/config.ts';
import type { Log } from '../../services/log.ts';
import { httpStatus } from '../../adapters/github/types.ts';
import type { RepoRef } from '../env.ts';

/** The GitHub calls listing what the app is installed on (the app's JWT for the first, an installation token for the others). */
export interface InstallationDirectory {
  installations(): Promise<{ id: number }[]>;
  repositories(installationId: number): Promise<{ owner: string; repo: string; archived: boolean }[]>;
  /** Whether the repository has its own `.github/firewatch.yml` (404: no). */
  hasConfig(installationId: number, repo: RepoRef): Promise<boolean>;
}

export interface SweptReposOptions {
  directory: InstallationDirectory;
  /** Always swept (FIREWATCH_REPO), config file or not. */
  defaultRepo?: RepoRef;
  /** The installations and their repositories are listed again after this long (real time). Default 10 minutes. */
  refreshMs?: number;
  /** Whether a repository has a config file is asked again after this long. Default an hour. */
  configCheckMs?: number;
  /** Real time (tests inject it). */
  monotonicNow?: () => number;
  log: Log;
}

export interface SweptRepos {
  /** The repositories to sweep, from the cache unless it is due for a refresh (so a quiet tick costs no request). */
  list(): Promise<RepoRef[]>;
  /** Lists installations again on the next `list()` (an `installation` or `installation_repositories` webhook). */
  invalidate(): void;
  /** Asks again whether `repo` has a config file on the next refresh (a push that touched it). */
  forgetConfig(repo: RepoRef): void;
}

const keyOf = (repo: RepoRef) => `${repo.owner}/${repo.repo}`.toLowerCase();

/**
 * Every repository of every installation of the app that has a `.github/firewatch.yml` of its own,
 * plus the default repository. An organization's `.github` repository is never swept unless it is
 * the default: its firewatch.yml holds defaults for the others to `_extends`, not incidents.
 *
 * Cost: one request per installation and per 100 repositories every `refreshMs`, one per repository
 * every `configCheckMs`; nothing in between. When listing fails, the last list stands (or the
 * default repository alone) and the next `list()` tries again.
 */
export function createSweptRepos(options: SweptReposOptions): SweptRepos {
  const refreshMs = options.refreshMs ?? 10 * 60_000;
  const configCheckMs = options.configCheckMs ?? 60 * 60_000;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const hasConfig = new Map<string, { value: boolean; checkedAt: number }>();
  let listed: { repos: RepoRef[]; at: number } | undefined;
  let refreshing: Promise<RepoRef[]> | undefined;

  const withDefault = (repos: readonly RepoRef[]): RepoRef[] => {
    const { defaultRepo } = options;
    if (!defaultRepo || repos.some((repo) => keyOf(repo) === keyOf(defaultRepo))) return [...repos];
    return [defaultRepo, ...repos];
  };

  async function refresh(): Promise<RepoRef[]> {
    const now = monotonicNow();
    const found: RepoRef[] = [];
    const seen = new Set<string>();
    for (const installation of await options.directory.installations()) {
      for (const candidate of await options.directory.repositories(installation.id)) {
        const repo = { owner: candidate.owner, repo: candidate.repo };
        const key = keyOf(repo);
        if (seen.has(key) || candidate.archived || candidate.repo.toLowerCase() === '.github') continue;
        seen.add(key);
        let known = hasConfig.get(key);
        if (!known || now - known.checkedAt >= configCheckMs) {
          try {
            known = { value: await options.directory.hasConfig(installation.id, repo), checkedAt: now };
            hasConfig.set(key, known);
          } catch (error) {
            // One unreadable repository (no contents permission, a hiccup) must not hide the others.
            options.log.warn({ err: error, repo: key }, 'sweep: cannot tell whether the repository has a firewatch config; asking again at the next refresh');
          }
        }
        if (known?.value) found.push(repo);
      }
    }
    for (const key of hasConfig.keys()) if (!seen.has(key)) hasConfig.delete(key);
    const repos = withDefault(found);
    const before = listed?.repos.map(keyOf).join(',');
    listed = { repos, at: now };
    if (before !== repos.map(keyOf).join(',')) options.log.info({ repos: repos.map(keyOf) }, `sweep: ${repos.length} ${repos.length === 1 ? 'repository' : 'repositories'} to sweep`);
    return repos;
  }

  return {
    async list() {
      if (listed && monotonicNow() - listed.at < refreshMs) return listed.repos;
      refreshing ??= refresh()
        .catch((error: unknown) => {
          options.log.warn({ err: error }, 'sweep: listing the installed repositories failed; sweeping the last known ones');
          return listed?.repos ?? withDefault([]);
        })
        .finally(() => {
          refreshing = undefined;
        });
      return refreshing;
    },
    invalidate() {
      listed = undefined;
    },
    forgetConfig(repo) {
      hasConfig.delete(keyOf(repo));
      listed = undefined;
    },
  };
}

/** The part of Probot's Octokit the directory calls. */
interface DirectoryOctokit {
  paginate: {
    iterator(route: string, parameters?: Record<string, unknown>): AsyncIterable<{ data: unknown }>;
  };
  request(route: string, parameters?: Record<string, unknown>): Promise<{ data: unknown }>;
}

/**
 * The directory through a GitHub App's auth: `GET /app/installations` with the JWT,
 * `GET /installation/repositories` and the contents API with each installation's token.
 */
export function appDirectory(auth: (installationId?: number) => Promise<DirectoryOctokit>): InstallationDirectory {
  return {
    async installations() {
      const app = await auth();
      const found: { id: number }[] = [];
      for await (const page of app.paginate.iterator('GET /app/installations', { per_page: 100 })) {
        for (const item of asArray(page.data)) if (typeof item['id'] === 'number') found.push({ id: item['id'] });
      }
      return found;
    },
    async repositories(installationId) {
      const octokit = await auth(installationId);
      const found: { owner: string; repo: string; archived: boolean }[] = [];
      // Octokit's paginate unwraps `{ total_count, repositories }` into the array.
      for await (const page of octokit.paginate.iterator('GET /installation/repositories', { per_page: 100 })) {
        for (const item of asArray(page.data)) {
          const owner = asRecord(item['owner'])['login'];
          const name = item['name'];
          if (typeof owner === 'string' && typeof name === 'string') found.push({ owner, repo: name, archived: item['archived'] === true });
        }
      }
      return found;
    },
    async hasConfig(installationId, repo) {
      const octokit = await auth(installationId);
      try {
        await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: repo.owner, repo: repo.repo, path: CONFIG_PATH });
        return true;
      } catch (error) {
        if (httpStatus(error) === 404) return false;
        throw error;
      }
    },
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function asArray(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(asRecord) : [];
}
