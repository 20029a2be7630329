/**
 * Prow `OWNERS` and `OWNERS_ALIASES` files (https://docs.prow.k8s.io/docs/components/plugins/approve/approvers/).
 * Logins are normalised as Prow does (`github.NormLogin`: trimmed, leading `@` removed, lower-case).
 */
import type { RepoSnapshot } from '../snapshot.js';
import { parseBoundedYaml } from '../yaml-limits.js';
import { readText } from './files.js';
import { describeProblems, problemsFor } from './util.js';

export const SIMPLE_KEYS = [
  'approvers',
  'reviewers',
  'emeritus_approvers',
  'emeritus_reviewers',
  'required_reviewers',
  'labels',
  'security_contacts',
] as const;
export const KNOWN_KEYS: readonly string[] = [...SIMPLE_KEYS, 'options', 'filters'];
/** Keys whose value is a list of logins (or aliases). */
const LOGIN_KEYS = [
  'approvers',
  'reviewers',
  'emeritus_approvers',
  'emeritus_reviewers',
  'required_reviewers',
];
/** The roles a person should hold only one of (Falco / Kubernetes-community guideline). */
export const UNIQUE_ROLES = ['approvers', 'reviewers', 'emeritus_approvers'] as const;

export type Role = (typeof UNIQUE_ROLES)[number];

export interface OwnersFile {
  /** Problems that make the file invalid for Prow (or for this audit's rules). */
  errors: string[];
  /** Set when the text was not read at all (beyond the YAML limits): the file is unreadable, not invalid. */
  refused?: string;
  empty: boolean;
  keys: string[];
  /** Role → names as written (aliases not expanded), from the top level and the `.*` filter. */
  roles: Record<string, string[]>;
  labels: string[];
  usesFilters: boolean;
}

export function normLogin(login: string): string {
  return login.trim().replace(/^@/, '').toLowerCase();
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringList(value: unknown, key: string, errors: string[], where: string): string[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push(`${where}${key} must be a list`);
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else errors.push(`${where}${key} has an entry that is not a name: ${JSON.stringify(item)}`);
  }
  return out;
}

