import { describe, expect, it } from '@jest/globals';
import type { IssueRecord } from '../../src/github/issues.js';
import { planPublish, CLOSING_COMMENT, type PlanInput, type Write } from '../../src/publish/plan.js';
import { issueMarker } from '../../src/report/markers.js';
import type { Changes } from '../../src/report/state.js';

const noChanges: Changes = {
  firstAudit: false,
  newFailures: [],
  fixed: [],
  declaredTierChanges: [],
  achievedTierChanges: [],
  added: [],
  removed: [],
};
const ours = { organization: 'org', runId: '200', at: '2026-08-22T06:00:00.000Z' };

function issue(overrides: Partial<IssueRecord> = {}): IssueRecord {
  return {
    number: 7,
    title: 'Tier audit: org',
    body: `${issueMarker({ organization: 'org', runId: '100', at: '2026-08-21T06:00:00.000Z' })}\nold`,
    state: 'open',
    htmlUrl: 'https://github.com/org/meta/issues/7',
    author: 'github-actions[bot]',
    isPullRequest: false,
    ...overrides,
  };
}

const BODY = `${issueMarker(ours)}\nnew`;

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    issue: issue(),
    duplicates: [],
    comments: [],
    rendered: { body: BODY, continuations: [], changes: noChanges, changesComment: null },
    marker: ours,
    clock: new Date('2026-08-22T06:05:00.000Z'),
    title: 'Tier audit: org',
    label: 'tier-audit',
    allCompliant: false,
    previousAllCompliant: false,
    closeWhenCompliant: true,
    commentOnChange: false,
    ...overrides,
  };
}

/** A write as a short string: kind and target. */
function brief(write: Write): string {
  switch (write.kind) {
    case 'ensure-label':
      return `label ${write.label}`;
    case 'create-issue':
      return 'create issue';
    case 'create-comment':
      return `comment on ${write.issue ?? 'new'}: ${write.body.split('\n')[0].slice(0, 20)}`;
    case 'update-comment':
      return `edit comment ${write.id}`;
    case 'delete-comment':
      return `delete comment ${write.id}`;
    case 'update-issue':
      return `update #${write.issue} ${Object.keys(write.patch).sort().join(',')}`;
  }
}

const cases: { name: string; input: PlanInput; action: string; writes: string[] }[] = [
  {
    name: 'no issue: label, body, then continuations',
    input: input({
      issue: null,
      previousAllCompliant: null,
      rendered: { body: BODY, continuations: ['c1', 'c2'], changes: noChanges, changesComment: null },
    }),
    action: 'created',
    writes: ['label tier-audit', 'create issue', 'comment on new: c1', 'comment on new: c2'],
  },
  {
    name: 'no issue and nothing to act on: nothing',
    input: input({ issue: null, allCompliant: true }),
    action: 'unchanged',
    writes: [],
  },
  {
    name: 'unchanged rerun: the body only',
    input: input(),
    action: 'unchanged',
    writes: ['update #7 body'],
  },
  {
    name: 'same run again: nothing',
    input: input({ issue: issue({ body: BODY }) }),
    action: 'unchanged',
    writes: [],
  },
  {
    name: 'comments before the body, deletions after it, notification last',
    input: input({
      comments: [
        { id: 11, n: 1, body: 'same' },
        { id: 12, n: 2, body: 'old' },
        { id: 13, n: 3, body: 'surplus' },
        { id: 14, n: 1, body: 'duplicate number' },
      ],
      commentOnChange: true,
      rendered: {
        body: BODY,
        continuations: ['same', 'new 2'],
        changes: { ...noChanges, newFailures: [{ repository: 'r', check: 'c', declaredTier: 't' }] },
        changesComment: 'newly failing',
      },
    }),
    action: 'updated',
    writes: [
      'edit comment 12',
      'update #7 body',
      'delete comment 14',
      'delete comment 13',
      'comment on 7: newly failing',
    ],
  },
  {
    name: 'all compliant: close with a comment after the body',
    input: input({ allCompliant: true }),
    action: 'closed',
    writes: ['update #7 body,state,stateReason', `comment on 7: ${CLOSING_COMMENT.slice(0, 20)}`],
  },
  {
    name: 'closed by a person, same findings: stays closed',
    input: input({ issue: issue({ state: 'closed' }) }),
    action: 'unchanged',
    writes: ['update #7 body'],
  },
  {
    name: 'closed while compliant, findings return: reopened',
    input: input({ issue: issue({ state: 'closed' }), previousAllCompliant: true }),
    action: 'reopened',
    writes: ['update #7 body,state,stateReason'],
  },
  {
    name: 'duplicates are closed last, with a pointer',
    input: input({ duplicates: [issue({ number: 9 }), issue({ number: 10, state: 'closed' })] }),
    action: 'updated',
    writes: ['update #7 body', 'comment on 9: Duplicate of #7: tie', 'update #9 state,stateReason'],
  },
  {
    name: 'title fixed by the body write',
    input: input({ issue: issue({ title: 'renamed' }) }),
    action: 'unchanged',
    writes: ['update #7 body,title'],
  },
  {
    name: 'a newer run wrote the issue: nothing',
    input: input({
      issue: issue({
        body: issueMarker({ organization: 'org', runId: '300', at: '2026-08-22T06:01:00.000Z' }),
      }),
    }),
    action: 'skipped-newer-run',
    writes: [],
  },
  {
    name: 'a marker edited into the future does not block',
    input: input({
      issue: issue({
        body: issueMarker({ organization: 'org', runId: '300', at: '2099-01-01T00:00:00.000Z' }),
      }),
    }),
    action: 'unchanged',
    writes: ['update #7 body'],
  },
];

describe('planPublish', () => {
  it.each(cases)('$name', ({ input: given, action, writes }) => {
    const plan = planPublish(given);
    expect(plan.action).toBe(action);
    expect(plan.writes.map(brief)).toEqual(writes);
  });

  it('never writes the body before the comments it points to', () => {
    const plan = planPublish(
      input({
        comments: [{ id: 1, n: 1, body: 'a' }],
        rendered: { body: BODY, continuations: ['b', 'c'], changes: noChanges, changesComment: null },
      }),
    );
    const bodyAt = plan.writes.findIndex((w) => w.kind === 'update-issue');
    const lastComment = plan.writes.map((w) => w.kind).lastIndexOf('create-comment');
    expect(lastComment).toBeLessThan(bodyAt);
  });
});
