/**
 * The extra reads (branch protection, issues) through the whole pipeline on the sample organization:
 * made only for repositories whose declared or candidate tier asks for them, at most 1 point per 25 of
 * them, reported apart from the page cost, which they leave unchanged.
 */
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import { parsePolicy } from '../src/config/load.js';
import type { Policy } from '../src/config/types.js';
import type { AuditReport, Finding } from '../src/report/model.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';
import { loadFalcosecurityOrg } from './fixtures/org-loader.js';
import { auditSample } from './fixtures/sample-audit.js';

const EXTRA_CHECKS = ['default-branch-protected', 'issue-response'];

/** The built-in policy without the two extra-read checks (it recommends them at `official`). */
const withoutExtras: Policy = {
  ...DEFAULT_POLICY,
  tiers: DEFAULT_POLICY.tiers.map((tier) => ({
    ...tier,
    recommends: tier.recommends.filter((entry) => !EXTRA_CHECKS.includes(entry.check)),
  })),
};

/** The built-in policy with the two extra-read checks required (not only recommended) at `official`. */
const withExtras: Policy = {
  ...withoutExtras,
  tiers: withoutExtras.tiers.map((tier) =>
    tier.id === 'official'
      ? { ...tier, requires: [...tier.requires, ...EXTRA_CHECKS.map((check) => ({ check, params: {} }))] }
      : tier,
  ),
};

const audit = (fake: FakeGitHub, policy: Policy): Promise<AuditReport> => auditSample(fake.url, policy);

const NOT_READ = /^not read: /;

describe('extra reads in the audit', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
  });
  afterAll(() => fake.close());

  it('reads only for declared or candidate official repositories, within 1 point per 25, apart from the pages', async () => {
    const without = await audit(fake, withoutExtras);
    const before = fake.requests.length;
    const report = await audit(fake, withExtras);
    expect(fake.invalidQueries).toEqual([]);
    const extraRequests = fake.requests.slice(before).filter((r) => r.operation === 'RepositoryExtras');

    // The page cost is what it was without the new checks.
    expect(report.coverage?.graphqlPoints).toBe(without.coverage?.graphqlPoints);
    const extras = report.coverage?.extraReads;
    expect(extras).toBeDefined();
    expect(extras!.requests).toBe(extraRequests.length);
    expect(extras!.graphqlPoints).toBe(extraRequests.reduce((sum, r) => sum + (r.cost ?? 0), 0));
    expect(extras!.graphqlPoints).toBeLessThanOrEqual(Math.ceil(extras!.repositories / 25));

    const finding = (repo: AuditReport['repositories'][number], id: string): Finding | undefined =>
      repo.checks.find((f) => f.id === id);
    let read = 0;
    for (const repo of report.repositories) {
      const protection = finding(repo, 'default-branch-protected');
      if (!protection) continue; // skipped or deprecated: nothing evaluated, nothing read
      // Nothing to read in an empty repository, nor in an archived one (not audited).
      if (/^(repository is empty|Not audited)/.test(protection.message)) continue;
      const wasRead = !NOT_READ.test(protection.message);
      expect([repo.name, wasRead]).toEqual([
        repo.name,
        !NOT_READ.test(finding(repo, 'issue-response')!.message),
      ]);
      if (wasRead) read++;
      // The candidate tier comes from required entries only (recommended ones are advice).
      const others = repo.checks.filter(
        (f) => !EXTRA_CHECKS.includes(f.id) && f.tier !== 'declaration' && f.level === 'required',
      );
      const othersMet = others.every((f) => ['pass', 'waived', 'not-applicable'].includes(f.outcome));
      const declaredOfficial = repo.declaredTier === 'official';
      // Read exactly when declared official, or when everything else of official is met (a candidate).
      expect([repo.name, wasRead]).toEqual([repo.name, declaredOfficial || othersMet]);
    }
    expect(read).toBe(extras!.repositories);
    expect(read).toBeGreaterThan(0);
    expect(report.repositories.find((r) => r.name === 'falco')?.declaredTier).toBe('official');
    expect(
      finding(
        report.repositories.find((r) => r.name === 'falco')!,
        'default-branch-protected',
      )?.outcome,
    ).toBe('pass');
  });

  it('the coverage line adds up: collection and extra reads are every GraphQL request of the audit, each counted once', async () => {
    // People verified and OWNERS below the root too: their requests run while the pages are read.
    const parsed = parsePolicy(
      `tiers:
  contrib:
    requires: [readme]
  repository:
    extends: contrib
    requires:
      - maintainers: { min: 2, require-member: true, active-within-days: 365 }
      - owners-tree
  official:
    extends: repository
    requires: [default-branch-protected, issue-response]
`,
      'policy.yml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    const before = fake.requests.length;
    const report = await audit(fake, parsed.policy);
    expect(report.coverage?.extraReads?.requests).toBeGreaterThan(0);
    const graphql = fake.requests.slice(before).filter((r) => r.operation !== null);
    const coverage = report.coverage!;
    expect((coverage.requests ?? 0) + (coverage.extraReads?.requests ?? 0)).toBe(graphql.length);
    expect((coverage.graphqlPoints ?? 0) + (coverage.extraReads?.graphqlPoints ?? 0)).toBe(
      graphql.reduce((sum, r) => sum + (r.cost ?? 0), 0),
    );
  });

  it('reads nothing when no tier asks for the extra checks', async () => {
    const report = await audit(fake, withoutExtras);
    expect(report.coverage?.extraReads).toBeUndefined();
  });

  it('the built-in policy recommends them at official: read for declared or candidate official repositories', async () => {
    const report = await audit(fake, DEFAULT_POLICY);
    expect(report.coverage?.extraReads?.repositories).toBeGreaterThan(0);
    const falco = report.repositories.find((r) => r.name === 'falco')!;
    expect(falco.checks.find((f) => f.id === 'issue-response')).toMatchObject({
      level: 'recommended',
      outcome: 'pass',
    });
  });
});
