/**
 * The registry file: falcosecurity/evolution `repositories.yaml`, a YAML list of
 * `{name, scope, status, description}` (a map with a `repositories:` list is accepted too).
 * Entries without a status are Special (status null). Problems never throw: a bad entry becomes
 * drift; a file that cannot be read as a registry at all is `unreadable` (as if it could not be
 * fetched: the repositories it may declare are `error`, never `undeclared`).
 */
import { LineCounter, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { RegistryFieldValue } from '../config/types.js';
import { parseBoundedDocument, type YamlLimits } from '../yaml-limits.js';
import type { DriftFinding } from '../report/model.js';

export interface RegistryEntry {
  /** Repository name as written in the registry. */
  name: string;
  /** The raw value of the tier field (e.g. `Stable`, `Official`, `Deprecated`); null when absent (Special). */
  status: string | null;
  scope?: string | null;
  description?: string | null;
  /** Every field of the entry except `name`, as written (scalars; lists joined with `, `). */
  fields?: Record<string, RegistryFieldValue>;
  /** 1-based line of the entry in the registry file. */
  line?: number;
}

export interface RegistryParseResult {
  entries: RegistryEntry[];
  problems: DriftFinding[];
  /** Why the file as a whole is not a registry (invalid YAML, not a list, beyond the YAML limits). */
  unreadable?: string;
}

/** A registry lists every repository of an organization: room for tens of thousands of entries. */
const REGISTRY_YAML_LIMITS: YamlLimits = { maxBytes: 16 * 1024 * 1024, maxDepth: 100, maxNodes: 2_000_000 };

const problem = (repository: string | null, message: string): DriftFinding => ({
  kind: 'unknown-registry-value',
  repository,
  message,
});

const optionalText = (value: unknown): string | null =>
  typeof value === 'string' ? value : value === null || value === undefined ? null : String(value);

/**
 * Root-level entries parsed together: the `yaml` library's document of a whole registry costs ~7 KB of
 * memory per entry (about 500 MB for 75,000 entries); parsed this many at a time, the registry costs what
 * its entries do.
 */
export const REGISTRY_ENTRIES_PER_PART = 500;

/**
 * A root block sequence (`- name: …` items at column 0, comments and blank lines between) cut into parts
 * of `perPart` items, each with the line it starts on; null for anything else (a map with a `repositories`
 * list, directives, document markers, tabs at column 0): that is parsed whole.
 */
export function registryParts(text: string, perPart: number): { text: string; line: number }[] | null {
  const parts: { text: string; line: number }[] = [];
  let start = 0;
  let startLine = 1;
  let items = 0;
  let line = 1;
  for (let pos = 0; pos < text.length; line++) {
    const newline = text.indexOf('\n', pos);
    const end = newline < 0 ? text.length : newline;
    const first = text[pos];
    if (first !== undefined && first !== ' ' && first !== '\n' && first !== '\r' && first !== '#') {
      const next = text[pos + 1];
      if (first !== '-' || !(pos + 1 === end || next === ' ' || next === '\r')) return null;
      if (items >= perPart) {
        parts.push({ text: text.slice(start, pos), line: startLine });
        start = pos;
        startLine = line;
        items = 0;
      }
      items++;
    }
    if (newline < 0) break;
    pos = newline + 1;
  }
  if (items === 0 && parts.length === 0) return null;
  parts.push({ text: text.slice(start), line: startLine });
  return parts;
}

export function parseRegistry(text: string, file: string, field: string): RegistryParseResult {
  // Large registries are read a part at a time; a part that does not read cleanly on its own (an alias
  // to an anchor in another part, a syntax error) sends the whole file through the one-document path,
  // whose result and messages are the reference.
  const parts = registryParts(text, REGISTRY_ENTRIES_PER_PART);
  if (parts && parts.length > 1 && Buffer.byteLength(text, 'utf8') <= REGISTRY_YAML_LIMITS.maxBytes) {
    const reader = new EntryReader(file, field);
    let clean = true;
    for (const part of parts) {
      const lineCounter = new LineCounter();
      const bounded = parseBoundedDocument(
        part.text,
        { lineCounter, prettyErrors: false, uniqueKeys: false },
        REGISTRY_YAML_LIMITS,
      );
      if (!bounded.ok || bounded.doc.errors.length > 0 || !isSeq(bounded.doc.contents)) {
        clean = false;
        break;
      }
      for (const item of bounded.doc.contents.items) {
        const local = lineCounter.linePos((item as Node | null)?.range?.[0] ?? 0).line;
        reader.read(item as Node | null, part.line + local - 1);
      }
    }
    if (clean) return { entries: reader.entries, problems: reader.problems };
  }
  return parseRegistryDocument(text, file, field);
}

/** The whole file as one YAML document (the reference the parts must agree with). */
export function parseRegistryDocument(text: string, file: string, field: string): RegistryParseResult {
  const lineCounter = new LineCounter();
  const bounded = parseBoundedDocument(
    text,
    { lineCounter, prettyErrors: false, uniqueKeys: false },
    REGISTRY_YAML_LIMITS,
  );
  if (!bounded.ok) {
    return { entries: [], problems: [], unreadable: `registry ${file} was not read: it ${bounded.refused}` };
  }
  const { doc } = bounded;
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = lineCounter.linePos(first.pos[0]);
    return {
      entries: [],
      problems: [],
      unreadable: `registry ${file}:${pos.line}:${pos.col} is not valid YAML (${first.message.split('\n')[0]}); no registry entries were read`,
    };
  }
  let list: Node | null = doc.contents;
  if (isMap(list)) {
    const pair = list.items.find((item) => isScalar(item.key) && item.key.value === 'repositories');
    list = pair && (isSeq(pair.value) || isMap(pair.value)) ? (pair.value as Node) : null;
  }
  if (!isSeq(list)) {
    return {
      entries: [],
      problems: [],
      unreadable: `registry ${file} is not a list of repositories (nor a map with a \`repositories\` list); no registry entries were read`,
    };
  }

  const reader = new EntryReader(file, field);
  for (const item of list.items) {
    reader.read(item as Node | null, lineCounter.linePos((item as Node | null)?.range?.[0] ?? 0).line);
  }
  return { entries: reader.entries, problems: reader.problems };
}

