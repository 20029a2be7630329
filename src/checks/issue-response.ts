/**
 * `issue-response`: the median time to a maintainer's first response on issues opened in the last
 * `window-days` is at most `max-median-days`. Read only for repositories whose declared or candidate
 * tier asks for it, in a separate bounded query (github/extras.ts): the newest issues, each with its
 * first comments.
 */
import { expandNames, loadRootOwners } from './owners-file.js';
import type { RepoSnapshot, SampledIssue } from '../snapshot.js';
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import {
  cutoff,
  dayOf,
  error,
  fail,
  isoDay,
  notApplicable,
  numberParam,
  pass,
  withDefaults,
} from './util.js';

const DAY_MS = 86_400_000;

/** Author associations GitHub gives the organization's maintainers. */
const MAINTAINER_ASSOCIATIONS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/** Logins of the root OWNERS (approvers and reviewers, aliases expanded), lower-case; empty when unknown. */
export function ownersLogins(snapshot: RepoSnapshot): Set<string> {
  try {
    const loaded = loadRootOwners(snapshot);
    if (loaded.state !== 'ok') return new Set();
    const roles = loaded.owners.roles;
    return new Set(
      [...(roles.approvers ?? []), ...(roles.reviewers ?? [])]
        .flatMap((name) => expandNames([name], loaded.aliases))
        .map((login) => login.toLowerCase()),
    );
  } catch {
    return new Set();
  }
}

export interface IssueResponse {
  issue: SampledIssue;
  /** Days until the first response (or until now, while unanswered). */
  days: number;
  how: 'comment' | 'closed' | 'waiting';
}

