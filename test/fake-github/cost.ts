/**
 * GitHub's published GraphQL rate-limit algorithm ("Calculating a rate limit score before running the
 * call"), used by the fake to charge queries and by tests to assert what a query costs:
 * - every connection field (type `*Connection` taking `first`/`last`) needs `first` or `last`, 1..100;
 * - its requests = product of the first/last of its ancestor connections (1 at the top level);
 * - cost = max(1, round(Σ requests / 100));
 * - nodes = Σ over connections of the product of the first/last of itself and its ancestors; > 500,000
 *   is rejected (MAX_NODE_LIMIT_EXCEEDED).
 */
import {
  GraphQLObjectType,
  GraphQLInterfaceType,
  Kind,
  getNamedType,
  isCompositeType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export const MAX_NODES = 500_000;

export interface ConnectionUse {
  /** Response path of the connection field (aliases applied), e.g. `repositoryOwner.repositories`. */
  path: string;
  /** Schema field name, e.g. `repositories`. */
  field: string;
  /** Its first/last. */
  limit: number;
  /** Product of the ancestor connections' limits (= requests it needs). */
  requests: number;
}

export interface CostError {
  type: string;
  message: string;
}

export interface QueryCost {
  /** Σ requests over every connection. */
  requests: number;
  /** Rate-limit points: max(1, round(requests / 100)). */
  cost: number;
  /** Maximum nodes the query may return. */
  nodes: number;
  connections: ConnectionUse[];
  /** GitHub would reject the query before running it. */
  errors: CostError[];
}

function isConnectionType(typeName: string): boolean {
  return typeName.endsWith('Connection');
}

/** Computes the cost of the operation `operationName` (or the only one) of a valid document. */
export function computeQueryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> = {},
  operationName?: string | null,
): QueryCost {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    operations.find((op) => op.kind === Kind.OPERATION_DEFINITION && op.name?.value === operationName) ??
    operations[0];
  const result: QueryCost = { requests: 0, cost: 1, nodes: 0, connections: [], errors: [] };
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return result;
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return result;

  const argument = (field: FieldNode, name: string): unknown => {
    const arg = field.arguments?.find((a) => a.name.value === name);
    return arg ? valueFromASTUntyped(arg.value, variables) : undefined;
  };

  const walk = (
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    multiplier: number,
    path: string,
    visitedFragments: Set<string>,
  ): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? schema.getType(typeName) : parentType;
        if (type && isCompositeType(type))
          walk(selection.selectionSet, type, multiplier, path, visitedFragments);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || visitedFragments.has(name)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) {
          walk(fragment.selectionSet, type, multiplier, path, new Set([...visitedFragments, name]));
        }
        continue;
      }
      const fieldName = selection.name.value;
      if (fieldName.startsWith('__')) continue;
      if (!(parentType instanceof GraphQLObjectType || parentType instanceof GraphQLInterfaceType)) continue;
      const definition = parentType.getFields()[fieldName];
      if (!definition) continue;
      const named = getNamedType(definition.type);
      const responseName = selection.alias?.value ?? fieldName;
      const fieldPath = path ? `${path}.${responseName}` : responseName;
      let childMultiplier = multiplier;
      const takesPaging = definition.args.some((a) => a.name === 'first' || a.name === 'last');
      if (isConnectionType(named.name) && takesPaging) {
        const first = argument(selection, 'first');
        const last = argument(selection, 'last');
        const limit = typeof first === 'number' ? first : typeof last === 'number' ? last : null;
        if (limit === null) {
          result.errors.push({
            type: 'MISSING_PAGINATION_BOUNDARIES',
            message: `You must provide a \`first\` or \`last\` value to properly paginate the \`${fieldName}\` connection.`,
          });
          continue;
        }
        const which = typeof first === 'number' ? 'first' : 'last';
        if (limit < 1 || limit > 100) {
          result.errors.push({
            type: 'EXCESSIVE_PAGINATION',
            message: `Requesting ${limit} records on the \`${fieldName}\` connection exceeds the \`${which}\` limit of 100 records.`,
          });
          continue;
        }
        result.connections.push({ path: fieldPath, field: fieldName, limit, requests: multiplier });
        result.requests += multiplier;
        childMultiplier = multiplier * limit;
        result.nodes += childMultiplier;
      }
      if (selection.selectionSet && isCompositeType(named)) {
        walk(selection.selectionSet, named, childMultiplier, fieldPath, visitedFragments);
      }
    }
  };

  walk(operation.selectionSet, root, 1, '', new Set());
  result.cost = Math.max(1, Math.round(result.requests / 100));
  if (result.nodes > MAX_NODES) {
    result.errors.push({
      type: 'MAX_NODE_LIMIT_EXCEEDED',
      message: `This query requests up to ${result.nodes.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`,
    });
  }
  return result;
}
