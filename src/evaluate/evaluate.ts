/**
 * Evaluation: every audited repository against every tier's checks (so `achievedTier` is explained),
 * its status against its declared tier, waivers, and drift between declarations and reality.
 * Pure: no I/O, no clock (the audit clock is `now`).
 */
import { CHECKS } from '../checks/index.js';
import type { CheckContext, CheckDefinition, CheckResult } from '../checks/types.js';
import { expandNames, loadRootOwners } from '../checks/owners-file.js';
import { NOT_ARCHIVED_CHECK_ID } from '../config/check-ids.js';
import type { Policy, RegistryFieldValue, RequirementLevel } from '../config/types.js';
import type { PeopleDirectory } from '../people.js';
import type {
  DriftFinding,
  Finding,
  FindingOutcome,
  ReportSummary,
  RepositoryReport,
} from '../report/model.js';
import { readmeText } from '../readme-file.js';
import { KEEP_FULL_REPORTS, type RepositorySink } from '../report/sink.js';
import type { ExtraReadKind, OrgContext, RepoSnapshot, UnreadableRepository } from '../snapshot.js';
import {
  headerAnnouncesDeprecation,
  readmeHeader,
  resolveDeclaration,
  type Declaration,
} from '../tiers/declarations.js';
import {
  allTierRequirements,
  requiredThrough,
  requirementKey,
  describeTierValues,
  interpretValue,
  tierRank,
  type TierRequirement,
} from '../tiers/model.js';
import type { RegistryEntry } from '../tiers/registry.js';
import { runCheck } from './run-check.js';
import { kindFilterReason, nameFilterReason, selectorFilterReason } from './filters.js';
import { applicability, factsOf } from './selectors.js';
import { WaiverBook, type WaiverInForce } from './waivers.js';

/** Finding id of the deprecated-repository rule (tier `declaration`). */
export const DEPRECATION_FINDING_ID = 'deprecation-notice';

export type { UnreadableRepository } from '../snapshot.js';

export interface RegistryInput {
  entries: RegistryEntry[];
  problems: DriftFinding[];
  /** The registry file could not be read (already reported as an audit error). */
  error: string | null;
}

export interface EvaluationInput {
  policy: Policy;
  org: OrgContext;
  now: Date;
  snapshots: RepoSnapshot[];
  unreadable: UnreadableRepository[];
  registry: RegistryInput | null;
  /** Check definitions by id (default: `CHECKS`). */
  checks?: ReadonlyMap<string, CheckDefinition>;
  /** What the people stage verified (absent when the policy needs nothing of it). */
  people?: PeopleDirectory;
  /**
   * Takes each repository's finished report and gives the record kept in its place (src/report/sink.ts):
   * default, the full report.
   */
  sink?: RepositorySink;
}

export interface TierCandidate {
  name: string;
  nameWithOwner: string;
  url: string;
  declaredTier: string;
  achievedTier: string | null;
}

/** Repositories grouped by a tier: for promotion, the tier they achieve; for at-risk, the tier they declare. */
export interface TierGroup {
  tier: string;
  repositories: TierCandidate[];
}

export interface Evaluation {
  /** Sorted by name (case-insensitive). */
  repositories: RepositoryReport[];
  drift: DriftFinding[];
  summary: ReportSummary;
  /** Declared repositories achieving a higher tier than declared, by achieved tier (lowest first). */
  promotionCandidates: TierGroup[];
  /** Declared repositories achieving less than declared, by declared tier (lowest first). */
  atRisk: TierGroup[];
  waiversInForce: WaiverInForce[];
}

const MET: readonly FindingOutcome[] = ['pass', 'waived', 'not-applicable'];

function runRequirement(
  requirement: { check: string; params: Record<string, unknown> },
  snapshot: RepoSnapshot,
  checks: ReadonlyMap<string, CheckDefinition>,
  ctx: CheckContext,
): CheckResult {
  const definition = checks.get(requirement.check);
  if (!definition) {
    if (requirement.check === NOT_ARCHIVED_CHECK_ID) return notArchivedFallback(snapshot);
    return {
      outcome: 'error',
      message: `Check '${requirement.check}' is not available in this version of tier-audit`,
    };
  }
  return runCheck(definition, snapshot, requirement.params, ctx);
}

