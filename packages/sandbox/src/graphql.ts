/**
 * GitHub's GraphQL API for the subset firewatch uses, with GitHub's names: repositories, pull
 * requests with files and labels in bulk (one query instead of one REST call per PR),
 * deployments with statuses, releases, issues with their comments, `node(id)`, `viewer`, and the mutations
 * `revertPullRequest`, `mergePullRequest`, `enablePullRequestAutoMerge`, `markPullRequestReadyForReview` and
 * `convertPullRequestToDraft`. Errors come back as GitHub sends them: HTTP 200 with
 * `{ data, errors: [{ type, path, locations, message }] }`.
 */
import { GraphQLError, buildSchema, execute, parse, validate, type DocumentNode, type GraphQLFormattedError } from 'graphql';
import { z } from 'zod';
import { permissionFor } from './auth.ts';
import { graphqlCost, type GraphqlCost } from './graphqlCost.ts';
import type { RequestPrice } from './requestPrice.ts';
import { HttpError, permissionRank, type Actor, type Router, type SandboxResponse } from './router.ts';
import { fullName } from './shapes.ts';
import { labelKey, type CommentRecord, type IssueRecord, type CommitRecord, type DeploymentRecord, type DeploymentStatusRecord, type Permission, type PullRecord, type RepoRecord, type SandboxUser } from './store.ts';
import type { SandboxApi } from './types.ts';
import { branchHead } from './git/refs.ts';
import { commitFiles } from './git/commit-json.ts';
import { latestRelease, releasesOf, type ReleaseRecord } from './git/releases.ts';
import { resolveRef } from './git/objects.ts';
import { recordIssueEvent } from './issueEvents.ts';
import { emitPull } from './git/pull-events.ts';
import { issueOf, mergeability, pullFiles, pullStats } from './git/pull-facts.ts';
import { mergePull, revertPull } from './git/pull-requests.ts';

