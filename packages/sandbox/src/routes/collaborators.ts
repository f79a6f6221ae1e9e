/**
 * Collaborators and assignees. `permission` keeps GitHub's legacy mapping (triage → read,
 * maintain → write) while `role_name` carries the real role; a signed-in non-collaborator on
 * a public repository reads as `read`.
 */
import { permissionFor, requireRepo } from '../auth.ts';
import { paginated } from '../paginate.ts';
import { HttpError, type Router } from '../router.ts';
import { userJson } from '../shapes.ts';
import type { Permission, RepoRecord, SandboxUser } from '../store.ts';
import type { SandboxApi } from '../types.ts';

const legacy: Record<Permission, string> = { none: 'none', read: 'read', triage: 'read', write: 'write', maintain: 'write', admin: 'admin' };

function collaboratorJson(sandbox: SandboxApi, user: SandboxUser, permission: Permission): Record<string, unknown> {
  const rank = ['none', 'read', 'triage', 'write', 'maintain', 'admin'].indexOf(permission);
  return {
    ...userJson(sandbox, user),
    permissions: { pull: rank >= 1, triage: rank >= 2, push: rank >= 3, maintain: rank >= 4, admin: rank >= 5 },
    role_name: permission,
  };
}

function collaborators(sandbox: SandboxApi, repo: RepoRecord): { user: SandboxUser; permission: Permission }[] {
  return [...repo.collaborators.entries()].flatMap(([login, permission]) => {
    const user = sandbox.user(login);
    return user ? [{ user, permission }] : [];
  });
}

export function register(router: Router, sandbox: SandboxApi): void {
  router.add('GET', '/repos/{owner}/{repo}/collaborators/{username}/permission', (request) => {
    const { repo } = requireRepo(sandbox, request, 'read');
    const user = sandbox.user(request.params['username'] ?? '');
    if (!user) throw new HttpError(404, 'Not Found');
    const bot = user.login === sandbox.state.installation.botLogin;
    const permission = permissionFor(sandbox, repo, bot ? { kind: 'installation', user, installationId: sandbox.state.installation.id } : { kind: 'user', user });
    return { status: 200, body: { permission: legacy[permission], role_name: permission, user: collaboratorJson(sandbox, user, permission) } };
  });

  router.add('GET', '/repos/{owner}/{repo}/collaborators/{username}', (request) => {
    const { repo } = requireRepo(sandbox, request, 'read');
    return { status: repo.collaborators.has(request.params['username'] ?? '') ? 204 : 404 };
  });

  router.add('GET', '/repos/{owner}/{repo}/collaborators', (request) => {
    const { repo } = requireRepo(sandbox, request, 'write');
    return paginated(sandbox.apiUrl, request, collaborators(sandbox, repo), ({ user, permission }) => collaboratorJson(sandbox, user, permission));
  });

  router.add(
    'GET',
    '/repos/{owner}/{repo}/assignees',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return paginated(sandbox.apiUrl, request, collaborators(sandbox, repo), ({ user }) => userJson(sandbox, user));
    },
    { auth: 'optional' },
  );

  router.add(
    'GET',
    '/repos/{owner}/{repo}/assignees/{assignee}',
    (request) => {
      const { repo } = requireRepo(sandbox, request, 'read');
      return { status: repo.collaborators.has(request.params['assignee'] ?? '') ? 204 : 404 };
    },
    { auth: 'optional' },
  );
}
