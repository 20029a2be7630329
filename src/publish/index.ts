/**
 * Keeps exactly one tracking issue per organization audit up to date.
 *
 * Order of writes (so that an abort at any point leaves a readable issue and never loses the previous
 * report): continuation comments first (created or edited in place), then the body (the commit point: it
 * holds the marker, the headline and the state chunk that names the state hash), then surplus continuation
 * comments are deleted, then notification comments, then duplicates are closed. An abort before the body
 * write leaves the previous body (and previous state) in place; the next run repairs the comments.
 */
import type { RestClient } from '../github/rest.js';
import type { Logger } from '../log.js';
import {
  parseContinuationMarker,
  isTrackingIssueOf,
  parseIssueMarker,
  writtenByNewerRun,
} from '../report/markers.js';
import type { AuditReport } from '../report/model.js';
import { renderReport } from '../report/render.js';
import { hasChanges, readState, type Changes, type PreviousState } from '../report/state.js';
import { isAllCompliant } from '../report/summary.js';
import { PublishError, statusOf, toPublishError } from './errors.js';

export { PublishError } from './errors.js';

export interface PublishInput {
  owner: string;
  repo: string;
  organization: string;
  title: string;
  label: string;
  report: AuditReport;
  runId: string | null;
  runUrl: string | null;
  now: Date;
  dryRun: boolean;
  closeWhenCompliant: boolean;
  commentOnChange: boolean;
  mentionOwners: boolean;
  log: Logger;
  /** Limit of each part (tests); default 65,000 characters. */
  maxBodyChars?: number;
}

export type PublishAction =
  'created' | 'updated' | 'unchanged' | 'closed' | 'reopened' | 'skipped-newer-run' | 'dry-run';

export interface PublishResult {
  issueNumber: number | null;
  issueUrl: string | null;
  action: PublishAction;
  body: string;
  continuations: string[];
  changes: Changes;
  /** Write requests made to GitHub. */
  writes: number;
}

/** Pages of 100 issues read when looking for labelled tracking issues. */
export const LABELED_PAGES = 10;
/** Pages of 100 recently updated issues scanned when no labelled one exists (label removed by hand). */
export const FALLBACK_PAGES = 3;
/** Pages of 100 comments read on the tracking issue. */
export const COMMENT_PAGES = 50;

const TRUSTED_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

interface IssueInfo {
  number: number;
  title: string;
  body: string;
  state: string;
  createdAt: string;
  htmlUrl: string;
  author: string | null;
}

interface OwnedComment {
  id: number;
  n: number;
  body: string;
}

type IssueData = Awaited<ReturnType<RestClient['rest']['issues']['listForRepo']>>['data'][number];

function toInfo(issue: IssueData): IssueInfo {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state,
    createdAt: issue.created_at,
    htmlUrl: issue.html_url,
    author: issue.user?.login ?? null,
  };
}

function wasAllCompliant(state: PreviousState): boolean {
  return Object.values(state.repositories).every((r) => r.status !== 'non-compliant' && r.status !== 'error');
}

