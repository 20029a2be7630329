/**
 * The tracking issue: body + at most MAX_CONTINUATIONS continuation comments, and the short new-failures
 * comment.
 *
 * Body = issue marker, headline (counts that add up), changes since the last audit and the trend, then the
 * failing requirements grouped by (tier, check) worst first, then folded sections (advice, per repository,
 * drift, undeclared, promotion candidates, at risk, waivers, not evaluated, deprecated, compliant, policy),
 * then the hidden state and history blocks. What does not fit in the body continues in comments the action
 * owns (`<!-- tier-audit:continuation N -->`); when even the compact form does not fit, the issue says how
 * many lines were left to the job summary and the JSON report. Continuation comments depend only on the
 * findings (no time, no run id), so an unchanged rerun leaves them byte-identical.
 */
import { code, link, mention, text } from './escape.js';
import { layoutSections, measureChars, type Measure } from './layout.js';
import { continuationMarker, CHANGES_MARKER, issueMarker } from './markers.js';
import type { AuditReport } from './model.js';
import {
  allChangesSection,
  changesHeadline,
  formatTime,
  headline,
  compactFailureSections,
  failureSections,
  repoLink,
  repositoryNamed,
  secondarySections,
  trendChart,
  type Section,
} from './sections.js';
import {
  computeChanges,
  historyBlock,
  stateBlocks,
  stateFromReport,
  STATE_BLOCK_OVERHEAD,
  type Changes,
  type PreviousState,
} from './state.js';

/** GitHub rejects issue bodies and comments longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;
/** Default size of every part: a margin under GitHub's limit. */
export const DEFAULT_MAX_BODY_CHARS = 65_000;
/** Slack kept free in every part for notes whose exact size is not known in advance. */
const SLACK = 200;

export interface RenderOptions {
  previous: PreviousState | null;
  now: Date;
  /** Only affects `changesComment` (the body never mentions anyone). */
  mentionOwners: boolean;
  /** Limit of every part (body and each comment), in characters. Default 65,000. */
  maxBodyChars?: number;
  /** Why the previous state in the issue could not be read (the audit is then a new baseline). */
  stateProblem?: string | null;
}

export interface RenderResult {
  body: string;
  /** Comment bodies, in order: continuation 1, 2… Each starts with its continuation marker. */
  continuations: string[];
  /** The state stored by this body (and its continuations). */
  state: PreviousState;
  changes: Changes;
  /** The short comment listing only new failures, or null when nothing newly fails (or first audit). */
  changesComment: string | null;
  /** Lines of the report that did not fit in the issue (left to the job summary and the JSON report). */
  overflowLines: number;
}

function continuationHeader(report: AuditReport, n: number): string {
  return `${continuationMarker(n)}\n**Tier audit: ${text(report.organization, 100)}**, continuation ${n} (this comment is kept up to date by tier-audit).`;
}

const continuedNote = (n: number) => `_Continued in continuation comment ${n} below._`;

/** Sections in the issue's order: failing requirements, then the folded ones, then all changes if cut. */
export function reportSections(
  report: AuditReport,
  changes: Changes | null,
  now: Date,
  state: PreviousState | null = null,
  options: { compact?: boolean; perRepository?: boolean } = {},
): Section[] {
  const sections = options.compact ? compactFailureSections(report) : failureSections(report, state);
  const perRepository = options.perRepository ?? true;
  sections.push(...secondarySections(report, now).filter((s) => perRepository || s.key !== 'per-repository'));
  if (changes) {
    const head = changesHeadline(report, changes);
    if (head.truncated) sections.push(allChangesSection(report, changes));
  }
  return sections;
}

/** Whether the rows of all `sections` together measure at most `room` characters (rendering no more than needed). */
function rowsFitIn(sections: Section[], room: number): boolean {
  let left = room;
  for (const section of sections) {
    left -= section.rows.measureUpTo(left, measureChars);
    if (left < 0) return false;
  }
  return true;
}

