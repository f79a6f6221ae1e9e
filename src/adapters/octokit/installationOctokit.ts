import type { Probot, ProbotOctokit } from 'probot';
import type { RepoRef } from '../../domain/repo/repoRef.ts';

import { NotInstalledError } from '../../domain/errors/errors.ts';

export interface InstallationOctokits {
  (repo: RepoRef): Promise<ProbotOctokit>;
  /** Installations changed (an `installation` or `installation_repositories` event): look each repository up again. */
  forget(): void;
}

/**
 * An Octokit acting for the installation that covers a repository, for work that does not start
 * from a webhook (alerts, sweeps, acknowledgement links). One per process: the installation id of
 * a repository is looked up once (concurrent callers share the lookup; a failed one is asked again
 * next time), tokens are cached and renewed by Probot's auth itself. In token mode the token is
 * the only identity there is.
 */
export function installationOctokitFor(probot: Pick<Probot, 'auth'>, auth: 'app' | 'token'): InstallationOctokits {
  const installationIds = new Map<string, Promise<number>>();
  const lookUp = async (repo: RepoRef): Promise<number> => {
    const appOctokit = await probot.auth();
    try {
      const { data } = await appOctokit.request('GET /repos/{owner}/{repo}/installation', { owner: repo.owner, repo: repo.repo });
      return data.id;
    } catch (error) {
      if (isStatus(error, 404)) throw new NotInstalledError(repo);
      throw error;
    }
  };
  const octokitFor = async (repo: RepoRef): Promise<ProbotOctokit> => {
    if (auth === 'token') return probot.auth();
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    let installationId = installationIds.get(key);
    if (!installationId) {
      installationId = lookUp(repo);
      installationIds.set(key, installationId);
      // Not installed now, or GitHub failed: the next caller asks again.
      installationId.catch(() => {
        if (installationIds.get(key) === installationId) installationIds.delete(key);
      });
    }
    return probot.auth(await installationId);
  };
  return Object.assign(octokitFor, { forget: () => installationIds.clear() });
}

function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && error.status === status;
}
