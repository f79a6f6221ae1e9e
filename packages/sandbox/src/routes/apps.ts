/**
 * The embedded GitHub App: a JWT signed with `sandbox.privateKey` reads the app and its one
 * installation and trades it for installation tokens, exactly the calls Probot and
 * `@octokit/auth-app` make.
 */
import { z } from 'zod';
import { HttpError, type Router, type SandboxRequest } from '../router.ts';
import { appPermissions, installationJson, integrationJson, repositoryJson, timestamp } from '../shapes.ts';
import { repoKey } from '../store.ts';
import type { SandboxApi } from '../types.ts';
import { parseBody } from '../validate.ts';

const tokenRequest = z
  .object({
    repositories: z.array(z.string()).optional(),
    repository_ids: z.array(z.number().int()).optional(),
    permissions: z.record(z.string(), z.enum(['read', 'write', 'admin'])).optional(),
  })
  .nullish();

function requireApp(request: SandboxRequest): void {
  if (request.actor?.kind !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
}

export function register(router: Router, sandbox: SandboxApi): void {
  const installation = (request: SandboxRequest) => {
    requireApp(request);
    return { status: 200, body: installationJson(sandbox) };
  };

  router.add('GET', '/app', (request) => {
    requireApp(request);
    return { status: 200, body: integrationJson(sandbox) };
  });

  router.add('GET', '/app/installations', (request) => {
    requireApp(request);
    return { status: 200, body: [installationJson(sandbox)] };
  });

  router.add('GET', '/app/installations/{installation_id}', (request) => {
    if (Number(request.params['installation_id']) !== sandbox.state.installation.id) {
      requireApp(request);
      throw new HttpError(404, 'Not Found');
    }
    return installation(request);
  });

  router.add('POST', '/app/installations/{installation_id}/access_tokens', (request) => {
    requireApp(request);
    if (Number(request.params['installation_id']) !== sandbox.state.installation.id) throw new HttpError(404, 'Not Found');
    const input = parseBody(tokenRequest, request.body, 'InstallationToken');
    const account = sandbox.state.installation.account.toLowerCase();
    const covered = [...sandbox.state.repos.values()].filter((r) => r.owner.toLowerCase() === account);
    const named = input?.repositories?.map((name) => covered.find((r) => r.name.toLowerCase() === name.toLowerCase()));
    const byId = input?.repository_ids?.map((id) => covered.find((r) => r.id === id));
    if (named?.includes(undefined) || byId?.includes(undefined)) {
      throw new HttpError(422, 'There is at least one repository that does not exist or is not accessible to the parent installation.');
    }
    const selected = [...(named ?? []), ...(byId ?? [])].filter((r) => r !== undefined);
    const issued = sandbox.issueInstallationToken();
    return {
      status: 201,
      body: {
        token: issued.token,
        expires_at: timestamp(issued.expiresAt),
        permissions: input?.permissions ?? appPermissions,
        repository_selection: selected.length ? 'selected' : 'all',
        ...(selected.length ? { repositories: selected.map((r) => repositoryJson(sandbox, r)) } : {}),
      },
    };
  });

  router.add('GET', '/repos/{owner}/{repo}/installation', (request) => {
    requireApp(request);
    const repo = sandbox.state.repos.get(repoKey(request.params['owner'] ?? '', request.params['repo'] ?? ''));
    if (!repo || repo.owner.toLowerCase() !== sandbox.state.installation.account.toLowerCase()) throw new HttpError(404, 'Not Found');
    return installation(request);
  });

  router.add('GET', '/orgs/{org}/installation', (request) => {
    requireApp(request);
    if ((request.params['org'] ?? '').toLowerCase() !== sandbox.state.installation.account.toLowerCase()) throw new HttpError(404, 'Not Found');
    return installation(request);
  });

  router.add('GET', '/users/{username}/installation', (request) => {
    requireApp(request);
    if ((request.params['username'] ?? '').toLowerCase() !== sandbox.state.installation.account.toLowerCase()) throw new HttpError(404, 'Not Found');
    return installation(request);
  });
}
