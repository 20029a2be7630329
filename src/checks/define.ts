/**
 * `defineCheck`: a check is its id, title, description, parameter specs, the snapshot parts it reads
 * and its `run`; defaults and parameter validation are derived from the specs, as is the policy
 * schema's description of its parameters (`paramsSchema`).
 */
import type {
  CheckContext,
  CheckDefinition,
  CheckParams,
  CheckResult,
  ExtraReadKind,
  ParamSpec,
  SnapshotPart,
} from './types.js';
import type { RepoSnapshot } from '../snapshot.js';

export interface CheckSpec {
  id: string;
  title: string;
  description: string;
  params?: ParamSpec[];
  reads: SnapshotPart[];
  /** Reads beyond the page query (github/extras.ts), made only where a tier asks for the check. */
  extraReads?: ExtraReadKind[];
  run(snapshot: RepoSnapshot, params: CheckParams, ctx: CheckContext): CheckResult;
  /** Rules across parameters (after each one's type is checked), e.g. "give `team` or `members`". */
  validate?(params: CheckParams): string[];
  /** What the people stage must verify (see `CheckDefinition.people`). */
  people?: CheckDefinition['people'];
}

export function defineCheck(spec: CheckSpec): CheckDefinition {
  const params = spec.params ?? [];
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    params,
    reads: spec.reads,
    ...(spec.extraReads ? { extraReads: spec.extraReads } : {}),
    defaults: Object.fromEntries(params.map((param) => [param.name, cloneDefault(param.default)])),
    validateParams: (given) => {
      const errors = validateParams(spec.id, given, params);
      return errors.length === 0 && spec.validate ? spec.validate(given) : errors;
    },
    run: spec.run,
    ...(spec.people ? { people: spec.people } : {}),
  };
}

function cloneDefault(value: ParamSpec['default']): ParamSpec['default'] {
  return Array.isArray(value) ? [...value] : value;
}

/** What a parameter must be, in words: `an integer ≥ 1`, `true or false`… */
export function describeParamType(param: ParamSpec): string {
  switch (param.type) {
    case 'boolean':
      return 'true or false';
    case 'integer':
      return param.minimum === undefined ? 'an integer' : `an integer ≥ ${param.minimum}`;
    case 'string':
      return 'a non-empty string';
    case 'string-list':
      return 'a list of non-empty strings';
    case 'days-or-switch':
      return `an integer ≥ ${param.minimum ?? 1} (days), true (${param.trueMeans ?? 365} days) or false (off)`;
  }
}

function valid(param: ParamSpec, value: unknown): boolean {
  switch (param.type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return (
        typeof value === 'number' &&
        Number.isInteger(value) &&
        (param.minimum === undefined || value >= param.minimum)
      );
    case 'string':
      return (typeof value === 'string' && value.trim() !== '') || (value === null && param.default === null);
    case 'string-list':
      return Array.isArray(value) && value.every((item) => typeof item === 'string' && item.trim() !== '');
    case 'days-or-switch':
      return (
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isInteger(value) && value >= (param.minimum ?? 1))
      );
  }
}

/** Unknown names and wrong types are errors, one message each. */
export function validateParams(checkId: string, given: CheckParams, params: readonly ParamSpec[]): string[] {
  if (given === null || typeof given !== 'object' || Array.isArray(given)) {
    return [`${checkId}: parameters must be a mapping`];
  }
  const errors: string[] = [];
  for (const [name, value] of Object.entries(given)) {
    const param = params.find((candidate) => candidate.name === name);
    if (param === undefined) {
      const known = params.map((candidate) => candidate.name);
      errors.push(
        `${checkId}: unknown parameter "${name}"` +
          (known.length ? ` (known: ${known.join(', ')})` : ' (this check takes no parameters)'),
      );
      continue;
    }
    if (!valid(param, value))
      errors.push(`${checkId}: parameter "${name}" must be ${describeParamType(param)}`);
  }
  return errors;
}

/** JSON Schema (draft-07) of a check's parameters, for the policy schema. */
export function paramsSchema(check: Pick<CheckDefinition, 'id' | 'params'>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const param of check.params) {
    const base = { description: param.description, default: param.default };
    switch (param.type) {
      case 'boolean':
        properties[param.name] = { type: 'boolean', ...base };
        break;
      case 'integer':
        properties[param.name] = {
          type: 'integer',
          ...(param.minimum === undefined ? {} : { minimum: param.minimum }),
          ...base,
        };
        break;
      case 'string':
        properties[param.name] = {
          type: param.default === null ? ['string', 'null'] : 'string',
          minLength: 1,
          ...base,
        };
        break;
      case 'string-list':
        properties[param.name] = { type: 'array', items: { type: 'string', minLength: 1 }, ...base };
        break;
      case 'days-or-switch':
        properties[param.name] = {
          type: ['integer', 'boolean'],
          minimum: param.minimum ?? 1,
          ...base,
        };
        break;
    }
  }
  return {
    type: ['object', 'null'],
    description: check.params.length
      ? `Parameters of \`${check.id}\` (merged over its defaults).`
      : `\`${check.id}\` takes no parameters.`,
    additionalProperties: false,
    properties,
  };
}