/** Reads registry entries one by one (numbered from 1 across calls), with their problems. */
class EntryReader {
  readonly entries: RegistryEntry[] = [];
  readonly problems: DriftFinding[] = [];
  private readonly seen = new Set<string>();
  private index = 0;

  constructor(
    private readonly file: string,
    private readonly field: string,
  ) {}

  read(item: Node | null, line: number): void {
    const { entries, problems, seen, field } = this;
    const index = this.index++;
    const where = `${this.file}:${line}`;
    if (!isMap(item)) {
      problems.push(problem(null, `registry entry ${index + 1} (${where}) is not a map; ignored`));
      return;
    }
    const value = item.toJSON() as Record<string, unknown>;
    const name = value.name;
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push(problem(null, `registry entry ${index + 1} (${where}) has no \`name\`; ignored`));
      return;
    }
    const raw = value[field];
    if (raw !== undefined && raw !== null && typeof raw !== 'string') {
      problems.push(
        problem(
          name,
          `registry entry '${name}' (${where}) has a ${Array.isArray(raw) ? 'list' : typeof raw} in \`${field}\` instead of a tier name; ignored`,
        ),
      );
      return;
    }
    const key = name.toLowerCase();
    if (seen.has(key)) {
      problems.push(
        problem(name, `registry lists '${name}' more than once (${where}); the first entry is used`),
      );
      return;
    }
    seen.add(key);
    const status = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null;
    const fields: Record<string, RegistryFieldValue> = {};
    for (const [key, fieldValue] of Object.entries(value)) {
      if (key === 'name') continue;
      if (fieldValue === null || ['string', 'number', 'boolean'].includes(typeof fieldValue)) {
        fields[key] = fieldValue as RegistryFieldValue;
      } else if (Array.isArray(fieldValue)) {
        fields[key] = fieldValue.map(String).join(', ');
      }
    }
    entries.push({
      name,
      status,
      scope: optionalText(value.scope),
      description: optionalText(value.description),
      fields,
      line,
    });
  }
}
