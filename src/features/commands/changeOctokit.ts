/**
 * The GitHub calls the deploy commands (`/deploys`, `/rollback`, `/redeploy`) make beyond what
 * every command gets. The command runner hands executors its narrow Octokit type; Probot's
 * Octokit has all of these, and `hasChangeApis` checks that at run time instead of casting.
 */
import type { GraphqlClient } from '../../adapters/github/fetchChanges.ts';
import type { RestIssueComments } from '../../adapters/github/findMarkedComment.ts';
import type { OctokitWith, Params, RepoRef, RestIssues, RestRepos } from '../../adapters/github/types.ts';

interface RestLabelsOnIssue {
  addLabels(params: RepoRef & { issue_number: number; labels: string[] } & Params): Promise<unknown>;
}

interface RestDeployments {
  createDeployment(
    params: RepoRef & { ref: string; environment?: string; task?: string; auto_merge?: boolean; required_contexts?: string[]; description?: string; payload?: Record<string, unknown> } & Params,
  ): Promise<{ status: number; data: { id?: number; sha?: string; message?: string } }>;
}

interface RestActions {
  createWorkflowDispatch(params: RepoRef & { workflow_id: string | number; ref: string; inputs?: Record<string, string>; return_run_details?: boolean } & Params): Promise<{ status: number; data?: unknown }>;
}

export type ChangeOctokit = GraphqlClient &
  OctokitWith<{
    issues: Pick<RestIssues, 'createComment'> & Pick<RestIssueComments, 'listComments' | 'updateComment'> & RestLabelsOnIssue;
    repos: Pick<RestRepos, 'getCollaboratorPermissionLevel'> & RestDeployments;
    actions: RestActions;
  }>;

export function hasChangeApis(octokit: unknown): octokit is ChangeOctokit {
  if (typeof octokit !== 'object' || octokit === null) return false;
  const { graphql, rest } = octokit as { graphql?: unknown; rest?: Record<string, Record<string, unknown> | undefined> };
  const has = (namespace: string, ...methods: string[]): boolean => methods.every((method) => typeof rest?.[namespace]?.[method] === 'function');
  return (
    typeof graphql === 'function' &&
    has('issues', 'createComment', 'listComments', 'updateComment', 'addLabels') &&
    has('repos', 'getCollaboratorPermissionLevel', 'createDeployment') &&
    has('actions', 'createWorkflowDispatch')
  );
}

export const NO_CHANGE_APIS = '⚠️ This firewatch runtime cannot reach GitHub’s GraphQL and deployment APIs, so deploy commands are unavailable here.';
