/** Counts of a report, computed from its repositories (so the headline can never disagree with the tables). */
import type { AuditReport, RepositoryReport, ReportSummary } from './model.js';

/**
 * Counts per status, plus declared repositories per tier. Invariant:
 * `repositories = compliant + nonCompliant + undeclared + skipped + errored`, and
 * `evaluated = compliant + nonCompliant + undeclared`.
 */
export function summarize(repositories: readonly RepositoryReport[]): ReportSummary {
  const summary: ReportSummary = {
    repositories: repositories.length,
    evaluated: 0,
    compliant: 0,
    nonCompliant: 0,
    undeclared: 0,
    skipped: 0,
    errored: 0,
    byTier: {},
  };
  const byTier: Record<string, number> = {};
  for (const repository of repositories) {
    switch (repository.status) {
      case 'compliant':
        summary.compliant++;
        break;
      case 'non-compliant':
        summary.nonCompliant++;
        break;
      case 'undeclared':
        summary.undeclared++;
        break;
      case 'skipped':
        summary.skipped++;
        break;
      case 'error':
        summary.errored++;
        break;
    }
    if (repository.declaredTier) byTier[repository.declaredTier] = (byTier[repository.declaredTier] ?? 0) + 1;
  }
  summary.evaluated = summary.compliant + summary.nonCompliant + summary.undeclared;
  summary.byTier = byTier;
  return summary;
}

/** Nothing to act on: no repository fails its tier, none errored, and the audit itself reported no error. */
export function isAllCompliant(report: AuditReport): boolean {
  return (
    report.repositories.every(
      (repository) => repository.status !== 'non-compliant' && repository.status !== 'error',
    ) && report.errors.length === 0
  );
}

/** A repository declared deprecated (a special status, not a tier), evaluated by the deprecation rule only. */
export function isDeprecated(repository: RepositoryReport): boolean {
  return (
    repository.declaredTier === null &&
    repository.declaredAs !== null &&
    /^deprecated$/i.test(repository.declaredAs.trim()) &&
    repository.status !== 'skipped' &&
    repository.status !== 'error'
  );
}

/**
 * The headline's counts, each repository in exactly one: deprecated repositories are counted apart from
 * the tiers (whatever their status), so `compliant + nonCompliant` is the number declared at a tier and
 * `total = compliant + nonCompliant + undeclared + deprecated + skipped + errored`.
 */
export interface HeadlineCounts {
  total: number;
  compliant: number;
  nonCompliant: number;
  undeclared: number;
  deprecated: number;
  skipped: number;
  errored: number;
}

export function headlineCounts(repositories: readonly RepositoryReport[]): HeadlineCounts {
  const counts: HeadlineCounts = {
    total: repositories.length,
    compliant: 0,
    nonCompliant: 0,
    undeclared: 0,
    deprecated: 0,
    skipped: 0,
    errored: 0,
  };
  for (const repository of repositories) {
    if (isDeprecated(repository)) counts.deprecated++;
    else if (repository.status === 'compliant') counts.compliant++;
    else if (repository.status === 'non-compliant') counts.nonCompliant++;
    else if (repository.status === 'undeclared') counts.undeclared++;
    else if (repository.status === 'skipped') counts.skipped++;
    else counts.errored++;
  }
  return counts;
}
