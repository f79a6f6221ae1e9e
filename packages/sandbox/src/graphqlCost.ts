/**
 * What a GraphQL call costs against the primary limit, by GitHub's published method ("Predicting
 * the point value of a query"): add up the requests needed to fulfil each connection, assuming
 * every one reaches its `first`/`last`; divide by 100 and round; at least 1. Pure: a schema and a
 * validated document in, numbers out.
 */
import { Kind, getNamedType, isInterfaceType, isObjectType, type DocumentNode, type FragmentDefinitionNode, type GraphQLNamedType, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';

export interface GraphqlCost {
  /** Primary points. */
  cost: number;
  /** Nodes the call may return (`rateLimit.nodeCount`). */
  nodeCount: number;
  mutation: boolean;
  /** The operation's top-level fields (`revertPullRequest`). */
  rootFields: string[];
}

/** What a connection without `first`/`last` is assumed to return: GitHub's largest page. */
const DEFAULT_PAGE = 100;

export function graphqlCost(schema: GraphQLSchema, document: DocumentNode, operationName?: string | null, variables?: Record<string, unknown> | null): GraphqlCost {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return { cost: 1, nodeCount: 0, mutation: false, rootFields: [] };
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  let requests = 0;
  let nodeCount = 0;

  const pageSize = (args: readonly { name: { value: string }; value: ValueNode }[] | undefined): number => {
    for (const name of ['first', 'last']) {
      const argument = args?.find((a) => a.name.value === name);
      if (!argument) continue;
      const value = argument.value.kind === Kind.VARIABLE ? variables?.[argument.value.name.value] : argument.value.kind === Kind.INT ? Number(argument.value.value) : undefined;
      if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    }
    return DEFAULT_PAGE;
  };

  const walk = (selectionSet: SelectionSetNode, type: GraphQLNamedType | null | undefined, multiplier: number, spread: ReadonlySet<string>): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        walk(selection.selectionSet, condition, multiplier, spread);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || spread.has(fragment.name.value)) continue;
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), multiplier, new Set([...spread, fragment.name.value]));
        continue;
      }
      if (!type || !(isObjectType(type) || isInterfaceType(type))) continue;
      const field = type.getFields()[selection.name.value];
      if (!field) continue;
      const fieldType = getNamedType(field.type);
      let inner = multiplier;
      if (fieldType.name.endsWith('Connection')) {
        const size = pageSize(selection.arguments);
        requests += multiplier;
        nodeCount += multiplier * size;
        inner = multiplier * size;
      }
      if (selection.selectionSet) walk(selection.selectionSet, fieldType, inner, spread);
    }
  };

  walk(operation.selectionSet, root, 1, new Set());
  const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  return { cost: Math.max(1, Math.round(requests / 100)), nodeCount, mutation: operation.operation === 'mutation', rootFields };
}
