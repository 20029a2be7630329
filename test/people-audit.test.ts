/**
 * The whole pipeline with people verified, on the sample organization (its people are modelled:
 * test/fixtures/falcosecurity/people.json): per repository the report names which approvers count and
 * why the others do not; a concealed membership is `unknown` (never `fail`) for a token that sees
 * public members only; the extra requests are batched, none per repository.
 */
import { runAudit } from '../src/audit.js';
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import { parsePolicy } from '../src/config/load.js';
import type { Policy } from '../src/config/types.js';
import { createGitHubClient } from '../src/github/client.js';
import { PEOPLE_PER_REQUEST } from '../src/github/people.js';
import { memoryLogger } from '../src/log.js';
import type { AuditReport } from '../src/report/model.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';
import { DEMO_NOW, loadFalcosecurityOrg } from './fixtures/org-loader.js';
import { auditSample } from './fixtures/sample-audit.js';
import { generateOrg } from './fixtures/synthetic.js';

const POLICY = `
tiers:
  contrib:
    requires: [readme]
  repository:
    extends: contrib
    requires:
      - maintainers: { min: 4, require-member: true, active-within-days: 365 }
      - owners-tree
      - core-approvers: { team: core-maintainers, min: 2 }
`;

function policy(): Policy {
  const parsed = parsePolicy(POLICY, 'policy.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.policy;
}

const audit = (fake: FakeGitHub, p: Policy): Promise<AuditReport> => auditSample(fake.url, p);

function finding(report: AuditReport, repository: string, check: string) {
  const repo = report.repositories.find((r) => r.name === repository)!;
  return repo.checks.find((c) => c.id === check)!;
}

/** 600 repositories (six pages of 100) naming 200 distinct approvers, 250 members. */
const sixHundredRepositories = () =>
  generateOrg({ login: 'acme', repositories: 600, seed: 5, people: { approvers: 200, members: 250 } });

describe('people verified in the audit', () => {
  let fake: FakeGitHub;
  afterEach(() => fake?.close());

  /** A dry-run audit of a generated organization under a policy given as YAML (pages of 100). */
  async function auditGenerated(
    org: ReturnType<typeof generateOrg>,
    policyYaml: string,
  ): Promise<AuditReport> {
    fake = await startFakeGitHub({ orgs: [org], viewer: { seesPrivateMembers: true } });
    const log = memoryLogger();
    const client = createGitHubClient({ token: 'demo-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
    const parsed = parsePolicy(policyYaml, 'policy.yml');
    if (!parsed.ok) throw new Error('policy');
    const { report } = await runAudit(
      {
        organization: 'acme',
        policy: parsed.policy,
        now: new Date(DEMO_NOW),
        dryRun: true,
        issue: null,
        run: { id: null, url: null },
        reportFileName: 'report.json',
        pageSize: 100,
      },
      { client, log },
    );
    return report;
  }

  it('names per repository which approvers count and why the others do not; hidden membership is unknown', async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
    const report = await audit(fake, policy());
    const flycheck = finding(report, 'flycheck-falco-rules', 'maintainers');
    expect(flycheck.outcome).toBe('fail');
    // Both inactive: named once with their shared reason.
    expect(flycheck.message).toContain(
      'not counted: `mstemm`, `ewilderj` — no contribution since 2025-08-21',
    );
    const driverkit = finding(report, 'driverkit', 'maintainers');
    expect(driverkit.message).toContain('`lowaiz` — no GitHub user account by this login');
    // falco-talon: issif, leogr, cpanato count; igoreulalio is not a public member: with min 4 the
    // verdict depends on him, so error (naming the permission), never fail.
    const talon = finding(report, 'falco-talon', 'maintainers');
    expect(talon.outcome).toBe('error');
    expect(talon.message).toMatch(/`igoreulalio` — membership unknown: .*Members: read/);
    // Nobody fails for a membership the token cannot see.
    // Nobody is failed for what the token cannot see: a failing maintainers finding would still fail
    // if every approver that could not be verified counted.
    let failures = 0;
    for (const repository of report.repositories) {
      const check = repository.checks.find((c) => c.id === 'maintainers');
      const counted = /^(\d+) of \d+ approvers? in OWNERS count/.exec(check?.message ?? '');
      if (check?.outcome !== 'fail' || !counted) continue;
      failures++;
      const unknownPart = /could not be verified: ([^;]*)/.exec(check.message)?.[1] ?? '';
      const unknown = (unknownPart.match(/`[a-z0-9-]+`(?=,| —)/g) ?? []).length;
      expect(Number(counted[1]) + unknown).toBeLessThan(4);
    }
    expect(failures).toBeGreaterThan(0);
    const plugins = finding(report, 'plugins', 'owners-tree');
    expect(plugins.outcome).toBe('fail');
    expect(plugins.message).toContain('plugins/krsi/OWNERS is empty');
    expect(plugins.evidence?.map((e) => e.path)).toContain('plugins/krsi/OWNERS');
    expect(finding(report, 'falco', 'owners-tree').message).toContain(
      'userspace/engine/OWNERS has only labels',
    );
    expect(finding(report, 'falco', 'core-approvers').outcome).toBe('pass');
    expect(finding(report, 'flycheck-falco-rules', 'core-approvers').outcome).toBe('fail');
    expect(fake.invalidQueries).toEqual([]);
  });

  it('names, for every repository (passing or not), each approver that counts and each that does not with why', async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
    const report = await audit(fake, policy());
    let verified = 0;
    for (const repository of report.repositories) {
      const check = repository.checks.find((c) => c.id === 'maintainers');
      const counts = /^(\d+) of (\d+) approvers? in OWNERS count/.exec(check?.message ?? '');
      if (!check || !counts) continue;
      verified++;
      // One OWNERS link naming the groups.
      expect(check.evidence).toHaveLength(1);
      const groups = Object.fromEntries(
        check.evidence![0].detail!.split('; ').map((part) => {
          const [label, list] = part.split(': ');
          return [label, list === 'none' ? [] : list.split(', ')];
        }),
      ) as Record<string, string[]>;
      expect(groups.count).toHaveLength(Number(counts[1]));
      const everyone = [...groups.count, ...(groups['not counted'] ?? []), ...(groups['not verified'] ?? [])];
      expect(everyone).toHaveLength(Number(counts[2]));
      // Each counting approver is named in the message, each other one with a reason (`login` … — why).
      const named = check.message.split('; ')[0];
      for (const login of groups.count) expect(named).toMatch(new RegExp(`[:,] ${login}(?: \\(|,|$)`));
      for (const login of [...(groups['not counted'] ?? []), ...(groups['not verified'] ?? [])])
        expect(check.message).toMatch(new RegExp(`\`${login}\`[^;]* — `));
    }
    expect(verified).toBeGreaterThan(30);
  });

  it('counts an outside collaborator with write access for that repository only (modelled in the sample)', async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
    const report = await audit(fake, policy());
    expect(finding(report, 'libs', 'maintainers').message).toContain(
      'geraldcombs (outside collaborator, WRITE)',
    );
    expect(finding(report, 'falcosidekick', 'maintainers').message).toContain(
      'fjogeleit (outside collaborator, WRITE)',
    );
    // READ access does not count; to this token his membership is unknown, so he is not verified.
    expect(finding(report, 'falcosidekick-ui', 'maintainers').message).toMatch(
      /`fjogeleit` — membership unknown: .*, and an outside collaborator with READ access only/,
    );
    // Asked once the people's membership is answered, riding in the next batch of people; only the last
    // batch's pairs need a request of their own.
    expect(fake.requests.filter((r) => r.operation === 'OutsideCollaborators')).toHaveLength(1);
    expect(fake.invalidQueries).toEqual([]);
  });

  it('a token that sees concealed memberships resolves the unknowns', async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()], viewer: { seesPrivateMembers: true } });
    const report = await audit(fake, policy());
    const talon = finding(report, 'falco-talon', 'maintainers');
    expect(talon.outcome).toBe('fail');
    expect(talon.message).toContain('`igoreulalio` — not an organization member');
    expect(finding(report, 'kernel-testing', 'maintainers').message).toMatch(/^5 of 5 approvers/);
  });

  it('costs at most one request per 50 people (membership included, no member list), plus the nested OWNERS texts; none per repository', async () => {
    const org = loadFalcosecurityOrg();
    fake = await startFakeGitHub({ orgs: [org], viewer: { seesPrivateMembers: true } });
    const report = await audit(fake, policy());
    const count = (operation: string) => fake.requests.filter((r) => r.operation === operation).length;
    const audited = org.repos.filter((r) => !r.isArchived && r.defaultBranch !== null).length;
    expect(count('OrgMembers')).toBe(0);
    expect(count('OrgId')).toBe(1);
    expect(count('OrgTeamMembers')).toBe(1);
    // One page of repositories (49 < 100): its distinct approvers in batches of 50.
    expect(count('PeopleBatch')).toBeLessThanOrEqual(Math.ceil(63 / PEOPLE_PER_REQUEST));
    // The page lists the folders below the root itself (tree entries cost no point): no OwnersTrees
    // request; the texts of the page's nested OWNERS files in one request.
    expect(count('OwnersTrees')).toBe(0);
    expect(count('OwnersTexts')).toBe(1);
    const listed = report.repositories.filter((r) => r.checks.some((c) => c.id === 'owners-tree'));
    expect(listed.length).toBe(audited);
    expect(report.coverage?.graphqlPoints).toBe(fake.pointsUsed);
  });

  it('fills its batches across pages: one request per 50 distinct approvers, every repository evaluated', async () => {
    // 600 repositories in pages of 100, 200 distinct approvers spread over them.
    const org = sixHundredRepositories();
    const report = await auditGenerated(
      org,
      'tiers:\n  contrib:\n    requires:\n      - maintainers: { min: 2, require-member: true, active-within-days: 365 }\n',
    );
    const count = (operation: string) => fake.requests.filter((r) => r.operation === operation).length;
    expect(count('PeopleBatch')).toBeLessThanOrEqual(Math.ceil(200 / PEOPLE_PER_REQUEST) + 1);
    expect(count('OrgMembers')).toBe(0);
    // Nobody was left unverified by the wait: every audited repository with approvers has its verdict.
    const findings = report.repositories.flatMap((r) => r.checks.filter((c) => c.id === 'maintainers'));
    expect(findings.length).toBeGreaterThan(300);
    for (const f of findings) expect(f.message).not.toContain('not verified by this audit');
    expect(report.repositories.length).toBe(600);
    expect(fake.invalidQueries).toEqual([]);
  });

  it('reads the OWNERS below the root across pages: 100 texts a request, every repository evaluated with them', async () => {
    const org = sixHundredRepositories();
    const nestedFiles = org.repos.flatMap((r) =>
      Object.keys(r.files ?? {}).filter((path) => /^[^/]+(\/[^/]+)?\/OWNERS$/.test(path)),
    );
    const pagesWithNested = new Set(
      org.repos.flatMap((r, i) =>
        Object.keys(r.files ?? {}).some((path) => path.endsWith('/OWNERS')) ? [Math.floor(i / 100)] : [],
      ),
    );
    expect(pagesWithNested.size).toBeGreaterThan(1);
    const report = await auditGenerated(
      org,
      'tiers:\n  contrib:\n    requires:\n      - owners-tree\n      - maintainers: { min: 2, require-member: true }\n',
    );
    const count = (operation: string) => fake.requests.filter((r) => r.operation === operation).length;
    // Not one request per page that has some: the texts fill their requests across pages.
    expect(count('OwnersTexts')).toBe(Math.ceil(nestedFiles.length / 100));
    expect(count('OwnersTrees')).toBe(0);
    expect(report.repositories.length).toBe(600);
    // Every repository the policy audits with owners-tree (those declaring a tier) has its verdict.
    const checked = report.repositories.filter((r) => r.checks.some((c) => c.id === 'owners-tree'));
    expect(checked.length).toBeGreaterThan(400);
    const findings = checked.map((r) => r.checks.find((c) => c.id === 'owners-tree')!);
    for (const f of findings) expect(f.message).not.toMatch(/not read|could not/);
    // Each repository with OWNERS files one or two folders down has them found and read.
    const withNested = org.repos.filter((r) =>
      Object.keys(r.files ?? {}).some((path) => /^[^/]+(\/[^/]+)?\/OWNERS$/.test(path)),
    );
    const verdict = new Map(checked.map((r) => [r.name, r.checks.find((c) => c.id === 'owners-tree')!]));
    const seen = withNested.filter((r) => verdict.has(r.name));
    expect(seen.length).toBeGreaterThan(10);
    for (const r of seen) expect(verdict.get(r.name)!.message).not.toMatch(/^no OWNERS files below the root/);
    // Their approvers are verified too (the maintainers verdicts wait for nobody).
    for (const r of report.repositories)
      for (const c of r.checks.filter((c) => c.id === 'maintainers'))
        expect(c.message).not.toContain('not verified by this audit');
    expect(fake.invalidQueries).toEqual([]);
  });

  it('a v1 policy (no verification parameters) makes no extra request', async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
    await audit(fake, DEFAULT_POLICY);
    const operations = new Set(fake.requests.map((r) => r.operation));
    for (const extra of [
      'OrgMembers',
      'OrgId',
      'PeopleBatch',
      'OrgTeamMembers',
      'OwnersTrees',
      'OwnersTexts',
    ])
      expect(operations.has(extra)).toBe(false);
    expect(fake.requests.some((r) => r.path.includes('/members/'))).toBe(false);
  });
});
