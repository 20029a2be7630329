/**
 * The audit report, JSON schema version 1 (a public contract: see schemas/report.schema.json and
 * the README). Optional keys may be added; consumers ignore unknown keys.
 */
import type { Evidence } from '../checks/types.js';
import type { DeclarationSource, RegistryFieldValue, RequirementLevel } from '../config/types.js';

export type RepositoryStatus = 'compliant' | 'non-compliant' | 'undeclared' | 'skipped' | 'error';
export type FindingOutcome = 'pass' | 'fail' | 'waived' | 'not-applicable' | 'error';

export interface Finding {
  id: string;
  /**
   * The tier listing this entry; `declaration` for `declaration-consistent` and `not-archived`, which
   * apply to every declared repository. A check listed at several tiers has one finding per tier:
   * key findings by (`id`, `tier`).
   */
  tier: string;
  /**
   * Whether the policy requires the check at this tier or only recommends it. A failing recommended
   * check is advice: it never changes `status` or `achievedTier`. Absent (older reports) means `required`.
   */
  level?: RequirementLevel;
  outcome: FindingOutcome;
  message: string;
  remediation?: string;
  evidence?: Evidence[];
  /**
   * Whether this is a requirement of the repository's declared tier (or a declaration check), so that it
   * drives `status`. Findings of higher tiers are informational: they explain `achievedTier`.
   */
  required?: boolean;
  /** On `waived`, or when a waiver expired: the waiver. */
  waiver?: { reason: string; expires: string | null; expired: boolean };
}

export interface RepositoryReport {
  nameWithOwner: string;
  name: string;
  url: string;
  description: string | null;
  archived: boolean;
  fork: boolean;
  private: boolean;
  declaredTier: string | null;
  declaredAs: string | null;
  declarationSource: DeclarationSource | null;
  /** Every source that declared something, for drift/consistency. */
  declarations?: { source: DeclarationSource; value: string; tier: string | null }[];
  achievedTier: string | null;
  /** When an evaluated repository achieves no tier (shown as `none`): why. */
  noTierReason?: string;
  status: RepositoryStatus;
  checks: Finding[];
  skipReason?: string;
  error?: string;
  /** The repository's registry entry fields (e.g. `{scope: "Core"}`), when the registry lists it. */
  registry?: Record<string, RegistryFieldValue>;
  /** Default branch, for links (`blob/<branch>/<path>`). */
  defaultBranch?: string | null;
  /**
   * Optional: approvers from the repository's OWNERS file (untrusted logins). Rendered as code, never as
   * mentions, except in the new-failures comment when `mention-owners` is set.
   */
  approvers?: string[];
}

export type DriftKind =
  | 'registry-entry-without-repository'
  | 'archived-declared-active'
  | 'deprecated-not-archived'
  | 'unknown-registry-value'
  | 'waiver-unmatched'
  | 'waiver-expired';

export interface DriftFinding {
  kind: DriftKind;
  /** Repository name (or registry entry name) concerned, if any. */
  repository: string | null;
  message: string;
}

export interface ReportSummary {
  repositories: number;
  evaluated: number;
  compliant: number;
  nonCompliant: number;
  undeclared: number;
  skipped: number;
  errored: number;
  /** Declared repositories per tier id (optional key). */
  byTier?: Record<string, number>;
}

export interface AuditReport {
  schemaVersion: 1;
  tool: { name: 'tier-audit'; version: string };
  generatedAt: string;
  organization: string;
  summary: ReportSummary;
  repositories: RepositoryReport[];
  errors: { repository: string | null; message: string }[];
  /** Optional keys. */
  drift?: DriftFinding[];
  /** The tiers in force, lowest first, with their full (cumulative) requirement ids. */
  policy?: {
    tiers: {
      id: string;
      aliases: string[];
      requires: string[];
      recommends?: string[];
      /** Parameters in force at this tier (defaults merged), by check id; checks without parameters omitted. */
      parameters?: Record<string, Record<string, unknown>>;
    }[];
  };
  /** Link to the workflow run that produced this report. */
  run?: { id: string | null; url: string | null };
  /** Coverage: how many repositories the token could see, and collection cost. */
  coverage?: {
    visibleRepositories: number;
    graphqlPoints?: number;
    requests?: number;
    notEvaluated?: number;
    /**
     * Incremental audits (a facts store configured): repositories read from GitHub in this audit, and
     * evaluated from the facts an earlier audit stored (unchanged since); `mode` says which kind of run.
     */
    readFromGitHub?: number;
    fromStoredFacts?: number;
    mode?: 'full' | 'incremental';
    /** Why this audit read everything although a store was configured (missing, corrupt, other version). */
    factsNotice?: string;
    /**
     * Reads beyond the pages (branch protection, issues), made only for the repositories whose declared
     * or candidate tier asks for them: how many, and what they cost (not included in the figures above).
     */
    extraReads?: { repositories: number; graphqlPoints?: number; requests: number };
  };
}
