/**
 * The pure half of publishing: what is in the repository now (the tracking issue, its duplicates and the
 * continuation comments the action owns) and the new rendering → the ordered list of writes.
 *
 * Commit order, so that an abort at any point leaves a readable issue and never loses the previous report:
 * continuation comments first (edited in place or created), then the body (the commit point: it holds the
 * marker, the headline and the state chunk naming the state hash), then surplus continuation comments are
 * deleted, then the notification comment, then duplicates are closed. An abort before the body write leaves
 * the previous body (and state) in place; the next run repairs the comments. A new issue is created with its
 * body first (there is no previous report to keep), then its continuations.
 */
import type { IssuePatch, IssueRecord } from '../github/issues.js';
import { parseIssueMarker, writtenByNewerRun, type IssueMarker } from '../report/markers.js';
import { hasChanges, type Changes } from '../report/state.js';

export type PublishAction =
  'created' | 'updated' | 'unchanged' | 'closed' | 'reopened' | 'skipped-newer-run' | 'dry-run';

/** A continuation comment the action owns: its number N (from its marker) and text. */
export interface OwnedComment {
  id: number;
  n: number;
  body: string;
}

export type Write =
  | { kind: 'ensure-label'; label: string }
  | { kind: 'create-issue'; title: string; body: string; labels: string[] }
  /** `issue: null` = the issue created by the plan's `create-issue`. */
  | { kind: 'create-comment'; issue: number | null; body: string; what: string }
  | { kind: 'update-comment'; id: number; body: string; what: string }
  | { kind: 'delete-comment'; id: number; what: string }
  | { kind: 'update-issue'; issue: number; patch: IssuePatch; what: string };

export interface PlanInput {
  /** The tracking issue (the oldest one the action owns), or null. */
  issue: IssueRecord | null;
  /** Other tracking issues of the same organization the action owns. */
  duplicates: IssueRecord[];
  /** Continuation comments of `issue` the action owns. */
  comments: OwnedComment[];
  rendered: { body: string; continuations: string[]; changes: Changes; changesComment: string | null };
  /** The marker the new body carries. */
  marker: IssueMarker;
  /** The wall clock when publishing: a marker later than this was edited by hand, not written by a run. */
  clock: Date;
  title: string;
  label: string;
  /** Nothing to act on in the new report. */
  allCompliant: boolean;
  /** Whether the previous state (if any) had nothing to act on; null without a previous state. */
  previousAllCompliant: boolean | null;
  closeWhenCompliant: boolean;
  commentOnChange: boolean;
}

export interface PublishPlan {
  action: PublishAction;
  writes: Write[];
  /** What the plan decided, for the log. */
  notes: string[];
}

export const CLOSING_COMMENT =
  'Every repository meets its declared tier and the audit reported no error: closing. tier-audit reopens this issue when findings return.';

export const duplicateComment = (kept: number) =>
  `Duplicate of #${kept}: tier-audit keeps one tracking issue per organization and updates #${kept}. Closing this one.`;

export function planPublish(input: PlanInput): PublishPlan {
  const { issue, rendered } = input;
  const notes: string[] = [];

  if (!issue) {
    if (input.allCompliant && input.closeWhenCompliant) {
      return {
        action: 'unchanged',
        writes: [],
        notes: ['Every repository is compliant: no tracking issue to open'],
      };
    }
    const writes: Write[] = [
      { kind: 'ensure-label', label: input.label },
      { kind: 'create-issue', title: input.title, body: rendered.body, labels: [input.label] },
      ...rendered.continuations.map((body, i): Write => ({
        kind: 'create-comment',
        issue: null,
        body,
        what: `continuation comment ${i + 1}`,
      })),
    ];
    return { action: 'created', writes, notes };
  }

  const existing = parseMarkerOf(issue);
  if (existing && writtenByNewerRun(existing, input.marker, input.clock)) {
    return {
      action: 'skipped-newer-run',
      writes: [],
      notes: [
        `Tracking issue #${issue.number} was written by a newer run (${existing.at}, run ${existing.runId ?? '-'}); leaving it as is`,
      ],
    };
  }

  const number = issue.number;
  const shouldClose = issue.state === 'open' && input.allCompliant && input.closeWhenCompliant;
  const shouldReopen =
    issue.state === 'closed' &&
    !input.allCompliant &&
    (input.previousAllCompliant === null ||
      input.previousAllCompliant ||
      rendered.changes.newFailures.length > 0);

  const writes: Write[] = [];
  const byNumber = new Map<number, OwnedComment>();
  const surplus: OwnedComment[] = [];
  for (const comment of [...input.comments].sort((a, b) => a.n - b.n || a.id - b.id)) {
    if (byNumber.has(comment.n)) surplus.push(comment);
    else byNumber.set(comment.n, comment);
  }
  for (const [i, body] of rendered.continuations.entries()) {
    const current = byNumber.get(i + 1);
    if (current && current.body === body) continue;
    writes.push(
      current
        ? {
            kind: 'update-comment',
            id: current.id,
            body,
            what: `continuation comment ${i + 1} of issue #${number}`,
          }
        : {
            kind: 'create-comment',
            issue: number,
            body,
            what: `continuation comment ${i + 1} of issue #${number}`,
          },
    );
  }
  for (const comment of byNumber.values())
    if (comment.n > rendered.continuations.length) surplus.push(comment);

  const patch: IssuePatch = {};
  if (issue.body !== rendered.body) patch.body = rendered.body;
  if (issue.title !== input.title) patch.title = input.title;
  if (shouldClose) {
    patch.state = 'closed';
    patch.stateReason = 'completed';
  } else if (shouldReopen) {
    patch.state = 'open';
    patch.stateReason = 'reopened';
  }
  if (Object.keys(patch).length > 0)
    writes.push({ kind: 'update-issue', issue: number, patch, what: `tracking issue #${number}` });

  for (const comment of surplus.sort((a, b) => a.n - b.n || a.id - b.id)) {
    writes.push({
      kind: 'delete-comment',
      id: comment.id,
      what: `continuation comment ${comment.n} of issue #${number}`,
    });
  }

  if (shouldClose) {
    writes.push({
      kind: 'create-comment',
      issue: number,
      body: CLOSING_COMMENT,
      what: `comment on tracking issue #${number}`,
    });
  } else if (input.commentOnChange && rendered.changesComment) {
    writes.push({
      kind: 'create-comment',
      issue: number,
      body: rendered.changesComment,
      what: `comment on tracking issue #${number}`,
    });
  }

  for (const duplicate of input.duplicates) {
    if (duplicate.state !== 'open') continue;
    writes.push(
      {
        kind: 'create-comment',
        issue: duplicate.number,
        body: duplicateComment(number),
        what: `comment on duplicate tracking issue #${duplicate.number}`,
      },
      {
        kind: 'update-issue',
        issue: duplicate.number,
        patch: { state: 'closed', stateReason: 'not_planned' },
        what: `duplicate tracking issue #${duplicate.number}`,
      },
    );
    notes.push(`Closing duplicate tracking issue #${duplicate.number} in favour of #${number}`);
  }

  const commentsChanged = writes.some((w) => w.kind !== 'update-issue' || w.issue !== number);
  const action: PublishAction = shouldClose
    ? 'closed'
    : shouldReopen
      ? 'reopened'
      : hasChanges(rendered.changes) || rendered.changes.firstAudit || commentsChanged || writes.length > 1
        ? 'updated'
        : 'unchanged';
  return { action, writes, notes };
}

function parseMarkerOf(issue: IssueRecord): IssueMarker | null {
  return parseIssueMarker(issue.body);
}
