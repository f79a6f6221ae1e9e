import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.ts';
import { BOT_TOKEN } from '../src/auth.ts';
import { expectMatchesOpenApi } from './support/openapi.ts';
import { expectValidWebhook } from './support/webhookSchema.ts';
import { octokitFor, startSandbox } from './support.ts';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

const repo = { owner: 'acme', repo: 'shop' };

interface MergedPulls {
  repository: {
    nameWithOwner: string;
    defaultBranchRef: { name: string };
    pullRequests: {
      totalCount: number;
      nodes: { number: number; state: string; mergedAt: string; author: { login: string }; mergeCommit: { oid: string }; changedFiles: number; labels: { nodes: { name: string }[] }; files: { nodes: { path: string; additions: number; deletions: number; changeType: string }[] } }[];
    };
    deployments: { nodes: { environment: string; state: string; commitOid: string; latestStatus: { state: string; logUrl: string } | null }[] };
  };
}

const MERGED_PULLS = /* GraphQL */ `
  query ($owner: String!, $name: String!) {
    repository(owner: $owner, name: $name) {
      nameWithOwner
      defaultBranchRef { name }
      pullRequests(states: [MERGED], baseRefName: "main", first: 100, orderBy: { field: UPDATED_AT, direction: DESC }) {
        totalCount
        nodes {
          number state mergedAt author { login } mergeCommit { oid } changedFiles
          labels(first: 10) { nodes { name } }
          files(first: 100) { nodes { path additions deletions changeType } }
        }
      }
      deployments(environments: ["production"], first: 20, orderBy: { field: CREATED_AT, direction: DESC }) {
        nodes { environment state commitOid latestStatus { state logUrl } }
      }
    }
  }
`;

interface GraphqlFailure {
  errors: { type?: string; message: string; path?: string[] }[];
  data?: unknown;
}

async function graphqlFailure(call: Promise<unknown>): Promise<GraphqlFailure> {
  try {
    await call;
  } catch (error) {
    return error as GraphqlFailure;
  }
  throw new Error('expected GraphQL errors');
}

