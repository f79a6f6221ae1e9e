/**
 * The GitHub side of `/rollback`: one GraphQL query for the PR and the recent PRs that might
 * already revert it, GitHub's `revertPullRequest` mutation (there is no REST equivalent), and
 * `enablePullRequestAutoMerge` for teams that want the revert to merge once checks pass.
 */
import { z } from 'zod';
import type { OtherPull, PullFacts } from '../../domain/correlation/decideRollback.ts';
import type { GraphqlClient } from './fetchChanges.ts';

const ROLLBACK_FACTS_QUERY = /* GraphQL */ `
  query FirewatchRollbackFacts($owner: String!, $name: String!, $number: Int!) {
    repository(owner: $owner, name: $name) {
      nameWithOwner
      pullRequest(number: $number) { id number title url state mergeCommit { oid } }
      pullRequests(states: [OPEN, MERGED], first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) {
        nodes { number title body url state }
      }
    }
  }
`;

const REVERT_MUTATION = /* GraphQL */ `
  mutation FirewatchRevert($id: ID!, $title: String!, $body: String!) {
    revertPullRequest(input: { pullRequestId: $id, title: $title, body: $body }) {
      revertPullRequest { id number url title }
    }
  }
`;

const AUTO_MERGE_MUTATION = /* GraphQL */ `
  mutation FirewatchAutoMerge($id: ID!) {
    enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: MERGE }) {
      pullRequest { number autoMergeRequest { enabledAt } }
    }
  }
`;

const state = z.enum(['OPEN', 'CLOSED', 'MERGED']);
const factsSchema = z.object({
  repository: z
    .object({
      nameWithOwner: z.string(),
      pullRequest: z.object({ id: z.string(), number: z.number().int(), title: z.string(), url: z.string(), state, mergeCommit: z.object({ oid: z.string() }).nullish() }).nullish(),
      pullRequests: z.object({ nodes: z.array(z.object({ number: z.number().int(), title: z.string(), body: z.string().nullish(), url: z.string(), state }).nullable()) }).nullish(),
    })
    .nullish(),
});

interface GraphqlFailure {
  errors: { type?: string; message: string; path?: unknown[] }[];
  data?: unknown;
}

function graphqlFailure(error: unknown): GraphqlFailure | undefined {
  if (typeof error !== 'object' || error === null || !('errors' in error) || !Array.isArray(error.errors)) return undefined;
  const errors = error.errors.map((e: unknown) => {
    const record = (typeof e === 'object' && e !== null ? e : {}) as { type?: unknown; message?: unknown; path?: unknown };
    return { ...(typeof record.type === 'string' ? { type: record.type } : {}), message: typeof record.message === 'string' ? record.message : String(e), ...(Array.isArray(record.path) ? { path: record.path } : {}) };
  });
  return { errors, ...('data' in error ? { data: error.data } : {}) };
}

export interface RollbackLookup {
  /** `null` when the repository cannot be read. */
  repo: string | null;
  pull: PullFacts | null;
  others: OtherPull[];
}

export async function fetchRollbackFacts(octokit: GraphqlClient, repo: string, number: number): Promise<RollbackLookup> {
  const [owner = '', name = ''] = repo.split('/');
  let raw: unknown;
  try {
    raw = await octokit.graphql(ROLLBACK_FACTS_QUERY, { owner, name, number });
  } catch (error) {
    const failure = graphqlFailure(error);
    // A missing PR fails only its own field: the rest of the answer comes back as partial data.
    if (!failure || !failure.errors.every((e) => e.type === 'NOT_FOUND')) throw error;
    raw = failure.data ?? { repository: null };
  }
  const parsed = factsSchema.parse(raw ?? { repository: null });
  const repository = parsed.repository;
  if (!repository) return { repo: null, pull: null, others: [] };
  const node = repository.pullRequest;
  return {
    repo: repository.nameWithOwner,
    pull: node
      ? { repo: repository.nameWithOwner, number: node.number, id: node.id, title: node.title, url: node.url, state: node.state, ...(node.mergeCommit ? { mergeCommitSha: node.mergeCommit.oid } : {}) }
      : null,
    others: (repository.pullRequests?.nodes ?? []).flatMap((other) => (other ? [{ number: other.number, title: other.title, body: other.body ?? '', url: other.url, state: other.state }] : [])),
  };
}

export type RevertOutcome = { ok: true; number: number; url: string; id: string } | { ok: false; message: string; conflicts: string[] };

const revertSchema = z.object({ revertPullRequest: z.object({ revertPullRequest: z.object({ id: z.string(), number: z.number().int(), url: z.string() }).nullish() }).nullish() });

/** Files named in GitHub's "could not revert" message (`... conflict in a.js, b.js.`). */
function conflictingFiles(message: string): string[] {
  const list = /conflicts? in (.+?)\.?$/i.exec(message.trim())?.[1];
  return list ? list.split(/,\s*/).map((file) => file.trim()).filter(Boolean) : [];
}

export async function revertPullRequest(octokit: GraphqlClient, input: { id: string; title: string; body: string }): Promise<RevertOutcome> {
  let raw: unknown;
  try {
    raw = await octokit.graphql(REVERT_MUTATION, input);
  } catch (error) {
    const failure = graphqlFailure(error);
    const refusal = failure?.errors.find((e) => e.type === 'UNPROCESSABLE');
    if (!refusal) throw error;
    return { ok: false, message: refusal.message, conflicts: conflictingFiles(refusal.message) };
  }
  const created = revertSchema.parse(raw).revertPullRequest?.revertPullRequest;
  if (!created) throw new Error('GitHub answered revertPullRequest without the new pull request');
  return { ok: true, number: created.number, url: created.url, id: created.id };
}

/** Turns on auto-merge; GitHub refuses when the repository does not allow it, which is reported, not thrown. */
export async function enableAutoMerge(octokit: GraphqlClient, id: string): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    await octokit.graphql(AUTO_MERGE_MUTATION, { id });
    return { ok: true };
  } catch (error) {
    const failure = graphqlFailure(error);
    if (!failure) throw error;
    return { ok: false, message: failure.errors.map((e) => e.message).join('; ') };
  }
}
