/**
 * Parse and validate the policy file: YAML (positions kept) → JSON Schema (ajv, errors mapped back
 * to line:column) → semantic rules (known checks and tiers, `extends`, aliases, parameters, waivers)
 * → a defaults-merged `Policy`.
 */
import AjvModule, { type ErrorObject } from 'ajv';
import { isMap, isNode, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { parseBoundedDocument } from '../yaml-limits.js';
import { CHECKS } from '../checks/index.js';
import type { CheckDefinition } from '../checks/types.js';
import { BUILTIN_REQUIREMENTS, knownCheckIds } from './check-ids.js';
import { DEFAULT_POLICY } from './defaults.js';
import { policySchema } from './schema.js';
import type {
  DeclarationSource,
  Policy,
  RegistryEntryInline,
  RegistryFieldValue,
  RegistrySource,
  Requirement,
  Selector,
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
  /** The audit clock: a waiver that expired before this day is a warning. Without it, not checked. */
  now?: Date;
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
  [field: string]: string | number | boolean | null | undefined;
}
type RawSelectorValue = string | number | boolean | (string | number | boolean)[];
interface RawSelector {
  names?: string | string[];
  topics?: string | string[];
  files?: string | string[];
  language?: string | string[];
  visibility?: string | string[];
  registry?: Record<string, RawSelectorValue>;
}
interface RawLongEntry {
  check: string;
  with?: Record<string, unknown> | null;
  when?: RawSelector;
  unless?: RawSelector;
}
type RawEntryItem = string | RawLongEntry | Record<string, Record<string, unknown> | null>;
interface RawTier {
  aliases?: string[];
  extends?: string | null;
  requires?: RawEntryItem[];
  recommends?: RawEntryItem[];
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
  waivers?: {
    repository: string;
    check?: string;
    checks?: string[];
    tier?: string;
    reason?: string;
    expires?: string | null;
  }[];
  'include-when'?: RawSelector;
  'exclude-when'?: RawSelector;
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

/** One entry of `requires` / `recommends` (short or long form), validated; null when invalid or ignored. */
function parseEntry(
  item: RawEntryItem,
  at: PathSegment[],
  locator: Locator,
  checks: ReadonlyMap<string, CheckDefinition>,
  known: string[],
  errors: ConfigProblem[],
  warnings: ConfigProblem[],
): Requirement | null {
  let check: string;
  let params: Record<string, unknown>;
  let paramsAt: PathSegment[];
  let checkAt: PathSegment[] = at;
  let when: Selector | undefined;
  let unless: Selector | undefined;
  if (typeof item === 'string') {
    [check, params, paramsAt] = [item, {}, at];
  } else if (typeof item.check === 'string') {
    const long = item as RawLongEntry;
    check = long.check;
    params = long.with ?? {};
    paramsAt = long.with ? [...at, 'with'] : at;
    checkAt = [...at, 'check'];
    if (long.when) when = parseSelector(long.when);
    if (long.unless) unless = parseSelector(long.unless);
  } else {
    const [name, raw] = Object.entries(item)[0] as [string, Record<string, unknown> | null];
    [check, params, paramsAt] = [name, raw ?? {}, [...at, name]];
  }
  if (!known.includes(check)) {
    errors.push(locator.problem(checkAt, `unknown check '${check}' (known: ${known.join(', ')})`));
    return null;
  }
  if (BUILTIN_REQUIREMENTS.includes(check)) {
    warnings.push(
      locator.problem(
        at,
        `check '${check}' applies to every declared repository; listing it in a tier has no effect`,
      ),
    );
    return null;
  }
  const definition = checks.get(check);
  if (definition) {
    let messages: string[];
    try {
      messages = definition.validateParams({ ...definition.defaults, ...params });
    } catch (error) {
      messages = [error instanceof Error ? error.message : String(error)];
    }
    for (const message of messages) {
      const text = message.startsWith(`${check}: `) ? message.slice(check.length + 2) : message;
      errors.push(locator.problem(paramsAt, `check '${check}': ${text}`));
    }
  }
  const entry: Requirement = { check, params: { ...params } };
  if (when) entry.when = when;
  if (unless) entry.unless = unless;
  return entry;
}

const asList = (value: RawSelectorValue | undefined): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String);

/** A selector as written, values as lists of strings. */
export function parseSelector(raw: RawSelector): Selector {
  const selector: Selector = {};
  for (const key of ['names', 'topics', 'files', 'language', 'visibility'] as const) {
    const values = asList(raw[key]);
    if (values !== undefined) selector[key] = values;
  }
  if (raw.registry) {
    selector.registry = Object.fromEntries(
      Object.entries(raw.registry).map(([field, value]) => [field, asList(value) ?? []]),
    );
  }
  return selector;
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
    const listed = new Map<string, string>(); // check → where in this tier (`requires` / `recommends`)
    const entries = (key: 'requires' | 'recommends'): Requirement[] => {
      const result: Requirement[] = [];
      (tier[key] ?? []).forEach((item, index) => {
        const at: PathSegment[] = ['tiers', rawId, key, index];
        const entry = parseEntry(item, at, locator, checks, known, errors, warnings);
        if (entry === null) return;
        const previous = listed.get(entry.check);
        if (previous !== undefined) {
          errors.push(
            locator.problem(
              at,
              `check '${entry.check}' is listed twice in tier '${id}' (already in ${previous}); within one tier a check is listed once`,
            ),
          );
          return;
        }
        listed.set(entry.check, key);
        result.push(entry);
      });
      return result;
    };
    const requires = entries('requires');
    const recommends = entries('recommends');
    if ((tier.requires ?? []).length === 0 && (tier.recommends ?? []).length === 0) {
      warnings.push(locator.problem(['tiers', rawId], `tier '${id}' has no requirements of its own`, true));
    }
    tiers.push({ id, aliases, extends: extendsId, requires, recommends });
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
  return (raw ?? []).map((entry) => {
    const fields: Record<string, RegistryFieldValue> = {};
    for (const [key, value] of Object.entries(entry)) {
      if (key !== 'name' && key !== 'status' && value !== undefined) fields[key] = value;
    }
    return {
      name: entry.name,
      status: entry.status ?? null,
      ...(Object.keys(fields).length ? { fields } : {}),
    };
  });
}

/** Whether a repository path can name a file: not empty, no trailing `/`, no `.` or `..` segment. */
function couldBeFilePath(path: string): boolean {
  const segments = path.replace(/^\/+/, '').split('/');
  return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function parsePolicy(text: string, file: string, options: ParsePolicyOptions = {}): PolicyParseResult {
  const checks = options.checks ?? CHECKS;
  const lineCounter = new LineCounter();
  const bounded = parseBoundedDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (!bounded.ok) {
    return {
      ok: false,
      errors: [{ file, line: 1, column: 1, message: `not read: the file ${bounded.refused}` }],
    };
  }
  const { doc } = bounded;
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
      if (source.path !== undefined && !couldBeFilePath(source.path)) {
        errors.push(
          locator.problem(
            ['registry', 'path'],
            `registry.path '${source.path}' cannot name a file (it must be a path such as repositories.yaml, without a trailing /)`,
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

  const tierNames = new Map<string, string>(); // id or alias → tier id
  for (const tier of tiers) {
    tierNames.set(tier.id, tier.id);
    for (const alias of tier.aliases) tierNames.set(alias, tier.id);
  }
  const waivers: Waiver[] = [];
  (raw.waivers ?? []).forEach((waiver, index) => {
    const at: PathSegment[] = ['waivers', index];
    let valid = true;
    const named: { check: string; at: PathSegment[] }[] = [
      ...(waiver.check !== undefined ? [{ check: waiver.check, at: [...at, 'check'] }] : []),
      ...(waiver.checks ?? []).map((check, i) => ({ check, at: [...at, 'checks', i] })),
    ];
    const label = `${waiver.repository} / ${named.map((entry) => entry.check).join(', ') || '?'}`;
    if (named.length === 0) {
      errors.push(
        locator.problem(at, `waiver for ${waiver.repository} names no check: give \`check\` or \`checks\``),
      );
      valid = false;
    }
    if (!waiver.reason || !waiver.reason.trim()) {
      errors.push(locator.problem(at, `waiver without reason (${label}): every waiver needs a reason`));
      valid = false;
    }
    for (const entry of named) {
      if (!known.includes(entry.check)) {
        errors.push(locator.problem(entry.at, `unknown check '${entry.check}' (known: ${known.join(', ')})`));
        valid = false;
      }
    }
    let tier: string | null = null;
    if (waiver.tier !== undefined) {
      tier = tierNames.get(waiver.tier.toLowerCase()) ?? null;
      if (tier === null) {
        errors.push(
          locator.problem(
            [...at, 'tier'],
            `unknown tier '${waiver.tier}' (tiers: ${tiers.map((candidate) => candidate.id).join(', ')})`,
          ),
        );
        valid = false;
      }
    }
    if (waiver.expires && !isValidDate(waiver.expires)) {
      errors.push(
        locator.problem([...at, 'expires'], `waiver expires on an invalid date '${waiver.expires}'`),
      );
      valid = false;
    } else if (waiver.expires && options.now && waiver.expires < options.now.toISOString().slice(0, 10)) {
      warnings.push(
        locator.problem(
          [...at, 'expires'],
          `waiver for ${label} expired on ${waiver.expires}: it no longer applies (renew it or remove it)`,
        ),
      );
    }
    if (valid) {
      waivers.push({
        repository: waiver.repository,
        checks: [...new Set(named.map((entry) => entry.check))],
        tier,
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
      ...(raw['include-when'] ? { includeWhen: parseSelector(raw['include-when']) } : {}),
      ...(raw['exclude-when'] ? { excludeWhen: parseSelector(raw['exclude-when']) } : {}),
    },
    communityRepository: raw['community-repository'] ?? DEFAULT_POLICY.communityRepository,
  };
  return { ok: true, policy, warnings };
}
