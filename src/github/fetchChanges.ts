/**
 * Everything deploy correlation weighs, in bulk: one GraphQL query per repository returns its
 * merged PRs (files, labels, merge commit), its latest deployments with their state and its
 * latest releases. A busy repository needs a second page of PRs only when more than 100 were
 * updated since the window opened. GitHub lists PRs by update time, not merge time; a PR merged
 * after the window opened was updated after it too, so the first page older than the window ends
 * the walk.
 */
import { z } from 'zod';
import type { DeploymentRecord, MergedPull } from '../domain/correlation/buildCandidates.ts';
import type { DeploymentState } from '../domain/correlation/candidate.ts';
import { isReleaseBranch } from '../domain/correlation/correlationConfig.ts';
import type { ReleaseRecord } from '../domain/correlation/releaseCandidates.ts';

/** Octokit's `graphql`, narrowed. */
export interface GraphqlClient {
  graphql: (query: string, parameters?: Record<string, unknown>) => Promise<unknown>;
}

export const CHANGES_QUERY = /* GraphQL */ `
  query FirewatchChanges($owner: String!, $name: String!, $after: String, $withHistory: Boolean!) {
    repository(owner: $owner, name: $name) {
      nameWithOwner
      url
      defaultBranchRef { name }
      pullRequests(states: [MERGED], first: 100, after: $after, orderBy: { field: UPDATED_AT, direction: DESC }) {
        pageInfo { hasNextPage endCursor }
        nodes {
          number
          title
          body
          url
          mergedAt
          updatedAt
          baseRefName
          author { login }
          mergeCommit { oid }
          labels(first: 20) { nodes { name } }
          files(first: 100) { totalCount nodes { path additions deletions } }
        }
      }
      deployments(first: 50, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $withHistory) {
        nodes {
          databaseId
          environment
          createdAt
          commitOid
          creator { login }
          latestStatus { state description }
          commit { committedDate }
        }
      }
      releases(first: 20, orderBy: { field: CREATED_AT, direction: DESC }) @include(if: $withHistory) {
        nodes {
          tagName
          name
          url
          isDraft
          publishedAt
          author { login }
          tagCommit { oid committedDate }
        }
      }
    }
  }
`;

const login = z.object({ login: z.string() }).nullish();

const pullNode = z.object({
  number: z.number().int(),
  title: z.string(),
  body: z.string().nullish(),
  url: z.string(),
  mergedAt: z.string().nullish(),
  updatedAt: z.string(),
  baseRefName: z.string(),
  author: login,
  mergeCommit: z.object({ oid: z.string() }).nullish(),
  labels: z.object({ nodes: z.array(z.object({ name: z.string() }).nullable()) }).nullish(),
  files: z.object({ totalCount: z.number().int(), nodes: z.array(z.object({ path: z.string(), additions: z.number(), deletions: z.number() }).nullable()) }).nullish(),
});

const responseSchema = z.object({
  repository: z
    .object({
      nameWithOwner: z.string(),
      url: z.string(),
      defaultBranchRef: z.object({ name: z.string() }).nullish(),
      pullRequests: z.object({
        pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullish() }),
        nodes: z.array(pullNode.nullable()),
      }),
      deployments: z
        .object({
          nodes: z.array(
            z
              .object({
                databaseId: z.number().int().nullish(),
                environment: z.string().nullish(),
                createdAt: z.string(),
                commitOid: z.string(),
                creator: login,
                latestStatus: z.object({ state: z.string(), description: z.string().nullish() }).nullish(),
                commit: z.object({ committedDate: z.string() }).nullish(),
              })
              .nullable(),
          ),
        })
        .optional(),
      releases: z
        .object({
          nodes: z.array(
            z
              .object({
                tagName: z.string(),
                name: z.string().nullish(),
                url: z.string(),
                isDraft: z.boolean(),
                publishedAt: z.string().nullish(),
                author: login,
                tagCommit: z.object({ oid: z.string(), committedDate: z.string() }).nullish(),
              })
              .nullable(),
          ),
        })
        .optional(),
    })
    .nullable(),
});

/** More PR pages than this per repository and the walk stops (the comment says so). */
export const MAX_PULL_PAGES = 4;

export interface FetchChangesOptions {
  /** `owner/name`, main repository first. */
  repos: readonly string[];
  /** PRs merged before `from` are only fetched as far as the first page reaches (they name what old deployments shipped). */
  window: { from: string; to: string };
  releaseBranches?: readonly string[];
}

export interface FetchedChanges {
  pulls: MergedPull[];
  deployments: DeploymentRecord[];
  releases: ReleaseRecord[];
  /** Environments each repository deployed to lately (in or out of the window). */
  deployedEnvironments: Record<string, string[]>;
  /** GitHub requests made. */
  requests: number;
  /** What could not be read or was cut short, in plain words. */
  notes: string[];
}

const STATES: Record<string, DeploymentState> = {
  SUCCESS: 'success',
  INACTIVE: 'inactive',
  IN_PROGRESS: 'in_progress',
  QUEUED: 'queued',
  PENDING: 'pending',
  WAITING: 'pending',
  FAILURE: 'failure',
  ERROR: 'error',
};

