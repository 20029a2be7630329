/** The `fail-on` input: which audit results fail the step. */
import type { AuditOutcome } from './audit.js';
import { UsageError } from './usage.js';

export type FailOn = 'never' | 'non-compliant' | 'regression';

/** `name` is how the user set it: `Input fail-on` in the action, `--fail-on` on the command line. */
export function parseFailOn(value: string, name: string): FailOn {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'never' || normalised === 'non-compliant' || normalised === 'regression')
    return normalised;
  throw new UsageError(`${name} must be one of never, non-compliant, regression; got "${value}"`);
}

/** The failure message for the step, or null when it passes. */
export function exitStatus(failOn: FailOn, outcome: Pick<AuditOutcome, 'report' | 'publish'>): string | null {
  const { summary } = outcome.report;
  if (failOn === 'non-compliant' && summary.nonCompliant > 0) {
    return `${summary.nonCompliant} repositories do not meet their declared tier (fail-on: non-compliant)`;
  }
  if (failOn === 'regression') {
    const newFailures = outcome.publish?.changes.newFailures.length ?? 0;
    if (newFailures > 0)
      return `${newFailures} requirements newly fail since the last audit (fail-on: regression)`;
  }
  return null;
}