const schema = buildSchema(/* GraphQL */ `
  scalar DateTime
  scalar GitObjectID
  scalar URI

  interface Node { id: ID! }
  interface Actor { login: String! avatarUrl: URI! url: URI! }
  interface RepositoryOwner { id: ID! login: String! url: URI! }
  interface GitObject { id: ID! oid: GitObjectID! abbreviatedOid: String! }

  type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }

  type User implements Node & Actor & RepositoryOwner { id: ID! databaseId: Int login: String! name: String email: String! avatarUrl: URI! url: URI! }
  type Bot implements Node & Actor { id: ID! databaseId: Int login: String! avatarUrl: URI! url: URI! }
  type Organization implements Node & Actor & RepositoryOwner { id: ID! databaseId: Int login: String! name: String avatarUrl: URI! url: URI! }

  type RateLimit { cost: Int! limit: Int! nodeCount: Int! remaining: Int! resetAt: DateTime! used: Int! }

  enum PullRequestState { OPEN CLOSED MERGED }
  enum MergeableState { MERGEABLE CONFLICTING UNKNOWN }
  enum OrderDirection { ASC DESC }
  enum IssueOrderField { CREATED_AT UPDATED_AT COMMENTS }
  input IssueOrder { field: IssueOrderField! direction: OrderDirection! }
  enum PatchStatus { ADDED DELETED RENAMED COPIED MODIFIED CHANGED }
  enum PullRequestMergeMethod { MERGE SQUASH REBASE }
  enum DeploymentState { ABANDONED ACTIVE DESTROYED ERROR FAILURE INACTIVE PENDING QUEUED IN_PROGRESS WAITING SUCCESS }
  enum DeploymentStatusState { PENDING SUCCESS FAILURE INACTIVE ERROR QUEUED IN_PROGRESS WAITING }
  enum DeploymentOrderField { CREATED_AT }
  input DeploymentOrder { field: DeploymentOrderField! direction: OrderDirection! }
  enum ReleaseOrderField { CREATED_AT NAME }
  input ReleaseOrder { field: ReleaseOrderField! direction: OrderDirection! }

  type Query {
    repository(owner: String!, name: String!, followRenames: Boolean): Repository
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    viewer: User!
    rateLimit(dryRun: Boolean): RateLimit
  }

  type Repository implements Node {
    id: ID!
    databaseId: Int
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    description: String
    url: URI!
    isPrivate: Boolean!
    createdAt: DateTime!
    updatedAt: DateTime!
    defaultBranchRef: Ref
    ref(qualifiedName: String!): Ref
    object(oid: GitObjectID, expression: String): GitObject
    pullRequest(number: Int!): PullRequest
    issue(number: Int!): Issue
    pullRequests(states: [PullRequestState!], baseRefName: String, headRefName: String, labels: [String!], first: Int, after: String, last: Int, before: String, orderBy: IssueOrder): PullRequestConnection!
    deployments(environments: [String!], first: Int, after: String, last: Int, before: String, orderBy: DeploymentOrder): DeploymentConnection!
    releases(first: Int, after: String, last: Int, before: String, orderBy: ReleaseOrder): ReleaseConnection!
    latestRelease: Release
  }

  type Ref implements Node { id: ID! name: String! prefix: String! target: GitObject repository: Repository! }

  type GitActor { name: String email: String date: DateTime user: User }
  type Commit implements Node & GitObject {
    id: ID!
    oid: GitObjectID!
    abbreviatedOid: String!
    message: String!
    messageHeadline: String!
    messageBody: String!
    committedDate: DateTime!
    authoredDate: DateTime!
    url: URI!
    author: GitActor
    committer: GitActor
    additions: Int!
    deletions: Int!
    changedFilesIfAvailable: Int
    parents(first: Int, after: String, last: Int, before: String): CommitConnection!
    associatedPullRequests(first: Int, after: String, last: Int, before: String): PullRequestConnection
  }
  type CommitConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Commit] edges: [CommitEdge] }
  type CommitEdge { cursor: String! node: Commit }

  type Label implements Node { id: ID! name: String! color: String! description: String isDefault: Boolean! }
  type LabelConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Label] edges: [LabelEdge] }
  type LabelEdge { cursor: String! node: Label }

  type PullRequestChangedFile { path: String! additions: Int! deletions: Int! changeType: PatchStatus! }
  type PullRequestChangedFileConnection { totalCount: Int! pageInfo: PageInfo! nodes: [PullRequestChangedFile] edges: [PullRequestChangedFileEdge] }
  type PullRequestChangedFileEdge { cursor: String! node: PullRequestChangedFile }

  type PullRequestCommit implements Node { id: ID! commit: Commit! url: URI! }
  type PullRequestCommitConnection { totalCount: Int! pageInfo: PageInfo! nodes: [PullRequestCommit] edges: [PullRequestCommitEdge] }
  type PullRequestCommitEdge { cursor: String! node: PullRequestCommit }

  type PullRequest implements Node {
    id: ID!
    databaseId: Int
    number: Int!
    title: String!
    body: String!
    url: URI!
    permalink: URI!
    state: PullRequestState!
    closed: Boolean!
    merged: Boolean!
    mergedAt: DateTime
    createdAt: DateTime!
    updatedAt: DateTime!
    closedAt: DateTime
    isDraft: Boolean!
    locked: Boolean!
    author: Actor
    mergedBy: Actor
    baseRefName: String!
    headRefName: String!
    baseRefOid: GitObjectID!
    headRefOid: GitObjectID!
    baseRef: Ref
    headRef: Ref
    mergeCommit: Commit
    mergeable: MergeableState!
    autoMergeRequest: AutoMergeRequest
    additions: Int!
    deletions: Int!
    changedFiles: Int!
    repository: Repository!
    labels(first: Int, after: String, last: Int, before: String): LabelConnection
    files(first: Int, after: String, last: Int, before: String): PullRequestChangedFileConnection
    commits(first: Int, after: String, last: Int, before: String): PullRequestCommitConnection!
  }
  enum IssueState { OPEN CLOSED }
  type IssueComment implements Node { id: ID! databaseId: Int body: String! url: URI! createdAt: DateTime! updatedAt: DateTime! author: Actor }
  type IssueCommentConnection { totalCount: Int! pageInfo: PageInfo! nodes: [IssueComment] edges: [IssueCommentEdge] }
  type IssueCommentEdge { cursor: String! node: IssueComment }
  type Issue implements Node {
    id: ID!
    databaseId: Int
    number: Int!
    title: String!
    body: String!
    url: URI!
    state: IssueState!
    createdAt: DateTime!
    updatedAt: DateTime!
    closedAt: DateTime
    author: Actor
    comments(first: Int, after: String, last: Int, before: String): IssueCommentConnection!
  }

  type PullRequestConnection { totalCount: Int! pageInfo: PageInfo! nodes: [PullRequest] edges: [PullRequestEdge] }
  type PullRequestEdge { cursor: String! node: PullRequest }

  type DeploymentStatus implements Node {
    id: ID!
    state: DeploymentStatusState!
    description: String
    environment: String
    environmentUrl: URI
    logUrl: URI
    createdAt: DateTime!
    updatedAt: DateTime!
    creator: Actor!
    deployment: Deployment!
  }
  type DeploymentStatusConnection { totalCount: Int! pageInfo: PageInfo! nodes: [DeploymentStatus] edges: [DeploymentStatusEdge] }
  type DeploymentStatusEdge { cursor: String! node: DeploymentStatus }
  type Deployment implements Node {
    id: ID!
    databaseId: Int
    environment: String
    originalEnvironment: String
    state: DeploymentState
    task: String
    description: String
    payload: String
    createdAt: DateTime!
    updatedAt: DateTime!
    commitOid: String!
    commit: Commit
    ref: Ref
    creator: Actor!
    repository: Repository!
    latestStatus: DeploymentStatus
    statuses(first: Int, after: String, last: Int, before: String): DeploymentStatusConnection
  }
  type DeploymentConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Deployment] edges: [DeploymentEdge] }
  type DeploymentEdge { cursor: String! node: Deployment }

  type Release implements Node {
    id: ID!
    databaseId: Int
    name: String
    tagName: String!
    description: String
    url: URI!
    isDraft: Boolean!
    isPrerelease: Boolean!
    isLatest: Boolean!
    createdAt: DateTime!
    publishedAt: DateTime
    author: User
    tagCommit: Commit
  }
  type ReleaseConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Release] edges: [ReleaseEdge] }
  type ReleaseEdge { cursor: String! node: Release }

  input RevertPullRequestInput { pullRequestId: ID! title: String body: String draft: Boolean clientMutationId: String }
  type RevertPullRequestPayload { clientMutationId: String pullRequest: PullRequest revertPullRequest: PullRequest }
  input MergePullRequestInput { pullRequestId: ID! mergeMethod: PullRequestMergeMethod commitHeadline: String commitBody: String expectedHeadOid: GitObjectID authorEmail: String clientMutationId: String }
  type MergePullRequestPayload { clientMutationId: String pullRequest: PullRequest actor: Actor }
  input MarkPullRequestReadyForReviewInput { pullRequestId: ID! clientMutationId: String }
  type MarkPullRequestReadyForReviewPayload { clientMutationId: String pullRequest: PullRequest }
  input ConvertPullRequestToDraftInput { pullRequestId: ID! clientMutationId: String }
  type ConvertPullRequestToDraftPayload { clientMutationId: String pullRequest: PullRequest }
  input EnablePullRequestAutoMergeInput { pullRequestId: ID! mergeMethod: PullRequestMergeMethod commitHeadline: String commitBody: String authorEmail: String expectedHeadOid: GitObjectID clientMutationId: String }
  type EnablePullRequestAutoMergePayload { clientMutationId: String pullRequest: PullRequest actor: Actor }
  type AutoMergeRequest { enabledAt: DateTime enabledBy: Actor mergeMethod: PullRequestMergeMethod! pullRequest: PullRequest! }

  type Mutation {
    revertPullRequest(input: RevertPullRequestInput!): RevertPullRequestPayload
    mergePullRequest(input: MergePullRequestInput!): MergePullRequestPayload
    markPullRequestReadyForReview(input: MarkPullRequestReadyForReviewInput!): MarkPullRequestReadyForReviewPayload
    convertPullRequestToDraft(input: ConvertPullRequestToDraftInput!): ConvertPullRequestToDraftPayload
    enablePullRequestAutoMerge(input: EnablePullRequestAutoMergeInput!): EnablePullRequestAutoMergePayload
  }
`);