/** Used only while `CHECKS` has no `not-archived`: the evaluator needs it for archived drift. */
function notArchivedFallback(snapshot: RepoSnapshot): CheckResult {
  return snapshot.archived
    ? {
        outcome: 'fail',
        message: 'The repository is archived but still declared at an active tier',
        remediation: 'Declare it deprecated (or remove its declaration), or unarchive it.',
      }
    : { outcome: 'pass', message: 'The repository is not archived' };
}

function toFinding(
  requirement: { check: string; tier: string; level: RequirementLevel },
  result: CheckResult,
): Finding {
  const finding: Finding = {
    id: requirement.check,
    tier: requirement.tier,
    level: requirement.level,
    outcome: result.outcome,
    message: result.message,
  };
  if (result.remediation !== undefined) finding.remediation = result.remediation;
  if (result.evidence !== undefined) finding.evidence = result.evidence;
  return finding;
}

/**
 * The highest tier T such that every tier up to T (T and the tiers it extends) has all its in-force
 * required entries passing, waived or not applicable; and, when there is none, why (the lowest
 * tier's unmet requirements).
 */
function achievement(policy: Policy, findings: Finding[]): { tier: string | null; reason: string | null } {
  const byKey = new Map(
    findings.map((finding) => [requirementKey({ check: finding.id, tier: finding.tier }), finding]),
  );
  const unmet = (tierId: string): Finding[] =>
    [...requiredThrough(policy, tierId)]
      .map((key) => byKey.get(key))
      .filter((finding): finding is Finding => finding !== undefined && !MET.includes(finding.outcome));
  let achieved: string | null = null;
  for (const tier of policy.tiers) {
    if (unmet(tier.id).length === 0) achieved = tier.id;
  }
  if (achieved !== null || policy.tiers.length === 0) return { tier: achieved, reason: null };
  const lowest = policy.tiers[0].id;
  const blocking = unmet(lowest).map(
    (finding) => `${finding.id} (${finding.outcome === 'error' ? 'could not be evaluated' : 'fails'})`,
  );
  return { tier: null, reason: `${lowest} requires ${blocking.join(', ')}` };
}

/** The registry entry's fields for the report and the selectors. */
function registryFields(entry: RegistryEntry | undefined): Record<string, RegistryFieldValue> | null {
  if (!entry) return null;
  if (entry.fields !== undefined) return { ...entry.fields };
  const fields: Record<string, RegistryFieldValue> = {};
  if (entry.status !== null) fields.status = entry.status;
  if (entry.scope !== undefined && entry.scope !== null) fields.scope = entry.scope;
  return fields;
}

function baseReport(snapshot: RepoSnapshot, declaration: Declaration): RepositoryReport {
  return {
    nameWithOwner: snapshot.nameWithOwner,
    name: snapshot.name,
    url: snapshot.url,
    description: snapshot.description,
    archived: snapshot.archived,
    fork: snapshot.fork,
    private: snapshot.private,
    declaredTier: declaration.declaredTier,
    declaredAs: declaration.declaredAs,
    declarationSource: declaration.declarationSource,
    declarations: declaration.all.map(({ source, value, tier }) => ({ source, value, tier })),
    achievedTier: null,
    status: 'skipped',
    checks: [],
    defaultBranch: snapshot.defaultBranch,
  };
}

/** Active approvers of the root OWNERS (aliases expanded, emeritus removed), for the report; [] when unknown. */
export function approversOf(snapshot: RepoSnapshot): string[] {
  try {
    const loaded = loadRootOwners(snapshot);
    if (loaded.state !== 'ok') return [];
    const emeritus = new Set(expandNames(loaded.owners.roles.emeritus_approvers ?? [], loaded.aliases));
    return expandNames(loaded.owners.roles.approvers ?? [], loaded.aliases).filter(
      (login) => !emeritus.has(login),
    );
  } catch {
    return [];
  }
}

