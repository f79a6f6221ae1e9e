import { CONFIG_PATH, parseConfigText, type ConfigResult } from '../../domain/config.ts';
import type { OctokitWith, Params, RepoRef } from '../../github/types.ts';

export interface RestGetContent {
  getContent(params: RepoRef & { path: string } & Params): Promise<{ data: unknown }>;
}

/**
 * `.github/firewatch.yml` read with a plain token (CLI, Action), where Probot's config plugin is
 * not at hand. `_extends` is not followed here. A missing file means the defaults.
 */
export async function readRepoConfig(octokit: OctokitWith<{ repos: RestGetContent }>, repo: RepoRef): Promise<ConfigResult> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ ...repo, path: CONFIG_PATH }));
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'status' in error && error.status === 404) return parseConfigText('');
    throw error;
  }
  if (typeof data !== 'object' || data === null || !('content' in data) || typeof data.content !== 'string') {
    return { ...parseConfigText(''), problems: [{ path: '', message: `${CONFIG_PATH} is not a file` }] };
  }
  return parseConfigText(Buffer.from(data.content, 'base64').toString('utf8'));
}
