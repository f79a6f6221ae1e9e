import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { graphqlCost } from '../src/graphqlCost.ts';

const schema = buildSchema(/* GraphQL */ `
  type Label { id: ID! name: String! }
  type LabelEdge { node: Label }
  type LabelConnection { edges: [LabelEdge] nodes: [Label] }
  type Issue { id: ID! labels(first: Int, last: Int): LabelConnection }
  type IssueEdge { node: Issue }
  type IssueConnection { edges: [IssueEdge] nodes: [Issue] }
  type Repository { id: ID! issues(first: Int, last: Int): IssueConnection }
  type RepositoryEdge { node: Repository }
  type RepositoryConnection { edges: [RepositoryEdge] nodes: [Repository] }
  type User { login: String! repositories(first: Int, last: Int): RepositoryConnection }
  type Query { viewer: User! }
  type Mutation { addLabel(name: String!): Label }
`);

const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) => graphqlCost(schema, parse(query), operationName, variables);

describe('graphqlCost', () => {
  it("prices GitHub's documented example at 51 points (5,101 requests / 100)", () => {
    const query = `query {
      viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } }
    }`;
    expect(cost(query)).toEqual({ cost: 51, nodeCount: 100 + 100 * 50 + 100 * 50 * 60, mutation: false, rootFields: ['viewer'] });
  });

  it('reads page sizes from variables and `last`, and follows fragments', () => {
    const query = `query Q($n: Int) { viewer { ...Repos } }
      fragment Repos on User { repositories(last: $n) { nodes { ... on Repository { issues(first: 100) { nodes { id } } } } } }`;
    expect(cost(query, { n: 200 }).cost).toBe(2);
    expect(cost(query, { n: 10 }).cost).toBe(1);
  });

  it('costs at least one point; a mutation is a mutation', () => {
    expect(cost('{ viewer { login } }').cost).toBe(1);
    expect(cost('mutation { addLabel(name: "x") { id } }')).toEqual({ cost: 1, nodeCount: 0, mutation: true, rootFields: ['addLabel'] });
  });

  it('picks the named operation of several, and prices an ambiguous document at one point', () => {
    const document = 'query A { viewer { login } } mutation B { addLabel(name: "x") { id } }';
    expect(cost(document, undefined, 'B').mutation).toBe(true);
    expect(cost(document)).toEqual({ cost: 1, nodeCount: 0, mutation: false, rootFields: [] });
  });
});