export async function publishTrackingIssue(rest: RestClient, input: PublishInput): Promise<PublishResult> {
  const { owner, repo, log } = input;
  const target = `${owner}/${repo}`;
  let writes = 0;
  const call = async <T>(operation: string, write: boolean, fn: () => Promise<T>): Promise<T> => {
    if (write && input.dryRun)
      throw new PublishError(`internal error: write "${operation}" in a dry run`, null, operation);
    try {
      const result = await fn();
      if (write) writes++;
      return result;
    } catch (error) {
      throw toPublishError(error, operation, target);
    }
  };

  // 1. Find the tracking issue(s).
  const candidates = await findTrackingIssues(rest, input, call);
  const issue = candidates[0] ?? null;
  const duplicates = candidates.slice(1);

  // 2. Read back the previous state and our continuation comments.
  let owned: OwnedComment[] = [];
  let previous: PreviousState | null = null;
  if (issue) {
    owned = await listOwnedComments(rest, input, issue, call);
    const read = readState(
      issue.body,
      owned.map((c) => c.body),
    );
    previous = read.state;
    if (read.problem)
      log.warning(
        `Tracking issue #${issue.number}: previous state not read (${read.problem}); changes are computed from scratch`,
      );
    if (previous && previous.organization.toLowerCase() !== input.organization.toLowerCase()) previous = null;
  }

  const report: AuditReport = { ...input.report, run: { id: input.runId, url: input.runUrl } };
  const rendered = renderReport(report, {
    previous,
    now: input.now,
    mentionOwners: input.mentionOwners,
    maxBodyChars: input.maxBodyChars,
  });
  const result = (action: PublishAction, number: number | null, url: string | null): PublishResult => ({
    issueNumber: number,
    issueUrl: url,
    action,
    body: rendered.body,
    continuations: rendered.continuations,
    changes: rendered.changes,
    writes,
  });

  // 3. Never overwrite a report written by a newer run.
  const existingMarker = issue ? parseIssueMarker(issue.body) : null;
  if (
    issue &&
    existingMarker &&
    writtenByNewerRun(existingMarker, {
      organization: input.organization,
      runId: input.runId,
      at: report.generatedAt,
    })
  ) {
    log.warning(
      `Tracking issue #${issue.number} was written by a newer run (${existingMarker.at}, run ${existingMarker.runId ?? '-'}); leaving it as is`,
    );
    return result('skipped-newer-run', issue.number, issue.htmlUrl);
  }

  const allCompliant = isAllCompliant(report);
  if (input.dryRun) {
    log.info(
      issue
        ? `Dry run: would update tracking issue #${issue.number} in ${target}`
        : `Dry run: would create the tracking issue in ${target}`,
    );
    return result('dry-run', issue?.number ?? null, issue?.htmlUrl ?? null);
  }

  // 4a. No issue yet.
  if (!issue) {
    if (allCompliant && input.closeWhenCompliant) {
      log.info(`Every repository is compliant: no tracking issue to open in ${target}`);
      return result('unchanged', null, null);
    }
    await ensureLabel(rest, input, call);
    const created = await call('create the tracking issue', true, () =>
      rest.rest.issues.create({
        owner,
        repo,
        title: input.title,
        body: rendered.body,
        labels: [input.label],
      }),
    );
    const number = created.data.number;
    for (const [i, body] of rendered.continuations.entries()) {
      await call(`create continuation comment ${i + 1} of issue #${number}`, true, () =>
        rest.rest.issues.createComment({ owner, repo, issue_number: number, body }),
      );
    }
    log.info(`Created tracking issue #${number} (${created.data.html_url})`);
    return result('created', number, created.data.html_url);
  }

  // 4b. Update the existing issue.
  const number = issue.number;
  const shouldClose = issue.state === 'open' && allCompliant && input.closeWhenCompliant;
  const shouldReopen =
    issue.state === 'closed' &&
    !allCompliant &&
    (previous === null || wasAllCompliant(previous) || rendered.changes.newFailures.length > 0);

  let commentsChanged = false;
  const byNumber = new Map<number, OwnedComment>();
  const surplus: OwnedComment[] = [];
  for (const comment of owned) {
    if (byNumber.has(comment.n)) surplus.push(comment);
    else byNumber.set(comment.n, comment);
  }
  for (const [i, body] of rendered.continuations.entries()) {
    const existing = byNumber.get(i + 1);
    if (existing && existing.body === body) continue;
    commentsChanged = true;
    if (existing) {
      await call(`update continuation comment ${i + 1} of issue #${number}`, true, () =>
        rest.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body }),
      );
    } else {
      await call(`create continuation comment ${i + 1} of issue #${number}`, true, () =>
        rest.rest.issues.createComment({ owner, repo, issue_number: number, body }),
      );
    }
  }
  for (const comment of byNumber.values())
    if (comment.n > rendered.continuations.length) surplus.push(comment);

  const patch: {
    title?: string;
    body?: string;
    state?: 'open' | 'closed';
    state_reason?: 'completed' | 'reopened';
  } = {};
  if (issue.body !== rendered.body) patch.body = rendered.body;
  if (issue.title !== input.title) patch.title = input.title;
  if (shouldClose) {
    patch.state = 'closed';
    patch.state_reason = 'completed';
  } else if (shouldReopen) {
    patch.state = 'open';
    patch.state_reason = 'reopened';
  }
  if (Object.keys(patch).length > 0) {
    await call(`update tracking issue #${number}`, true, () =>
      rest.rest.issues.update({ owner, repo, issue_number: number, ...patch }),
    );
  }

  for (const comment of surplus) {
    commentsChanged = true;
    await call(`delete continuation comment ${comment.n} of issue #${number}`, true, () =>
      rest.rest.issues.deleteComment({ owner, repo, comment_id: comment.id }),
    );
  }

  if (shouldClose) {
    await call(`comment on tracking issue #${number}`, true, () =>
      rest.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body: `Every repository meets its declared tier and the audit reported no error: closing. tier-audit reopens this issue when findings return.`,
      }),
    );
  } else if (input.commentOnChange && rendered.changesComment) {
    const body = rendered.changesComment;
    await call(`comment on tracking issue #${number}`, true, () =>
      rest.rest.issues.createComment({ owner, repo, issue_number: number, body }),
    );
  }

  for (const duplicate of duplicates) {
    if (duplicate.state !== 'open') continue;
    await call(`comment on duplicate tracking issue #${duplicate.number}`, true, () =>
      rest.rest.issues.createComment({
        owner,
        repo,
        issue_number: duplicate.number,
        body: `Duplicate of #${number}: tier-audit keeps one tracking issue per organization and updates #${number}. Closing this one.`,
      }),
    );
    await call(`close duplicate tracking issue #${duplicate.number}`, true, () =>
      rest.rest.issues.update({
        owner,
        repo,
        issue_number: duplicate.number,
        state: 'closed',
        state_reason: 'not_planned',
      }),
    );
    log.info(`Closed duplicate tracking issue #${duplicate.number} in favour of #${number}`);
  }

  const action: PublishAction = shouldClose
    ? 'closed'
    : shouldReopen
      ? 'reopened'
      : hasChanges(rendered.changes) || commentsChanged || rendered.changes.firstAudit || writes > 1
        ? 'updated'
        : 'unchanged';
  log.info(`Tracking issue #${number}: ${action} (${writes} write${writes === 1 ? '' : 's'})`);
  return result(action, number, issue.htmlUrl);
}

