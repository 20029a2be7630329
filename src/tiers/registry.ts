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

export function parseRegistry(text: string, file: string, field: string): RegistryParseResult {
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

  const entries: RegistryEntry[] = [];
  const problems: DriftFinding[] = [];
  const seen = new Set<string>();
  list.items.forEach((item, index) => {
    const line = lineCounter.linePos((item as Node | null)?.range?.[0] ?? 0).line;
    const where = `${file}:${line}`;
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
  });
  return { entries, problems };
}
