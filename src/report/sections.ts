/**
 * The markdown content of a report, as a headline and a list of sections made of atomic rows, so that the
 * layout (layout.ts) can split long tables across issue comments without losing or truncating a row.
 */
import { getCheck } from '../checks/index.js';
import { code, link, login, richText, text, blobUrl, safeUrl } from './escape.js';
import type { Evidence } from '../checks/types.js';
import type { AuditReport, Finding, RepositoryReport } from './model.js';
import type { Changes, CheckChange, HistoryEntry, PreviousState, TierChange } from './state.js';
import { Rows } from './rows.js';
import { headlineCounts, isDeprecated } from './summary.js';

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
  /** Rendered as they are laid out (rows.ts): only what fits is ever held. */
  rows: Rows;
  /** Shown instead of rows when there are none; the section is omitted when both are empty. */
  empty?: string;
  /** `h3` (default): a `###` heading; `bold`: a bold line, for the blocks inside a section. */
  heading?: 'h3' | 'bold';
  /** Trusted line shown right under the title (same paragraph), on every piece. */
  subtitle?: string;
  /** Text of the fold's summary (default: `Show all N` rows). */
  foldLabel?: string;
}

export const SOON_DAYS = 30;
const DAY_MS = 86_400_000;
/** Change items listed in the headline before "…and N more". */
export const HEAD_CHANGE_ITEMS = 10;

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

/** A tier as code; a missing achieved tier reads `none`, a missing declaration `undeclared` (never a dash). */
export function tierCode(tier: string | null | undefined, missing: 'none' | 'undeclared' = 'none'): string {
  return tier ? code(tier) : `\`${missing}\``;
}

