import { permissionFromApi, type PermissionLevel } from '../../domain/commands/permissions.ts';
import type { OctokitWith, RepoRef, RestRepos } from './types.ts';

/**
 * A user's permission on a repository, from GitHub's collaborator-permission API. Fails closed:
 * any error (not a collaborator, token without access, GitHub down) counts as `none`.
 */
export async function getPermission(
  octokit: OctokitWith<{ repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'> }>,
  repo: RepoRef,
  login: string,
): Promise<PermissionLevel> {
  try {
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: repo.owner, repo: repo.repo, username: login });
    return permissionFromApi(data);
  } catch {
    return 'none';
  }
}
