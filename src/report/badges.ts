/**
 * Status badges per repository: one shields.io *endpoint* JSON per audited repository
 * (https://shields.io/badges/endpoint-badge) and an `index.json`, as a pure function of the report.
 * Committed to a branch (src/github/git-data.ts) or written to a directory (dry run, CLI `--badges-dir`).
 */
import type { AuditReport, RepositoryReport } from './model.js';

export interface ShieldsEndpoint {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

/** Path of a repository's badge file on the branch or in the directory. */
export function badgePath(repository: string): string {
  return `repos/${repository}.json`;
}

export const BADGE_INDEX = 'index.json';

/** A repository name is a safe file name (GitHub: letters, digits, `-`, `_`, `.`); anything else is skipped. */
function safeName(name: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(name) && name !== '.' && name !== '..';
}

export function badgeFor(repository: RepositoryReport): ShieldsEndpoint {
  const badge = (message: string, color: string): ShieldsEndpoint => ({
    schemaVersion: 1,
    label: 'tier',
    message,
    color,
  });
  switch (repository.status) {
    case 'compliant':
      return badge(`${repository.declaredTier} ✓`, 'brightgreen');
    case 'non-compliant':
      return badge(`${repository.declaredTier} → ${repository.achievedTier ?? 'none'}`, 'orange');
    case 'undeclared':
      return badge(
        repository.achievedTier ? `undeclared (${repository.achievedTier})` : 'undeclared',
        'lightgrey',
      );
    case 'skipped':
      return badge('not audited', 'lightgrey');
    case 'error':
      return badge('unknown', 'lightgrey');
  }
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every badge file (path → content), sorted by path so the same report gives the same files. */
export function renderBadgeFiles(report: AuditReport): Map<string, string> {
  const files = new Map<string, string>();
  const index: Record<string, ShieldsEndpoint & { status: string; path: string }> = {};
  const repositories = report.repositories
    .filter((repository) => safeName(repository.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const repository of repositories) {
    const badge = badgeFor(repository);
    files.set(badgePath(repository.name), json(badge));
    index[repository.name] = { ...badge, status: repository.status, path: badgePath(repository.name) };
  }
  // No timestamp: an unchanged audit gives byte-identical files, and nothing is committed.
  files.set(BADGE_INDEX, json({ organization: report.organization, repositories: index }));
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