/** GitHub's error `type`s. */
type ErrorType = 'NOT_FOUND' | 'FORBIDDEN' | 'UNPROCESSABLE' | 'MISSING_PAGINATION_BOUNDARIES' | 'EXCESSIVE_PAGINATION' | 'INTERNAL';

function fail(type: ErrorType, message: string): never {
  throw new GraphQLError(message, { extensions: { type } });
}

interface Context {
  sandbox: SandboxApi;
  actor: Actor | null;
  user: SandboxUser;
  /** What this call costs (for `rateLimit`). */
  cost: GraphqlCost;
}

interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

function cursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64');
}

function cursorIndex(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(value, 'base64').toString('utf8'));
  if (!match) fail('UNPROCESSABLE', `\`${value}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

/** Relay pagination with GitHub's limits: `first` or `last` is required, at most 100. */
function connection<T, N>(items: readonly T[], args: PageArgs, field: string, toNode: (item: T) => N): Record<string, unknown> {
  if (args.first == null && args.last == null) fail('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`);
  for (const [name, value] of [['first', args.first], ['last', args.last]] as const) {
    if (value != null && (value < 0 || value > 100)) fail('EXCESSIVE_PAGINATION', `Requesting ${value} records on the \`${field}\` connection exceeds the \`${name}\` limit of 100 records.`);
  }
  let start = 0;
  let end = items.length;
  const after = cursorIndex(args.after);
  const before = cursorIndex(args.before);
  if (after !== undefined) start = Math.max(start, after + 1);
  if (before !== undefined) end = Math.min(end, before);
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  const slice = items.slice(start, end).map((item, i) => ({ cursor: cursor(start + i), node: toNode(item) }));
  return {
    totalCount: items.length,
    pageInfo: { hasNextPage: end < items.length, hasPreviousPage: start > 0, startCursor: slice[0]?.cursor ?? null, endCursor: slice[slice.length - 1]?.cursor ?? null },
    nodes: slice.map((edge) => edge.node),
    edges: slice,
  };
}

function actorNode(ctx: Context, login: string | null | undefined): Record<string, unknown> | null {
  if (!login) return null;
  const user = ctx.sandbox.user(login);
  if (!user) return { __typename: 'User', id: 'ghost', login: 'ghost', avatarUrl: `${ctx.sandbox.url}/avatars/u/0`, url: `${ctx.sandbox.url}/ghost`, email: '' };
  const node = userNode(ctx, user);
  // As GitHub: an app's bot is `firewatch[bot]` in REST and payloads, but `firewatch` as the
  // author (creator, merger) of something in GraphQL; the `viewer` keeps the suffix.
  return user.type === 'Bot' ? { ...node, login: user.login.replace(/\[bot\]$/, '') } : node;
}

function userNode(ctx: Context, user: SandboxUser): Record<string, unknown> {
  const type = user.type === 'Bot' ? 'Bot' : user.type === 'Organization' ? 'Organization' : 'User';
  return {
    __typename: type,
    id: Buffer.from(`0:${type}${user.id}`).toString('base64url'),
    databaseId: user.id,
    login: user.login,
    name: user.name ?? null,
    email: user.email ?? '',
    avatarUrl: `${ctx.sandbox.url}/avatars/u/${user.id}`,
    url: user.type === 'Bot' ? `${ctx.sandbox.url}/apps/${user.login.replace(/\[bot\]$/, '')}` : `${ctx.sandbox.url}/${user.login}`,
  };
}

