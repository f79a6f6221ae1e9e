/** Repositories: `GET /repos/{owner}/{repo}` and the lists an installation or org exposes. */
import { permissionFor, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, permissionRank, type Router } from '../router.ts';
import { fullRepositoryJson, repositoryJson } from '../shapes.ts';
import type { SandboxApi } from '../types.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}',
    (request) => {
      const { repo, permission } = requireRepo(sandbox, request, 'read');
      return { status: 200, body: fullRepositoryJson(sandbox, repo, permission) };
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/orgs/{org}/repos',
    (request) => {
      const org = request.params['org'] ?? '';
      if (!sandbox.state.orgs.has(org)) throw new HttpError(404, 'Not Found');
      if (request.actor?.kind === 'app') throw new HttpError(403, 'Resource not accessible by integration');
      const repos = [...sandbox.state.repos.values()].filter(
        (r) => r.owner === org && permissionRank[permissionFor(sandbox, r, request.actor)] >= permissionRank.read,
      );
      return paginated(sandbox.apiUrl, request, repos, (r) => repositoryJson(sandbox, r));
    },
    { auth: 'optional' },
  );

  router.add('GET', '/installation/repositories', (request) => {
    if (request.actor?.kind !== 'installation') throw new HttpError(403, 'This endpoint requires an installation access token');
    const account = sandbox.state.installation.account.toLowerCase();
    const repos = [...sandbox.state.repos.values()].filter((r) => r.owner.toLowerCase() === account);
    const page = paginated(sandbox.apiUrl, request, repos, (r) => repositoryJson(sandbox, r));
    return { ...page, body: { total_count: repos.length, repository_selection: 'all', repositories: page.body } };
  });
}
