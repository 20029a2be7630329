import type { OrgContext, RepoSnapshot } from '../snapshot.js';

/** What a single check concluded about one repository. `waived` is decided later, by the evaluator. */
export type CheckOutcome = 'pass' | 'fail' | 'not-applicable' | 'error';

/** Something a check looked at, so a maintainer can find it. */
export interface Evidence {
  /** Path inside the repository (rendered as a link to the default branch). */
  path?: string;
  /** An absolute URL (release page, org-level file…). */
  url?: string;
  /** Short human text: a tag name and date, a workflow trigger… (untrusted: renderers escape it). */
  detail?: string;
}

export interface CheckResult {
  outcome: CheckOutcome;
  /** One line, with its evidence in words; absolute dates only, never "N days ago". */
  message: string;
  /** One line telling how to fix a failure (required when outcome is `fail`). */
  remediation?: string;
  evidence?: Evidence[];
}

export interface CheckContext {
  /** The audit clock. Checks never read the system clock. */
  now: Date;
  org: OrgContext;
}

export type CheckParams = Record<string, unknown>;

export interface CheckDefinition {
  id: string;
  /** Short title for reports and README. */
  title: string;
  /** What it looks at (README "checks" table). */
  description: string;
  /** Default parameters; the policy's parameters are merged over these. */
  defaults: CheckParams;
  /**
   * Validates and normalises parameters; returns an error message per problem (empty = valid).
   * Used by the config loader so a typo in a parameter fails before the audit.
   */
  validateParams(params: CheckParams): string[];
  run(snapshot: RepoSnapshot, params: CheckParams, ctx: CheckContext): CheckResult;
}