function deprecationFinding(snapshot: RepoSnapshot): Finding {
  if (snapshot.archived) {
    return {
      id: DEPRECATION_FINDING_ID,
      tier: 'declaration',
      outcome: 'pass',
      message: 'Declared deprecated and archived',
    };
  }
  const text = readmeText(snapshot);
  if (text !== null && headerAnnouncesDeprecation(readmeHeader(text))) {
    return {
      id: DEPRECATION_FINDING_ID,
      tier: 'declaration',
      outcome: 'pass',
      message: 'Declared deprecated; the README header announces the deprecation',
      evidence: [{ detail: 'README header' }],
    };
  }
  return {
    id: DEPRECATION_FINDING_ID,
    tier: 'declaration',
    outcome: 'fail',
    message:
      text === null
        ? 'Declared deprecated, not archived, and no README was read to carry a deprecation notice'
        : 'Declared deprecated, but not archived and the README header carries no deprecation notice',
    remediation:
      'Archive the repository, or add a deprecation notice (e.g. the `status-deprecated` badge) at the top of the README.',
  };
}

function statusOf(
  report: RepositoryReport,
  /** Requirement keys (`requirementKey`) that decide the status; recommended entries never do. */
  required: Set<string>,
): Pick<RepositoryReport, 'status' | 'error'> {
  const relevant = report.checks.filter((finding) =>
    required.has(requirementKey({ check: finding.id, tier: finding.tier })),
  );
  if (relevant.some((finding) => finding.outcome === 'fail')) return { status: 'non-compliant' };
  const errored = relevant.filter((finding) => finding.outcome === 'error');
  if (errored.length > 0) {
    return {
      status: 'error',
      error: `Could not evaluate: ${errored.map((finding) => `${finding.id}@${finding.tier} (${finding.message})`).join('; ')}`,
    };
  }
  return { status: 'compliant' };
}

/**
 * Evaluates an organization one repository at a time, so the collector can hand over each snapshot as
 * its page arrives and drop it (file texts included) once evaluated: memory stays flat however large the
 * organization. `finish` adds the repositories that could not be read, the drift and the summary.
 */
export class OrganizationEvaluator {
  private readonly policy: Policy;
  private readonly org: OrgContext;
  private readonly checks: ReadonlyMap<string, CheckDefinition>;
  private readonly ctx: CheckContext;
  private readonly waivers: WaiverBook;
  private readonly requirements: TierRequirement[];
  private readonly drift: DriftFinding[];
  private readonly archivedDrift: DriftFinding[] = [];
  private readonly deprecatedDrift: DriftFinding[] = [];
  private readonly registryEntries: RegistryEntry[];
  private readonly useRegistry: boolean;
  private readonly registryError: string | null;
  private readonly registryByName = new Map<string, RegistryEntry>();
  /** What the sink kept of each repository's report. */
  private readonly reports: RepositoryReport[] = [];
  private readonly sink: RepositorySink;

  constructor(input: Omit<EvaluationInput, 'snapshots' | 'unreadable'>) {
    const { policy, org, now } = input;
    this.policy = policy;
    this.org = org;
    this.checks = input.checks ?? CHECKS;
    this.sink = input.sink ?? KEEP_FULL_REPORTS;
    this.ctx = input.people ? { now, org, people: input.people } : { now, org };
    this.waivers = new WaiverBook(policy.waivers, now);
    this.requirements = allTierRequirements(policy);
    this.drift = [...(input.registry?.problems ?? [])];
    this.registryEntries = input.registry?.entries ?? [];
    this.useRegistry = policy.declarations.includes('registry');
    this.registryError = this.useRegistry ? (input.registry?.error ?? null) : null;
    for (const entry of this.registryEntries) {
      const key = entry.name.toLowerCase();
      if (!this.registryByName.has(key)) this.registryByName.set(key, entry);
    }
  }

