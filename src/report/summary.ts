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
