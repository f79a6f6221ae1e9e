/**
 * Everything deploy correlation weighs, in bulk: one GraphQL query per repository returns its
 * merged PRs (files, labels, merge commit), its latest deployments with their state and its
 * latest releases. A service with more than four repositories has them read several to a query
 * (aliased `repository` fields), so the first pages never take more than four requests. A busy
 * repository needs a second page of PRs only when more than 100 were updated since the window
 * opened. GitHub lists PRs by update time, not merge time; a PR merged after the window opened was
 * updated after it too, so the first page older than the window ends the walk. `maxRequests`
 * bounds the whole read: pages beyond it are left out, and the notes say so.
 */
import { errorTypes, partialData } from './graphqlErrors.ts';
import { restLogin } from './graphqlActor.ts';
import { z } from 'zod';
import type { DeploymentRecord, MergedPull } from '../../domain/correlation/buildCandidates.ts';
import type { DeploymentState } from '../../domain/correlation/candidate.ts';
import { isReleaseBranch } from '../../domain/correlation/correlationConfig.ts';
import type { ReleaseRecord } from '../../domain/correlation/releaseCandidates.ts';
import { ChangesResponseError } from '../../domain/errors/errors.ts';

/** Octokit's `graphql`, narrowed. */
export interface GraphqlClient {
  graphql: (query: string, parameters?: Record<string, unknown>) => Promise<unknown>;
}

/** What is read of each repository (`$after` and `$withHistory` are the query's). */
const REPOSITORY_FIELDS = /* GraphQL */ `
  fragment FirewatchRepositoryChanges on Repository {
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
        author { __typename login }
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
        creator { __typename login }
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
        author { __typename login }
        tagCommit { oid committedDate }
      }
    }
  }
`;

/** One repository: its first page with deployments and releases, or a further page of PRs. */
export const CHANGES_QUERY = /* GraphQL */ `
  query FirewatchChanges($owner: String!, $name: String!, $after: String, $withHistory: Boolean!) {
    repository(owner: $owner, name: $name) {
      ...FirewatchRepositoryChanges
    }
  }
${REPOSITORY_FIELDS}`;