/** The achieved tier; `none` (with its reason when known) when a repository achieves none — never a dash. */
export function achievedCode(repository: Pick<RepositoryReport, 'achievedTier' | 'noTierReason'>): string {
  if (repository.achievedTier) return code(repository.achievedTier);
  return repository.noTierReason ? `${code('none')} (${text(repository.noTierReason, 120)})` : code('none');
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

/** A requirement a repository fails (or that could not be checked), with where it stands. */
interface FailureItem {
  repository: RepositoryReport;
  finding: Finding;
}

/** Findings that make a repository non-compliant: required (not advice), of its declared tier, failing or in error. */
export function failingFindings(repository: RepositoryReport): Finding[] {
  return repository.checks.filter(
    (finding) =>
      finding.required !== false &&
      finding.level !== 'recommended' &&
      (finding.outcome === 'fail' || finding.outcome === 'error'),
  );
}

/**
 * Recommended requirements that fail at the repository's declared tier or below: advice, never a reason for
 * non-compliance (`required` is false for them: it marks what drives the status).
 */
function adviceFinder(report: AuditReport): (repository: RepositoryReport) => Finding[] {
  const ranks = tierRanks(report);
  return (repository) => {
    const declared = repository.declaredTier ? (ranks.get(repository.declaredTier) ?? -1) : -1;
    return repository.checks.filter(
      (finding) =>
        finding.level === 'recommended' &&
        finding.outcome === 'fail' &&
        (ranks.get(finding.tier) ?? Number.MAX_SAFE_INTEGER) <= declared,
    );
  };
}

const TITLES: Record<string, string> = {
  'deprecation-notice': 'Deprecated repositories are archived or say so',
};

/** The check's title (from its definition), or its id. */
export function checkTitle(id: string): string {
  return getCheck(id)?.title ?? TITLES[id] ?? id;
}

/** Rank of a finding's tier for ordering: declaration checks first, then the highest tier. */
function findingTierRank(report: AuditReport, tier: string): number {
  if (tier === 'declaration') return Number.MAX_SAFE_INTEGER;
  return tierRanks(report).get(tier) ?? -1;
}

export interface FailureGroup {
  tier: string;
  check: string;
  items: FailureItem[];
  /** The remediation most of the group's findings give (written once). */
  remediation: string | null;
}

/** Failing findings grouped by (tier, check), worst first: highest tier, then most repositories, then id. */
export function failureGroups(
  report: AuditReport,
  select: (repository: RepositoryReport) => Finding[],
  repositories: RepositoryReport[],
): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const repository of [...repositories].sort(byName)) {
    const seen = new Set<string>();
    for (const finding of select(repository)) {
      const key = `${finding.tier}\u0000${finding.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let group = groups.get(key);
      if (!group) {
        group = { tier: finding.tier, check: finding.id, items: [], remediation: null };
        groups.set(key, group);
      }
      group.items.push({ repository, finding });
    }
  }
  for (const group of groups.values()) {
    const counts = new Map<string, number>();
    for (const { finding } of group.items)
      if (finding.remediation) counts.set(finding.remediation, (counts.get(finding.remediation) ?? 0) + 1);
    group.remediation =
      [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0] ?? null;
  }
  return [...groups.values()].sort(
    (a, b) =>
      findingTierRank(report, b.tier) - findingTierRank(report, a.tier) ||
      b.items.length - a.items.length ||
      (a.check < b.check ? -1 : a.check > b.check ? 1 : 0),
  );
}

/** `since 2026-08-22`, or `since before 2026-08-21` for a finding older than the state. */
function sinceText(state: PreviousState | null, repository: string, check: string): string {
  if (!state) return '';
  const repo = Object.hasOwn(state.repositories, repository) ? state.repositories[repository] : undefined;
  if (!repo || !repo.failing.includes(check)) return '';
  const since = repo.since[check] ?? null;
  return since ? `failing since ${since}` : `failing since before ${state.baseline}`;
}

/** Links to the files and pages a finding names (detail-only evidence repeats the message). */
function evidenceLinks(repository: RepositoryReport, finding: Finding, max = 2): string {
  const links = (finding.evidence ?? [])
    .filter((item) => item.path || (item.url && safeUrl(item.url)))
    .map((item) => evidenceText(repository, item))
    .filter(Boolean);
  if (links.length === 0) return '';
  const more = links.length > max ? ` +${links.length - max} more` : '';
  return ` (${links.slice(0, max).join(', ')}${more})`;
}

/** One repository of a failure group, on one line. */
function failureLine(
  item: FailureItem,
  group: FailureGroup,
  state: PreviousState | null,
  messageChars: number,
  showSince = true,
): string {
  const { repository: r, finding } = item;
  const declared =
    r.declaredTier && r.declaredTier !== group.tier ? ` (declared ${code(r.declaredTier)})` : '';
  const message =
    finding.outcome === 'error'
      ? `⚠️ could not be checked: ${richText(finding.message, messageChars)}`
      : richText(finding.message, messageChars);
  const fix =
    finding.remediation && finding.remediation !== group.remediation
      ? ` — fix: ${richText(finding.remediation, 160)}`
      : '';
  const expired = finding.waiver?.expired
    ? ` (waiver expired ${text(finding.waiver.expires ?? '', 20)})`
    : '';
  const since = showSince ? sinceText(state, r.name, finding.id) : '';
  return `- ${repoLink(r)}${declared}: ${message}${evidenceLinks(r, finding)}${expired}${fix}${since ? ` · ${since}` : ''}`;
}

function groupTitle(group: FailureGroup, what: string): string {
  const n = group.items.length;
  const tier = group.tier === 'declaration' ? 'every declared tier' : code(group.tier);
  return `${tier} · ${text(checkTitle(group.check), 100)} (${code(group.check)}): ${n} ${what}${n === 1 ? 'y' : 'ies'}`;
}

/** Non-compliant repositories, except deprecated ones (their own section). */
export function nonCompliantRepositories(report: AuditReport): RepositoryReport[] {
  return report.repositories.filter((r) => r.status === 'non-compliant' && !isDeprecated(r));
}

/**
 * The failing requirements, one block per (tier, check), worst first: title, count, the remediation
 * once, one line per repository with its evidence and since when it fails.
 */
export function failureSections(
  report: AuditReport,
  state: PreviousState | null,
  options: { messageChars?: number } = {},
): Section[] {
  const failing = nonCompliantRepositories(report);
  const groups = failureGroups(report, failingFindings, failing);
  if (failing.length === 0) {
    if (!report.repositories.some((r) => r.declaredTier)) return [];
    return [
      {
        key: 'failing',
        title: '✅ Every declared repository meets its tier',
        fold: false,
        rows: Rows.none,
        empty: 'No repository fails a requirement of its declared tier.',
      },
    ];
  }
  const findings = groups.reduce((sum, g) => sum + g.items.length, 0);
  const sections: Section[] = [
    {
      key: 'failing',
      title: `❌ Failing requirements (${failing.length} repositor${failing.length === 1 ? 'y' : 'ies'})`,
      fold: false,
      rows: Rows.none,
      empty: `${failing.length} repositor${failing.length === 1 ? 'y fails' : 'ies fail'} ${findings} requirement${findings === 1 ? '' : 's'} of ${failing.length === 1 ? 'its' : 'their'} declared tier, in ${groups.length} group${groups.length === 1 ? '' : 's'}, worst first.`,
    },
  ];
  for (const group of groups) {
    // The same "since" for every repository of the group is said once, in its title.
    const sinces = new Set(group.items.map((i) => sinceText(state, i.repository.name, i.finding.id)));
    const shared = sinces.size === 1 ? [...sinces][0] : '';
    sections.push({
      key: `failing:${group.tier}:${group.check}`,
      title: `${groupTitle(group, 'repositor')}${shared ? `, ${group.items.length === 1 ? '' : 'all '}${shared}` : ''}`,
      heading: 'bold',
      fold: false,
      subtitle: group.remediation ? `Fix: ${richText(group.remediation, 300)}` : undefined,
      rows: Rows.mapped(group.items, (item) =>
        failureLine(item, group, state, options.messageChars ?? 160, !shared),
      ),
    });
  }
  return sections;
}

/**
 * The compact form of the failing requirements, for organizations too large for one line per finding:
 * one line per group naming its repositories (plain names); a repository already named in a group above
 * is counted, not named again, so that every failing repository is named once.
 */
export function compactFailureSections(report: AuditReport, rowChars = 2_000): Section[] {
  const failing = nonCompliantRepositories(report);
  const groups = failureGroups(report, failingFindings, failing);
  if (groups.length === 0) return [];
  const named = new Set<string>();
  const sections: Section[] = [
    {
      key: 'failing',
      title: `❌ Failing requirements (${failing.length} repositories)`,
      fold: false,
      rows: Rows.none,
      empty: `Too many to list one by one here: each group names its repositories once (a repository already named above is only counted); the job summary and the JSON report have every finding with its evidence.`,
    },
  ];
  for (const group of groups) {
    const fresh = group.items.map((i) => i.repository.name).filter((name) => !named.has(name));
    for (const name of fresh) named.add(name);
    const before = group.items.length - fresh.length;
    const rows: string[] = [];
    let line = '';
    for (const name of fresh) {
      const piece = text(name, 100);
      if (line && line.length + piece.length + 2 > rowChars) {
        rows.push(line);
        line = '';
      }
      line = line ? `${line}, ${piece}` : piece;
    }
    if (line) rows.push(line);
    if (before > 0)
      rows.push(`…and ${before} repositor${before === 1 ? 'y' : 'ies'} named in a group above.`);
    sections.push({
      key: `failing:${group.tier}:${group.check}`,
      title: groupTitle(group, 'repositor'),
      heading: 'bold',
      fold: false,
      subtitle: group.remediation ? `Fix: ${richText(group.remediation, 300)}` : undefined,
      rows: Rows.of(rows),
    });
  }
  return sections;
}

/** Recommended requirements that fail, grouped the same way, folded. */
export function adviceSection(report: AuditReport): Section | null {
  const repositories = report.repositories.filter((r) => r.status !== 'skipped' && r.status !== 'error');
  const groups = failureGroups(report, adviceFinder(report), repositories);
  if (groups.length === 0) return null;
  // Each group: its title, then one row per repository.
  const entries: { group: FailureGroup; item: FailureItem | null }[] = [];
  for (const group of groups) {
    entries.push({ group, item: null });
    for (const item of group.items) entries.push({ group, item });
  }
  const rows = Rows.mapped(entries, ({ group, item }) =>
    item
      ? failureLine(item, group, null, 160)
      : // a blank line first, so the title does not continue the list above it
        `${group === groups[0] ? '' : '\n'}**${groupTitle(group, 'repositor')}**${group.remediation ? ` — ${richText(group.remediation, 200)}` : ''}`,
  );
  const count = new Set(groups.flatMap((g) => g.items.map((i) => i.repository.name))).size;
  return {
    key: 'advice',
    title: `💡 Advice: recommended requirements not met (${count} repositor${count === 1 ? 'y' : 'ies'})`,
    fold: true,
    foldLabel: 'Show them',
    intro: 'Recommended by the policy: they never change a status or an achieved tier.',
    rows,
  };
}

const byNameIndex = new WeakMap<readonly RepositoryReport[], Map<string, RepositoryReport>>();

/** The report's repository named `name` (an index built once per report: changes name thousands of them). */
export function repositoryNamed(report: AuditReport, name: string): RepositoryReport | undefined {
  let index = byNameIndex.get(report.repositories);
  if (!index || index.size !== report.repositories.length) {
    index = new Map(report.repositories.map((r) => [r.name, r]));
    byNameIndex.set(report.repositories, index);
  }
  return index.get(name);
}

function changeRepo(report: AuditReport, name: string): string {
  const repository = repositoryNamed(report, name);
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

/**
 * The trend of the last audits as a Mermaid chart (GitHub renders it in issues), from the second audit on:
 * one line for compliant and one for non-compliant repositories.
 */
export function trendChart(history: readonly HistoryEntry[]): string | null {
  if (history.length < 2) return null;
  const days = history.map((h) => h.at.slice(5, 10));
  const label = (h: HistoryEntry, i: number) =>
    days.filter((d) => d === days[i]).length > 1 ? `${days[i]} ${h.at.slice(11, 16)}` : days[i];
  const max = Math.max(1, ...history.map((h) => Math.max(h.compliant, h.nonCompliant)));
  return [
    '```mermaid',
    'xychart-beta',
    `  title "Compliant and non-compliant repositories, last ${history.length} audits"`,
    `  x-axis [${history.map((h, i) => `"${label(h, i)}"`).join(', ')}]`,
    `  y-axis "Repositories" 0 --> ${max}`,
    `  bar [${history.map((h) => h.nonCompliant).join(', ')}]`,
    `  line [${history.map((h) => h.compliant).join(', ')}]`,
    '```',
    '',
    '_Bars: ❌ non-compliant repositories; line: ✅ compliant ones._',
  ].join('\n');
}

