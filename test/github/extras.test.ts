import { parse } from 'graphql';
import {
  EXTRAS_BATCH,
  extrasQuery,
  issueSampleSize,
  readExtras,
  type ExtrasRequest,
} from '../../src/github/extras.js';
import { collectOrganization } from '../../src/github/collect.js';
import type { ExtraReadKind, RepoSnapshot } from '../../src/snapshot.js';
import { computeQueryCost } from '../fake-github/cost.js';
import { githubGraphqlSchema } from '../fake-github/graphql.js';
import type { FakeRepo } from '../fake-github/model.js';
import { genericRepos, harness, type Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.fake.close();
  h = null;
});

const BOTH = new Set<ExtraReadKind>(['branch-protection', 'issue-responses']);

function fakeRequests(n: number, reads: Set<ExtraReadKind> = BOTH): ExtrasRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    snapshot: { owner: 'acme', name: `repo-${String(i).padStart(3, '0')}` } as RepoSnapshot,
    reads,
  }));
}

function variablesFor(requests: ExtrasRequest[]): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  requests.forEach((r, i) => {
    v[`o${i}`] = 'acme';
    v[`n${i}`] = r.snapshot.name;
  });
  const protection = requests.filter((r) => r.reads.has('branch-protection')).length;
  const issues = requests.filter((r) => r.reads.has('issue-responses')).length;
  if (issues) v.issues = issueSampleSize(protection, issues);
  return v;
}

describe('RepositoryExtras query', () => {
  it.each([1, 2, 10, 13, 24, 25])(
    '%i repositories with both reads: valid against GitHub schema and 1 point',
    (n) => {
      const requests = fakeRequests(n);
      const cost = computeQueryCost(
        githubGraphqlSchema(),
        parse(extrasQuery(requests)),
        variablesFor(requests),
      );
      expect(cost.errors).toEqual([]);
      expect(cost.cost).toBe(1);
      expect(cost.requests).toBeLessThanOrEqual(149);
    },
  );

  it('sizes the issue sample to the batch: 3 issues each for 25 repositories, more for fewer', () => {
    expect(issueSampleSize(25, 25)).toBe(3);
    expect(issueSampleSize(10, 10)).toBe(12);
    expect(issueSampleSize(0, 1)).toBe(50);
    expect(issueSampleSize(25, 0)).toBe(0);
  });

  it('protection only: one request per repository', () => {
    const requests = fakeRequests(25, new Set(['branch-protection']));
    const cost = computeQueryCost(
      githubGraphqlSchema(),
      parse(extrasQuery(requests)),
      variablesFor(requests),
    );
    expect(cost.requests).toBe(25);
    expect(cost.cost).toBe(1);
  });
});

function repo(name: string, extra: Partial<FakeRepo>): FakeRepo {
  return { ...genericRepos(1, name)[0], name, ...extra };
}

describe('readExtras', () => {
  it('reads rulesets, the classic rule and issues, validated by the fake; 1 point per 25 repositories', async () => {
    const repos: FakeRepo[] = [
      repo('ruled', {
        viewerPermission: 'READ',
        protection: {
          rulesets: [
            { name: 'main-pr', requiredApprovals: 2 },
            { name: 'trial', enforcement: 'EVALUATE' },
          ],
        },
      }),
      repo('classic', {
        protection: {
          classic: { pattern: 'main', requiresApprovingReviews: true, requiredApprovingReviewCount: 1 },
        },
        issueTimeline: [
          {
            number: 7,
            author: 'someone',
            association: 'NONE',
            createdAt: '2026-08-01T00:00:00Z',
            comments: [
              { author: 'maint', association: 'MEMBER', createdAt: '2026-08-02T00:00:00Z' },
              { author: 'dependabot', association: 'NONE', createdAt: '2026-08-01T12:00:00Z', bot: true },
            ],
          },
          {
            number: 6,
            author: 'renovate',
            association: 'NONE',
            createdAt: '2026-07-01T00:00:00Z',
            bot: true,
          },
        ],
      }),
      repo('hidden', {
        viewerPermission: 'WRITE',
        protection: { classic: { requiresApprovingReviews: true } },
      }),
      ...genericRepos(47, 'plain'),
    ];
    h = await harness([{ login: 'acme', repos }]);
    const collected = await collectOrganization(h.client, { org: 'acme', log: h.log });
    const requests: ExtrasRequest[] = collected.snapshots.map((snapshot) => ({ snapshot, reads: BOTH }));
    const cost = await readExtras(h.client, requests);
    expect(h.fake.invalidQueries).toEqual([]);
    expect(cost).toEqual({ repositories: 50, requests: 2, points: 2 });
    const byName = (name: string) => collected.snapshots.find((s) => s.name === name)!;

    expect(byName('ruled').branchProtection).toEqual({
      state: 'read',
      value: {
        branch: 'main',
        pullRequestRules: [{ ruleset: 'main-pr', requiredApprovals: 2 }],
        evaluateOnly: ['trial'],
        classic: null,
        classicReadable: false,
        viewerPermission: 'READ',
      },
    });
    expect(byName('classic').branchProtection).toMatchObject({
      state: 'read',
      value: {
        classic: { pattern: 'main', requiresPullRequest: true, requiredApprovals: 1 },
        classicReadable: true,
      },
    });
    // Not an admin: GitHub answers null for the classic rule, which is "cannot read", not "none".
    expect(byName('hidden').branchProtection).toMatchObject({
      state: 'read',
      value: { classic: null, classicReadable: false, viewerPermission: 'WRITE' },
    });
    const issues = byName('classic').issueResponses;
    expect(issues?.state).toBe('read');
    if (issues?.state !== 'read') return;
    expect(issues.value.limit).toBe(3);
    expect(issues.value.issues.map((i) => [i.number, i.authorIsBot])).toEqual([
      [7, false],
      [6, true],
    ]);
    expect(issues.value.issues[0]).toMatchObject({
      url: 'https://github.com/acme/classic/issues/7',
      comments: [
        { author: 'dependabot', authorIsBot: true, createdAt: '2026-08-01T12:00:00Z' },
        { author: 'maint', authorAssociation: 'MEMBER', authorIsBot: false },
      ],
    });
  });

  it('batches of at most 25; a refused repository is an error value on it alone', async () => {
    h = await harness([
      { login: 'acme', repos: [...genericRepos(30), repo('saml', { access: 'forbidden' })] },
    ]);
    const collected = await collectOrganization(h.client, { org: 'acme', log: h.log });
    const requests: ExtrasRequest[] = collected.snapshots.map((snapshot) => ({ snapshot, reads: BOTH }));
    requests.push({
      snapshot: { owner: 'acme', name: 'saml' } as RepoSnapshot,
      reads: new Set(['branch-protection']),
    });
    const cost = await readExtras(h.client, requests);
    expect(cost.requests).toBe(Math.ceil(31 / EXTRAS_BATCH));
    expect(h.fake.invalidQueries).toEqual([]);
    const saml = requests.at(-1)!.snapshot;
    expect(saml.branchProtection).toMatchObject({ state: 'error', message: expect.stringMatching(/SAML/) });
    expect(requests[0].snapshot.branchProtection?.state).toBe('read');
  });
});