/** First pages of several repositories in one request, aliased `r0`, `r1`, …. */
export function batchChangesQuery(count: number): string {
  const variables = Array.from({ length: count }, (_, i) => `$owner${i}: String!, $name${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `    r${i}: repository(owner: $owner${i}, name: $name${i}) {\n      ...FirewatchRepositoryChanges\n    }`).join('\n');
  return `
  query FirewatchChangesBatch(${variables}, $after: String, $withHistory: Boolean!) {
${fields}
  }
${REPOSITORY_FIELDS}`;
}

const login = z.object({ __typename: z.string().optional(), login: z.string() }).nullish();

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

const repositorySchema = z
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
    .nullable();

const responseSchema = z.object({ repository: repositorySchema });

type RepositoryData = NonNullable<z.infer<typeof repositorySchema>>;

/** More PR pages than this per repository and the walk stops (the comment says so). */
const MAX_PULL_PAGES = 4;

export interface FetchChangesOptions {
  /** `owner/name`, main repository first. */
  repos: readonly string[];
  /** PRs merged before `from` are only fetched as far as the first page reaches (they name what old deployments shipped). */
  window: { from: string; to: string };
  releaseBranches?: readonly string[];
  /** GitHub requests the read may make at most (default: as many as it takes, within `MAX_PULL_PAGES`). */
  maxRequests?: number;
}

/** First pages take at most this many requests, however many repositories a service lists. */
const MAX_FIRST_PAGE_QUERIES = 4;

/**
 * How the repositories are read: one to a query up to four of them, then several to a query so
 * that the first pages take four requests at most (20 repositories: four queries of five).
 */
export function repositoryGroups<T>(repos: readonly T[], maxQueries = MAX_FIRST_PAGE_QUERIES): T[][] {
  const queries = Math.max(1, Math.min(maxQueries, repos.length));
  const size = Math.ceil(repos.length / queries);
  const groups: T[][] = [];
  for (let i = 0; i < repos.length; i += size) groups.push(repos.slice(i, i + size));
  return groups;
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

const notReadable = (fullName: string): string => `could not read ${fullName} (not found, or firewatch is not installed there)`;

export async function fetchChanges(octokit: GraphqlClient, options: FetchChangesOptions): Promise<FetchedChanges> {
  const fromMs = Date.parse(options.window.from);
  const maxRequests = options.maxRequests ?? Infinity;
  const result: FetchedChanges = { pulls: [], deployments: [], releases: [], deployedEnvironments: {}, requests: 0, notes: [] };
  const shippingIn = (repository: RepositoryData) => (branch: string): boolean => branch === repository.defaultBranchRef?.name || isReleaseBranch(branch, options.releaseBranches ?? []);

  /** Reads one page of a repository; whether another page is worth asking for. */
  const read = (repository: RepositoryData, page: number): { next?: string } => {
    const repo = repository.nameWithOwner;
    const shipping = shippingIn(repository);
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
        author: node.author ? restLogin(node.author) : 'ghost',
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
          creator: node.creator ? restLogin(node.creator) : 'ghost',
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
          author: node.author ? restLogin(node.author) : 'ghost',
          publishedAt: node.publishedAt,
          sha: node.tagCommit.oid,
          commitAt: node.tagCommit.committedDate,
        });
      }
    }
    const last = nodes[nodes.length - 1];
    const { hasNextPage, endCursor } = repository.pullRequests.pageInfo;
    if (!hasNextPage || !endCursor || !last || Date.parse(last.updatedAt) < fromMs) return {};
    if (page >= MAX_PULL_PAGES) {
      result.notes.push(`${repo} has more than ${MAX_PULL_PAGES * 100} PRs updated since the window opened; only the latest ${MAX_PULL_PAGES * 100} were weighed`);
      return {};
    }
    return { next: endCursor };
  };

  const parse = (fullName: string, raw: unknown): RepositoryData | null => {
    const parsed = repositorySchema.safeParse(raw);
    if (!parsed.success) throw new ChangesResponseError(fullName, z.prettifyError(parsed.error));
    return parsed.data;
  };

  // First pages, several repositories to a query when there are many.
  const pending: { fullName: string; after: string; page: number }[] = [];
  for (const group of repositoryGroups(options.repos, Math.min(MAX_FIRST_PAGE_QUERIES, Math.max(1, maxRequests)))) {
    const split = group.map((fullName) => {
      const [owner = '', name = ''] = fullName.split('/');
      return { fullName, owner, name };
    });
    let answers: (unknown | undefined)[];
    result.requests++;
    try {
      if (split.length === 1) {
        const only = split[0] ?? { fullName: '', owner: '', name: '' };
        const raw = await octokit.graphql(CHANGES_QUERY, { owner: only.owner, name: only.name, after: null, withHistory: true });
        const parsed = responseSchema.safeParse(raw);
        if (!parsed.success) throw new ChangesResponseError(only.fullName, z.prettifyError(parsed.error));
        answers = [parsed.data.repository];
      } else {
        const variables: Record<string, unknown> = { after: null, withHistory: true };
        split.forEach(({ owner, name }, i) => Object.assign(variables, { [`owner${i}`]: owner, [`name${i}`]: name }));
        const raw = (await octokit.graphql(batchChangesQuery(split.length), variables)) as Record<string, unknown> | null;
        answers = split.map((_, i) => raw?.[`r${i}`] ?? null);
      }
    } catch (error) {
      if (error instanceof ChangesResponseError || !errorTypes(error).includes('NOT_FOUND') || errorTypes(error).some((type) => type !== 'NOT_FOUND')) throw error;
      // Some repositories could not be read; the others came back with the error.
      const data = split.length > 1 ? partialData(error) : undefined;
      answers = split.map((_, i) => data?.[`r${i}`] ?? null);
    }
    split.forEach(({ fullName }, i) => {
      const repository = parse(fullName, answers[i] ?? null);
      if (!repository) {
        result.notes.push(notReadable(fullName));
        return;
      }
      const { next } = read(repository, 1);
      if (next) pending.push({ fullName, after: next, page: 2 });
    });
  }

  // Further pages of busy repositories, within the budget.
  while (pending.length) {
    const { fullName, after, page } = pending.shift() ?? { fullName: '', after: '', page: 0 };
    if (result.requests >= maxRequests) {
      result.notes.push(`${fullName} has more PRs updated since the window opened than fit in the request budget; only the latest ${(page - 1) * 100} were weighed`);
      continue;
    }
    const [owner = '', name = ''] = fullName.split('/');
    result.requests++;
    const raw = await octokit.graphql(CHANGES_QUERY, { owner, name, after, withHistory: false });
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) throw new ChangesResponseError(fullName, z.prettifyError(parsed.error));
    if (!parsed.data.repository) continue;
    const { next } = read(parsed.data.repository, page);
    if (next) pending.push({ fullName, after: next, page: page + 1 });
  }
  return result;
}