/** The GraphQL error types in a failed response (Octokit's GraphqlResponseError carries `errors`). */
function errorTypes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null || !('errors' in error) || !Array.isArray(error.errors)) return [];
  return error.errors.map((e: unknown) => (typeof e === 'object' && e !== null && 'type' in e && typeof e.type === 'string' ? e.type : ''));
}

export class ChangesResponseError extends Error {
  constructor(
    readonly repo: string,
    readonly problem: string,
  ) {
    super(`unexpected GitHub GraphQL response for ${repo}: ${problem}`);
    this.name = 'ChangesResponseError';
  }
}

export async function fetchChanges(octokit: GraphqlClient, options: FetchChangesOptions): Promise<FetchedChanges> {
  const fromMs = Date.parse(options.window.from);
  const result: FetchedChanges = { pulls: [], deployments: [], releases: [], deployedEnvironments: {}, requests: 0, notes: [] };
  for (const fullName of options.repos) {
    const [owner = '', name = ''] = fullName.split('/');
    let after: string | null = null;
    for (let page = 1; ; page++) {
      let raw: unknown;
      result.requests++;
      try {
        raw = await octokit.graphql(CHANGES_QUERY, { owner, name, after, withHistory: page === 1 });
      } catch (error) {
        if (errorTypes(error).includes('NOT_FOUND')) {
          result.notes.push(`could not read ${fullName} (not found, or firewatch is not installed there)`);
          break;
        }
        throw error;
      }
      const parsed = responseSchema.safeParse(raw);
      if (!parsed.success) throw new ChangesResponseError(fullName, z.prettifyError(parsed.error));
      const repository = parsed.data.repository;
      if (!repository) {
        result.notes.push(`could not read ${fullName} (not found, or firewatch is not installed there)`);
        break;
      }
      const repo = repository.nameWithOwner;
      const shipping = (branch: string): boolean => branch === repository.defaultBranchRef?.name || isReleaseBranch(branch, options.releaseBranches ?? []);
      const nodes = repository.pullRequests.nodes.flatMap((node) => (node ? [node] : []));
      for (const node of nodes) {
        if (!node.mergedAt || !node.mergeCommit || !shipping(node.baseRefName)) continue;
        const files = node.files?.nodes.flatMap((file) => (file ? [file] : [])) ?? [];
        if ((node.files?.totalCount ?? 0) > files.length) result.notes.push(`${repo}#${node.number} changes ${node.files?.totalCount} files; only the first ${files.length} were weighed`);
        result.pulls.push({
          repo,
          number: node.number,
          title: node.title,
          body: node.body ?? '',
          url: node.url,
          author: node.author?.login ?? 'ghost',
          mergedAt: node.mergedAt,
          mergeCommitSha: node.mergeCommit.oid,
          paths: files.map((file) => file.path),
          additions: files.reduce((n, file) => n + file.additions, 0),
          deletions: files.reduce((n, file) => n + file.deletions, 0),
          labels: node.labels?.nodes.flatMap((label) => (label ? [label.name] : [])) ?? [],
        });
      }
      if (page === 1) {
        const environments = new Set<string>();
        for (const node of repository.deployments?.nodes ?? []) {
          if (!node?.databaseId || !node.environment) continue;
          environments.add(node.environment);
          result.deployments.push({
            repo,
            id: node.databaseId,
            environment: node.environment,
            sha: node.commitOid,
            createdAt: node.createdAt,
            state: STATES[node.latestStatus?.state ?? 'PENDING'] ?? 'pending',
            url: `${repository.url}/deployments/${encodeURIComponent(node.environment)}`,
            creator: node.creator?.login ?? 'ghost',
            ...(node.commit ? { commitAt: node.commit.committedDate } : {}),
            ...(node.latestStatus?.description ? { description: node.latestStatus.description.slice(0, 200) } : {}),
          });
        }
        result.deployedEnvironments[repo] = [...environments];
        for (const node of repository.releases?.nodes ?? []) {
          if (!node || node.isDraft || !node.publishedAt || !node.tagCommit) continue;
          result.releases.push({
            repo,
            tag: node.tagName,
            name: node.name ?? node.tagName,
            url: node.url,
            author: node.author?.login ?? 'ghost',
            publishedAt: node.publishedAt,
            sha: node.tagCommit.oid,
            commitAt: node.tagCommit.committedDate,
          });
        }
      }
      const last = nodes[nodes.length - 1];
      const { hasNextPage, endCursor } = repository.pullRequests.pageInfo;
      if (!hasNextPage || !endCursor || !last || Date.parse(last.updatedAt) < fromMs) break;
      if (page >= MAX_PULL_PAGES) {
        result.notes.push(`${repo} has more than ${MAX_PULL_PAGES * 100} PRs updated since the window opened; only the latest ${MAX_PULL_PAGES * 100} were weighed`);
        break;
      }
      after = endCursor;
    }
  }
  return result;
}
