/**
 * default-branch-protected and issue-response: their data (rulesets, branch protection, issue
 * timelines) is not in the falcosecurity snapshot, so every case here is modelled, on real
 * repositories' names, branches and OWNERS.
 */
import type { BranchProtection, IssueSample, SampledIssue } from '../../src/snapshot.js';
import { median } from '../../src/checks/issue-response.js';
import { emptySnapshot, fromFalco, runCheck } from './helpers.js';

function protection(overrides: Partial<BranchProtection> = {}): BranchProtection {
  return {
    branch: 'master',
    pullRequestRules: [],
    evaluateOnly: [],
    classic: null,
    classicReadable: true,
    viewerPermission: 'ADMIN',
    ...overrides,
  };
}

describe('default-branch-protected', () => {
  it('falco: a classic rule on master requiring one approval passes (modelled on falcosecurity/falco)', () => {
    const s = fromFalco('falco', {
      branchProtection: {
        state: 'read',
        value: protection({
          classic: { pattern: 'master', requiresPullRequest: true, requiredApprovals: 1 },
        }),
      },
    });
    const r = runCheck('default-branch-protected', s, { 'min-approvals': 1 });
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe(
      'branch protection rule master requires a pull request into master with 1 approval',
    );
    expect(r.evidence![0].url).toBe('https://github.com/falcosecurity/falco/settings/branches');
  });

  it('falcoctl: an organization ruleset requiring a pull request passes, read without admin (modelled on falcosecurity/falcoctl)', () => {
    const s = fromFalco('falcoctl', {
      branchProtection: {
        state: 'read',
        value: protection({
          pullRequestRules: [{ ruleset: 'org-default-branches', requiredApprovals: 2 }],
          classicReadable: false,
          viewerPermission: 'READ',
        }),
      },
    });
    const r = runCheck('default-branch-protected', s, { 'min-approvals': 2 });
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /ruleset org-default-branches requires a pull request into main with 2 approvals/,
    );
  });

  it('falco-talon: readable, no rule: fails with the ruleset to add (modelled on falcosecurity/falco-talon)', () => {
    const s = fromFalco('falco-talon', { branchProtection: { state: 'read', value: protection() } });
    const r = runCheck('default-branch-protected', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/no ruleset or branch protection rule requires a pull request into main/);
    expect(r.remediation).toMatch(/Require a pull request before merging/);
  });

  it('too few approvals fails and names the minimum (modelled)', () => {
    const s = fromFalco('rules', {
      branchProtection: {
        state: 'read',
        value: protection({ classic: { pattern: 'main', requiresPullRequest: true, requiredApprovals: 0 } }),
      },
    });
    const r = runCheck('default-branch-protected', s, { 'min-approvals': 1 });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/fewer than 1 approvals/);
    expect(runCheck('default-branch-protected', s).outcome).toBe('pass');
  });

  it('the token cannot read classic protection and no ruleset applies: error naming the permission, never fail', () => {
    const s = fromFalco('libs', {
      branchProtection: {
        state: 'read',
        value: protection({ classicReadable: false, viewerPermission: 'READ', evaluateOnly: ['trial'] }),
      },
    });
    const r = runCheck('default-branch-protected', s);
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(
      /cannot read its classic branch protection \(permission READ\).*Administration: read/,
    );
    expect(r.message).toMatch(/ruleset trial only evaluates/);
  });

  it('not read (the tier does not ask for it) is not applicable; a failed read is an error; empty fails', () => {
    expect(runCheck('default-branch-protected', fromFalco('falco')).outcome).toBe('not-applicable');
    const failed = fromFalco('falco', { branchProtection: { state: 'error', message: 'timeout' } });
    expect(runCheck('default-branch-protected', failed).message).toBe(
      'could not read the protection of master: timeout',
    );
    expect(runCheck('default-branch-protected', emptySnapshot()).outcome).toBe('fail');
  });
});

const NOW = new Date('2026-08-21T00:00:00Z');
const day = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

function issue(n: number, openedDaysAgo: number, overrides: Partial<SampledIssue> = {}): SampledIssue {
  return {
    number: n,
    url: `https://github.com/falcosecurity/falco/issues/${n}`,
    createdAt: day(openedDaysAgo),
    closedAt: null,
    author: `user${n}`,
    authorIsBot: false,
    authorAssociation: 'NONE',
    comments: [],
    ...overrides,
  };
}

function answered(
  n: number,
  openedDaysAgo: number,
  afterDays: number,
  by = 'leogr',
  association = 'MEMBER',
): SampledIssue {
  return issue(n, openedDaysAgo, {
    comments: [
      {
        author: `user${n}`,
        authorIsBot: false,
        authorAssociation: 'NONE',
        createdAt: day(openedDaysAgo - 0.1),
      },
      {
        author: by,
        authorIsBot: false,
        authorAssociation: association,
        createdAt: day(openedDaysAgo - afterDays),
      },
    ],
  });
}

function sample(issues: SampledIssue[], limit = 30): { state: 'read'; value: IssueSample } {
  return { state: 'read', value: { issues, limit, commentsPerIssue: 10, hasIssuesEnabled: true } };
}