/** Parses an OWNERS file's text. Never throws. */
export function parseOwnersFile(text: string): OwnersFile {
  const result: OwnersFile = {
    errors: [],
    empty: false,
    keys: [],
    roles: {},
    labels: [],
    usesFilters: false,
  };
  const parsed = parseBoundedYaml(text, { uniqueKeys: true });
  if (!parsed.ok) {
    if ('refused' in parsed) result.refused = `was not read: it ${parsed.refused}`;
    else result.errors.push(`does not parse as YAML: ${firstLine(parsed.syntaxError)}`);
    if (result.refused) result.errors.push(result.refused);
    return result;
  }
  const doc = parsed.value;
  if (doc === null || doc === undefined) {
    result.empty = true;
    result.errors.push('is empty');
    return result;
  }
  if (!isRecord(doc)) {
    result.errors.push('is not a YAML mapping of keys (approvers:, reviewers:, …)');
    return result;
  }
  result.keys = Object.keys(doc);
  const unknown = result.keys.filter((k) => !KNOWN_KEYS.includes(k));
  if (unknown.length)
    result.errors.push(`has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  result.usesFilters = 'filters' in doc;
  const simple = result.keys.filter((k) => (SIMPLE_KEYS as readonly string[]).includes(k));
  if (result.usesFilters && simple.length) {
    result.errors.push(
      `mixes filters: with top-level ${simple.join(', ')} (Prow reads either filters: or the simple keys)`,
    );
  }
  for (const key of LOGIN_KEYS) {
    result.roles[key] = stringList(doc[key], key, result.errors, '');
  }
  result.labels = stringList(doc.labels, 'labels', result.errors, '');
  if ('options' in doc && doc.options !== null && !isRecord(doc.options))
    result.errors.push('options must be a mapping');
  if (result.usesFilters) {
    const filters = doc.filters;
    if (!isRecord(filters)) {
      result.errors.push('filters must be a mapping of path regular expressions');
    } else {
      for (const [pattern, config] of Object.entries(filters)) {
        if (config === null) continue;
        if (!isRecord(config)) {
          result.errors.push(`filters "${pattern}" must be a mapping`);
          continue;
        }
        const where = `filters "${pattern}" `;
        const bad = Object.keys(config).filter((k) => !(SIMPLE_KEYS as readonly string[]).includes(k));
        if (bad.length)
          result.errors.push(`${where}has unknown key${bad.length > 1 ? 's' : ''} ${bad.join(', ')}`);
        // Only the catch-all filter applies to the whole repository.
        const catchAll = pattern === '.*';
        for (const key of LOGIN_KEYS) {
          const names = stringList(config[key], key, result.errors, where);
          if (catchAll) result.roles[key].push(...names);
        }
        const labels = stringList(config.labels, 'labels', result.errors, where);
        if (catchAll) result.labels.push(...labels);
      }
    }
  }
  return result;
}

export interface OwnersAliases {
  errors: string[];
  /** Set when the text was not read at all (beyond the YAML limits). */
  refused?: string;
  /** Normalised alias name → normalised logins. */
  aliases: Map<string, string[]>;
}

/** Parses OWNERS_ALIASES (`aliases: {name: [logins]}`). Never throws. */
export function parseOwnersAliases(text: string): OwnersAliases {
  const result: OwnersAliases = { errors: [], aliases: new Map() };
  const parsed = parseBoundedYaml(text, { uniqueKeys: true });
  if (!parsed.ok) {
    if ('refused' in parsed) result.refused = `was not read: it ${parsed.refused}`;
    else result.errors.push(`does not parse as YAML: ${firstLine(parsed.syntaxError)}`);
    if (result.refused) result.errors.push(result.refused);
    return result;
  }
  const doc = parsed.value;
  if (doc === null || doc === undefined) return result;
  if (!isRecord(doc)) {
    result.errors.push('is not a YAML mapping');
    return result;
  }
  const unknown = Object.keys(doc).filter((k) => k !== 'aliases');
  if (unknown.length)
    result.errors.push(`has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
  if (doc.aliases === null || doc.aliases === undefined) return result;
  if (!isRecord(doc.aliases)) {
    result.errors.push('aliases must be a mapping of alias → list of logins');
    return result;
  }
  for (const [name, members] of Object.entries(doc.aliases)) {
    const list = stringList(members, `aliases "${name}"`, result.errors, '');
    result.aliases.set(normLogin(name), list.map(normLogin));
  }
  return result;
}

/** Expands aliases and normalises logins; order kept, duplicates removed. */
export function expandNames(names: string[], aliases: Map<string, string[]> | null): string[] {
  const out: string[] = [];
  for (const name of names) {
    const norm = normLogin(name);
    const members = aliases?.get(norm);
    for (const login of members ?? [norm]) {
      if (login && !out.includes(login)) out.push(login);
    }
  }
  return out;
}

/** Logins (expanded) listed in more than one of approvers, reviewers, emeritus_approvers. */
export function duplicateRoles(
  owners: OwnersFile,
  aliases: Map<string, string[]> | null,
): Map<string, Role[]> {
  const seen = new Map<string, Role[]>();
  for (const role of UNIQUE_ROLES) {
    for (const login of expandNames(owners.roles[role] ?? [], aliases)) {
      const roles = seen.get(login) ?? [];
      if (!roles.includes(role)) roles.push(role);
      seen.set(login, roles);
    }
  }
  return new Map([...seen].filter(([, roles]) => roles.length > 1));
}

function firstLine(message: string): string {
  return message.split('\n')[0].trim();
}

// ---------------------------------------------------------------- the root OWNERS of a snapshot

export type RootOwners =
  | { state: 'empty-repository' }
  /** Could not be read: the check answers `error`. */
  | { state: 'unreadable'; message: string }
  | { state: 'missing'; message: string }
  | { state: 'invalid'; message: string; owners: OwnersFile | null }
  | { state: 'ok'; owners: OwnersFile; aliases: Map<string, string[]> | null; aliasesNote: string };

/** Reads and validates the root `OWNERS` (and `OWNERS_ALIASES`) of a snapshot. */
const rootOwnersCache = new WeakMap<
  RepoSnapshot,
  { owners: unknown; aliases: unknown; problems: number; result: RootOwners }
>();

/**
 * The root OWNERS of a repository, parsed once per snapshot (the owners and maintainers checks and the
 * report's approvers all ask for it): a second call with the same OWNERS, OWNERS_ALIASES and problems
 * returns the same result.
 */
export function loadRootOwners(snapshot: RepoSnapshot): RootOwners {
  const owners = snapshot.files.OWNERS;
  const aliases = snapshot.files.OWNERS_ALIASES;
  const hit = rootOwnersCache.get(snapshot);
  if (hit && hit.owners === owners && hit.aliases === aliases && hit.problems === snapshot.problems.length) {
    return hit.result;
  }
  const result = parseRootOwners(snapshot);
  rootOwnersCache.set(snapshot, { owners, aliases, problems: snapshot.problems.length, result });
  return result;
}

function parseRootOwners(snapshot: RepoSnapshot): RootOwners {
  if (snapshot.empty || snapshot.defaultBranch === null) return { state: 'empty-repository' };
  const problems = problemsFor(snapshot, ['owners', 'OWNERS', 'OWNERS_ALIASES']);
  if (problems.length) return { state: 'unreadable', message: describeProblems(problems) };
  const read = readOwnersText(snapshot);
  if (read.kind === 'unusable') return { state: 'unreadable', message: `root OWNERS ${read.reason}` };
  if (read.kind === 'missing') {
    const treeProblems = problemsFor(snapshot, ['tree']);
    if (treeProblems.length || snapshot.rootEntries === null) {
      return {
        state: 'unreadable',
        message: describeProblems(treeProblems) || 'could not read the root tree',
      };
    }
    const lower = snapshot.rootEntries.find((e) => e.name.toLowerCase() === 'owners' && e.name !== 'OWNERS');
    const nested = Object.keys(snapshot.files).filter((p) => p.endsWith('/OWNERS'));
    let message = 'no OWNERS file at the repository root';
    if (lower) message += ` (found ${lower.name}; Prow reads only the exact name OWNERS)`;
    if (nested.length) {
      const shown = nested.slice(0, 3).map((p) => {
        const c = snapshot.files[p];
        return c.kind === 'text' && c.text.trim() === '' ? `${p} (empty)` : p;
      });
      const list = `${shown.join(', ')}${nested.length > 3 ? `, and ${nested.length - 3} more` : ''}`;
      message += ` (${nested.length === 1 ? 'an OWNERS in a subfolder' : 'OWNERS in subfolders'} only cover${nested.length === 1 ? 's' : ''} that folder and ${nested.length === 1 ? 'does' : 'do'} not count: ${list})`;
    }
    return { state: 'missing', message };
  }
  const owners = parseOwnersFile(read.text);
  if (owners.refused) return { state: 'unreadable', message: `root OWNERS ${owners.refused}` };
  if (owners.errors.length) {
    return { state: 'invalid', message: `root OWNERS ${owners.errors.join('; ')}`, owners };
  }
  // OWNERS_ALIASES
  const aliasesRead = readText(snapshot, 'OWNERS_ALIASES');
  let aliases: Map<string, string[]> | null = null;
  let aliasesNote = '';
  if (aliasesRead.kind === 'unusable') {
    return {
      state: 'unreadable',
      message: `OWNERS_ALIASES ${aliasesRead.reason}, so aliases cannot be resolved`,
    };
  }
  if (aliasesRead.kind === 'text') {
    const parsed = parseOwnersAliases(aliasesRead.text);
    if (parsed.refused) {
      return {
        state: 'unreadable',
        message: `OWNERS_ALIASES ${parsed.refused}, so aliases cannot be resolved`,
      };
    }
    if (parsed.errors.length) {
      return { state: 'invalid', message: `OWNERS_ALIASES ${parsed.errors.join('; ')}`, owners };
    }
    aliases = parsed.aliases;
    const used = Object.values(owners.roles)
      .flat()
      .map(normLogin)
      .filter((n) => parsed.aliases.has(n));
    if (used.length) aliasesNote = `aliases ${[...new Set(used)].join(', ')} expanded from OWNERS_ALIASES`;
  }
  return { state: 'ok', owners, aliases, aliasesNote };
}

function readOwnersText(snapshot: RepoSnapshot) {
  // Exact name only: Prow does not read `owners` or `Owners`.
  const content = snapshot.files['OWNERS'];
  if (content === undefined) {
    const inTree = snapshot.rootEntries?.some((e) => e.name === 'OWNERS' && e.type !== 'tree');
    if (inTree)
      return { kind: 'unusable' as const, reason: 'is in the tree but its content was not collected' };
    return { kind: 'missing' as const };
  }
  return readText(snapshot, 'OWNERS');
}