export function allChangesSection(report: AuditReport, changes: Changes): Section {
  const rows: string[] = [];
  for (const group of changeGroups(report, changes)) {
    for (const item of group.items) rows.push(`- ${group.label}: ${item}`);
  }
  return {
    key: 'changes',
    title: `All changes since the last audit (${rows.length})`,
    fold: true,
    rows: Rows.of(rows),
  };
}

/** What a repository lacks for the tier above the one it achieves (required findings up to that tier). */
function missingForNextTier(report: AuditReport, repository: RepositoryReport): string {
  const tiers = report.policy?.tiers ?? [];
  const ranks = tierRanks(report);
  const achieved = repository.achievedTier ? (ranks.get(repository.achievedTier) ?? -1) : -1;
  const next = tiers[achieved + 1];
  if (!next) return 'nothing: highest tier';
  const missing = [
    ...new Set(
      repository.checks
        .filter(
          (f) =>
            f.level !== 'recommended' &&
            (f.outcome === 'fail' || f.outcome === 'error') &&
            (f.tier === 'declaration' || (ranks.get(f.tier) ?? Number.MAX_SAFE_INTEGER) <= achieved + 1),
        )
        .map((f) => code(f.id)),
    ),
  ];
  return `${code(next.id)}: ${missing.join(', ') || 'nothing'}`;
}