describe('issue-response', () => {
  it('falco: maintainers answer within days: median 2 days passes (modelled on falcosecurity/falco)', () => {
    const s = fromFalco('falco', {
      issueResponses: sample([answered(3001, 10, 1), answered(3000, 20, 2), answered(2999, 30, 5)]),
    });
    const r = runCheck(
      'issue-response',
      s,
      {},
      {
        now: NOW,
        org: {
          login: 'falcosecurity',
          webUrl: 'https://github.com',
          communityFiles: [],
          communityRepository: '.github',
        },
      },
    );
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /^median first maintainer response 2 days over 3 issues opened since 2026-05-23 \(at most 14 days\)/,
    );
    expect(r.evidence![0]).toEqual({
      url: 'https://github.com/falcosecurity/falco/issues/2999',
      detail: '#2999 opened 2026-07-22: first maintainer comment after 5 days',
    });
  });

  it('a response by someone in the root OWNERS counts even without a member association (falcosecurity/falco OWNERS)', () => {
    const s = fromFalco('falco', {
      issueResponses: sample([
        answered(1, 5, 1, 'leogr', 'CONTRIBUTOR'),
        answered(2, 6, 1, 'leogr', 'CONTRIBUTOR'),
        answered(3, 7, 1, 'leogr', 'CONTRIBUTOR'),
      ]),
    });
    expect(
      runCheck(
        'issue-response',
        s,
        {},
        {
          now: NOW,
          org: {
            login: 'falcosecurity',
            webUrl: 'https://github.com',
            communityFiles: [],
            communityRepository: '.github',
          },
        },
      ).outcome,
    ).toBe('pass');
    const strangers = fromFalco('falco', {
      issueResponses: sample([
        answered(1, 40, 1, 'someone', 'CONTRIBUTOR'),
        answered(2, 41, 1, 'someone', 'CONTRIBUTOR'),
        answered(3, 42, 1, 'someone', 'CONTRIBUTOR'),
      ]),
    });
    const r = runCheck(
      'issue-response',
      strangers,
      {},
      {
        now: NOW,
        org: {
          login: 'falcosecurity',
          webUrl: 'https://github.com',
          communityFiles: [],
          communityRepository: '.github',
        },
      },
    );
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/3 still unanswered/);
  });

  it('unanswered issues count with their age; closing counts as a response; bots and maintainers are left out (modelled on falcosecurity/falco-talon)', () => {
    const s = fromFalco('falco-talon', {
      issueResponses: sample([
        issue(10, 60),
        issue(11, 50),
        issue(12, 40, { closedAt: day(39) }),
        issue(13, 30, { author: 'dependabot', authorIsBot: true }),
        issue(14, 20, { author: 'Issif', authorAssociation: 'MEMBER' }),
        issue(15, 200), // outside the window
      ]),
    });
    const r = runCheck(
      'issue-response',
      s,
      { 'max-median-days': 30 },
      {
        now: NOW,
        org: {
          login: 'falcosecurity',
          webUrl: 'https://github.com',
          communityFiles: [],
          communityRepository: '.github',
        },
      },
    );
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /median first maintainer response 50 days over 3 issues .*2 still unanswered; 2 opened by maintainers or bots not counted: more than 30 days/,
    );
    expect(r.remediation).toMatch(/within 30 days/);
  });

  it('a full sample says only the newest issues were read; too few issues is not applicable', () => {
    const full = fromFalco('falco', {
      issueResponses: sample([answered(1, 1, 0.5), answered(2, 2, 0.5), answered(3, 3, 0.5)], 3),
    });
    const ctx = {
      now: NOW,
      org: {
        login: 'falcosecurity',
        webUrl: 'https://github.com',
        communityFiles: [],
        communityRepository: '.github',
      },
    };
    expect(runCheck('issue-response', full, {}, ctx).message).toMatch(
      /12 hours over 3 issues opened since 2026-05-23 \(the newest 3 read\)/,
    );
    const few = fromFalco('falco', { issueResponses: sample([answered(1, 1, 0.5)]) });
    expect(runCheck('issue-response', few, {}, ctx).outcome).toBe('not-applicable');
    const disabled = fromFalco('falco', {
      issueResponses: {
        state: 'read',
        value: { issues: [], limit: 30, commentsPerIssue: 10, hasIssuesEnabled: false },
      },
    });
    expect(runCheck('issue-response', disabled, {}, ctx).message).toBe(
      'issues are disabled on this repository',
    );
  });

  it('window-days narrows the window; not read is not applicable; a failed read is an error', () => {
    const ctx = {
      now: NOW,
      org: {
        login: 'falcosecurity',
        webUrl: 'https://github.com',
        communityFiles: [],
        communityRepository: '.github',
      },
    };
    const s = fromFalco('falco', {
      issueResponses: sample([answered(1, 10, 1), answered(2, 20, 1), answered(3, 60, 1)]),
    });
    expect(runCheck('issue-response', s, { 'window-days': 30 }, ctx).outcome).toBe('not-applicable');
    expect(runCheck('issue-response', fromFalco('falco'), {}, ctx).outcome).toBe('not-applicable');
    const failed = fromFalco('falco', {
      issueResponses: { state: 'error', message: 'Resource not accessible by integration' },
    });
    expect(runCheck('issue-response', failed, {}, ctx).outcome).toBe('error');
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});