/** Continuation comments the issue may have besides its body (state chunks included). */
export const MAX_CONTINUATIONS = 4;
/** Room kept in the body for the headline, the changes and the trend chart, so the split does not move. */
const HEAD_RESERVE = 10_000;
/** Room kept in the body for the history block (90 audits). */
const HISTORY_RESERVE = 8_000;

function overflowNote(lines: number): string {
  return `> [!WARNING]\n> ${lines} more line${lines === 1 ? '' : 's'} of this report did not fit in the issue (its body and ${MAX_CONTINUATIONS} comments): the job summary of the workflow run and the JSON report have every line.`;
}

export function renderReport(report: AuditReport, options: RenderOptions): RenderResult {
  const max = Math.max(4_000, Math.floor(options.maxBodyChars ?? DEFAULT_MAX_BODY_CHARS));
  const state = stateFromReport(report, options.previous);
  const changes = computeChanges(options.previous, state);
  const marker = issueMarker({
    organization: report.organization,
    runId: report.run?.id ?? null,
    at: report.generatedAt,
  });
  const trend = trendChart(state.history);
  const headParts = [
    marker,
    headline(report, report.run?.url ?? null),
    changesHeadline(report, changes, options.stateProblem ?? null).markdown,
    ...(trend ? [trend] : []),
  ];

  // The state: chunk 1 (and the hash) in the body, the rest in comments, which count among the continuations.
  const stateInBody = Math.floor(max * 0.4) - STATE_BLOCK_OVERHEAD;
  const nextRoom = max - continuationHeader(report, 9999).length - 2 - SLACK;
  // Compressed once (brotli at its best quality: seconds and tens of MB for a large organization).
  const blocks = stateBlocks(state, stateInBody);
  const firstChunk = blocks[0];
  const rest = blocks.slice(1).join('').length;
  const stateComments = rest === 0 ? 0 : Math.ceil(rest / (nextRoom - 300));
  const contentParts = Math.max(1, 1 + MAX_CONTINUATIONS - stateComments);
  const history = historyBlock(state.history);
  const tail = `\n\n${blocks[0]}\n${history}`;
  const headReserve = Math.min(
    Math.max(HEAD_RESERVE, headParts.join('\n\n').length + overflowNote(999_999).length + 4),
    max / 2,
  );
  const firstBudget =
    max - headReserve - firstChunk.length - Math.max(HISTORY_RESERVE, history.length) - 4 - SLACK;

  // Most detail that fits: every line; then without the per-repository table; then the compact groups.
  const attempts: { compact: boolean; perRepository: boolean }[] = [
    { compact: false, perRepository: true },
    { compact: false, perRepository: false },
    { compact: true, perRepository: false },
  ];
  let layout = null as ReturnType<typeof layoutSections> | null;
  const room = firstBudget + (contentParts - 1) * (nextRoom - overflowNote(999_999).length - 4);
  for (const [i, attempt] of attempts.entries()) {
    const sections = reportSections(report, changes, options.now, state, attempt);
    // Skip a form whose rows alone cannot fit (laying out 10,000 detailed lines to find out takes seconds).
    if (i < attempts.length - 1 && !rowsFitIn(sections, room)) continue;
    layout = layoutSections(sections, {
      firstBudget,
      nextBudget: nextRoom - overflowNote(999_999).length - 4,
      continuedNote,
      cutNote: '_The rest did not fit in the issue: see the note at the top._',
      measure: measureChars,
      maxParts: contentParts,
    });
    if (layout.overflowRows === 0) break;
  }
  const laid = layout!;
  if (laid.overflowRows > 0) headParts.push(overflowNote(laid.overflowRows));
  const head = headParts.join('\n\n');
  const body = `${head}\n\n${laid.parts[0]}${tail}\n`;
  const continuations = laid.parts
    .slice(1)
    .map((part, i) => `${continuationHeader(report, i + 1)}\n\n${part}\n`);
  for (const block of blocks.slice(1)) {
    const n = continuations.length + 1;
    continuations.push(
      `${continuationMarker(n)}\n_Machine-readable state of the tracking issue, part of the audit of ${text(report.organization, 100)} (kept up to date by tier-audit; do not edit)._\n${block}\n`,
    );
  }
  for (const [i, part] of [body, ...continuations].entries()) {
    if (part.length > max)
      throw new Error(`internal error: part ${i} has ${part.length} characters (limit ${max})`);
  }
  return {
    body,
    continuations,
    state,
    changes,
    overflowLines: laid.overflowRows,
    changesComment: renderChangesComment(report, changes, {
      mentionOwners: options.mentionOwners,
      maxChars: max,
    }),
  };
}