  /**
   * The extra reads (github/extras.ts) this repository needs: those of checks required or recommended
   * at a tier up to the higher of its declared tier and the tier it would achieve if those checks
   * passed (its candidate tier). Nothing for repositories that are skipped, deprecated or not audited,
   * so no other repository is charged for them.
   */
  extraReadsFor(snapshot: RepoSnapshot): Set<ExtraReadKind> {
    const { policy, checks, ctx, requirements } = this;
    const needed = new Set<ExtraReadKind>();
    const readsOf = (check: string) => checks.get(check)?.extraReads ?? [];
    if (!requirements.some((r) => readsOf(r.check).length > 0)) return needed;
    if (snapshot.empty || (snapshot.archived && !policy.filters.archived)) return needed;
    const entry = this.useRegistry ? this.registryByName.get(snapshot.name.toLowerCase()) : undefined;
    const declaration = resolveDeclaration(snapshot, policy, entry);
    if (declaration.special !== null) return needed;
    const facts = factsOf(snapshot, registryFields(entry));
    if (
      nameFilterReason(snapshot, policy.filters) ??
      selectorFilterReason(facts, policy.filters) ??
      kindFilterReason(snapshot, policy.filters)
    ) {
      return needed;
    }
    // Optimistic: the checks that need extra reads pass; selectors and waivers apply (on a book of its own).
    const applying = requirements.filter(
      (requirement) => applicability(requirement, facts).applies !== false,
    );
    const findings: Finding[] = applying.map((requirement) =>
      readsOf(requirement.check).length > 0
        ? toFinding(requirement, { outcome: 'pass', message: '' })
        : toFinding(requirement, runRequirement(requirement, snapshot, checks, ctx)),
    );
    new WaiverBook(policy.waivers, ctx.now).apply(snapshot.name, findings);
    const reach = Math.max(
      tierRank(policy, declaration.declaredTier),
      tierRank(policy, achievement(policy, findings).tier),
    );
    for (const requirement of applying) {
      if (tierRank(policy, requirement.tier) > reach) continue;
      for (const kind of readsOf(requirement.check)) needed.add(kind);
    }
    return needed;
  }

  /**
   * Evaluates one repository and hands its report to the sink; the snapshot is not kept. Returns the full
   * report (the evaluator keeps what the sink gave back).
   */
  add(snapshot: RepoSnapshot): RepositoryReport {
    const report = this.evaluate(snapshot);
    this.reports.push(this.sink.accept(report));
    return report;
  }

