import type { Octokit } from '@octokit/rest';

/**
 * Writes `.github/firewatch.yml` in a repository through the contents API, replacing the file the
 * sandbox seeds (acme/shop has one) with its sha, as GitHub requires.
 */
export async function writeRepoConfig(octokit: Octokit, repo: { owner: string; repo: string }, text: string, message = 'Configure firewatch'): Promise<void> {
  const path = '.github/firewatch.yml';
  const existing = await octokit.rest.repos.getContent({ ...repo, path }).then(
    ({ data }) => (!Array.isArray(data) && 'sha' in data ? data.sha : undefined),
    () => undefined,
  );
  await octokit.rest.repos.createOrUpdateFileContents({ ...repo, path, message, content: Buffer.from(text).toString('base64'), ...(existing ? { sha: existing } : {}) });
}
