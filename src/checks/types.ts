import type { PeopleDirectory, PeopleNeeds } from '../people.js';
import type { ExtraReadKind, OrgContext, RepoSnapshot } from '../snapshot.js';

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
  /**
   * What the audit verified about people (accounts, membership, activity, teams); absent when the policy
   * needs none of it. A login it does not know was not verified (`unknown`, never "no").
   */
  people?: PeopleDirectory;
}

export type CheckParams = Record<string, unknown>;

/** The value types a check parameter may have. */
export type ParamType =
  | 'boolean'
  | 'integer'
  | 'string'
  | 'string-list'
  /** A number of days, `true` (then `trueMeans` days) or `false` (off). */
  | 'days-or-switch';

/**
 * One parameter of a check. The config loader's validation, the policy JSON schema and the README
 * are generated from these, so a parameter is described once.
 */
export interface ParamSpec {
  name: string;
  type: ParamType;
  /** `null`: not set (a `string` parameter with no default; the check says what absent means). */
  default: boolean | number | string | string[] | null;
  description: string;
  /** For `integer` and `days-or-switch`: the smallest allowed value. */
  minimum?: number;
  /** For `days-or-switch`: the days `true` stands for. */
  trueMeans?: number;
}

/**
 * A part of the snapshot a check reads. When a part it reads could not be read (a `problems` entry,
 * or the organization's community files unknown) and the check would fail, the evaluator reports
 * `error` instead: "could not read" never becomes "fails" (src/evaluate/run-check.ts).
 */
export type SnapshotPart =
  /** Root, `.github/` and `docs/` listings. */
  | 'tree'
  /** Root `OWNERS` and `OWNERS_ALIASES`. */
  | 'owners'
  /** The root README (src/readme-file.ts). */
  | 'readme'
  /** `.github/workflows/*.yml|yaml`. */
  | 'workflows'
  | 'releases'
  | 'tags'
  /** GitHub's detected license. */
  | 'license'
  /** The default branch and its newest commit. */
  | 'history'
  | 'topics'
  /** Community health files of the organization's `.github` repository. */
  | 'community-files'
  /** The OWNERS files below the root (read only for the checks that declare it). */
  | 'owners-tree';
export type { ExtraReadKind } from '../snapshot.js';

export interface CheckDefinition {
  id: string;
  /** Short title for reports and README. */
  title: string;
  /** What it looks at (README "checks" table). */
  description: string;
  /** Its parameters (empty when it takes none). */
  params: readonly ParamSpec[];
  /** The snapshot parts it reads. */
  reads: readonly SnapshotPart[];
  /** Default parameters (from `params`); the policy's parameters are merged over these. */
  defaults: CheckParams;
  /**
   * Validates parameters; returns an error message per problem (empty = valid). Generated from
   * `params` by `defineCheck`. Used by the config loader so a typo in a parameter fails before the audit.
   */
  validateParams(params: CheckParams): string[];
  /**
   * Reads beyond the page query the check needs, made only for repositories whose declared or
   * candidate tier has a requirement on it (github/extras.ts). Absent: the page gives it everything.
   */
  extraReads?: ExtraReadKind[];
  run(snapshot: RepoSnapshot, params: CheckParams, ctx: CheckContext): CheckResult;
  /**
   * What the people stage must verify for this check with these parameters (merged over the
   * defaults); absent = nothing. The stage reads each person once per audit.
   */
  people?(params: CheckParams): Partial<PeopleNeeds>;
}
