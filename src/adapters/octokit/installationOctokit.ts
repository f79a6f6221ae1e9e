import type { Probot, ProbotOctokit } from 'probot';
import type { RepoRef } from '../../domain/repo/repoRef.ts';

import { NotInstalledError } from '../../domain/errors/errors.ts';

/**
 * An Octokit acting for the installation that covers a repository, for work that does not start
 * from a webhook (alerts, sweeps). Installation ids are cached per repository; tokens are cached
 * and renewed by Probot's auth itself. In token mode the token is the only identity there is.
 */
export function installationOctokitFor(probot: Probot, auth: 'app' | 'token') {
  const installationIds = new Map<string, number>();
  return async function octokitFor(repo: RepoRef): Promise<ProbotOctokit> {
    if (auth === 'token') return probot.auth();
    const key = `${repo.owner}/${repo.repo}`.toLowerCase();
    let installationId = installationIds.get(key);
    if (installationId === undefined) {
      const appOctokit = await probot.auth();
      try {
        const { data } = await appOctokit.request('GET /repos/{owner}/{repo}/installation', { owner: repo.owner, repo: repo.repo });
        installationId = data.id;
      } catch (error) {
        if (isStatus(error, 404)) throw new NotInstalledError(repo);
        throw error;
      }
      installationIds.set(key, installationId);
    }
    return probot.auth(installationId);
  };
}

function isStatus(error: unknown, status: number): boolean {
  return typeof error === 'object' && error !== null && 'status' in error && error.status === status;
}