  private evaluate(snapshot: RepoSnapshot): RepositoryReport {
    const { policy, checks, ctx, waivers, requirements, registryByName, useRegistry, registryError } = this;
    const { archivedDrift, deprecatedDrift } = this;
    const entry = useRegistry ? registryByName.get(snapshot.name.toLowerCase()) : undefined;
    const declaration = resolveDeclaration(snapshot, policy, entry);
    const report = baseReport(snapshot, declaration);
    const registry = registryFields(entry);
    if (registry !== null) report.registry = registry;
    const facts = factsOf(snapshot, registry);

    const skip =
      nameFilterReason(snapshot, policy.filters) ??
      selectorFilterReason(facts, policy.filters) ??
      (declaration.special === 'special' ? 'special' : null) ??
      (snapshot.archived &&
      !policy.filters.archived &&
      declaration.declaredTier === null &&
      declaration.special === null
        ? 'archived'
        : null) ??
      kindFilterReason(snapshot, policy.filters);
    if (skip !== null) {
      report.skipReason = skip;
      return report;
    }

    if (declaration.special === 'deprecated') {
      const finding = deprecationFinding(snapshot);
      report.checks = [finding];
      if (declaration.consistency) report.checks.push(declaration.consistency);
      const keys = new Set(
        report.checks.map((check) => requirementKey({ check: check.id, tier: check.tier })),
      );
      for (const check of report.checks) check.required = true;
      waivers.apply(snapshot.name, report.checks);
      Object.assign(report, statusOf(report, keys));
      if (finding.outcome === 'fail') {
        deprecatedDrift.push({
          kind: 'deprecated-not-archived',
          repository: snapshot.name,
          message: `${snapshot.name} is declared deprecated (${declaration.declarationSource}) but is not archived and its README header carries no deprecation notice`,
        });
      }
      return report;
    }

    // Archived repositories reach this point only when declared at an active tier (or when the
    // policy audits archived repositories): the former are reported through `not-archived` only.
    const notAudited = snapshot.archived && !policy.filters.archived;
    const findings: Finding[] = requirements.map((requirement) => {
      if (notAudited) {
        return toFinding(requirement, {
          outcome: 'not-applicable',
          message: 'Not audited: the repository is archived',
        });
      }
      const applies = applicability(requirement, facts);
      if (applies.applies === false) {
        return toFinding(requirement, {
          outcome: 'not-applicable',
          message: `Not applicable: the policy lists it ${applies.because}`,
        });
      }
      if (applies.applies === 'unknown') {
        return toFinding(requirement, {
          outcome: 'error',
          message: `Cannot tell whether it applies: the policy lists it ${applies.because}`,
        });
      }
      return toFinding(requirement, runRequirement(requirement, snapshot, checks, ctx));
    });
    const declared = declaration.declaredTier;
    if (declared !== null) {
      findings.push(
        toFinding(
          { check: NOT_ARCHIVED_CHECK_ID, tier: 'declaration', level: 'required' },
          runRequirement({ check: NOT_ARCHIVED_CHECK_ID, params: {} }, snapshot, checks, ctx),
        ),
      );
    }
    if (declaration.consistency) findings.push({ ...declaration.consistency, level: 'required' });
    report.checks = findings;
    const approvers = approversOf(snapshot);
    if (approvers.length > 0) report.approvers = approvers;
    const required =
      declared === null
        ? new Set<string>()
        : new Set([
            ...requiredThrough(policy, declared),
            requirementKey({ check: NOT_ARCHIVED_CHECK_ID, tier: 'declaration' }),
            ...(declaration.consistency
              ? [requirementKey({ check: declaration.consistency.id, tier: declaration.consistency.tier })]
              : []),
          ]);
    for (const finding of findings) {
      finding.required = required.has(requirementKey({ check: finding.id, tier: finding.tier }));
    }
    waivers.apply(snapshot.name, findings);
    const achieved = notAudited
      ? { tier: null, reason: 'not audited: the repository is archived' }
      : achievement(policy, findings);
    report.achievedTier = achieved.tier;
    if (achieved.reason !== null) report.noTierReason = achieved.reason;

    if (declared === null) {
      if (registryError) {
        // Not "undeclared": the registry that may declare it could not be read.
        report.status = 'error';
        report.error = `declared tier not known: ${registryError}`;
      } else {
        report.status = 'undeclared';
      }
      return report;
    }
    Object.assign(report, statusOf(report, required));
    if (registryError) {
      // The registry may declare another tier: without it, "compliant" is not known.
      report.status = 'error';
      report.error = `declared tier not known: ${registryError}`;
    }
    if (snapshot.archived) {
      archivedDrift.push({
        kind: 'archived-declared-active',
        repository: snapshot.name,
        message: `${snapshot.name} is archived but still declared '${declaration.declaredAs}' (${declared}) by ${declaration.declarationSource}`,
      });
    }
    return report;
  }

