/**
 * The markdown content of a report, as a headline and a list of sections made of atomic rows, so that the
 * layout (layout.ts) can split long tables across issue comments without losing or truncating a row.
 */
import { code, link, login, text, blobUrl, safeUrl } from './escape.js';
import type { Evidence } from '../checks/types.js';
import type { AuditReport, Finding, RepositoryReport } from './model.js';
import type { Changes, CheckChange, TierChange } from './state.js';

export interface Section {
  /** Stable id (tests, ordering). */
  key: string;
  /** Trusted markdown heading text (without `###`). */
  title: string;
  /** Wrap in `<details>` (long or secondary sections). */
  fold: boolean;
  /** Trusted paragraph shown before the rows of the first piece. */
  intro?: string;
  /** Table header (two lines) repeated on each piece; absent for lists. */
  header?: string;
  rows: string[];
  /** Shown instead of rows when there are none; the section is omitted when both are empty. */
  empty?: string;
}

export const SOON_DAYS = 30;
const DAY_MS = 86_400_000;
/** Rows above which a section folds. */
export const FOLD_ROWS = 10;
/** Change items listed in the headline before "…and N more". */
export const HEAD_CHANGE_ITEMS = 10;
const MAX_EVIDENCE = 3;

/** `2026-08-21 06:00 UTC` */
export function formatTime(iso: string | Date): string {
  const date = iso instanceof Date ? iso : new Date(iso);
  if (Number.isNaN(date.getTime())) return text(String(iso));
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function tierRanks(report: AuditReport): Map<string, number> {
  const ranks = new Map<string, number>();
  (report.policy?.tiers ?? []).forEach((tier, index) => ranks.set(tier.id, index));
  return ranks;
}

/** How many repository names an at-risk row lists before "+N more". */
const AT_RISK_NAMES = 12;

function byName(a: RepositoryReport, b: RepositoryReport): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function tierCode(tier: string | null | undefined): string {
  return tier ? code(tier) : '—';
}

/** The achieved tier; `none` (with its reason as a tooltip-free suffix) when an evaluated repository achieves none. */
export function achievedCode(repository: Pick<RepositoryReport, 'achievedTier' | 'noTierReason'>): string {
  if (repository.achievedTier) return code(repository.achievedTier);
  return repository.noTierReason ? `${code('none')} (${text(repository.noTierReason, 120)})` : '—';
}

export function repoLink(repository: Pick<RepositoryReport, 'name' | 'url'>): string {
  return link(repository.name, repository.url, 100);
}

function evidenceText(repository: RepositoryReport, evidence: Evidence): string {
  const detail = evidence.detail ? text(evidence.detail, 120) : '';
  if (evidence.path) {
    const href = blobUrl(repository.url, repository.defaultBranch, evidence.path);
    const shown = href ? link(evidence.path, href, 120) : code(evidence.path);
    return detail ? `${shown} (${detail})` : shown;
  }
  if (evidence.url && safeUrl(evidence.url)) return link(evidence.detail || evidence.url, evidence.url, 120);
  return detail;
}

/** One failing (or erroring) requirement as one line of a table cell. */
export function findingLine(repository: RepositoryReport, finding: Finding): string {
  const evidence = (finding.evidence ?? [])
    .slice(0, MAX_EVIDENCE)
    .map((item) => evidenceText(repository, item))
    .filter(Boolean);
  const more =
    (finding.evidence?.length ?? 0) > MAX_EVIDENCE ? ` +${finding.evidence!.length - MAX_EVIDENCE} more` : '';
  const parts = [
    finding.outcome === 'error'
      ? `⚠️ ${code(finding.id)} could not be checked: ${text(finding.message)}`
      : `❌ ${code(finding.id)} ${text(finding.message)}`,
  ];
  if (finding.waiver?.expired) parts.push(`(waiver expired ${text(finding.waiver.expires ?? '')})`);
  if (finding.remediation) parts.push(`<br>↳ _Fix:_ ${text(finding.remediation)}`);
  if (evidence.length > 0) parts.push(`<br>↳ ${evidence.join(' · ')}${more}`);
  return parts.join(' ').replace(/ <br>/g, '<br>');
}

/** The failing or erroring requirements of the declared tier: what makes the repository non-compliant. */
function failingFindings(repository: RepositoryReport): Finding[] {
  return repository.checks.filter(
    (finding) => finding.required !== false && (finding.outcome === 'fail' || finding.outcome === 'error'),
  );
}

export function waiverIsSoon(expires: string | null, now: Date): boolean {
  if (!expires) return false;
  const end = Date.parse(`${expires}T23:59:59.999Z`);
  if (Number.isNaN(end)) return false;
  return end >= now.getTime() && end - now.getTime() <= SOON_DAYS * DAY_MS;
}

/** Declared tiers in display order: highest first, then tiers unknown to the policy by name. */
function declaredTiersHighestFirst(report: AuditReport, repositories: RepositoryReport[]): string[] {
  const ranks = tierRanks(report);
  const tiers = [...new Set(repositories.map((r) => r.declaredTier ?? '(none)'))];
  return tiers.sort((a, b) => {
    const ra = ranks.get(a) ?? -1;
    const rb = ranks.get(b) ?? -1;
    if (ra !== rb) return rb - ra;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

export function nonCompliantSections(report: AuditReport): Section[] {
  const failing = report.repositories.filter((r) => r.status === 'non-compliant').sort(byName);
  return declaredTiersHighestFirst(report, failing).map((tier) => {
    const rows = failing
      .filter((r) => (r.declaredTier ?? '(none)') === tier)
      .map((r) => {
        const lines = failingFindings(r).map((finding) => findingLine(r, finding));
        const approvers = approversAsCode(r);
        return `| ${repoLink(r)}${approvers ? `<br>approvers: ${approvers}` : ''} | ${tierCode(r.declaredTier)} | ${achievedCode(r)} | ${lines.join('<br>') || '—'} |`;
      });
    return {
      key: `non-compliant:${tier}`,
      title: `❌ Non-compliant: declared ${tierCode(tier === '(none)' ? null : tier)} (${rows.length})`,
      fold: rows.length > FOLD_ROWS,
      header: '| Repository | Declared | Achieved | Failing requirements |\n| --- | --- | --- | --- |',
      rows,
    };
  });
}

function changeRepo(report: AuditReport, name: string): string {
  const repository = report.repositories.find((r) => r.name === name);
  return repository ? repoLink(repository) : text(name, 100);
}

function checkChangeItem(report: AuditReport, change: CheckChange): string {
  return `${changeRepo(report, change.repository)}: ${code(change.check)}${change.declaredTier ? ` (declared ${code(change.declaredTier)})` : ''}`;
}

function tierChangeItem(report: AuditReport, change: TierChange, what: string): string {
  return `${changeRepo(report, change.repository)}: ${what} ${tierCode(change.from)} → ${tierCode(change.to)}`;
}

interface ChangeGroup {
  label: string;
  items: string[];
}

function changeGroups(report: AuditReport, changes: Changes): ChangeGroup[] {
  const names = (list: string[]) => list.map((name) => changeRepo(report, name));
  return [
    { label: '🔴 Newly failing', items: changes.newFailures.map((c) => checkChangeItem(report, c)) },
    { label: '🟢 Fixed', items: changes.fixed.map((c) => checkChangeItem(report, c)) },
    {
      label: '🏷️ Declared tier changed',
      items: changes.declaredTierChanges.map((c) => tierChangeItem(report, c, 'declared')),
    },
    {
      label: '📶 Achieved tier changed',
      items: changes.achievedTierChanges.map((c) => tierChangeItem(report, c, 'achieves')),
    },
    { label: '➕ Repositories added', items: names(changes.added) },
    { label: '➖ Repositories removed', items: names(changes.removed) },
  ].filter((group) => group.items.length > 0);
}

/** The changes part of the headline: every group with its count and at most HEAD_CHANGE_ITEMS items overall. */
export function changesHeadline(
  report: AuditReport,
  changes: Changes,
  stateProblem: string | null = null,
): { markdown: string; truncated: boolean } {
  if (changes.firstAudit) {
    return {
      markdown: stateProblem
        ? `### Changes since the last audit\n\n⚠️ The state the last audit left in this issue could not be read (${text(stateProblem, 200)}): this audit is a new baseline.`
        : '### Changes since the last audit\n\nNo earlier audit is recorded in this issue: this is the baseline.',
      truncated: false,
    };
  }
  const groups = changeGroups(report, changes);
  if (groups.length === 0) {
    return {
      markdown: '### Changes since the last audit\n\nNo changes since the last audit.',
      truncated: false,
    };
  }
  let budget = HEAD_CHANGE_ITEMS;
  let truncated = false;
  const lines = ['### Changes since the last audit', ''];
  for (const group of groups) {
    const shown = group.items.slice(0, Math.max(0, budget));
    budget -= shown.length;
    const rest = group.items.length - shown.length;
    if (rest > 0) truncated = true;
    const tail = rest > 0 ? `${shown.length > 0 ? ', ' : ''}…and ${rest} more (see “All changes”)` : '';
    lines.push(`- **${group.label} (${group.items.length})**: ${shown.join(', ')}${tail}`);
  }
  return { markdown: lines.join('\n'), truncated };
}

export function allChangesSection(report: AuditReport, changes: Changes): Section {
  const rows: string[] = [];
  for (const group of changeGroups(report, changes)) {
    for (const item of group.items) rows.push(`- ${group.label}: ${item}`);
  }
  return { key: 'changes', title: `All changes since the last audit (${rows.length})`, fold: true, rows };
}

export function secondarySections(report: AuditReport, now: Date): Section[] {
  const ranks = tierRanks(report);
  const sections: Section[] = [];

  const drift = [...(report.drift ?? [])].sort((a, b) =>
    `${a.kind}\u0000${a.repository ?? ''}`.localeCompare(`${b.kind}\u0000${b.repository ?? ''}`),
  );
  sections.push({
    key: 'drift',
    title: `🧭 Registry drift (${drift.length})`,
    fold: true,
    header: '| Kind | Repository | Details |\n| --- | --- | --- |',
    rows: drift.map(
      (d) => `| ${code(d.kind)} | ${d.repository ? text(d.repository, 100) : '—'} | ${text(d.message)} |`,
    ),
  });

  const undeclared = report.repositories.filter((r) => r.status === 'undeclared').sort(byName);
  sections.push({
    key: 'undeclared',
    title: `❔ Undeclared repositories (${undeclared.length})`,
    fold: true,
    intro: 'Repositories that declare no tier, with the highest tier each one already meets.',
    header: '| Repository | Achieves | Description |\n| --- | --- | --- |',
    rows: undeclared.map(
      (r) => `| ${repoLink(r)} | ${tierCode(r.achievedTier)} | ${text(r.description ?? '', 120)} |`,
    ),
  });

  const promotions = report.repositories
    .filter(
      (r) =>
        r.declaredTier &&
        r.achievedTier &&
        r.status === 'compliant' &&
        (ranks.get(r.achievedTier) ?? -1) > (ranks.get(r.declaredTier) ?? Number.MAX_SAFE_INTEGER),
    )
    .sort(byName);
  sections.push({
    key: 'promotions',
    title: `⬆️ Promotion candidates (${promotions.length})`,
    fold: true,
    intro: 'Repositories that already meet every requirement of a higher tier than the one they declare.',
    header: '| Repository | Declared | Achieves |\n| --- | --- | --- |',
    rows: promotions.map((r) => `| ${repoLink(r)} | ${tierCode(r.declaredTier)} | ${achievedCode(r)} |`),
  });

  // At risk, per declared tier: how many repositories achieve less than they declare (the
  // non-compliant tables above give the details), and the compliant ones that hold their tier only
  // thanks to a waiver. Kept compact: one row per (declared, achieved) pair and per waiver-held repository.
  const rank = (tier: string | null) => (tier === null ? -1 : (ranks.get(tier) ?? -1));
  const below = new Map<string, RepositoryReport[]>();
  for (const r of report.repositories) {
    if (
      r.declaredTier === null ||
      !ranks.has(r.declaredTier) ||
      r.status === 'skipped' ||
      r.status === 'error'
    )
      continue;
    if (rank(r.achievedTier) >= rank(r.declaredTier)) continue;
    const key = `${r.declaredTier}\u0000${r.achievedTier ?? ''}`;
    below.set(key, [...(below.get(key) ?? []), r]);
  }
  const belowRows = [...below.entries()]
    .map(([key, repos]) => {
      const [declared, achieved] = key.split('\u0000');
      return { declared, achieved: achieved || null, repos: repos.sort(byName) };
    })
    .sort((a, b) => rank(b.declared) - rank(a.declared) || rank(b.achieved) - rank(a.achieved))
    .map(({ declared, achieved, repos }) => {
      const shown = repos.slice(0, AT_RISK_NAMES).map((r) => text(r.name, 100));
      const more = repos.length > AT_RISK_NAMES ? `, +${repos.length - AT_RISK_NAMES} more` : '';
      return `| ${tierCode(declared)} | ${tierCode(achieved)} | ${repos.length} | ${shown.join(', ')}${more} |`;
    });
  const held = report.repositories
    .filter((r) => r.status === 'compliant' && r.checks.some((f) => f.outcome === 'waived'))
    .sort((a, b) => rank(b.declaredTier) - rank(a.declaredTier) || byName(a, b))
    .map((r) => {
      const waived = r.checks.filter((f) => f.outcome === 'waived');
      const soonest =
        waived
          .map((f) => f.waiver?.expires ?? null)
          .filter((e): e is string => e !== null)
          .sort()[0] ?? null;
      const until = soonest ? `${text(soonest, 20)}${waiverIsSoon(soonest, now) ? ' ⏳' : ''}` : 'no expiry';
      return `| ${tierCode(r.declaredTier)} | ${tierCode(r.declaredTier)} (waiver) | 1 | ${repoLink(r)}: ${waived.map((f) => code(f.id)).join(', ')} waived until ${until} |`;
    });
  sections.push({
    key: 'at-risk',
    title: `⚠️ At risk (${belowRows.length + held.length})`,
    fold: true,
    intro:
      'Per declared tier: repositories that achieve a lower tier (details in the non-compliant tables), and compliant ones that hold their tier only thanks to a waiver.',
    header: '| Declared | Achieves | Repositories | Which |\n| --- | --- | ---: | --- |',
    rows: [...belowRows, ...held],
  });

  const waivers = report.repositories
    .flatMap((r) => r.checks.filter((f) => f.outcome === 'waived' && f.waiver).map((f) => ({ r, f })))
    .sort((a, b) => byName(a.r, b.r) || a.f.id.localeCompare(b.f.id));
  sections.push({
    key: 'waivers',
    title: `📝 Active waivers (${waivers.length})`,
    fold: true,
    intro: `⏳ marks waivers that expire within ${SOON_DAYS} days of this audit.`,
    header: '| Repository | Requirement | Reason | Expires |\n| --- | --- | --- | --- |',
    rows: waivers.map(({ r, f }) => {
      const expires = f.waiver?.expires ?? null;
      const shown = expires ? `${text(expires, 20)}${waiverIsSoon(expires, now) ? ' ⏳' : ''}` : 'never';
      return `| ${repoLink(r)} | ${code(f.id)} | ${text(f.waiver?.reason ?? '')} | ${shown} |`;
    }),
  });

  const notEvaluated = report.repositories
    .filter((r) => r.status === 'error' || r.status === 'skipped')
    .sort((a, b) => (a.status === b.status ? byName(a, b) : a.status === 'error' ? -1 : 1));
  const orgErrors = report.errors.filter(
    (e) =>
      e.repository === null ||
      !report.repositories.some((r) => r.name === e.repository || r.nameWithOwner === e.repository),
  );
  sections.push({
    key: 'not-evaluated',
    title: `🚫 Not evaluated (${notEvaluated.length + orgErrors.length})`,
    fold: true,
    intro:
      'Repositories that could not be read or evaluated, and repositories left out by the policy, with the reason.',
    header: '| Repository | Status | Reason |\n| --- | --- | --- |',
    rows: [
      ...orgErrors.map(
        (e) =>
          `| ${e.repository ? text(e.repository, 100) : '(organization)'} | error | ${text(e.message)} |`,
      ),
      ...notEvaluated.map(
        (r) =>
          `| ${repoLink(r)} | ${r.status} | ${text(r.status === 'error' ? (r.error ?? 'unknown error') : (r.skipReason ?? 'skipped'))} |`,
      ),
    ],
  });

  const tiers = report.policy?.tiers ?? [];
  sections.push({
    key: 'policy',
    title: 'Policy in force',
    fold: true,
    intro: 'Tiers from lowest to highest; each requires its own checks and those of the tiers below.',
    header: '| Tier | Also accepted as | Requires |\n| --- | --- | --- |',
    rows: tiers.map(
      (t) =>
        `| ${code(t.id)} | ${t.aliases.map((a) => code(a)).join(', ') || '—'} | ${t.requires.map((c) => code(c)).join(', ') || '—'} |`,
    ),
    empty: 'The report does not include the policy.',
  });
  return sections.filter((s) => s.rows.length > 0 || s.empty);
}

/** The headline: organization, time, run link, counts, counts per declared tier. */
export function headline(report: AuditReport, runUrl: string | null): string {
  const summary = countRepositories(report);
  const run = safeUrl(runUrl)
    ? ` by [workflow run${report.run?.id ? ` ${text(report.run.id, 30)}` : ''}](${safeUrl(runUrl)})`
    : '';
  const lines = [
    `## Tier audit: ${text(report.organization, 100)}`,
    '',
    `Last audited **${formatTime(report.generatedAt)}**${run} · ${text(report.tool.name)} ${text(report.tool.version, 30)}`,
    '',
    '| Repositories | ✅ Compliant | ❌ Non-compliant | ❔ Undeclared | 🚫 Errors | ⏭️ Skipped |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${summary.total} | ${summary.compliant} | ${summary.nonCompliant} | ${summary.undeclared} | ${summary.errored} | ${summary.skipped} |`,
  ];
  const perTier = tierBreakdown(report);
  if (perTier) lines.push('', `**Declared tiers:** ${perTier}`);
  const coverage = coverageLine(report);
  if (coverage) lines.push('', coverage);
  if (report.errors.length > 0)
    lines.push('', `🚫 The audit reported ${report.errors.length} error(s): see “Not evaluated”.`);
  return lines.join('\n');
}

/**
 * What the token could see, so an audit that silently sees nothing (a token without access to the
 * organization's repositories) is noticed, and what it cost.
 */
export function coverageLine(report: AuditReport): string | null {
  const coverage = report.coverage;
  if (!coverage) return null;
  const org = text(report.organization, 100);
  if (coverage.visibleRepositories === 0) {
    return `⚠️ **The token sees no repository of ${org}.** Check that it may read the organization's repositories (a GitHub App installed on ${org} with Metadata and Contents read access, or a token with the \`repo\` scope).`;
  }
  const parts = [`${coverage.visibleRepositories} repositories visible to the token`];
  if (coverage.fromStoredFacts !== undefined && coverage.readFromGitHub !== undefined) {
    parts.push(
      coverage.mode === 'incremental'
        ? `incremental audit: ${coverage.readFromGitHub} read from GitHub, ${coverage.fromStoredFacts} unchanged (from stored facts)`
        : `full read: ${coverage.readFromGitHub} read from GitHub`,
    );
  }
  if (coverage.notEvaluated) parts.push(`${coverage.notEvaluated} could not be read`);
  if (coverage.graphqlPoints !== undefined || coverage.requests !== undefined) {
    const cost = [
      coverage.graphqlPoints !== undefined ? `${coverage.graphqlPoints} GraphQL points` : null,
      coverage.requests !== undefined ? `${coverage.requests} requests` : null,
    ].filter(Boolean);
    parts.push(`collection cost ${cost.join(' in ')}`);
  }
  return `Coverage: ${parts.join(' · ')}`;
}

function countRepositories(report: AuditReport) {
  const count = (status: RepositoryReport['status']) =>
    report.repositories.filter((r) => r.status === status).length;
  return {
    total: report.repositories.length,
    compliant: count('compliant'),
    nonCompliant: count('non-compliant'),
    undeclared: count('undeclared'),
    errored: count('error'),
    skipped: count('skipped'),
  };
}

function tierBreakdown(report: AuditReport): string {
  const declared = report.repositories.filter((r) => r.declaredTier);
  return declaredTiersHighestFirst(report, declared)
    .map((tier) => {
      const inTier = declared.filter((r) => r.declaredTier === tier);
      const failing = inTier.filter((r) => r.status === 'non-compliant').length;
      const ok = inTier.filter((r) => r.status === 'compliant').length;
      return `${code(tier)} ${inTier.length} (${ok} ✅, ${failing} ❌)`;
    })
    .join(' · ');
}

/** Logins of a repository's approvers as code, for tables (never mentions). */
export function approversAsCode(repository: RepositoryReport, max = 5): string {
  const approvers = repository.approvers ?? [];
  const shown = approvers.slice(0, max).map((a) => login(a));
  if (approvers.length > max) shown.push(`+${approvers.length - max}`);
  return shown.join(', ');
}
