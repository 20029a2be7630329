/**
 * Selectors (`when`, `unless`, `include-when`, `exclude-when`) against a repository's facts. Keys
 * combine with AND, the values of one key with OR, case-insensitively; names, topics and files are
 * globs (through the shared glob helper). A fact that could not be read makes the answer `unknown`.
 */
import { matchesGlob } from '../config/glob.js';
import type { RegistryFieldValue, Selector } from '../config/types.js';
import type { RepoSnapshot } from '../snapshot.js';

export interface RepositoryFacts {
  name: string;
  topics: string[];
  /** Root entry names; null when the tree could not be read. */
  files: string[] | null;
  /** Primary language; null when GitHub detects none; undefined when not read. */
  language: string | null | undefined;
  /** `public`, `private` or `internal`; undefined when not read. */
  visibility: string | undefined;
  /** The registry entry's fields (`status`, `scope`…); null when the registry does not list it. */
  registry: Record<string, RegistryFieldValue> | null;
}

export function factsOf(
  snapshot: RepoSnapshot,
  registry: Record<string, RegistryFieldValue> | null,
): RepositoryFacts {
  return {
    name: snapshot.name,
    topics: snapshot.topics,
    files: snapshot.empty ? [] : (snapshot.rootEntries?.map((entry) => entry.name) ?? null),
    language: snapshot.primaryLanguage,
    visibility: snapshot.visibility ?? (snapshot.private ? 'private' : 'public'),
    registry,
  };
}

export type SelectorAnswer =
  | { result: 'match'; because: string }
  | { result: 'no-match'; because: string }
  | { result: 'unknown'; because: string };

const lower = (text: string) => text.toLowerCase();
const list = (values: string[]) => (values.length === 1 ? values[0] : `[${values.join(', ')}]`);

interface KeyAnswer {
  result: SelectorAnswer['result'];
  /** `files: netlify.toml (present)`, `language: Go (is C++)`. */
  text: string;
}

function anyGlob(actual: string[], globs: string[]): string | undefined {
  for (const value of actual) if (globs.some((glob) => matchesGlob(value, glob))) return value;
  return undefined;
}

function answerKey(key: keyof Selector, selector: Selector, facts: RepositoryFacts): KeyAnswer[] {
  if (key === 'registry') {
    return Object.entries(selector.registry ?? {}).map(([field, values]) => {
      const wanted = `registry.${field}: ${list(values)}`;
      if (facts.registry === null) return { result: 'no-match', text: `${wanted} (not in the registry)` };
      const actual = facts.registry[field];
      if (actual === undefined || actual === null) {
        return { result: 'no-match', text: `${wanted} (its entry has no ${field})` };
      }
      const matched = values.some((value) => lower(value) === lower(String(actual)));
      return { result: matched ? 'match' : 'no-match', text: `${wanted} (${field} is ${String(actual)})` };
    });
  }
  const values = selector[key];
  if (values === undefined) return [];
  const wanted = `${key}: ${list(values)}`;
  switch (key) {
    case 'names': {
      const matched = values.some((glob) => matchesGlob(facts.name, glob));
      return [{ result: matched ? 'match' : 'no-match', text: `${wanted} (name ${facts.name})` }];
    }
    case 'topics': {
      const hit = anyGlob(facts.topics, values);
      return [
        hit !== undefined
          ? { result: 'match', text: `${wanted} (topic ${hit})` }
          : { result: 'no-match', text: `${wanted} (no such topic)` },
      ];
    }
    case 'files': {
      if (facts.files === null)
        return [{ result: 'unknown', text: `${wanted} (the root tree could not be read)` }];
      const hit = anyGlob(facts.files, values);
      return [
        hit !== undefined
          ? { result: 'match', text: `${wanted} (${hit} at the root)` }
          : { result: 'no-match', text: `${wanted} (none at the root)` },
      ];
    }
    case 'language': {
      if (facts.language === undefined) return [{ result: 'unknown', text: `${wanted} (language not read)` }];
      const actual = facts.language;
      const matched = actual !== null && values.some((value) => lower(value) === lower(actual));
      return [{ result: matched ? 'match' : 'no-match', text: `${wanted} (language ${actual ?? 'none'})` }];
    }
    case 'visibility': {
      if (facts.visibility === undefined)
        return [{ result: 'unknown', text: `${wanted} (visibility not read)` }];
      const actual = facts.visibility;
      const matched = values.some((value) => lower(value) === lower(actual));
      return [{ result: matched ? 'match' : 'no-match', text: `${wanted} (${actual})` }];
    }
  }
}

const KEYS: (keyof Selector)[] = ['names', 'topics', 'files', 'language', 'visibility', 'registry'];

/** Whether `selector` selects the repository, and the keys that decided it, in words. */
export function evaluateSelector(selector: Selector, facts: RepositoryFacts): SelectorAnswer {
  const answers = KEYS.flatMap((key) => answerKey(key, selector, facts));
  const failed = answers.find((answer) => answer.result === 'no-match');
  if (failed) return { result: 'no-match', because: failed.text };
  const unknown = answers.find((answer) => answer.result === 'unknown');
  if (unknown) return { result: 'unknown', because: unknown.text };
  return { result: 'match', because: answers.map((answer) => answer.text).join(', ') };
}

/**
 * Whether a requirement with `when` / `unless` applies: `applies`, or why not (naming the selector
 * that excluded it), or `unknown` when a fact it needs could not be read.
 */
export function applicability(
  entry: { when?: Selector; unless?: Selector },
  facts: RepositoryFacts,
): { applies: true } | { applies: false; because: string } | { applies: 'unknown'; because: string } {
  if (entry.when) {
    const answer = evaluateSelector(entry.when, facts);
    if (answer.result === 'no-match') return { applies: false, because: `when ${answer.because}` };
    if (answer.result === 'unknown') return { applies: 'unknown', because: `when ${answer.because}` };
  }
  if (entry.unless) {
    const answer = evaluateSelector(entry.unless, facts);
    if (answer.result === 'match') return { applies: false, because: `unless ${answer.because}` };
    if (answer.result === 'unknown') return { applies: 'unknown', because: `unless ${answer.because}` };
  }
  return { applies: true };
}