/** The whole report as one markdown document without size limit or hidden blocks (CLI without an issue). */
export function renderFullReport(report: AuditReport, now: Date): string {
  const layout = layoutSections(reportSections(report, null, now), {
    firstBudget: Number.POSITIVE_INFINITY,
    nextBudget: Number.POSITIVE_INFINITY,
    continuedNote,
    measure: measureChars,
  });
  return `${headline(report, report.run?.url ?? null)}\n\n${layout.parts[0]}\n`;
}

/** Renders sections into one part of at most `budget` units, pointing to `fileName` for what is left out. */
export function renderSingle(
  report: AuditReport,
  now: Date,
  budget: number,
  measure: Measure,
  fileName: string,
  state: PreviousState | null = null,
): { markdown: string; overflowRows: number } {
  const head = headline(report, report.run?.url ?? null);
  const pointer = (rows: number) =>
    `> [!NOTE]\n> The report is too long for this page: ${rows} more row(s) are only in the JSON report ${code(fileName)}.`;
  const layout = layoutSections(reportSections(report, null, now, state), {
    firstBudget: budget - measure(head) - measure(pointer(999_999_999)) - 8 - SLACK,
    nextBudget: budget,
    continuedNote: () => `_The rest of this list is in the JSON report ${code(fileName)}._`,
    measure,
    maxParts: 1,
  });
  const parts = [head, layout.parts[0]];
  if (layout.overflowRows > 0) parts.push(pointer(layout.overflowRows));
  return { markdown: `${parts.join('\n\n')}\n`, overflowRows: layout.overflowRows };
}

/**
 * The comment posted (with `comment-on-change`) when requirements newly fail: only the new failures.
 * Approvers are @-mentioned only here, and only with `mentionOwners`.
 */
export function renderChangesComment(
  report: AuditReport,
  changes: Changes,
  options: { mentionOwners: boolean; maxChars?: number },
): string | null {
  if (changes.firstAudit || changes.newFailures.length === 0) return null;
  const max = options.maxChars ?? DEFAULT_MAX_BODY_CHARS;
  const byRepo = new Map<string, string[]>();
  for (const failure of changes.newFailures) {
    byRepo.set(failure.repository, [...(byRepo.get(failure.repository) ?? []), failure.check]);
  }
  const run = report.run?.url ? ` (${link('workflow run', report.run.url)})` : '';
  const lines = [
    CHANGES_MARKER,
    `**${changes.newFailures.length} requirement(s) newly fail** in ${byRepo.size} repositor${byRepo.size === 1 ? 'y' : 'ies'} of ${text(report.organization, 100)} since the last audit, ${formatTime(report.generatedAt)}${run}:`,
    '',
  ];
  let size = lines.join('\n').length;
  let shown = 0;
  for (const [name, checks] of byRepo) {
    const repository = repositoryNamed(report, name);
    const who =
      options.mentionOwners && repository?.approvers?.length
        ? ` — ${repository.approvers
            .slice(0, 10)
            .map((a) => mention(a))
            .join(' ')}`
        : '';
    const line = `- ${repository ? repoLink(repository) : text(name, 100)}: ${checks.map((c) => code(c)).join(', ')}${who}`;
    if (size + line.length + 1 > max - SLACK) break;
    lines.push(line);
    size += line.length + 1;
    shown++;
  }
  if (shown < byRepo.size)
    lines.push('', `…and ${byRepo.size - shown} more repositories: see the issue body.`);
  lines.push('', 'Details and remediation are in the issue body above.');
  return `${lines.join('\n')}\n`;
}