/** Response times of the issues opened at or after `since` by people other than maintainers and bots. */
export function responseTimes(
  issues: SampledIssue[],
  since: Date,
  now: Date,
  isMaintainer: (login: string | null, association: string) => boolean,
  commentsPerIssue: number,
): { responses: IssueResponse[]; byMaintainers: number; unknown: number } {
  const responses: IssueResponse[] = [];
  let byMaintainers = 0;
  let unknown = 0;
  for (const issue of issues) {
    const opened = Date.parse(issue.createdAt);
    if (Number.isNaN(opened) || opened < since.getTime() || opened > now.getTime()) continue;
    if (issue.authorIsBot || isMaintainer(issue.author, issue.authorAssociation)) {
      byMaintainers++;
      continue;
    }
    const first = issue.comments.find(
      (c) =>
        !c.authorIsBot &&
        c.author?.toLowerCase() !== issue.author?.toLowerCase() &&
        isMaintainer(c.author, c.authorAssociation),
    );
    if (first) {
      responses.push({ issue, days: (Date.parse(first.createdAt) - opened) / DAY_MS, how: 'comment' });
    } else if (issue.comments.length >= commentsPerIssue) {
      unknown++; // the maintainer's answer, if any, is beyond the comments read
    } else if (issue.closedAt) {
      responses.push({ issue, days: (Date.parse(issue.closedAt) - opened) / DAY_MS, how: 'closed' });
    } else {
      responses.push({ issue, days: (now.getTime() - opened) / DAY_MS, how: 'waiting' });
    }
  }
  return { responses, byMaintainers, unknown };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function days(n: number): string {
  const rounded = n < 1 ? Math.round(n * 24 * 10) / 10 / 24 : Math.round(n * 10) / 10;
  return n < 1 ? `${Math.round(rounded * 24 * 10) / 10} hours` : `${rounded} day${rounded === 1 ? '' : 's'}`;
}

export const issueResponseCheck = defineCheck({
  id: 'issue-response',
  title: 'Issue response',
  description:
    "The median time to a maintainer's first response (a comment by an owner, member or collaborator, or by someone in the root OWNERS; closing the issue counts; an issue still unanswered counts with its age) on issues opened by others in the last `window-days` (default 90) is at most `max-median-days` (default 14); not applicable under `min-issues` issues. Read from the newest issues with their first comments, only where a tier asks for it.",
  params: [
    {
      name: 'window-days',
      type: 'integer',
      minimum: 1,
      default: 90,
      description: 'Issues opened in this many days before the audit are measured.',
    },
    {
      name: 'max-median-days',
      type: 'integer',
      minimum: 1,
      default: 14,
      description: "The median time to a maintainer's first response must be at most this many days.",
    },
    {
      name: 'min-issues',
      type: 'integer',
      minimum: 1,
      default: 3,
      description: 'Below this many issues opened by others in the window, the check is not applicable.',
    },
  ],
  reads: ['owners'],
  extraReads: ['issue-responses'],
  run(snapshot, params, ctx) {
    const p = withDefaults(issueResponseCheck.defaults, params);
    const windowDays = numberParam(p, 'window-days', 90);
    const maxMedian = numberParam(p, 'max-median-days', 14);
    const minIssues = numberParam(p, 'min-issues', 3);
    if (snapshot.empty) return notApplicable('repository is empty: no issues');
    const read = snapshot.issueResponses;
    if (read === undefined) {
      return notApplicable(
        'not read: neither the declared tier nor the next tier the repository could reach asks for it',
      );
    }
    if (read.state === 'error') return error(`could not read the issues: ${read.message}`);
    const sample = read.value;
    if (!sample.hasIssuesEnabled) return notApplicable('issues are disabled on this repository');
    const since = cutoff(ctx.now, windowDays);
    const owners = ownersLogins(snapshot);
    const isMaintainer = (login: string | null, association: string) =>
      MAINTAINER_ASSOCIATIONS.has(association) || (login !== null && owners.has(login.toLowerCase()));
    const { responses, byMaintainers, unknown } = responseTimes(
      sample.issues,
      since,
      ctx.now,
      isMaintainer,
      sample.commentsPerIssue,
    );
    const oldest = sample.issues.at(-1);
    const truncated =
      sample.issues.length >= sample.limit &&
      oldest !== undefined &&
      Date.parse(oldest.createdAt) >= since.getTime();
    const scope = `issues opened since ${dayOf(since)}${truncated ? ` (the newest ${sample.limit} read)` : ''}`;
    const notes = [
      byMaintainers ? `${byMaintainers} opened by maintainers or bots not counted` : '',
      unknown
        ? `${unknown} with more than ${sample.commentsPerIssue} comments and no maintainer among them not counted`
        : '',
    ].filter(Boolean);
    const noteText = notes.length ? `; ${notes.join('; ')}` : '';
    const issuesUrl = `${snapshot.url}/issues`;
    if (responses.length < minIssues) {
      return notApplicable(
        `${responses.length} ${scope} by others than maintainers: fewer than ${minIssues} to judge${noteText}`,
        [{ url: issuesUrl }],
      );
    }
    const m = median(responses.map((r) => r.days));
    const waiting = responses.filter((r) => r.how === 'waiting');
    const slowest = [...responses].sort((a, b) => b.days - a.days).slice(0, 3);
    const evidence: Evidence[] = slowest.map((r) => ({
      url: r.issue.url,
      detail: `#${r.issue.number} opened ${isoDay(r.issue.createdAt)}: ${r.how === 'waiting' ? `no maintainer response yet (${days(r.days)})` : `${r.how === 'closed' ? 'closed' : 'first maintainer comment'} after ${days(r.days)}`}`,
    }));
    const summary = `median first maintainer response ${days(m)} over ${responses.length} ${scope}${waiting.length ? `, ${waiting.length} still unanswered` : ''}${noteText}`;
    if (m <= maxMedian) return pass(`${summary} (at most ${maxMedian} days)`, evidence);
    return fail(
      `${summary}: more than ${maxMedian} days`,
      `Triage new issues within ${maxMedian} days: a maintainer rota, issue templates and a triage label (e.g. Prow's /triage) help; answer the ${waiting.length || responses.length} oldest open ones first.`,
      evidence,
    );
  },
});