  /** Adds the repositories that could not be read, then the drift and the summary. */
  finish(unreadable: UnreadableRepository[]): Evaluation {
    const {
      policy,
      org,
      registryByName,
      useRegistry,
      registryEntries,
      drift,
      archivedDrift,
      deprecatedDrift,
      waivers,
    } = this;
    const reports = this.reports;
    for (const repository of unreadable) {
      const entry = useRegistry ? registryByName.get(repository.name.toLowerCase()) : undefined;
      const meaning = entry ? interpretValue(policy, entry.status ?? 'Special') : null;
      const report: RepositoryReport = {
        nameWithOwner: repository.nameWithOwner,
        name: repository.name,
        url: repository.url,
        description: null,
        archived: repository.archived ?? false,
        fork: false,
        private: false,
        declaredTier: meaning?.tier ?? null,
        declaredAs: meaning && (meaning.tier || meaning.special) ? (entry?.status ?? 'Special') : null,
        declarationSource: meaning && (meaning.tier || meaning.special) ? 'registry' : null,
        achievedTier: null,
        status: 'error',
        checks: [],
        error: repository.reason,
      };
      const fields = registryFields(entry);
      if (fields !== null) report.registry = fields;
      const skip =
        nameFilterReason({ name: repository.name, topics: [] }, policy.filters) ??
        (meaning?.special === 'special' ? 'special' : null) ??
        (repository.archived && !policy.filters.archived && !meaning?.tier && !meaning?.special
          ? 'archived'
          : null);
      if (skip !== null) {
        report.status = 'skipped';
        report.skipReason = skip;
        delete report.error;
      }
      reports.push(this.sink.accept(report));
    }

    // Registry drift: unknown values, and entries naming no repository of the organization.
    const present = new Set(reports.map((report) => report.name.toLowerCase()));
    for (const entry of registryEntries) {
      if (entry.status !== null) {
        const meaning = interpretValue(policy, entry.status);
        if (meaning.tier === null && meaning.special === null) {
          drift.push({
            kind: 'unknown-registry-value',
            repository: entry.name,
            message: `The registry declares '${entry.name}' as '${entry.status}', which names no tier (known: ${describeTierValues(policy)})`,
          });
        }
      }
      if (!present.has(entry.name.toLowerCase())) {
        drift.push({
          kind: 'registry-entry-without-repository',
          repository: entry.name,
          message: `The registry lists '${entry.name}'${entry.status ? ` (${entry.status})` : ''}, but ${org.login} has no such repository visible to this audit`,
        });
      }
    }
    drift.push(...archivedDrift, ...deprecatedDrift, ...waivers.drift());

    reports.sort(
      (a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.name.localeCompare(b.name),
    );
    return {
      repositories: reports,
      drift,
      summary: summarize(policy, reports),
      promotionCandidates: groupCandidates(policy, reports, 'promotion'),
      atRisk: groupCandidates(policy, reports, 'at-risk'),
      waiversInForce: waivers.inForce,
    };
  }
}

export function evaluateOrganization(input: EvaluationInput): Evaluation {
  const evaluator = new OrganizationEvaluator(input);
  for (const snapshot of input.snapshots) evaluator.add(snapshot);
  return evaluator.finish(input.unreadable);
}

export function summarize(policy: Policy, reports: RepositoryReport[]): ReportSummary {
  const count = (status: RepositoryReport['status']) =>
    reports.filter((report) => report.status === status).length;
  const summary: ReportSummary = {
    repositories: reports.length,
    evaluated: 0,
    compliant: count('compliant'),
    nonCompliant: count('non-compliant'),
    undeclared: count('undeclared'),
    skipped: count('skipped'),
    errored: count('error'),
    byTier: Object.fromEntries(policy.tiers.map((tier) => [tier.id, 0])),
  };
  summary.evaluated = summary.compliant + summary.nonCompliant + summary.undeclared;
  for (const report of reports) {
    if (report.status === 'skipped' || report.declaredTier === null) continue;
    const byTier = summary.byTier as Record<string, number>;
    byTier[report.declaredTier] = (byTier[report.declaredTier] ?? 0) + 1;
  }
  return summary;
}

function groupCandidates(
  policy: Policy,
  reports: RepositoryReport[],
  kind: 'promotion' | 'at-risk',
): TierGroup[] {
  const groups = new Map<string, TierCandidate[]>();
  for (const report of reports) {
    if (report.status !== 'compliant' && report.status !== 'non-compliant') continue;
    if (report.declaredTier === null || report.archived) continue;
    const declared = tierRank(policy, report.declaredTier);
    const achieved = tierRank(policy, report.achievedTier);
    const key =
      kind === 'promotion'
        ? achieved > declared
          ? report.achievedTier
          : null
        : achieved < declared
          ? report.declaredTier
          : null;
    if (key === null) continue;
    const list = groups.get(key) ?? [];
    list.push({
      name: report.name,
      nameWithOwner: report.nameWithOwner,
      url: report.url,
      declaredTier: report.declaredTier,
      achievedTier: report.achievedTier,
    });
    groups.set(key, list);
  }
  return policy.tiers
    .filter((tier) => groups.has(tier.id))
    .map((tier) => ({ tier: tier.id, repositories: groups.get(tier.id) ?? [] }));
}
