import type { Octokit } from '@octokit/rest';

type Repo = { owner: string; repo: string };

/** Creates or replaces a file on the default branch through the contents API (a replacement names the sha it replaces, as GitHub requires). */
export async function writeRepoFile(octokit: Octokit, repo: Repo, path: string, text: string, message = `Update ${path}`): Promise<void> {
  const existing = await octokit.rest.repos.getContent({ ...repo, path }).then(
    ({ data }) => (!Array.isArray(data) && 'sha' in data ? data.sha : undefined),
    () => undefined,
  );
  await octokit.rest.repos.createOrUpdateFileContents({ ...repo, path, message, content: Buffer.from(text).toString('base64'), ...(existing ? { sha: existing } : {}) });
}

/** Writes `.github/firewatch.yml`, replacing the one the sandbox seeds (acme/shop has one). */
export function writeRepoConfig(octokit: Octokit, repo: Repo, text: string, message = 'Configure firewatch'): Promise<void> {
  return writeRepoFile(octokit, repo, '.github/firewatch.yml', text, message);
}
