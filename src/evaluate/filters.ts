/** Which repositories the audit covers (policy filters), and why one is skipped. */
import { matchesGlob } from '../config/glob.js';
import type { ScopeFilters } from '../config/types.js';
import { evaluateSelector, type RepositoryFacts } from './selectors.js';

export interface FilterSubject {
  name: string;
  topics: string[];
  archived: boolean;
  fork: boolean;
  template: boolean;
  private: boolean;
}

/** The name/topic filters: `excluded by filter '…'`, or null when the repository is in scope. */
export function nameFilterReason(
  subject: Pick<FilterSubject, 'name' | 'topics'>,
  filters: ScopeFilters,
): string | null {
  if (filters.include.length > 0 && !filters.include.some((glob) => matchesGlob(subject.name, glob))) {
    return `excluded by filter 'include'`;
  }
  const excluded = filters.exclude.find((glob) => matchesGlob(subject.name, glob));
  if (excluded !== undefined) return `excluded by filter '${excluded}'`;
  const topics = subject.topics.map((topic) => topic.toLowerCase());
  if (filters.includeTopics.length > 0 && !filters.includeTopics.some((topic) => topics.includes(topic))) {
    return `excluded by filter 'include-topics'`;
  }
  const excludedTopic = filters.excludeTopics.find((topic) => topics.includes(topic));
  if (excludedTopic !== undefined) return `excluded by filter 'exclude-topics: ${excludedTopic}'`;
  return null;
}

/**
 * The kind filters (forks, templates, private). Archived repositories are decided by the evaluator,
 * because an archived repository still declared at an active tier is reported, not skipped.
 */
export function kindFilterReason(subject: FilterSubject, filters: ScopeFilters): string | null {
  if (subject.fork && !filters.forks) return 'fork';
  if (subject.template && !filters.templates) return 'template';
  if (subject.private && !filters.private) return 'private';
  return null;
}

/**
 * The selector filters: `include-when` that does not select the repository, or `exclude-when` that
 * does; null when in scope. A fact that could not be read never skips a repository.
 */
export function selectorFilterReason(facts: RepositoryFacts, filters: ScopeFilters): string | null {
  if (filters.includeWhen) {
    const answer = evaluateSelector(filters.includeWhen, facts);
    if (answer.result === 'no-match') return `excluded by filter 'include-when' (${answer.because})`;
  }
  if (filters.excludeWhen) {
    const answer = evaluateSelector(filters.excludeWhen, facts);
    if (answer.result === 'match') return `excluded by filter 'exclude-when' (${answer.because})`;
  }
  return null;
}
