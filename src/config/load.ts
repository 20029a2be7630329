/**
 * Parse and validate the policy file: YAML (positions kept) → JSON Schema (ajv, errors mapped back
 * to line:column) → semantic rules (known checks and tiers, `extends`, aliases, parameters, waivers)
 * → a defaults-merged `Policy`.
 */
import AjvModule, { type ErrorObject } from 'ajv';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { CHECKS } from '../checks/index.js';
import type { CheckDefinition } from '../checks/types.js';
import { BUILTIN_REQUIREMENTS, knownCheckIds } from './check-ids.js';
import { DEFAULT_POLICY } from './defaults.js';
import { policySchema } from './schema.js';
import type {
  DeclarationSource,
  Policy,
  RegistryEntryInline,
  RegistrySource,
  Requirement,
  TierDefinition,
  Waiver,
} from './types.js';

export interface ConfigProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

export type PolicyParseResult =
  { ok: true; policy: Policy; warnings: ConfigProblem[] } | { ok: false; errors: ConfigProblem[] };

export interface ParsePolicyOptions {
  /** The check definitions to validate against (default: `CHECKS`). */
  checks?: ReadonlyMap<string, CheckDefinition>;
}

/** Statuses with a fixed meaning: never usable as tier ids or aliases. */
export const RESERVED_STATUSES: readonly string[] = ['deprecated', 'special'];

export function formatConfigProblem(problem: ConfigProblem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.message}`;
}

type PathSegment = string | number;

const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
ajv.addKeyword('x-error');
/** The file's structure; check ids and parameters are validated by the check definitions. */
const validateSchema = ajv.compile(policySchema());

/** Where things are in the YAML source. */
class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string,
  ) {}

  /** The node at `path`; with `key`, the key node of the last segment (for unknown/duplicate keys). */
  node(path: PathSegment[], key = false): Node | null {
    let current: unknown = this.doc.contents;
    let best: Node | null = isNode(current) ? current : null;
    for (let index = 0; index < path.length; index++) {
      const segment = path[index];
      const last = index === path.length - 1;
      if (isMap(current)) {
        const pair = current.items.find(
          (item) => isScalar(item.key) && String(item.key.value) === String(segment),
        );
        if (!pair) return best;
        if (last && key && pair.key && isScalar(pair.key)) return pair.key;
        current = pair.value;
        if (isNode(current)) best = current;
        else return isScalar(pair.key) ? pair.key : best;
      } else if (isSeq(current) && typeof segment === 'number') {
        current = current.items[segment];
        if (isNode(current)) best = current;
        else return best;
      } else {
        return best;
      }
    }
    return best;
  }

  problem(path: PathSegment[], message: string, key = false): ConfigProblem {
    const node = this.node(path, key);
    const offset = node?.range?.[0] ?? 0;
    const position = this.lines.linePos(offset);
    return { file: this.file, line: position.line, column: position.col, message };
  }
}

function formatPath(path: PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${segment}` : segment;
  }
  return text || '(top level)';
}

function pointerToPath(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  boolean: 'true or false',
  null: 'null',
  number: 'a number',
  integer: 'an integer',
};