/** Plain names, several per row. */
function nameRows(repositories: RepositoryReport[], rowChars = 1_500): Rows {
  const rows: string[] = [];
  let line = '';
  for (const r of repositories) {
    const piece = text(r.name, 100);
    if (line && line.length + piece.length + 2 > rowChars) {
      rows.push(line);
      line = '';
    }
    line = line ? `${line}, ${piece}` : piece;
  }
  if (line) rows.push(line);
  return Rows.of(rows);
}

function formatParam(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map((v) => formatParam(v)).join(', ') : 'none';
  if (value && typeof value === 'object') return text(JSON.stringify(value), 80);
  return text(String(value), 60);
}

/** `maintainers` (min 2), `recent-release` (max-age-days 180) */
function requirementWithParams(check: string, params: Record<string, unknown> | undefined): string {
  const entries = Object.entries(params ?? {});
  if (entries.length === 0) return code(check);
  return `${code(check)} (${entries.map(([k, v]) => `${text(k, 40)} ${formatParam(v)}`).join(', ')})`;
}

/** The `scope` field of the repository's registry entry (evolution: Core, Ecosystem, Infra), escaped; `not listed` when none. */
function registryScope(r: AuditReport['repositories'][number]): string {
  const scope = r.registry?.scope;
  return typeof scope === 'string' && scope.trim() ? text(scope, 40) : 'not listed';
}

