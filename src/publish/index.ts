/**
 * Keeps exactly one tracking issue per organization audit up to date: read what is there (through the
 * `IssueApi` of src/github), render, plan the writes (plan.ts, pure), apply them in order.
 *
 * Only what the token's identity wrote is the action's own: issues and comments by anyone else are never
 * adopted, edited or deleted, whatever marker they carry.
 */
import {
  ACTIONS_TOKEN_LOGIN,
  sameLogin,
  ISSUE_PAGE_SIZE,
  type IssueApi,
  type IssueRecord,
} from '../github/issues.js';
import type { Logger } from '../log.js';
import { parseContinuationMarker, parseIssueMarker, isTrackingIssueOf } from '../report/markers.js';
import type { AuditReport } from '../report/model.js';
import { renderReport } from '../report/render.js';
import { readState, type Changes, type PreviousState } from '../report/state.js';
import { isAllCompliant } from '../report/summary.js';
import { PublishError, toPublishError } from './errors.js';
import { planPublish, type OwnedComment, type PublishAction, type Write } from './plan.js';

export { PublishError } from './errors.js';
export type { PublishAction } from './plan.js';

export interface PublishInput {
  organization: string;
  title: string;
  label: string;
  report: AuditReport;
  runId: string | null;
  runUrl: string | null;
  now: Date;
  /** The wall clock at publishing time (default: the system clock), to tell an edited marker from a newer run. */
  clock?: () => Date;
  dryRun: boolean;
  closeWhenCompliant: boolean;
  commentOnChange: boolean;
  mentionOwners: boolean;
  log: Logger;
  /** Limit of each part (tests); default 65,000 characters. */
  maxBodyChars?: number;
}

export interface PublishResult {
  issueNumber: number | null;
  issueUrl: string | null;
  action: PublishAction;
  body: string;
  continuations: string[];
  changes: Changes;
  /** The state the new body stores (findings with their first-seen dates, history). */
  state: PreviousState;
  /** Lines of the report that did not fit in the issue. */
  overflowLines: number;
  /** The writes planned (made, unless in a dry run), in order. */
  planned: Write[];
  /** Write requests made to GitHub. */
  writes: number;
}

/** Pages of 100 issues read when looking for labelled tracking issues. */
export const LABELED_PAGES = 10;
/** Pages of 100 recently updated issues scanned when no labelled one exists (label removed by hand). */
export const FALLBACK_PAGES = 3;
/** Pages of 100 comments read on the tracking issue. */
export const COMMENT_PAGES = 50;

function wasAllCompliant(state: PreviousState): boolean {
  return Object.values(state.repositories).every((r) => r.status !== 'non-compliant' && r.status !== 'error');
}

export async function publishTrackingIssue(api: IssueApi, input: PublishInput): Promise<PublishResult> {
  const { log } = input;
  const target = api.target;
  const read = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw toPublishError(error, operation, target);
    }
  };

  // 1. Who we are: only what this identity wrote is ours.
  let viewer = await read('identify the token', () => api.viewerLogin());
  if (!viewer) {
    viewer = ACTIONS_TOKEN_LOGIN;
    log.warning(
      `GitHub did not name the token's identity; assuming the Actions token (${ACTIONS_TOKEN_LOGIN})`,
    );
  }

  // 2. Find the tracking issue(s) and read back the previous state from our own comments.
  const candidates = await findTrackingIssues(api, input, viewer, read);
  const issue = candidates[0] ?? null;
  const duplicates = candidates.slice(1);
  let owned: OwnedComment[] = [];
  let previous: PreviousState | null = null;
  let stateProblem: string | null = null;
  if (issue) {
    owned = await listOwnedComments(api, issue, viewer, read);
    const state = readState(
      issue.body,
      owned.map((c) => c.body),
      { auditedAt: parseIssueMarker(issue.body)?.at },
    );
    previous = state.state;
    stateProblem = state.problem;
    if (state.problem)
      log.warning(
        `Tracking issue #${issue.number}: previous state not read (${state.problem}); this audit is a new baseline`,
      );
    if (previous && previous.organization.toLowerCase() !== input.organization.toLowerCase()) previous = null;
  }

  // 3. Render and plan.
  const report: AuditReport = { ...input.report, run: { id: input.runId, url: input.runUrl } };
  const rendered = renderReport(report, {
    previous,
    now: input.now,
    mentionOwners: input.mentionOwners,
    maxBodyChars: input.maxBodyChars,
    stateProblem,
  });
  const plan = planPublish({
    issue,
    duplicates,
    comments: owned,
    rendered,
    marker: { organization: input.organization, runId: input.runId, at: report.generatedAt },
    clock: (input.clock ?? (() => new Date()))(),
    title: input.title,
    label: input.label,
    allCompliant: isAllCompliant(report),
    previousAllCompliant: previous ? wasAllCompliant(previous) : null,
    closeWhenCompliant: input.closeWhenCompliant,
    commentOnChange: input.commentOnChange,
  });
  const result = (
    action: PublishAction,
    number: number | null,
    url: string | null,
    writes: number,
  ): PublishResult => ({
    issueNumber: number,
    issueUrl: url,
    action,
    body: rendered.body,
    continuations: rendered.continuations,
    changes: rendered.changes,
    state: rendered.state,
    overflowLines: rendered.overflowLines,
    planned: plan.writes,
    writes,
  });

  if (plan.action === 'skipped-newer-run') {
    for (const note of plan.notes) log.warning(note);
    return result(plan.action, issue?.number ?? null, issue?.htmlUrl ?? null, 0);
  }
  if (input.dryRun) {
    log.info(
      `Dry run: would ${issue ? `update tracking issue #${issue.number}` : 'create the tracking issue'} in ${target} (${plan.writes.length} write${plan.writes.length === 1 ? '' : 's'})`,
    );
    return result('dry-run', issue?.number ?? null, issue?.htmlUrl ?? null, 0);
  }

  // 4. Apply.
  const applied = await applyPlan(api, plan.writes);
  for (const note of plan.notes) log.info(note);
  const number = issue?.number ?? applied.created?.number ?? null;
  const url = issue?.htmlUrl ?? applied.created?.htmlUrl ?? null;
  if (number !== null)
    log.info(
      `Tracking issue #${number}: ${plan.action} (${applied.writes} write${applied.writes === 1 ? '' : 's'})`,
    );
  return result(plan.action, number, url, applied.writes);
}

