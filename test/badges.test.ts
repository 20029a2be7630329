/**
 * Status badges: the pure rendering (src/report/badges.ts), and the whole pipeline committing them to a branch
 * of the issue repository through the fake GitHub's Git data API — once per change, never when nothing
 * changed, the branch created when missing, a token without `contents: write` a warning only.
 */
import { runAudit, type AuditOptions } from '../src/audit.js';
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import { createGitHubClient } from '../src/github/client.js';
import { memoryLogger } from '../src/log.js';
import { badgeFor, renderBadgeFiles } from '../src/report/badges.js';
import type { AuditReport, RepositoryReport } from '../src/report/model.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';
import { DEMO_NOW, loadFalcosecurityOrg } from './fixtures/org-loader.js';

function repo(name: string, fields: Partial<RepositoryReport>): RepositoryReport {
  return {
    nameWithOwner: `org/${name}`,
    name,
    url: `https://github.com/org/${name}`,
    description: null,
    archived: false,
    fork: false,
    private: false,
    declaredTier: null,
    declaredAs: null,
    declarationSource: null,
    achievedTier: null,
    status: 'undeclared',
    checks: [],
    ...fields,
  };
}

describe('badge content', () => {
  it('says the declared tier and whether it is met, as a shields.io endpoint', () => {
    expect(
      badgeFor(repo('a', { status: 'compliant', declaredTier: 'official', achievedTier: 'official' })),
    ).toEqual({
      schemaVersion: 1,
      label: 'tier',
      message: 'official ✓',
      color: 'brightgreen',
    });
    expect(
      badgeFor(repo('b', { status: 'non-compliant', declaredTier: 'official', achievedTier: 'repository' }))
        .message,
    ).toBe('official → repository');
    expect(
      badgeFor(repo('c', { status: 'non-compliant', declaredTier: 'contrib', achievedTier: null })).message,
    ).toBe('contrib → none');
    expect(badgeFor(repo('d', { status: 'undeclared', achievedTier: 'contrib' })).message).toBe(
      'undeclared (contrib)',
    );
    expect(badgeFor(repo('e', { status: 'error' })).message).toBe('unknown');
    expect(badgeFor(repo('f', { status: 'skipped' })).message).toBe('not audited');
  });

  it('one file per repository plus index.json, deterministic, unsafe names left out', () => {
    const report = {
      organization: 'org',
      generatedAt: '2026-01-01T00:00:00Z',
      repositories: [
        repo('zeta', { status: 'compliant', declaredTier: 'contrib', achievedTier: 'contrib' }),
        repo('alpha', { status: 'undeclared' }),
        repo('../evil', { status: 'undeclared' }),
      ],
    } as AuditReport;
    const files = renderBadgeFiles(report);
    expect([...files.keys()]).toEqual(['index.json', 'repos/alpha.json', 'repos/zeta.json']);
    const index = JSON.parse(files.get('index.json')!);
    expect(Object.keys(index.repositories)).toEqual(['alpha', 'zeta']);
    expect(index.repositories.zeta).toMatchObject({
      message: 'contrib ✓',
      status: 'compliant',
      path: 'repos/zeta.json',
    });
    // Nothing in the files depends on the audit time: an unchanged audit renders identical files.
    expect(renderBadgeFiles({ ...report, generatedAt: '2027-01-01T00:00:00Z' })).toEqual(files);
  });
});

describe('badges committed to a branch of the issue repository', () => {
  let fake: FakeGitHub;
  beforeEach(async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
  });
  afterEach(() => fake.close());

  async function audit(overrides: Partial<AuditOptions> = {}) {
    const log = memoryLogger();
    const client = createGitHubClient({ token: 'badge-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
    const outcome = await runAudit(
      {
        organization: 'falcosecurity',
        policy: DEFAULT_POLICY,
        now: new Date(DEMO_NOW),
        dryRun: false,
        issue: {
          owner: 'falcosecurity',
          repo: 'evolution',
          title: 'Tier audit: falcosecurity',
          label: 'tier-audit',
          closeWhenCompliant: true,
          commentOnChange: false,
          mentionOwners: false,
        },
        run: { id: '1', url: null },
        reportFileName: 'report.json',
        badges: { branch: 'tier-badges' },
        ...overrides,
      },
      { client, log },
    );
    return { outcome, log };
  }

  it('creates the branch with one commit, commits nothing when nothing changed, one commit per change', async () => {
    const first = await audit();
    expect(fake.git.commitsCreated).toBe(1);
    const files = fake.git.filesOn('falcosecurity', 'evolution', 'tier-badges')!;
    expect(files).toEqual(first.outcome.badges!.files);
    expect(JSON.parse(files.get('repos/falco.json')!)).toMatchObject({ schemaVersion: 1, label: 'tier' });
    expect(first.outcome.badges!.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(first.log.lines.some((l) => /branch created/.test(l.message))).toBe(true);

    const writes = fake.git.writes;
    const second = await audit({ run: { id: '2', url: null } });
    expect(fake.git.commitsCreated).toBe(1);
    expect(fake.git.writes).toBe(writes);
    expect(second.outcome.badges!.commit).toBeNull();
    expect(second.log.lines.some((l) => /is up to date, nothing committed/.test(l.message))).toBe(true);

    // A repository changes status: exactly one more commit, on top of the previous one.
    const org = fake.orgs[0];
    const falco = org.repos.find((r) => r.name === 'falco')!;
    falco.isArchived = !falco.isArchived;
    const head = fake.git.branches('falcosecurity', 'evolution').get('tier-badges')!;
    const third = await audit({ run: { id: '3', url: null } });
    expect(fake.git.commitsCreated).toBe(2);
    expect(fake.git.commits.get(third.outcome.badges!.commit!)!.parents).toEqual([head]);
    expect(fake.git.filesOn('falcosecurity', 'evolution', 'tier-badges')).toEqual(
      third.outcome.badges!.files,
    );
  });

  it('replaces files the branch holds that the audit no longer produces', async () => {
    fake.git.seedBranch('falcosecurity', 'evolution', 'tier-badges', { 'repos/gone.json': '{}\n' });
    const { outcome } = await audit();
    expect(fake.git.commitsCreated).toBe(1);
    const files = fake.git.filesOn('falcosecurity', 'evolution', 'tier-badges')!;
    expect(files.has('repos/gone.json')).toBe(false);
    expect(files).toEqual(outcome.badges!.files);
  });

  it('without contents: write, warns clearly and the rest of the audit (the tracking issue) is unaffected', async () => {
    fake.git.forbiddenWrite.add('falcosecurity/evolution');
    const { outcome, log } = await audit();
    expect(fake.git.commitsCreated).toBe(0);
    expect(outcome.badges!.error).toMatch(/contents: write/);
    expect(log.lines.filter((l) => l.level === 'warning').map((l) => l.message)).toContainEqual(
      expect.stringMatching(
        /badges not committed to falcosecurity\/evolution@tier-badges: .*contents: write/,
      ),
    );
    expect(outcome.publish?.issueNumber).toBeGreaterThan(0);
    expect(outcome.report.summary.repositories).toBeGreaterThan(30);
  });

  it('in a dry run renders the files and writes nothing to GitHub', async () => {
    const { outcome } = await audit({ dryRun: true });
    expect(fake.git.writes).toBe(0);
    expect(outcome.badges!.files.get('index.json')).toContain('"organization": "falcosecurity"');
  });
});
