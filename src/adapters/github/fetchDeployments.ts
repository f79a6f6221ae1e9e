/**
 * A repository's latest deployments with their current state, in one GraphQL query (REST needs
 * one more request per deployment for its statuses).
 */
import { z } from 'zod';
import type { DeploymentState } from '../../domain/correlation/candidate.ts';
import type { DeploymentFact } from '../../domain/correlation/decideRedeploy.ts';
import type { GraphqlClient } from './fetchChanges.ts';

const DEPLOYMENTS_QUERY = /* GraphQL */ `
  query FirewatchDeployments($owner: String!, $name: String!) {
    repository(owner: $owner, name: $name) {
      deployments(first: 100, orderBy: { field: CREATED_AT, direction: DESC }) {
        nodes { databaseId environment createdAt commitOid latestStatus { state } }
      }
    }
  }
`;

const schema = z.object({
  repository: z
    .object({
      deployments: z.object({
        nodes: z.array(
          z.object({ databaseId: z.number().int().nullish(), environment: z.string().nullish(), createdAt: z.string(), commitOid: z.string(), latestStatus: z.object({ state: z.string() }).nullish() }).nullable(),
        ),
      }),
    })
    .nullish(),
});

const STATES: Record<string, DeploymentState> = { SUCCESS: 'success', INACTIVE: 'inactive', IN_PROGRESS: 'in_progress', QUEUED: 'queued', PENDING: 'pending', WAITING: 'pending', FAILURE: 'failure', ERROR: 'error' };

export async function fetchDeployments(octokit: GraphqlClient, repo: string): Promise<DeploymentFact[]> {
  const [owner = '', name = ''] = repo.split('/');
  const parsed = schema.parse(await octokit.graphql(DEPLOYMENTS_QUERY, { owner, name }));
  return (parsed.repository?.deployments.nodes ?? []).flatMap((node) =>
    node?.databaseId && node.environment
      ? [{ id: node.databaseId, environment: node.environment, sha: node.commitOid, createdAt: node.createdAt, state: STATES[node.latestStatus?.state ?? 'PENDING'] ?? 'pending' }]
      : [],
  );
}
