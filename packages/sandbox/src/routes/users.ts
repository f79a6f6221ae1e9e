/** Users: the authenticated user (`GET /user`) and public profiles (`GET /users/{username}`). */
import { HttpError, type Router } from '../router.ts';
import { privateUserJson, publicUserJson } from '../shapes.ts';
import type { SandboxApi } from '../types.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add('GET', '/user', (request) => {
    // GitHub refuses `/user` to installations and apps: they are not users.
    if (request.actor?.kind !== 'user') throw new HttpError(403, 'Resource not accessible by integration');
    return { status: 200, body: privateUserJson(sandbox, request.actor.user) };
  });

  router.add(
    'GET',
    '/users/{username}',
    (request) => {
      const user = sandbox.user(request.params['username'] ?? '');
      if (!user) throw new HttpError(404, 'Not Found');
      return { status: 200, body: publicUserJson(sandbox, user) };
    },
    { auth: 'optional' },
  );
}