/** The folded sections after the failing requirements, in the issue's order. */
export function secondarySections(report: AuditReport, now: Date): Section[] {
  const ranks = tierRanks(report);
  const sections: Section[] = [];
  const advice = adviceSection(report);
  if (advice) sections.push(advice);

  const evaluated = report.repositories
    .filter((r) => (r.status === 'compliant' || r.status === 'non-compliant') && !isDeprecated(r))
    .sort(
      (a, b) =>
        (ranks.get(b.declaredTier ?? '') ?? -1) - (ranks.get(a.declaredTier ?? '') ?? -1) || byName(a, b),
    );
  sections.push({
    key: 'per-repository',
    title: `📋 Per repository (${evaluated.length})`,
    fold: true,
    intro: 'Every repository declared at a tier: the tier it achieves and what it lacks for the next one.',
    header:
      '| Repository | Registry scope | Declared | Achieves | Missing for the next tier |\n| --- | --- | --- | --- | --- |',
    rows: Rows.mapped(
      evaluated,
      (r) =>
        `| ${r.status === 'compliant' ? '✅' : '❌'} ${repoLink(r)} | ${registryScope(r)} | ${tierCode(r.declaredTier, 'undeclared')} | ${achievedCode(r)} | ${missingForNextTier(report, r)} |`,
    ),
  });

  const drift = [...(report.drift ?? [])].sort((a, b) =>
    `${a.kind}\u0000${a.repository ?? ''}`.localeCompare(`${b.kind}\u0000${b.repository ?? ''}`),
  );
  sections.push({
    key: 'drift',
    title: `🧭 Registry drift (${drift.length})`,
    fold: true,
    header: '| Kind | Repository | Details |\n| --- | --- | --- |',
    rows: Rows.mapped(
      drift,
      (d) =>
        `| ${code(d.kind)} | ${d.repository ? text(d.repository, 100) : '(organization)'} | ${richText(d.message, 300)} |`,
    ),
  });

  const undeclared = report.repositories.filter((r) => r.status === 'undeclared').sort(byName);
  sections.push({
    key: 'undeclared',
    title: `❔ Undeclared (${undeclared.length})`,
    fold: true,
    intro: 'Repositories that declare no tier, with the highest tier each one already meets.',
    header: '| Repository | Achieves | Description |\n| --- | --- | --- |',
    rows: Rows.mapped(
      undeclared,
      (r) => `| ${repoLink(r)} | ${achievedCode(r)} | ${text(r.description ?? '', 120)} |`,
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
    rows: Rows.mapped(
      promotions,
      (r) => `| ${repoLink(r)} | ${tierCode(r.declaredTier)} | ${achievedCode(r)} |`,
    ),
  });

  // At risk: repositories that achieve less than they declare, per (declared, achieved), and compliant ones
  // that hold their tier only thanks to a waiver. The title counts repositories, not rows.
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
  let atRisk = 0;
  const belowRows = [...below.entries()]
    .map(([key, repos]) => {
      const [declared, achieved] = key.split('\u0000');
      return { declared, achieved: achieved || null, repos: repos.sort(byName) };
    })
    .sort((a, b) => rank(b.declared) - rank(a.declared) || rank(b.achieved) - rank(a.achieved))
    .map(({ declared, achieved, repos }) => {
      atRisk += repos.length;
      const shown = repos.slice(0, AT_RISK_NAMES).map((r) => text(r.name, 100));
      const more = repos.length > AT_RISK_NAMES ? `, +${repos.length - AT_RISK_NAMES} more` : '';
      return `| ${tierCode(declared)} | ${tierCode(achieved)} | ${repos.length} | ${shown.join(', ')}${more} |`;
    });
  const held = report.repositories
    .filter((r) => r.status === 'compliant' && r.checks.some((f) => f.outcome === 'waived'))
    .sort((a, b) => rank(b.declaredTier) - rank(a.declaredTier) || byName(a, b))
    .map((r) => {
      atRisk++;
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
    title: `⚠️ At risk (${atRisk} repositor${atRisk === 1 ? 'y' : 'ies'})`,
    fold: true,
    foldLabel: 'Show them',
    intro:
      'Per declared tier: repositories that achieve a lower tier (their findings are above), and compliant ones that hold their tier only thanks to a waiver.',
    header: '| Declared | Achieves | Repositories | Which |\n| --- | --- | ---: | --- |',
    rows: Rows.concat(Rows.of(belowRows), Rows.of(held)),
  });

  // Waivers, each with the repositories it covers.
  const waivers = new Map<
    string,
    { check: string; reason: string; expires: string | null; repos: RepositoryReport[] }
  >();
  for (const r of report.repositories) {
    for (const f of r.checks) {
      if (f.outcome !== 'waived' || !f.waiver) continue;
      const key = `${f.id}\u0000${f.waiver.reason}\u0000${f.waiver.expires ?? ''}`;
      const entry = waivers.get(key) ?? {
        check: f.id,
        reason: f.waiver.reason,
        expires: f.waiver.expires,
        repos: [],
      };
      if (!entry.repos.includes(r)) entry.repos.push(r);
      waivers.set(key, entry);
    }
  }
  const waiverRows = [...waivers.values()]
    .sort((a, b) => (a.check < b.check ? -1 : a.check > b.check ? 1 : a.reason < b.reason ? -1 : 1))
    .map((w) => {
      const shown = w.expires
        ? `${text(w.expires, 20)}${waiverIsSoon(w.expires, now) ? ' ⏳' : ''}`
        : 'never';
      return `| ${code(w.check)} | ${w.repos
        .sort(byName)
        .map((r) => repoLink(r))
        .join(', ')} | ${text(w.reason)} | ${shown} |`;
    });
  sections.push({
    key: 'waivers',
    title: `📝 Active waivers (${waiverRows.length})`,
    fold: true,
    intro: `⏳ marks waivers that expire within ${SOON_DAYS} days of this audit.`,
    header: '| Requirement | Repositories covered | Reason | Expires |\n| --- | --- | --- | --- |',
    rows: Rows.of(waiverRows),
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
    title: `🚫 Not evaluated and skipped (${notEvaluated.length + orgErrors.length})`,
    fold: true,
    intro:
      'Repositories that could not be read or evaluated (their previous findings are kept), and repositories left out by the policy, with the reason.',
    header: '| Repository | Status | Reason |\n| --- | --- | --- |',
    rows: Rows.concat(
      Rows.mapped(
        orgErrors,
        (e) =>
          `| ${e.repository ? text(e.repository, 100) : '(organization)'} | error | ${text(e.message)} |`,
      ),
      Rows.mapped(
        notEvaluated,
        (r) =>
          `| ${repoLink(r)} | ${r.status} | ${text(r.status === 'error' ? (r.error ?? 'unknown error') : (r.skipReason ?? 'skipped'))} |`,
      ),
    ),
  });

  const deprecated = report.repositories.filter((r) => isDeprecated(r)).sort(byName);
  sections.push({
    key: 'deprecated',
    title: `🗄️ Deprecated (${deprecated.length})`,
    fold: true,
    intro: 'Repositories declared deprecated: each should be archived or announce its deprecation.',
    header: '| Repository | State | Details |\n| --- | --- | --- |',
    rows: Rows.mapped(deprecated, (r) => {
      const failing = failingFindings(r);
      const detail = failing.length
        ? failing.map((f) => richText(f.message, 200)).join('; ')
        : richText(r.checks.find((f) => f.outcome === 'pass')?.message ?? 'declared deprecated', 200);
      return `| ${repoLink(r)} | ${failing.length ? '❌ needs action' : '✅'} | ${detail} |`;
    }),
  });

  const compliant = report.repositories
    .filter((r) => r.status === 'compliant' && !isDeprecated(r))
    .sort(byName);
  sections.push({
    key: 'compliant',
    title: `✅ Compliant (${compliant.length})`,
    fold: true,
    rows: nameRows(compliant),
  });

  const tiers = report.policy?.tiers ?? [];
  sections.push({
    key: 'policy',
    title: 'Policy in force',
    fold: true,
    intro:
      'Tiers from lowest to highest; each requires its own checks and those of the tiers below, with these parameters.',
    header: '| Tier | Also accepted as | Requires | Recommends |\n| --- | --- | --- | --- |',
    rows: Rows.mapped(
      tiers,
      (t) =>
        `| ${code(t.id)} | ${t.aliases.map((a) => code(a)).join(', ') || 'no alias'} | ${t.requires.map((c) => requirementWithParams(c, t.parameters?.[c])).join(', ') || 'nothing'} | ${(t.recommends ?? []).map((c) => requirementWithParams(c, t.parameters?.[c])).join(', ') || 'nothing'} |`,
    ),
    empty: 'The report does not include the policy.',
  });
  return sections.filter((s) => s.rows.length > 0 || s.empty);
}

/** The headline: organization, time, run link, counts that add up, counts per declared tier. */
export function headline(report: AuditReport, runUrl: string | null): string {
  const counts = headlineCounts(report.repositories);
  const run = safeUrl(runUrl)
    ? ` by [workflow run${report.run?.id ? ` ${text(report.run.id, 30)}` : ''}](${safeUrl(runUrl)})`
    : '';
  const parts = [
    `✅ ${counts.compliant} compliant`,
    `❌ ${counts.nonCompliant} non-compliant`,
    counts.undeclared ? `❔ ${counts.undeclared} undeclared` : null,
    counts.deprecated ? `🗄️ ${counts.deprecated} deprecated` : null,
    counts.errored ? `🚫 ${counts.errored} not evaluated` : null,
    counts.skipped ? `⏭️ ${counts.skipped} skipped` : null,
  ].filter(Boolean);
  const lines = [
    `## Tier audit: ${text(report.organization, 100)}`,
    '',
    `Audited **${formatTime(report.generatedAt)}**${run} · ${text(report.tool.name)} ${text(report.tool.version, 30)}`,
    '',
    `**${counts.total} repositories:** ${parts.join(' · ')}`,
  ];
  const perTier = tierBreakdown(report);
  if (perTier) lines.push('', perTier);
  const deprecatedFailing = report.repositories.filter(
    (r) => isDeprecated(r) && r.status === 'non-compliant',
  ).length;
  if (deprecatedFailing)
    lines.push(
      '',
      `🗄️ ${deprecatedFailing} deprecated repositor${deprecatedFailing === 1 ? 'y needs' : 'ies need'} action: see “Deprecated”.`,
    );
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
      coverage.graphqlPoints !== undefined ? counted(coverage.graphqlPoints, 'GraphQL point') : null,
      coverage.requests !== undefined ? counted(coverage.requests, 'request') : null,
    ].filter(Boolean);
    parts.push(`collection cost ${cost.join(' in ')}`);
  }
  const extra = coverage.extraReads;
  if (extra) {
    const cost = [
      extra.graphqlPoints !== undefined ? counted(extra.graphqlPoints, 'GraphQL point') : null,
      counted(extra.requests, 'request'),
    ].filter(Boolean);
    parts.push(
      `branch protection and issues read for ${counted(extra.repositories, 'repository', 'repositories')} whose tier asks for them: ${cost.join(' in ')}`,
    );
  }
  return `Coverage: ${parts.join(' · ')}`;
}

/** `1 request`, `2 requests`. */
function counted(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `Declared at a tier: 35 = `official` 10 (5 ✅, 5 ❌) + …`: adds up to compliant + non-compliant. */
function tierBreakdown(report: AuditReport): string {
  const declared = report.repositories.filter(
    (r) => r.declaredTier && (r.status === 'compliant' || r.status === 'non-compliant'),
  );
  if (declared.length === 0) return '';
  const tiers = declaredTiersHighestFirst(report, declared)
    .map((tier) => {
      const inTier = declared.filter((r) => r.declaredTier === tier);
      const failing = inTier.filter((r) => r.status === 'non-compliant').length;
      return `${code(tier)} ${inTier.length} (${inTier.length - failing} ✅, ${failing} ❌)`;
    })
    .join(' + ');
  return `**Declared at a tier: ${declared.length}** = ${tiers}`;
}

/** Logins of a repository's approvers as code, for tables (never mentions). */
export function approversAsCode(repository: RepositoryReport, max = 5): string {
  const approvers = repository.approvers ?? [];
  const shown = approvers.slice(0, max).map((a) => login(a));
  if (approvers.length > max) shown.push(`+${approvers.length - max}`);
  return shown.join(', ');
}
