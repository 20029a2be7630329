/**
 * Where a repository declares its tier, and whether the sources agree. Sources: the registry entry,
 * an organization custom property, a `<prefix><tier>` topic, and the Falco status badge
 * (`img.shields.io/badge/status-<status>-<colour>`) in the README header.
 */
import { DECLARATION_CHECK_ID } from '../config/check-ids.js';
import type { DeclarationSource, Policy } from '../config/types.js';
import type { Finding } from '../report/model.js';
import { readmeText } from '../readme-file.js';
import type { RepoSnapshot } from '../snapshot.js';
import { describeTierValues, interpretValue, type SpecialStatus } from './model.js';

export interface DeclaredValue {
  source: DeclarationSource;
  /** The value as written (untrusted text). */
  value: string;
  /** The tier it names, or null (special status or unknown value). */
  tier: string | null;
  special: SpecialStatus | null;
}

export interface Declaration {
  declaredTier: string | null;
  /** The winning value as written, e.g. `Stable`. */
  declaredAs: string | null;
  declarationSource: DeclarationSource | null;
  special: SpecialStatus | null;
  /** Every value found, in precedence order. */
  all: DeclaredValue[];
  /**
   * The `declaration-consistent` finding (tier `declaration`): fail when sources disagree or a value
   * names no tier; null when nothing declares anything.
   */
  consistency: Finding | null;
}

/** What the evaluator needs of a registry entry. */
export interface RegistryDeclaration {
  name: string;
  status: string | null;
}

/** The README header: everything before the first heading of level 2 or deeper (`##`, `<h2>`…). */
export function readmeHeader(text: string): string {
  const lines = text.split(/\r?\n/);
  const end = lines.findIndex((line) => /^\s{0,3}#{2,6}(\s|$)/.test(line) || /^\s*<h[2-6][\s>]/i.test(line));
  return (end === -1 ? lines : lines.slice(0, end)).join('\n');
}

/** Split a shields.io static-badge path into parts: `-` separates, `--` is a literal dash. */
function splitShieldsPath(path: string): string[] {
  const parts: string[] = [''];
  for (let index = 0; index < path.length; index++) {
    if (path[index] !== '-') parts[parts.length - 1] += path[index];
    else if (path[index + 1] === '-') {
      parts[parts.length - 1] += '-';
      index++;
    } else parts.push('');
  }
  return parts;
}

/** Decode one part: `__` → `_`, `_` → space, then %XX escapes. */
function decodeShieldsPart(part: string): string {
  let decoded = part
    .split('__')
    .map((piece) => piece.replace(/_/g, ' '))
    .join('_');
  try {
    decoded = decodeURIComponent(decoded);
  } catch {
    // keep as is
  }
  return decoded;
}

/** Status values of every `img.shields.io/badge/status-<status>-<colour>` badge in `markdown`. */
export function statusBadges(markdown: string): string[] {
  const values: string[] = [];
  const pattern = /img\.shields\.io\/badge\/([^\s?#)"'<>\]]+)/gi;
  for (const match of markdown.matchAll(pattern)) {
    const path = match[1].replace(/\.(svg|png)$/i, '');
    const parts = splitShieldsPath(path);
    if (parts.length !== 3) continue;
    const [label, message] = parts.map(decodeShieldsPart);
    if (label.trim().toLowerCase() !== 'status' || message.trim() === '') continue;
    values.push(message.trim());
  }
  return values;
}

/** Whether the README header announces a deprecation (a `deprecated` status badge or notice). */
export function headerAnnouncesDeprecation(header: string): boolean {
  if (statusBadges(header).some((value) => value.toLowerCase() === 'deprecated')) return true;
  return /\b(deprecated|no longer (actively )?maintained|unmaintained)\b/i.test(header);
}

function propertyValues(raw: string | string[] | null | undefined): string[] {
  if (raw === null || raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map((value) => value.trim()).filter((value) => value !== '');
}

function sourceValues(
  source: DeclarationSource,
  snapshot: RepoSnapshot,
  policy: Policy,
  registryEntry: RegistryDeclaration | undefined,
): string[] {
  switch (source) {
    case 'registry':
      if (!registryEntry) return [];
      return [registryEntry.status ?? 'Special'];
    case 'custom-property':
      return propertyValues(snapshot.customProperties[policy.customProperty]);
    case 'topic': {
      const prefix = policy.topicPrefix.toLowerCase();
      return snapshot.topics
        .filter((topic) => topic.toLowerCase().startsWith(prefix) && topic.length > prefix.length)
        .map((topic) => topic.slice(prefix.length));
    }
    case 'badge': {
      const text = readmeText(snapshot);
      return text === null ? [] : statusBadges(readmeHeader(text));
    }
  }
}

const SOURCE_WORDS: Record<DeclarationSource, string> = {
  registry: 'the registry',
  'custom-property': 'custom property',
  topic: 'topic',
  badge: 'README badge',
};

function describe(value: DeclaredValue, policy: Policy): string {
  const where =
    value.source === 'custom-property'
      ? `custom property '${policy.customProperty}'`
      : value.source === 'topic'
        ? `topic '${policy.topicPrefix}${value.value}'`
        : SOURCE_WORDS[value.source];
  const meaning = value.tier ?? value.special ?? 'unknown';
  return `${where} says '${value.value}' (${meaning})`;
}

const meaningKey = (value: DeclaredValue) => value.tier ?? value.special ?? `?${value.value.toLowerCase()}`;

export function resolveDeclaration(
  snapshot: RepoSnapshot,
  policy: Policy,
  registryEntry: RegistryDeclaration | undefined,
): Declaration {
  const all: DeclaredValue[] = [];
  for (const source of policy.declarations) {
    for (const value of sourceValues(source, snapshot, policy, registryEntry)) {
      all.push({ source, value, ...interpretValue(policy, value) });
    }
  }
  const winner = all.find((value) => value.tier !== null || value.special !== null);
  const declaration: Declaration = {
    declaredTier: winner?.tier ?? null,
    declaredAs: winner?.value ?? null,
    declarationSource: winner?.source ?? null,
    special: winner?.special ?? null,
    all,
    consistency: null,
  };
  if (all.length === 0) return declaration;

  const unknown = all.filter((value) => value.tier === null && value.special === null);
  const meanings = new Set(all.filter((value) => !unknown.includes(value)).map(meaningKey));
  if (unknown.length === 0 && meanings.size <= 1) {
    const message =
      all.length === 1
        ? `One source declares: ${describe(all[0], policy)}`
        : `All sources agree: ${all.map((value) => describe(value, policy)).join('; ')}`;
    declaration.consistency = { id: DECLARATION_CHECK_ID, tier: 'declaration', outcome: 'pass', message };
    return declaration;
  }
  const parts: string[] = [];
  if (meanings.size > 1) {
    parts.push(
      `Declarations disagree: ${all
        .filter((v) => !unknown.includes(v))
        .map((v) => describe(v, policy))
        .join('; ')}`,
    );
  }
  for (const value of unknown) {
    parts.push(`${describe(value, policy)}, which names no tier (known: ${describeTierValues(policy)})`);
  }
  const winnerText = winner
    ? `${SOURCE_WORDS[winner.source]} wins by precedence`
    : 'so the repository counts as undeclared';
  declaration.consistency = {
    id: DECLARATION_CHECK_ID,
    tier: 'declaration',
    outcome: 'fail',
    message: `${parts.join('. ')}. (${winnerText})`,
    remediation: `Make every declaration name the same tier (precedence: ${policy.declarations.join(' > ')}).`,
  };
  return declaration;
}