function schemaErrorMessage(error: ErrorObject): { message: string; key: boolean } {
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.['x-error'];
  switch (error.keyword) {
    case 'type': {
      const types = ([] as string[]).concat(error.params.type as string | string[]);
      if (typeof custom === 'string') return { message: custom, key: false };
      return { message: `must be ${types.map((type) => TYPE_WORDS[type] ?? type).join(' or ')}`, key: false };
    }
    case 'additionalProperties': {
      const property = String(error.params.additionalProperty);
      const known = Object.keys(
        (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
      );
      return {
        message: `unknown key '${property}'${known.length ? ` (known: ${known.join(', ')})` : ''}`,
        key: true,
      };
    }
    case 'required':
      return { message: `missing key '${String(error.params.missingProperty)}'`, key: false };
    case 'enum':
      return {
        message: `must be one of: ${(error.params.allowedValues as unknown[]).map(String).join(', ')} (got ${JSON.stringify(error.data)})`,
        key: false,
      };
    case 'uniqueItems':
      return { message: `duplicate items (positions ${error.params.j} and ${error.params.i})`, key: false };
    case 'minLength':
      return { message: 'must not be empty', key: false };
    case 'propertyNames':
      return { message: 'invalid name', key: false };
    default:
      return { message: typeof custom === 'string' ? custom : (error.message ?? 'is invalid'), key: false };
  }
}

function schemaProblems(locator: Locator, errors: ErrorObject[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    let path = pointerToPath(error.instancePath);
    let keyNode = false;
    if (error.keyword === 'propertyNames') {
      const name = String((error.params as { propertyName?: string }).propertyName ?? '');
      path = [...path, name];
      keyNode = true;
    }
    if (error.keyword === 'pattern' && path.length === 0) continue;
    // `if`/`then`/`else` report the failing branch's own errors; the `if` error adds nothing.
    if (error.keyword === 'if') continue;
    // propertyNames reports both the inner `pattern` error (instancePath = parent) and its own.
    if (error.keyword === 'pattern' && error.schemaPath.includes('/propertyNames/')) continue;
    const { message, key } = schemaErrorMessage(error);
    const at =
      error.keyword === 'additionalProperties' ? [...path, String(error.params.additionalProperty)] : path;
    const text =
      error.keyword === 'propertyNames'
        ? `${formatPath(at)}: invalid tier id`
        : `${formatPath(at)}: ${message}`;
    if (seen.has(text)) continue;
    seen.add(text);
    problems.push(locator.problem(at, text, key || keyNode));
  }
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

function isValidDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The raw, schema-valid shape of the file. */
interface RawEntry {
  name: string;
  status?: string | null;
}
interface RawTier {
  aliases?: string[];
  extends?: string | null;
  requires?: (string | Record<string, Record<string, unknown> | null>)[];
}
interface RawPolicy {
  registry?: {
    repository?: string;
    path?: string;
    field?: string;
    ref?: string | null;
    entries?: RawEntry[];
  };
  repositories?: RawEntry[];
  declarations?: DeclarationSource[];
  'custom-property'?: string;
  'topic-prefix'?: string;
  tiers?: Record<string, RawTier>;
  waivers?: { repository: string; check: string; reason?: string; expires?: string | null }[];
  include?: string[];
  exclude?: string[];
  'include-topics'?: string[];
  'exclude-topics'?: string[];
  archived?: boolean;
  forks?: boolean;
  templates?: boolean;
  private?: boolean;
  'community-repository'?: string;
}

/** Order tiers lowest first: by depth along `extends`, then as written. Assumes no cycles. */
function orderTiers(tiers: TierDefinition[]): TierDefinition[] {
  const byId = new Map(tiers.map((tier) => [tier.id, tier]));
  const depth = (tier: TierDefinition): number => {
    let count = 0;
    let current = tier.extends ? byId.get(tier.extends) : undefined;
    while (current && count <= tiers.length) {
      count++;
      current = current.extends ? byId.get(current.extends) : undefined;
    }
    return count;
  };
  return tiers
    .map((tier, index) => ({ tier, index, depth: depth(tier) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map((entry) => entry.tier);
}

function buildTiers(
  raw: Record<string, RawTier>,
  locator: Locator,
  checks: ReadonlyMap<string, CheckDefinition>,
  errors: ConfigProblem[],
  warnings: ConfigProblem[],
): TierDefinition[] {
  const known = knownCheckIds(checks);
  const tiers: TierDefinition[] = [];
  const names = new Map<string, string>(); // lower-case name → owning tier id
  const rawIds = Object.keys(raw);

  for (const rawId of rawIds) {
    const id = rawId.toLowerCase();
    const at = ['tiers', rawId];
    if (RESERVED_STATUSES.includes(id)) {
      errors.push(
        locator.problem(at, `tier id '${rawId}' is reserved (a status with a fixed meaning)`, true),
      );
      continue;
    }
    if (names.has(id)) {
      errors.push(locator.problem(at, `duplicate tier '${rawId}' (tier ids are case-insensitive)`, true));
      continue;
    }
    names.set(id, id);
  }
  for (const rawId of rawIds) {
    const id = rawId.toLowerCase();
    const tier = raw[rawId];
    (tier.aliases ?? []).forEach((alias, index) => {
      const lower = alias.toLowerCase();
      const at = ['tiers', rawId, 'aliases', index];
      if (RESERVED_STATUSES.includes(lower)) {
        errors.push(locator.problem(at, `alias '${alias}' is reserved (a status with a fixed meaning)`));
      } else if (names.has(lower)) {
        const owner = names.get(lower);
        errors.push(
          locator.problem(
            at,
            owner === lower
              ? `duplicate alias '${alias}': it is a tier id`
              : `duplicate alias '${alias}' (already used by tier '${owner}')`,
          ),
        );
      } else {
        names.set(lower, id);
      }
    });
  }

  const requiredBy = new Map<string, string>();
  for (const rawId of rawIds) {
    const id = rawId.toLowerCase();
    const tier = raw[rawId];
    const aliases = [...new Set((tier.aliases ?? []).map((alias) => alias.toLowerCase()))];
    const extendsId = tier.extends ? tier.extends.toLowerCase() : null;
    if (extendsId !== null && !rawIds.some((other) => other.toLowerCase() === extendsId)) {
      errors.push(
        locator.problem(
          ['tiers', rawId, 'extends'],
          `tier '${id}' extends unknown tier '${tier.extends}' (tiers: ${rawIds.map((other) => other.toLowerCase()).join(', ')})`,
        ),
      );
    }
    const requires: Requirement[] = [];
    (tier.requires ?? []).forEach((item, index) => {
      const at: PathSegment[] = ['tiers', rawId, 'requires', index];
      const [check, rawParams] =
        typeof item === 'string'
          ? [item, {}]
          : (Object.entries(item)[0] as [string, Record<string, unknown> | null]);
      const params = rawParams ?? {};
      if (!known.includes(check)) {
        errors.push(locator.problem(at, `unknown check '${check}' (known: ${known.join(', ')})`));
        return;
      }
      if (BUILTIN_REQUIREMENTS.includes(check)) {
        warnings.push(
          locator.problem(
            at,
            `check '${check}' applies to every declared repository; listing it in a tier has no effect`,
          ),
        );
        return;
      }
      const previous = requiredBy.get(check);
      if (previous !== undefined) {
        errors.push(
          locator.problem(
            at,
            `check '${check}' is already required by tier '${previous}' (a check belongs to one tier; higher tiers inherit it)`,
          ),
        );
        return;
      }
      requiredBy.set(check, id);
      const definition = checks.get(check);
      if (definition) {
        let messages: string[];
        try {
          messages = definition.validateParams({ ...definition.defaults, ...params });
        } catch (error) {
          messages = [error instanceof Error ? error.message : String(error)];
        }
        const paramsAt = typeof item === 'string' ? at : [...at, check];
        for (const message of messages) {
          const text = message.startsWith(`${check}: `) ? message.slice(check.length + 2) : message;
          errors.push(locator.problem(paramsAt, `check '${check}': ${text}`));
        }
      }
      requires.push({ check, params: { ...params } });
    });
    if ((tier.requires ?? []).length === 0) {
      warnings.push(locator.problem(['tiers', rawId], `tier '${id}' has no requirements of its own`, true));
    }
    tiers.push({ id, aliases, extends: extendsId, requires });
  }

  // Cycles along `extends`.
  const byId = new Map(tiers.map((tier) => [tier.id, tier]));
  const reported = new Set<string>();
  for (const start of tiers) {
    const chain: string[] = [start.id];
    let current = start.extends ? byId.get(start.extends) : undefined;
    while (current) {
      if (current.id === start.id) {
        const cycleKey = [...chain].sort().join(',');
        if (!reported.has(cycleKey)) {
          reported.add(cycleKey);
          const rawId = rawIds.find((other) => other.toLowerCase() === start.id) ?? start.id;
          errors.push(
            locator.problem(
              ['tiers', rawId, 'extends'],
              `tiers extend each other in a cycle: ${[...chain, start.id].join(' → ')}`,
            ),
          );
        }
        break;
      }
      if (chain.includes(current.id)) break; // a cycle not through `start`: reported from its own members
      chain.push(current.id);
      current = current.extends ? byId.get(current.extends) : undefined;
    }
  }
  return tiers;
}

function buildEntries(raw: RawEntry[] | undefined): RegistryEntryInline[] {
  return (raw ?? []).map((entry) => ({ name: entry.name, status: entry.status ?? null }));
}

export function parsePolicy(text: string, file: string, options: ParsePolicyOptions = {}): PolicyParseResult {
  const checks = options.checks ?? CHECKS;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const position = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => ({
        file,
        ...position(error.pos[0]),
        message: `YAML syntax error: ${error.message.split('\n')[0]}`,
      })),
    };
  }
  const locator = new Locator(doc, lineCounter, file);
  const warnings: ConfigProblem[] = doc.warnings.map((warning) => ({
    file,
    ...position(warning.pos[0]),
    message: warning.message.split('\n')[0],
  }));

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: error instanceof Error ? error.message : String(error) }],
    };
  }
  if (value === null || value === undefined) value = {};
  if (!validateSchema(value)) {
    const problems = schemaProblems(locator, validateSchema.errors ?? []);
    return { ok: false, errors: problems.length ? problems : [locator.problem([], 'invalid policy')] };
  }
  const raw = value as RawPolicy;
  const errors: ConfigProblem[] = [];

  let registry: RegistrySource | null = null;
  if (raw.registry) {
    const source = raw.registry;
    if (source.repository !== undefined) {
      if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/.test(source.repository)) {
        errors.push(
          locator.problem(
            ['registry', 'repository'],
            `registry.repository '${source.repository}' must be a repository name or owner/name`,
          ),
        );
      }
      registry = {
        repository: source.repository,
        path: source.path ?? 'repositories.yaml',
        field: source.field ?? 'status',
        ref: source.ref ?? null,
      };
    } else if (!source.entries) {
      errors.push(
        locator.problem(['registry'], 'registry needs `repository` (a registry file) or `entries`'),
      );
    } else if (source.path !== undefined || source.field !== undefined || source.ref !== undefined) {
      warnings.push(
        locator.problem(['registry'], 'registry.path, field and ref are ignored without registry.repository'),
      );
    }
  }

  const tiers = raw.tiers ? buildTiers(raw.tiers, locator, checks, errors, warnings) : DEFAULT_POLICY.tiers;
  const known = knownCheckIds(checks);

  const waivers: Waiver[] = [];
  (raw.waivers ?? []).forEach((waiver, index) => {
    const at: PathSegment[] = ['waivers', index];
    let valid = true;
    if (!waiver.reason || !waiver.reason.trim()) {
      errors.push(
        locator.problem(
          at,
          `waiver without reason (${waiver.repository} / ${waiver.check}): every waiver needs a reason`,
        ),
      );
      valid = false;
    }
    if (!known.includes(waiver.check)) {
      errors.push(
        locator.problem([...at, 'check'], `unknown check '${waiver.check}' (known: ${known.join(', ')})`),
      );
      valid = false;
    }
    if (waiver.expires && !isValidDate(waiver.expires)) {
      errors.push(
        locator.problem([...at, 'expires'], `waiver expires on an invalid date '${waiver.expires}'`),
      );
      valid = false;
    }
    if (valid) {
      waivers.push({
        repository: waiver.repository,
        check: waiver.check,
        reason: (waiver.reason ?? '').trim(),
        expires: waiver.expires ?? null,
      });
    }
  });

  const declarations = raw.declarations ?? DEFAULT_POLICY.declarations;
  if (declarations.length === 0) {
    warnings.push(
      locator.problem(['declarations'], 'no declaration source: every repository will be undeclared'),
    );
  }

  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, errors };
  }

  const policy: Policy = {
    registry,
    registryEntries: [...buildEntries(raw.registry?.entries), ...buildEntries(raw.repositories)],
    declarations: [...declarations],
    customProperty: raw['custom-property'] ?? DEFAULT_POLICY.customProperty,
    topicPrefix: raw['topic-prefix'] ?? DEFAULT_POLICY.topicPrefix,
    tiers: orderTiers(tiers),
    waivers,
    filters: {
      include: raw.include ?? [],
      exclude: raw.exclude ?? [],
      includeTopics: (raw['include-topics'] ?? []).map((topic) => topic.toLowerCase()),
      excludeTopics: (raw['exclude-topics'] ?? []).map((topic) => topic.toLowerCase()),
      archived: raw.archived ?? DEFAULT_POLICY.filters.archived,
      forks: raw.forks ?? DEFAULT_POLICY.filters.forks,
      templates: raw.templates ?? DEFAULT_POLICY.filters.templates,
      private: raw.private ?? DEFAULT_POLICY.filters.private,
    },
    communityRepository: raw['community-repository'] ?? DEFAULT_POLICY.communityRepository,
  };
  return { ok: true, policy, warnings };
}