function canRead(ctx: Context, repo: RepoRecord): boolean {
  return permissionRank[permissionFor(ctx.sandbox, repo, ctx.actor)] >= permissionRank.read;
}

function requirePermission(ctx: Context, repo: RepoRecord, minimum: Permission, mutation: string): void {
  if (permissionRank[permissionFor(ctx.sandbox, repo, ctx.actor)] < permissionRank[minimum]) {
    fail('FORBIDDEN', ctx.actor?.kind === 'installation' ? 'Resource not accessible by integration' : `${ctx.user.login} does not have the correct permissions to execute \`${mutation}\``);
  }
}

function commitNode(ctx: Context, repo: RepoRecord, commit: CommitRecord): Record<string, unknown> {
  const [headline = '', ...rest] = commit.message.split('\n');
  const files = (): ReturnType<typeof commitFiles> => commitFiles(repo, commit);
  const gitActor = (signature: CommitRecord['author'], login: string | undefined): Record<string, unknown> => ({
    name: signature.name,
    email: signature.email,
    date: signature.date,
    user: login && ctx.sandbox.user(login)?.type === 'User' ? userNode(ctx, ctx.sandbox.user(login) as SandboxUser) : null,
  });
  return {
    __typename: 'Commit',
    id: commit.node_id,
    oid: commit.sha,
    abbreviatedOid: commit.sha.slice(0, 7),
    message: commit.message,
    messageHeadline: headline,
    messageBody: rest.join('\n').trim(),
    committedDate: commit.committer.date,
    authoredDate: commit.author.date,
    url: `${ctx.sandbox.url}/${fullName(repo)}/commit/${commit.sha}`,
    author: gitActor(commit.author, commit.authorLogin),
    committer: gitActor(commit.committer, commit.committer.name === 'GitHub' ? undefined : commit.authorLogin),
    additions: () => files().reduce((n, f) => n + f.additions, 0),
    deletions: () => files().reduce((n, f) => n + f.deletions, 0),
    changedFilesIfAvailable: () => files().length,
    parents: (args: PageArgs) => connection(commit.parents.flatMap((sha) => repo.git.commits.get(sha) ?? []), args, 'parents', (c) => commitNode(ctx, repo, c)),
    associatedPullRequests: (args: PageArgs) =>
      connection(
        [...repo.pulls.values()].filter((p) => p.merge_commit_sha === commit.sha || p.head.sha === commit.sha || p.commits.includes(commit.sha)),
        args,
        'associatedPullRequests',
        (p) => pullNode(ctx, repo, p),
      ),
  };
}