describe('GraphQL', () => {
  it('returns every merged PR with its files, labels and the deployments in one request', async () => {
    const app = octokitFor(sandbox, BOT_TOKEN);
    sandbox.resetStats();
    const data = await app.graphql<MergedPulls>(MERGED_PULLS, { owner: 'acme', name: 'shop' });
    expect(sandbox.stats().byRoute).toEqual({ 'POST /graphql': 1 });
    const { repository } = data;
    expect(repository.nameWithOwner).toBe('acme/shop');
    expect(repository.defaultBranchRef.name).toBe('main');
    expect(repository.pullRequests.totalCount).toBe(8);
    const risky = repository.pullRequests.nodes.find((p) => p.number === 7);
    expect(risky).toMatchObject({ state: 'MERGED', author: { login: 'bob' }, changedFiles: 2, labels: { nodes: [{ name: 'risky' }] } });
    expect(risky?.files.nodes).toEqual([
      { path: 'services/checkout/inventory.js', additions: 11, deletions: 0, changeType: 'ADDED' },
      { path: 'services/checkout/orders.js', additions: 9, deletions: 2, changeType: 'MODIFIED' },
    ]);
    const [live, ...older] = repository.deployments.nodes;
    expect(live).toMatchObject({ environment: 'production', state: 'ACTIVE', commitOid: risky?.mergeCommit.oid, latestStatus: { state: 'SUCCESS' } });
    expect(older.map((d) => d.state)).toEqual(['INACTIVE', 'INACTIVE', 'INACTIVE']);
  });

  it('reverts a merged PR into a new PR whose diff undoes it', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: original } = await bob.rest.pulls.get({ ...repo, pull_number: 5 });
    const since = sandbox.deliveries().length;
    const result = await bob.graphql<{ revertPullRequest: { clientMutationId: string; pullRequest: { number: number }; revertPullRequest: { number: number; title: string; body: string; headRefName: string; baseRefName: string; state: string } } }>(
      `mutation ($id: ID!) { revertPullRequest(input: { pullRequestId: $id, clientMutationId: "rollback-1" }) {
         clientMutationId pullRequest { number } revertPullRequest { number title body headRefName baseRefName state } } }`,
      { id: original.node_id },
    );
    const revert = result.revertPullRequest.revertPullRequest;
    expect(result.revertPullRequest).toMatchObject({ clientMutationId: 'rollback-1', pullRequest: { number: 5 } });
    expect(revert).toMatchObject({
      title: 'Revert "Raise payments timeout and connection pool in production"',
      body: 'Reverts acme/shop#5',
      headRefName: `revert-5-${original.head.ref}`,
      baseRefName: 'main',
      state: 'OPEN',
    });

    const { data: originalFiles } = await bob.rest.pulls.listFiles({ ...repo, pull_number: 5 });
    const { data: revertFiles } = await bob.rest.pulls.listFiles({ ...repo, pull_number: revert.number });
    expectMatchesOpenApi('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', 200, revertFiles);
    expect(revertFiles.map((f) => [f.filename, f.additions, f.deletions])).toEqual(originalFiles.map((f) => [f.filename, f.deletions, f.additions]));
    expect(revertFiles[0]?.patch).toContain('-  "paymentsTimeoutMs": 5000,\n+  "paymentsTimeoutMs": 2000,');
    const { data: pull } = await bob.rest.pulls.get({ ...repo, pull_number: revert.number });
    expect(pull).toMatchObject({ mergeable: true, user: { login: 'bob' }, commits: 1 });

    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => `${d.event}.${d.action ?? ''}`)).toEqual(['create.', 'push.', 'pull_request.opened']);
    events.forEach(expectValidWebhook);
  });

  it("reads issues' comments oldest first, by pages, several issues to a query; a PR's number is not an issue", async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const { data: issue } = await bob.rest.issues.create({ owner: 'acme', repo: 'shop', title: 'Comments by GraphQL' });
    for (const body of ['first', 'second', 'third']) await bob.rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body });
    await octokitFor(sandbox, BOT_TOKEN).rest.issues.createComment({ owner: 'acme', repo: 'shop', issue_number: issue.number, body: 'by the app' });
    const query = `query($after: String) { repository(owner: "acme", name: "shop") {
      a: issue(number: ${issue.number}) { number state comments(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { body author { __typename login } } } }
    } }`;
    const first = (await bob.graphql(query)) as { repository: { a: { number: number; state: string; comments: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: { body: string; author: { __typename: string; login: string } }[] } } } };
    expect(first.repository.a).toMatchObject({ number: issue.number, state: 'OPEN', comments: { totalCount: 4, pageInfo: { hasNextPage: true } } });
    expect(first.repository.a.comments.nodes.map((node) => node.body)).toEqual(['first', 'second']);
    const next = (await bob.graphql(query, { after: first.repository.a.comments.pageInfo.endCursor })) as typeof first;
    // As GitHub: the app's bot is `firewatch` as an author in GraphQL (`firewatch[bot]` in REST), the viewer keeps the suffix.
    expect(next.repository.a.comments.nodes.map((node) => `${node.author.__typename}:${node.author.login}:${node.body}`)).toEqual(['User:bob:third', 'Bot:firewatch:by the app']);
    expect(await octokitFor(sandbox, BOT_TOKEN).graphql('query { viewer { login } }')).toEqual({ viewer: { login: 'firewatch[bot]' } });
    expect(next.repository.a.comments.pageInfo.hasNextPage).toBe(false);

    const pull = await graphqlFailure(bob.graphql(`query { repository(owner: "acme", name: "shop") { a: issue(number: ${issue.number}) { number } b: issue(number: 4) { number } } }`));
    expect(pull.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', message: 'Could not resolve to an Issue with the number of 4.', path: ['repository', 'b'] })]);
    expect(pull.data).toEqual({ repository: { a: { number: issue.number }, b: null } });
  });

  it('answers the same query the same way the second time, errors included (documents are cached)', async () => {
    const app = octokitFor(sandbox, BOT_TOKEN);
    for (let round = 0; round < 2; round++) {
      const data = await app.graphql<MergedPulls>(MERGED_PULLS, { owner: 'acme', name: round === 0 ? 'shop' : 'post_mortems' });
      expect(data.repository.nameWithOwner).toBe(round === 0 ? 'acme/shop' : 'acme/post_mortems');
      const syntax = await graphqlFailure(app.graphql('query { repository(owner: "acme" { id } }'));
      expect(syntax.errors[0]?.message).toMatch(/^Syntax Error: Expected Name, found "\{"/);
      const unknown = await graphqlFailure(app.graphql('query { repository(owner: "acme", name: "shop") { noSuchField } }'));
      expect(unknown.errors[0]?.message).toBe('Cannot query field "noSuchField" on type "Repository".');
    }
  });

  it('refuses reverts that are not clean, of unmerged PRs, and by readers, with GitHub error types', async () => {
    const bob = octokitFor(sandbox, 'sandbox-bob');
    const mutation = `mutation ($id: ID!) { revertPullRequest(input: { pullRequestId: $id }) { revertPullRequest { number } } }`;
    const idOf = async (n: number): Promise<string> => (await bob.rest.pulls.get({ ...repo, pull_number: n })).data.node_id;

    // #8 changed the lines #6 introduced in services/payments/gateway.js.
    const conflict = await graphqlFailure(bob.graphql(mutation, { id: await idOf(6) }));
    expect(conflict.errors).toEqual([expect.objectContaining({ type: 'UNPROCESSABLE', path: ['revertPullRequest'], message: expect.stringContaining('services/payments/gateway.js') })]);
    const unmerged = await graphqlFailure(bob.graphql(mutation, { id: await idOf(9) }));
    expect(unmerged.errors[0]).toMatchObject({ type: 'UNPROCESSABLE', message: 'Pull request acme/shop#9 is not merged, so there is nothing to revert.' });
    const reader = await graphqlFailure(octokitFor(sandbox, 'sandbox-eve').graphql(mutation, { id: await idOf(4) }));
    expect(reader.errors[0]).toMatchObject({ type: 'FORBIDDEN' });
    const missing = await graphqlFailure(bob.graphql(mutation, { id: 'PR_nope' }));
    expect(missing.errors[0]).toMatchObject({ type: 'NOT_FOUND' });
    const unbounded = await graphqlFailure(bob.graphql('{ repository(owner: "acme", name: "shop") { pullRequests { totalCount } } }'));
    expect(unbounded.errors[0]).toMatchObject({ type: 'MISSING_PAGINATION_BOUNDARIES' });
    const hidden = await graphqlFailure(bob.graphql('{ repository(owner: "acme", name: "nope") { id } }'));
    expect(hidden).toMatchObject({ data: { repository: null }, errors: [{ type: 'NOT_FOUND', message: "Could not resolve to a Repository with the name 'acme/nope'." }] });
  });

  it('resolves nodes and the viewer, and moves PRs between draft and ready with webhooks', async () => {
    const carol = octokitFor(sandbox, 'sandbox-carol');
    const { data: open } = await carol.rest.pulls.get({ ...repo, pull_number: 9 });
    const found = await carol.graphql<{ viewer: { login: string }; node: { __typename: string; number: number; title: string } }>(
      `query ($id: ID!) { viewer { login } node(id: $id) { __typename ... on PullRequest { number title } } }`,
      { id: open.node_id },
    );
    expect(found).toEqual({ viewer: { login: 'carol' }, node: { __typename: 'PullRequest', number: 9, title: 'Document the rollback procedure' } });

    const since = sandbox.deliveries().length;
    const draft = await carol.graphql<{ convertPullRequestToDraft: { pullRequest: { isDraft: boolean } } }>(`mutation ($id: ID!) { convertPullRequestToDraft(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`, { id: open.node_id });
    expect(draft.convertPullRequestToDraft.pullRequest.isDraft).toBe(true);
    await carol.graphql(`mutation ($id: ID!) { markPullRequestReadyForReview(input: { pullRequestId: $id }) { pullRequest { isDraft } } }`, { id: open.node_id });
    const events = sandbox.deliveries().slice(since);
    expect(events.map((d) => d.action)).toEqual(['converted_to_draft', 'ready_for_review']);
    events.forEach(expectValidWebhook);
  });
});
