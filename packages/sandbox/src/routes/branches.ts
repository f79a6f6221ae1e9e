/**
 * Branches: the list (name, head commit, protection flag) and one branch with its head commit.
 * Branch protection is not modelled: every branch reports itself unprotected.
 */
import { requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import { fullName } from '../shapes.ts';
import type { SandboxApi } from '../types.ts';
import { commitJson } from '../git/commit-json.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/repos/{owner}/{repo}/branches',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      if (request.query.get('protected') === 'true') return paginated(sandbox.apiUrl, request, []);
      const branches = [...repo.git.refs]
        .filter(([ref]) => ref.startsWith('heads/'))
        .map(([ref, sha]) => ({ name: ref.slice('heads/'.length), sha }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const api = `${sandbox.apiUrl}/repos/${fullName(repo)}`;
      return paginated(sandbox.apiUrl, request, branches, (b) => ({ name: b.name, commit: { sha: b.sha, url: `${api}/commits/${b.sha}` }, protected: false }));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/branches/{branch}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      const name = request.params['branch'] ?? '';
      const sha = repo.git.refs.get(`heads/${name}`);
      const commit = sha ? repo.git.commits.get(sha) : undefined;
      if (!commit) throw new HttpError(404, 'Branch not found');
      const api = `${sandbox.apiUrl}/repos/${fullName(repo)}/branches/${encodeURIComponent(name)}`;
      return {
        status: 200,
        body: {
          name,
          commit: commitJson(sandbox, repo, commit),
          _links: { html: `${sandbox.url}/${fullName(repo)}/tree/${name}`, self: api },
          protected: false,
          protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
          protection_url: `${api}/protection`,
        },
      };
    },
    { auth: 'optional' },
  );
}