function refNode(ctx: Context, repo: RepoRecord, qualified: string): Record<string, unknown> | null {
  const name = qualified.replace(/^refs\//, '');
  const ref = repo.git.refs.has(name) ? name : repo.git.refs.has(`heads/${name}`) ? `heads/${name}` : undefined;
  if (!ref) return null;
  const sha = repo.git.refs.get(ref) ?? '';
  const commit = repo.git.commits.get(sha);
  const [prefix, ...rest] = ref.split('/');
  return {
    __typename: 'Ref',
    id: Buffer.from(`0:Ref${fullName(repo)}:${ref}`).toString('base64url'),
    name: rest.join('/'),
    prefix: `refs/${prefix ?? ''}/`,
    target: commit ? commitNode(ctx, repo, commit) : null,
    repository: () => repositoryNode(ctx, repo),
  };
}

const changeTypes: Record<string, string> = { added: 'ADDED', removed: 'DELETED', modified: 'MODIFIED', renamed: 'RENAMED' };

function pullNode(ctx: Context, repo: RepoRecord, pull: PullRecord): Record<string, unknown> {
  const issue = issueOf(repo, pull);
  const url = `${ctx.sandbox.url}/${fullName(repo)}/pull/${pull.number}`;
  return {
    __typename: 'PullRequest',
    id: pull.node_id,
    databaseId: pull.id,
    number: pull.number,
    title: issue.title,
    body: issue.body ?? '',
    url,
    permalink: url,
    state: pull.merged ? 'MERGED' : issue.state === 'open' ? 'OPEN' : 'CLOSED',
    closed: issue.state === 'closed',
    merged: pull.merged,
    mergedAt: pull.merged_at,
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at,
    isDraft: pull.draft,
    locked: issue.locked,
    author: () => actorNode(ctx, issue.user),
    mergedBy: () => actorNode(ctx, pull.merged_by),
    baseRefName: pull.base.ref,
    headRefName: pull.head.ref,
    baseRefOid: issue.state === 'open' ? (branchHead(repo, pull.base.ref) ?? pull.base.sha) : pull.base.sha,
    headRefOid: pull.head.sha,
    baseRef: () => refNode(ctx, repo, `heads/${pull.base.ref}`),
    headRef: () => refNode(ctx, repo, `heads/${pull.head.ref}`),
    mergeCommit: () => {
      const commit = pull.merge_commit_sha ? repo.git.commits.get(pull.merge_commit_sha) : undefined;
      return commit ? commitNode(ctx, repo, commit) : null;
    },
    autoMergeRequest: () =>
      pull.auto_merge
        ? { enabledAt: issue.updated_at, enabledBy: () => actorNode(ctx, pull.auto_merge?.enabled_by), mergeMethod: pull.auto_merge.merge_method.toUpperCase(), pullRequest: () => pullNode(ctx, repo, pull) }
        : null,
    mergeable: () => {
      const { mergeable } = mergeability(repo, pull);
      return mergeable === null ? 'UNKNOWN' : mergeable ? 'MERGEABLE' : 'CONFLICTING';
    },
    additions: () => pullStats(repo, pull).additions,
    deletions: () => pullStats(repo, pull).deletions,
    changedFiles: () => pullStats(repo, pull).changed_files,
    repository: () => repositoryNode(ctx, repo),
    labels: (args: PageArgs) =>
      connection(
        issue.labels.flatMap((name) => repo.labels.get(labelKey(name)) ?? []),
        args,
        'labels',
        (label) => ({ __typename: 'Label', id: label.node_id, name: label.name, color: label.color, description: label.description, isDefault: label.default }),
      ),
    files: (args: PageArgs) =>
      connection(pullFiles(repo, pull), args, 'files', (file) => ({ path: file.filename, additions: file.additions, deletions: file.deletions, changeType: changeTypes[file.status] ?? 'CHANGED' })),
    commits: (args: PageArgs) =>
      connection(
        pull.commits.flatMap((sha) => repo.git.commits.get(sha) ?? []),
        args,
        'commits',
        (commit) => ({ __typename: 'PullRequestCommit', id: Buffer.from(`0:PullRequestCommit${pull.id}:${commit.sha}`).toString('base64url'), url: `${url}/commits/${commit.sha}`, commit: commitNode(ctx, repo, commit) }),
      ),
  };
}

const deploymentStates: Record<DeploymentStatusRecord['state'], string> = {
  success: 'ACTIVE',
  inactive: 'INACTIVE',
  failure: 'FAILURE',
  error: 'ERROR',
  pending: 'PENDING',
  queued: 'QUEUED',
  in_progress: 'IN_PROGRESS',
};

function deploymentNode(ctx: Context, repo: RepoRecord, deployment: DeploymentRecord): Record<string, unknown> {
  const latest = deployment.statuses[deployment.statuses.length - 1];
  const statusNode = (status: DeploymentStatusRecord): Record<string, unknown> => ({
    __typename: 'DeploymentStatus',
    id: status.node_id,
    state: status.state.toUpperCase(),
    description: status.description || null,
    environment: status.environment,
    environmentUrl: status.environment_url || null,
    logUrl: status.log_url || null,
    createdAt: status.created_at,
    updatedAt: status.updated_at,
    creator: () => actorNode(ctx, status.creator),
    deployment: () => deploymentNode(ctx, repo, deployment),
  });
  const commit = repo.git.commits.get(deployment.sha);
  return {
    __typename: 'Deployment',
    id: deployment.node_id,
    databaseId: deployment.id,
    environment: deployment.environment,
    originalEnvironment: deployment.environment,
    state: latest ? deploymentStates[latest.state] : 'PENDING',
    task: deployment.task,
    description: deployment.description,
    payload: JSON.stringify(deployment.payload),
    createdAt: deployment.created_at,
    updatedAt: deployment.updated_at,
    commitOid: deployment.sha,
    commit: commit ? commitNode(ctx, repo, commit) : null,
    ref: () => refNode(ctx, repo, deployment.ref),
    creator: () => actorNode(ctx, deployment.creator),
    repository: () => repositoryNode(ctx, repo),
    latestStatus: latest ? statusNode(latest) : null,
    statuses: (args: PageArgs) => connection([...deployment.statuses].reverse(), args, 'statuses', statusNode),
  };
}

function releaseNode(ctx: Context, repo: RepoRecord, release: ReleaseRecord): Record<string, unknown> {
  const sha = resolveRef(repo.git, `tags/${release.tag_name}`);
  const commit = sha ? repo.git.commits.get(sha) : undefined;
  const author = ctx.sandbox.user(release.author);
  return {
    __typename: 'Release',
    id: release.node_id,
    databaseId: release.id,
    name: release.name,
    tagName: release.tag_name,
    description: release.body,
    url: `${ctx.sandbox.url}/${fullName(repo)}/releases/tag/${encodeURIComponent(release.tag_name)}`,
    isDraft: release.draft,
    isPrerelease: release.prerelease,
    isLatest: latestRelease(repo)?.id === release.id,
    createdAt: release.created_at,
    publishedAt: release.published_at,
    author: author ? userNode(ctx, author) : null,
    tagCommit: commit ? commitNode(ctx, repo, commit) : null,
  };
}

interface OrderArgs {
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
}

function issueNode(ctx: Context, repo: RepoRecord, issue: IssueRecord): Record<string, unknown> {
  const url = `${ctx.sandbox.url}/${fullName(repo)}/issues/${issue.number}`;
  return {
    __typename: 'Issue',
    id: issue.node_id,
    databaseId: issue.id,
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    url,
    state: issue.state === 'open' ? 'OPEN' : 'CLOSED',
    createdAt: issue.created_at,
    updatedAt: issue.updated_at,
    closedAt: issue.closed_at,
    author: () => actorNode(ctx, issue.user),
    // Oldest first, as GitHub lists an issue's comments.
    comments: (args: PageArgs) =>
      connection(
        [...repo.comments.values()].filter((comment) => comment.issueNumber === issue.number).sort((a, b) => a.id - b.id),
        args,
        'comments',
        (comment: CommentRecord) => ({
          __typename: 'IssueComment',
          id: comment.node_id,
          databaseId: comment.id,
          body: comment.body,
          url: `${url}#issuecomment-${comment.id}`,
          createdAt: comment.created_at,
          updatedAt: comment.updated_at,
          author: () => actorNode(ctx, comment.user),
        }),
      ),
  };
}

function repositoryNode(ctx: Context, repo: RepoRecord): Record<string, unknown> {
  const org = ctx.sandbox.state.orgs.get(repo.owner);
  const ownerUser = ctx.sandbox.user(repo.owner);
  const owner = org
    ? { __typename: 'Organization', id: org.node_id, databaseId: org.id, login: org.login, name: org.login, avatarUrl: `${ctx.sandbox.url}/avatars/u/${org.id}`, url: `${ctx.sandbox.url}/${org.login}` }
    : ownerUser
      ? userNode(ctx, ownerUser)
      : { __typename: 'User', id: 'ghost', login: repo.owner, avatarUrl: `${ctx.sandbox.url}/avatars/u/0`, url: `${ctx.sandbox.url}/${repo.owner}`, email: '' };
  return {
    __typename: 'Repository',
    id: repo.node_id,
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: fullName(repo),
    owner,
    description: repo.description,
    url: `${ctx.sandbox.url}/${fullName(repo)}`,
    isPrivate: repo.private,
    createdAt: repo.created_at,
    updatedAt: repo.updated_at,
    defaultBranchRef: () => refNode(ctx, repo, `heads/${repo.default_branch}`),
    ref: ({ qualifiedName }: { qualifiedName: string }) => refNode(ctx, repo, qualifiedName),
    object: ({ oid, expression }: { oid?: string | null; expression?: string | null }) => {
      const sha = oid ? (repo.git.commits.has(oid) ? oid : undefined) : expression ? resolveRef(repo.git, expression) : undefined;
      const commit = sha ? repo.git.commits.get(sha) : undefined;
      return commit ? commitNode(ctx, repo, commit) : null;
    },
    pullRequest: ({ number }: { number: number }) => {
      const pull = repo.pulls.get(number);
      if (!pull) fail('NOT_FOUND', `Could not resolve to a PullRequest with the number of ${number}.`);
      return pullNode(ctx, repo, pull);
    },
    // As GitHub: a pull request's number is not an issue here.
    issue: ({ number }: { number: number }) => {
      const issue = repo.issues.get(number);
      if (!issue || issue.isPullRequest) fail('NOT_FOUND', `Could not resolve to an Issue with the number of ${number}.`);
      return issueNode(ctx, repo, issue);
    },
    pullRequests: (args: PageArgs & OrderArgs & { states?: string[] | null; baseRefName?: string | null; headRefName?: string | null; labels?: string[] | null }) => {
      const states = args.states?.length ? new Set(args.states) : undefined;
      const labels = args.labels?.map((l) => l.toLowerCase());
      const matching = [...repo.pulls.values()].filter((pull) => {
        const issue = issueOf(repo, pull);
        const state = pull.merged ? 'MERGED' : issue.state === 'open' ? 'OPEN' : 'CLOSED';
        if (states && !states.has(state)) return false;
        if (args.baseRefName && pull.base.ref !== args.baseRefName) return false;
        if (args.headRefName && pull.head.ref !== args.headRefName) return false;
        if (labels && !labels.some((l) => issue.labels.some((n) => n.toLowerCase() === l))) return false;
        return true;
      });
      const field = args.orderBy?.field ?? 'CREATED_AT';
      const key = (pull: PullRecord): string | number => {
        const issue = issueOf(repo, pull);
        if (field === 'UPDATED_AT') return issue.updated_at;
        if (field === 'COMMENTS') return [...repo.comments.values()].filter((c) => c.issueNumber === pull.number).length;
        return issue.created_at;
      };
      const direction = args.orderBy?.direction === 'DESC' ? -1 : 1;
      matching.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        return (x < y ? -1 : x > y ? 1 : a.number - b.number) * direction;
      });
      return connection(matching, args, 'pullRequests', (pull) => pullNode(ctx, repo, pull));
    },
    deployments: (args: PageArgs & OrderArgs & { environments?: string[] | null }) => {
      const environments = args.environments?.length ? new Set(args.environments) : undefined;
      const direction = args.orderBy?.direction === 'DESC' ? -1 : 1;
      const matching = [...repo.deployments.values()]
        .filter((d) => !environments || environments.has(d.environment))
        .sort((a, b) => (a.created_at.localeCompare(b.created_at) || a.id - b.id) * direction);
      return connection(matching, args, 'deployments', (d) => deploymentNode(ctx, repo, d));
    },
    releases: (args: PageArgs & OrderArgs) => {
      const byName = args.orderBy?.field === 'NAME';
      const direction = args.orderBy?.direction === 'ASC' ? 1 : -1;
      const releases = [...releasesOf(repo).values()].sort((a, b) => (byName ? (a.name ?? a.tag_name).localeCompare(b.name ?? b.tag_name) : a.created_at.localeCompare(b.created_at) || a.id - b.id) * direction);
      return connection(releases, args, 'releases', (r) => releaseNode(ctx, repo, r));
    },
    latestRelease: () => {
      const latest = latestRelease(repo);
      return latest ? releaseNode(ctx, repo, latest) : null;
    },
  };
}