type Call = <T>(operation: string, write: boolean, fn: () => Promise<T>) => Promise<T>;

/** Tracking issues of this organization, oldest first. */
async function findTrackingIssues(rest: RestClient, input: PublishInput, call: Call): Promise<IssueInfo[]> {
  const { owner, repo, label, organization } = input;
  const found = new Map<number, IssueInfo>();
  for (let page = 1; page <= LABELED_PAGES; page++) {
    const response = await call('list issues', false, () =>
      rest.rest.issues.listForRepo({
        owner,
        repo,
        labels: label,
        state: 'all',
        sort: 'created',
        direction: 'asc',
        per_page: 100,
        page,
      }),
    );
    for (const item of response.data) {
      if (!item.pull_request && isTrackingIssueOf(item.body, organization))
        found.set(item.number, toInfo(item));
    }
    if (response.data.length < 100) break;
    if (page === LABELED_PAGES)
      input.log.warning(
        `More than ${LABELED_PAGES * 100} issues carry the label ${label}; only the first were searched`,
      );
  }
  if (found.size === 0) {
    // The label may have been removed by hand: the issue is updated on every run, so it is among the most
    // recently updated ones. Only issues written by a bot or a member count (an outsider's forged marker does not).
    for (let page = 1; page <= FALLBACK_PAGES; page++) {
      const response = await call('list issues', false, () =>
        rest.rest.issues.listForRepo({
          owner,
          repo,
          state: 'all',
          sort: 'updated',
          direction: 'desc',
          per_page: 100,
          page,
        }),
      );
      for (const item of response.data) {
        const trusted = item.user?.type === 'Bot' || TRUSTED_ASSOCIATIONS.has(item.author_association ?? '');
        if (!item.pull_request && trusted && isTrackingIssueOf(item.body, organization)) {
          found.set(item.number, toInfo(item));
        }
      }
      if (response.data.length < 100) break;
    }
    if (found.size > 0) {
      input.log.info(`Found the tracking issue without its label ${label}; the label is left as it is`);
    }
  }
  return [...found.values()].sort((a, b) => a.number - b.number);
}

async function listOwnedComments(
  rest: RestClient,
  input: PublishInput,
  issue: IssueInfo,
  call: Call,
): Promise<OwnedComment[]> {
  const { owner, repo } = input;
  const owned: OwnedComment[] = [];
  for (let page = 1; page <= COMMENT_PAGES; page++) {
    const response = await call(`list comments of issue #${issue.number}`, false, () =>
      rest.rest.issues.listComments({ owner, repo, issue_number: issue.number, per_page: 100, page }),
    );
    for (const comment of response.data) {
      const n = parseContinuationMarker(comment.body);
      // Only comments written by the issue's author (the action's identity) are ours to edit or delete.
      if (n !== null && comment.user?.login === issue.author)
        owned.push({ id: comment.id, n, body: comment.body ?? '' });
    }
    if (response.data.length < 100) break;
  }
  return owned.sort((a, b) => a.n - b.n || a.id - b.id);
}

async function ensureLabel(rest: RestClient, input: PublishInput, call: Call): Promise<void> {
  const { owner, repo, label } = input;
  try {
    await rest.rest.issues.getLabel({ owner, repo, name: label });
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw toPublishError(error, `read the label ${label}`, `${owner}/${repo}`);
  }
  try {
    await call(`create the label ${label}`, true, () =>
      rest.rest.issues.createLabel({
        owner,
        repo,
        name: label,
        color: '5319e7',
        description: 'Tracking issue of the tier-audit organization audit',
      }),
    );
  } catch (error) {
    // Created meanwhile (another run): fine.
    if (!(error instanceof PublishError && error.status === 422 && /already_exists/.test(error.message)))
      throw error;
  }
}
