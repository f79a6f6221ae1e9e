import { z } from 'zod';
import type { ListedComment } from './listIssueComments.ts';
import type { GraphqlClient } from './fetchChanges.ts';
import { errorTypes, partialData } from './graphqlErrors.ts';
import { restLogin } from './graphqlActor.ts';
import type { RepoRef } from './types.ts';

/** Issues per query, and comments read of each: a page of incidents costs one GraphQL point. */
const ISSUES_PER_QUERY = 50;
const COMMENTS_PER_ISSUE = 10;

/** The first comments of one issue, oldest first; `complete` when the issue has no more. */
export interface FirstComments {
  comments: Pick<ListedComment, 'body' | 'user'>[];
  complete: boolean;
}

const issueSchema = z.object({
  comments: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean() }),
    nodes: z.array(z.object({ body: z.string(), author: z.object({ __typename: z.string(), login: z.string() }).nullish() }).nullable()),
  }),
});

function restActor(author: { __typename: string; login: string } | null | undefined): ListedComment['user'] {
  return author ? { login: restLogin(author), type: author.__typename === 'Bot' ? 'Bot' : 'User' } : null;
}

function batchQuery(numbers: readonly number[]): string {
  const fields = numbers.map((number) => `    i${number}: issue(number: ${number}) { ...FirewatchFirstComments }`).join('\n');
  return `query FirewatchFirstComments($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
${fields}
  }
}
fragment FirewatchFirstComments on Issue {
  comments(first: ${COMMENTS_PER_ISSUE}) { pageInfo { hasNextPage } nodes { body author { __typename login } } }
}`;
}

/**
 * The first comments of many issues of `repo`, `ISSUES_PER_QUERY` issues to a GraphQL query
 * instead of one REST request each. An issue GitHub could not resolve (gone, transferred) is left
 * out of the answer, as is one whose answer does not parse: the caller reads those by REST.
 */
export async function firstCommentsOf(octokit: GraphqlClient, repo: RepoRef, numbers: readonly number[]): Promise<{ found: Map<number, FirstComments>; queries: number }> {
  const found = new Map<number, FirstComments>();
  let queries = 0;
  for (let start = 0; start < numbers.length; start += ISSUES_PER_QUERY) {
    const batch = numbers.slice(start, start + ISSUES_PER_QUERY).filter((number) => Number.isSafeInteger(number) && number > 0);
    if (batch.length === 0) continue;
    let data: Record<string, unknown> | undefined;
    queries++;
    try {
      data = (await octokit.graphql(batchQuery(batch), { owner: repo.owner, name: repo.repo })) as Record<string, unknown> | undefined;
    } catch (error) {
      // Some issues could not be resolved; the others came back with the error.
      if (!errorTypes(error).includes('NOT_FOUND') || errorTypes(error).some((type) => type !== 'NOT_FOUND')) throw error;
      data = partialData(error);
    }
    const repository = (data?.['repository'] ?? null) as Record<string, unknown> | null;
    for (const number of batch) {
      const parsed = issueSchema.safeParse(repository?.[`i${number}`]);
      if (!parsed.success) continue;
      const comments = parsed.data.comments.nodes.flatMap((node) => (node ? [{ body: node.body, user: restActor(node.author) }] : []));
      found.set(number, { comments, complete: !parsed.data.comments.pageInfo.hasNextPage });
    }
  }
  return { found, queries };
}