/** Finds a node by its global ID in the repositories the caller can see. */
function findNode(ctx: Context, id: string): Record<string, unknown> | null {
  for (const repo of ctx.sandbox.state.repos.values()) {
    if (!canRead(ctx, repo)) continue;
    if (repo.node_id === id) return repositoryNode(ctx, repo);
    for (const pull of repo.pulls.values()) if (pull.node_id === id) return pullNode(ctx, repo, pull);
    for (const deployment of repo.deployments.values()) if (deployment.node_id === id) return deploymentNode(ctx, repo, deployment);
    for (const release of releasesOf(repo).values()) if (release.node_id === id) return releaseNode(ctx, repo, release);
    for (const commit of repo.git.commits.values()) if (commit.node_id === id) return commitNode(ctx, repo, commit);
  }
  for (const user of ctx.sandbox.state.users.values()) {
    const node = userNode(ctx, user);
    if (node['id'] === id) return node;
  }
  return null;
}

function findPull(ctx: Context, id: string): { repo: RepoRecord; pull: PullRecord } {
  for (const repo of ctx.sandbox.state.repos.values()) {
    if (!canRead(ctx, repo)) continue;
    for (const pull of repo.pulls.values()) if (pull.node_id === id) return { repo, pull };
  }
  fail('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

function payload(ctx: Context, repo: RepoRecord, pull: PullRecord, clientMutationId: string | null | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { clientMutationId: clientMutationId ?? null, pullRequest: pullNode(ctx, repo, pull), ...extra };
}

function rootValue(ctx: Context): Record<string, unknown> {
  return {
    repository: ({ owner, name }: { owner: string; name: string }) => {
      const repo = ctx.sandbox.repo(owner, name);
      if (!repo || !canRead(ctx, repo)) fail('NOT_FOUND', `Could not resolve to a Repository with the name '${owner}/${name}'.`);
      return repositoryNode(ctx, repo);
    },
    node: ({ id }: { id: string }) => {
      const node = findNode(ctx, id);
      if (!node) fail('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
      return node;
    },
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => findNode(ctx, id)),
    viewer: () => userNode(ctx, ctx.user),
    // The budget after this call was charged for, as GitHub reports it; `resetAt` in wall-clock time like `x-ratelimit-reset`.
    rateLimit: () => {
      const { limit, remaining, used, reset } = ctx.sandbox.rateLimitStatus(ctx.actor).graphql;
      return { cost: ctx.cost.cost, limit, nodeCount: ctx.cost.nodeCount, remaining, resetAt: new Date(reset * 1000).toISOString(), used };
    },

    revertPullRequest: ({ input }: { input: { pullRequestId: string; title?: string | null; body?: string | null; draft?: boolean | null; clientMutationId?: string | null } }) => {
      const { repo, pull } = findPull(ctx, input.pullRequestId);
      requirePermission(ctx, repo, 'write', 'RevertPullRequest');
      const result = revertPull(ctx.sandbox, repo, pull, ctx.user, {
        ...(input.title ? { title: input.title } : {}),
        ...(input.body ? { body: input.body } : {}),
        ...(input.draft != null ? { draft: input.draft } : {}),
      });
      if (!result.ok) fail('UNPROCESSABLE', result.message);
      return payload(ctx, repo, pull, input.clientMutationId, { revertPullRequest: pullNode(ctx, repo, result.pull) });
    },

    mergePullRequest: ({ input }: { input: { pullRequestId: string; mergeMethod?: string | null; commitHeadline?: string | null; commitBody?: string | null; expectedHeadOid?: string | null; clientMutationId?: string | null } }) => {
      const { repo, pull } = findPull(ctx, input.pullRequestId);
      requirePermission(ctx, repo, 'write', 'MergePullRequest');
      try {
        mergePull(ctx.sandbox, repo, pull, ctx.user, {
          method: (input.mergeMethod?.toLowerCase() ?? 'merge') as 'merge' | 'squash' | 'rebase',
          ...(input.commitHeadline ? { commitTitle: input.commitHeadline } : {}),
          ...(input.commitBody != null ? { commitMessage: input.commitBody } : {}),
          ...(input.expectedHeadOid ? { sha: input.expectedHeadOid } : {}),
        });
      } catch (error) {
        if (error instanceof HttpError) fail('UNPROCESSABLE', error.message);
        throw error;
      }
      return payload(ctx, repo, pull, input.clientMutationId, { actor: userNode(ctx, ctx.user) });
    },

    markPullRequestReadyForReview: ({ input }: { input: { pullRequestId: string; clientMutationId?: string | null } }) => {
      const { repo, pull } = findPull(ctx, input.pullRequestId);
      if (issueOf(repo, pull).user !== ctx.user.login) requirePermission(ctx, repo, 'write', 'MarkPullRequestReadyForReview');
      if (pull.draft) {
        pull.draft = false;
        recordIssueEvent(ctx.sandbox, repo, issueOf(repo, pull), 'ready_for_review', ctx.user);
        emitPull(ctx.sandbox, repo, pull, 'ready_for_review', ctx.user);
      }
      return payload(ctx, repo, pull, input.clientMutationId);
    },

    enablePullRequestAutoMerge: ({ input }: { input: { pullRequestId: string; mergeMethod?: string | null; clientMutationId?: string | null } }) => {
      const { repo, pull } = findPull(ctx, input.pullRequestId);
      requirePermission(ctx, repo, 'write', 'EnablePullRequestAutoMerge');
      if (pull.merged || issueOf(repo, pull).state !== 'open') fail('UNPROCESSABLE', 'Pull request is in merged or closed state');
      pull.auto_merge = { merge_method: (input.mergeMethod?.toLowerCase() ?? 'merge') as 'merge' | 'squash' | 'rebase', enabled_by: ctx.user.login };
      emitPull(ctx.sandbox, repo, pull, 'auto_merge_enabled', ctx.user);
      return payload(ctx, repo, pull, input.clientMutationId, { actor: userNode(ctx, ctx.user) });
    },

    convertPullRequestToDraft: ({ input }: { input: { pullRequestId: string; clientMutationId?: string | null } }) => {
      const { repo, pull } = findPull(ctx, input.pullRequestId);
      if (issueOf(repo, pull).user !== ctx.user.login) requirePermission(ctx, repo, 'write', 'ConvertPullRequestToDraft');
      if (issueOf(repo, pull).state !== 'open') fail('UNPROCESSABLE', 'Only open pull requests can be converted to draft.');
      if (!pull.draft) {
        pull.draft = true;
        recordIssueEvent(ctx.sandbox, repo, issueOf(repo, pull), 'convert_to_draft', ctx.user);
        emitPull(ctx.sandbox, repo, pull, 'converted_to_draft', ctx.user);
      }
      return payload(ctx, repo, pull, input.clientMutationId);
    },
  };
}

const requestSchema = z.object({
  query: z.string({ error: 'A query attribute must be specified and must be a string.' }),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

function formatError(error: GraphQLFormattedError): Record<string, unknown> {
  const type = error.extensions?.['type'];
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.extensions && typeof type !== 'string' ? { extensions: error.extensions } : {}),
    locations: error.locations ?? [],
    message: error.message,
  };
}

/**
 * Parsed and validated documents by query text: clients send the same few queries again and again
 * (correlation sends one per incident), and parsing and validating took about half of the
 * sandbox's GraphQL time. What `graphql()` does, in its three steps, with the first two cached.
 */
const documents = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();
const MAX_DOCUMENTS = 200;

function prepared(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
  const cached = documents.get(query);
  if (cached) return cached;
  let entry: { document: DocumentNode } | { errors: readonly GraphQLError[] };
  try {
    const document = parse(query);
    const errors = validate(schema, document);
    entry = errors.length > 0 ? { errors } : { document };
  } catch (error) {
    entry = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
  }
  if (documents.size >= MAX_DOCUMENTS) documents.delete(documents.keys().next().value as string);
  documents.set(query, entry);
  return entry;
}

/** Mutations that create content (a pull request, a merge commit): GitHub's content creation limits count them as they count REST writes. */
const CONTENT_CREATING_MUTATIONS: ReadonlySet<string> = new Set(['revertPullRequest', 'mergePullRequest']);

function costOf(request: z.infer<typeof requestSchema>): GraphqlCost {
  const document = prepared(request.query);
  if ('errors' in document) return { cost: 1, nodeCount: 0, mutation: false, rootFields: [] };
  return graphqlCost(schema, document.document, request.operationName, request.variables);
}

/** What a GraphQL call costs against the rate limits: its points (primary), 1 or 5 points (secondary), and whether it creates content. */
function priceGraphql(body: unknown): Omit<RequestPrice, 'resource' | 'endpoint'> {
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) return { primary: 1, points: 1, contentCreating: false };
  const cost = costOf(parsed.data);
  return { primary: cost.cost, points: cost.mutation ? 5 : 1, contentCreating: cost.mutation && cost.rootFields.some((field) => CONTENT_CREATING_MUTATIONS.has(field)) };
}

async function executeGraphql(sandbox: SandboxApi, actor: Actor | null, body: unknown): Promise<SandboxResponse> {
  if (!actor) return { status: 401, body: { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql' } };
  if (actor.kind === 'app') return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/graphql' } };
  const parsed = requestSchema.safeParse(body);
  if (!parsed.success) return { status: 200, body: { errors: [{ message: parsed.error.issues[0]?.message ?? 'Invalid request' }] } };
  const ctx: Context = { sandbox, actor, user: actor.user, cost: costOf(parsed.data) };
  const document = prepared(parsed.data.query);
  const result =
    'errors' in document
      ? { errors: document.errors, data: undefined }
      : await execute({
          schema,
          document: document.document,
          rootValue: rootValue(ctx),
          contextValue: ctx,
          variableValues: parsed.data.variables ?? undefined,
          operationName: parsed.data.operationName ?? undefined,
        });
  const errors = result.errors?.map((error) => formatError(error.toJSON()));
  return { status: 200, body: { ...(result.data !== undefined ? { data: result.data } : {}), ...(errors?.length ? { errors } : {}) } };
}

export function registerGraphql(router: Router, sandbox: SandboxApi): void {
  router.add('POST', '/graphql', (request) => executeGraphql(sandbox, request.actor, request.body), { price: priceGraphql });
}
