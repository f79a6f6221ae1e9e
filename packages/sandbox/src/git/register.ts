/**
 * Everything the git side serves: pulls, git data, contents, compare, commits, branches,
 * deployments, releases and GraphQL.
 */
import type { Router } from '../router.ts';
import type { SandboxApi } from '../types.ts';
import { registerGraphql } from '../graphql.ts';
import { register as registerActions } from '../routes/actions.ts';
import { register as registerBranches } from '../routes/branches.ts';
import { register as registerCommits } from '../routes/commits.ts';
import { register as registerCompare } from '../routes/compare.ts';
import { register as registerContents } from '../routes/contents.ts';
import { register as registerDeployments } from '../routes/deployments.ts';
import { register as registerGitData } from '../routes/git.ts';
import { register as registerPulls } from '../routes/pulls.ts';
import { register as registerReleases } from '../routes/releases.ts';

export function registerGitSide(router: Router, sandbox: SandboxApi): void {
  registerPulls(router, sandbox);
  registerGitData(router, sandbox);
  registerContents(router, sandbox);
  registerCompare(router, sandbox);
  registerCommits(router, sandbox);
  registerBranches(router, sandbox);
  registerDeployments(router, sandbox);
  registerReleases(router, sandbox);
  registerActions(router, sandbox);
  registerGraphql(router, sandbox);
}