/** Makes the planned writes in order; stops at the first failure (the plan's order keeps the previous report). */
export async function applyPlan(
  api: IssueApi,
  writes: readonly Write[],
): Promise<{ writes: number; created: { number: number; htmlUrl: string } | null }> {
  let count = 0;
  let created = null as { number: number; htmlUrl: string } | null;
  const write = async (operation: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      count++;
    } catch (error) {
      throw toPublishError(error, operation, api.target);
    }
  };
  for (const step of writes) {
    switch (step.kind) {
      case 'ensure-label': {
        const exists = await (async () => {
          try {
            return await api.labelExists(step.label);
          } catch (error) {
            throw toPublishError(error, `read the label ${step.label}`, api.target);
          }
        })();
        if (exists) break;
        try {
          await write(`create the label ${step.label}`, () =>
            api.createLabel({
              name: step.label,
              color: '5319e7',
              description: 'Tracking issue of the tier-audit organization audit',
            }),
          );
        } catch (error) {
          // Created meanwhile (another run): fine.
          if (!(
            error instanceof PublishError &&
            error.status === 422 &&
            /already_exists/.test(error.message)
          ))
            throw error;
        }
        break;
      }
      case 'create-issue':
        await write('create the tracking issue', async () => {
          created = await api.createIssue({ title: step.title, body: step.body, labels: step.labels });
        });
        break;
      case 'create-comment': {
        const issueNumber = step.issue ?? created?.number;
        if (issueNumber === undefined)
          throw new PublishError('internal error: comment before its issue', null, step.what);
        await write(`create ${step.what}`, () => api.createComment(issueNumber, step.body));
        break;
      }
      case 'update-comment':
        await write(`update ${step.what}`, () => api.updateComment(step.id, step.body));
        break;
      case 'delete-comment':
        await write(`delete ${step.what}`, () => api.deleteComment(step.id));
        break;
      case 'update-issue':
        await write(`update ${step.what}`, () => api.updateIssue(step.issue, step.patch));
        break;
    }
  }
  return { writes: count, created };
}

type Read = <T>(operation: string, fn: () => Promise<T>) => Promise<T>;

/** Tracking issues of this organization written by `viewer`, oldest first. */
async function findTrackingIssues(
  api: IssueApi,
  input: PublishInput,
  viewer: string,
  read: Read,
): Promise<IssueRecord[]> {
  const { label, organization } = input;
  const ours = (item: IssueRecord) =>
    !item.isPullRequest && sameLogin(item.author, viewer) && isTrackingIssueOf(item.body, organization);
  const found = new Map<number, IssueRecord>();
  for (let page = 1; page <= LABELED_PAGES; page++) {
    const items = await read('list issues', () =>
      api.listIssues({ label, sort: 'created', direction: 'asc', page }),
    );
    for (const item of items) if (ours(item)) found.set(item.number, item);
    if (items.length < ISSUE_PAGE_SIZE) break;
    if (page === LABELED_PAGES)
      input.log.warning(
        `More than ${LABELED_PAGES * 100} issues carry the label ${label}; only the first were searched`,
      );
  }
  if (found.size === 0) {
    // The label may have been removed by hand: the issue is updated on every run, so it is among the most
    // recently updated ones.
    for (let page = 1; page <= FALLBACK_PAGES; page++) {
      const items = await read('list issues', () =>
        api.listIssues({ label: null, sort: 'updated', direction: 'desc', page }),
      );
      for (const item of items) if (ours(item)) found.set(item.number, item);
      if (items.length < ISSUE_PAGE_SIZE) break;
    }
    if (found.size > 0)
      input.log.info(`Found the tracking issue without its label ${label}; the label is left as it is`);
  }
  return [...found.values()].sort((a, b) => a.number - b.number);
}

async function listOwnedComments(
  api: IssueApi,
  issue: IssueRecord,
  viewer: string,
  read: Read,
): Promise<OwnedComment[]> {
  const owned: OwnedComment[] = [];
  for (let page = 1; page <= COMMENT_PAGES; page++) {
    const comments = await read(`list comments of issue #${issue.number}`, () =>
      api.listComments(issue.number, page),
    );
    for (const comment of comments) {
      const n = parseContinuationMarker(comment.body);
      if (n !== null && sameLogin(comment.author, viewer))
        owned.push({ id: comment.id, n, body: comment.body });
    }
    if (comments.length < ISSUE_PAGE_SIZE) break;
  }
  return owned.sort((a, b) => a.n - b.n || a.id - b.id);
}
