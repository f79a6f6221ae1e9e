/**
 * `GET /rate_limit`: the caller's primary budgets. GitHub does not count it against the primary
 * limit (the secondary limits still apply); `rate` repeats `core`, as API version 2022-11-28 does.
 */
import type { Router } from '../router.ts';
import type { SandboxApi } from '../types.ts';

export function register(router: Router, sandbox: SandboxApi): void {
  router.add(
    'GET',
    '/rate_limit',
    (request) => {
      const { core, search, graphql } = sandbox.rateLimitStatus(request.actor, request.remoteAddress);
      return { status: 200, body: { resources: { core, search, graphql }, rate: core } };
    },
    { auth: 'optional', freeOfPrimary: true },
  );
}
