/**
 * `maintainers` with per-tier values, end to end (runAudit against the fake GitHub): two verified
 * approvers at `repository`, three at `official`. Each tier's finding uses its own `min`, names each
 * approver that does not count and why; emeritus approvers never count; a concealed membership is
 * `unknown`, so the check is `error` only at a tier whose verdict depends on it, never `fail`.
 */
import { runAudit } from '../src/audit.js';
import { parsePolicy } from '../src/config/load.js';
import type { Policy } from '../src/config/types.js';
import { createGitHubClient } from '../src/github/client.js';
import { memoryLogger } from '../src/log.js';
import type { AuditReport } from '../src/report/model.js';
import type { FakeOrg, FakeRepo, FakeViewer } from './fake-github/model.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';

const NOW = '2026-08-21T00:00:00Z';
const ACTIVE = ['2026-08-01T10:00:00Z'];

const POLICY = `
tiers:
  contrib:
    requires: [readme]
  repository:
    extends: contrib
    requires:
      - maintainers: { min: 2, require-member: true, active-within-days: 365 }
  official:
    extends: repository
    requires:
      - maintainers: { min: 3, require-member: true, active-within-days: 365 }
`;

function repo(name: string, owners: string): FakeRepo {
  return {
    name,
    topics: ['tier-official'],
    license: { spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
    files: {
      'README.md': `# ${name}\n\nA sample project used to test the verification of its maintainers against the organization.\n`,
      OWNERS: owners,
    },
  };
}

/**
 * carol, dave, erin, hank: public members, active. gina: concealed member, active. bob: public
 * member, last contribution 2025-01-10. alice, olga: not members (accounts, active); olga is an outside
 * collaborator with write access to `outside` (alice only triage); the token cannot list the
 * collaborators of `no-push`.
 */
function org(): FakeOrg {
  return {
    login: 'acme',
    repos: [
      repo('two-verified', 'approvers:\n  - carol\n  - dave\n  - alice\n  - bob\n'),
      repo(
        'emeritus',
        'approvers:\n  - carol\n  - Dave\n  - hank\nemeritus_approvers:\n  - hank\n  - erin\n',
      ),
      repo('hidden-decides', 'approvers:\n  - carol\n  - dave\n  - gina\n'),
      repo('hidden-irrelevant', 'approvers:\n  - carol\n  - gina\n  - bob\n'),
      {
        ...repo('outside', 'approvers:\n  - carol\n  - olga\n  - alice\n'),
        outsideCollaborators: [
          { login: 'olga', permission: 'WRITE' },
          { login: 'alice', permission: 'TRIAGE' },
        ],
      },
      { ...repo('no-push', 'approvers:\n  - carol\n  - olga\n'), viewerPermission: 'READ' },
    ],
    members: [
      ...['carol', 'dave', 'erin', 'hank', 'bob'].map((login) => ({ login, public: true })),
      { login: 'gina', public: false },
    ],
    users: [
      ...['carol', 'dave', 'erin', 'hank', 'gina', 'alice', 'olga'].map((login) => ({
        login,
        contributions: ACTIVE,
      })),
      { login: 'bob', contributions: ['2025-01-10T10:00:00Z'] },
    ],
  };
}

function policy(): Policy {
  const parsed = parsePolicy(POLICY, 'policy.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.policy;
}

async function audit(fake: FakeGitHub): Promise<AuditReport> {
  const log = memoryLogger();
  const client = createGitHubClient({ token: 'test-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
  const outcome = await runAudit(
    {
      organization: 'acme',
      policy: policy(),
      now: new Date(NOW),
      dryRun: true,
      issue: null,
      run: { id: null, url: null },
      reportFileName: 'report.json',
    },
    { client, log },
  );
  return outcome.report;
}

function maintainers(report: AuditReport, repository: string, tier: string) {
  const found = report.repositories
    .find((r) => r.name === repository)
    ?.checks.find((c) => c.id === 'maintainers' && c.tier === tier);
  if (!found) throw new Error(`no maintainers finding for ${repository} at ${tier}`);
  return found;
}

describe('maintainers per tier, verified against the organization', () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => fake?.close());

  async function run(viewer: FakeViewer) {
    fake = await startFakeGitHub({ orgs: [org()], viewer });
    const report = await audit(fake);
    expect(fake.invalidQueries).toEqual([]);
    return report;
  }

  it('applies each tier’s min and names each approver that does not count, and why', async () => {
    const report = await run({ seesPrivateMembers: true });
    const atRepository = maintainers(report, 'two-verified', 'repository');
    const atOfficial = maintainers(report, 'two-verified', 'official');
    expect(atRepository.outcome).toBe('pass');
    expect(atRepository.message).toMatch(/^2 of 4 approvers (in OWNERS )?count/);
    expect(atRepository.message).toContain('at least 2 required');
    expect(atOfficial.outcome).toBe('fail');
    expect(atOfficial.message).toContain('at least 3 required');
    expect(atOfficial.message).toContain('`alice` — not an organization member');
    expect(atOfficial.message).toContain('`bob` — no contribution since 2025-08-21');
    // The per-tier parameters are in force, and said so in the report's policy.
    const tier = (id: string) => report.policy!.tiers.find((t) => t.id === id)!;
    expect(tier('repository').parameters?.maintainers).toMatchObject({ min: 2, 'require-member': true });
    expect(tier('official').parameters?.maintainers).toMatchObject({ min: 3, 'active-within-days': 365 });
    const two = report.repositories.find((r) => r.name === 'two-verified')!;
    expect(two.achievedTier).toBe('repository');
  });

  it('never counts emeritus approvers, even active members listed as approvers too', async () => {
    const report = await run({ seesPrivateMembers: true });
    const official = maintainers(report, 'emeritus', 'official');
    expect(official.outcome).toBe('fail');
    expect(official.message).toMatch(/^2 of 2 approvers (in OWNERS )?count/);
    expect(official.message).toContain('hank also listed as emeritus, not counted');
    expect(official.message).not.toMatch(/erin/);
    expect(maintainers(report, 'emeritus', 'repository').outcome).toBe('pass');
  });

  it('a concealed membership is unknown: error only where the verdict depends on it, never fail', async () => {
    const report = await run({ seesPrivateMembers: false });
    // carol, dave count; gina is unknown. At repository (2) the verdict does not depend on her.
    expect(maintainers(report, 'hidden-decides', 'repository').outcome).toBe('pass');
    const official = maintainers(report, 'hidden-decides', 'official');
    expect(official.outcome).toBe('error');
    expect(official.message).toMatch(/`gina` — membership unknown: .*Members: read/);
    // carol counts, bob does not, gina is unknown: with her it would be 2, enough at repository
    // (error: it depends on her), not at official (fail whatever she is).
    expect(maintainers(report, 'hidden-irrelevant', 'repository').outcome).toBe('error');
    const failing = maintainers(report, 'hidden-irrelevant', 'official');
    expect(failing.outcome).toBe('fail');
    expect(failing.message).toContain('`bob` — no contribution since 2025-08-21');
    // The token that sees concealed memberships resolves her.
    await fake!.close();
    fake = undefined;
    const resolved = await run({ seesPrivateMembers: true });
    expect(maintainers(resolved, 'hidden-decides', 'official').outcome).toBe('pass');
  });

  it('an outside collaborator with write access counts for that repository; collaborators the token cannot list are unknown', async () => {
    const report = await run({ seesPrivateMembers: true });
    const outside = maintainers(report, 'outside', 'repository');
    expect(outside.outcome).toBe('pass');
    expect(outside.message).toContain('carol, olga (outside collaborator, WRITE)');
    expect(outside.message).toContain(
      '`alice` — not an organization member, and an outside collaborator with TRIAGE access only',
    );
    // At official (3) olga counts too, still not enough: fail naming alice.
    expect(maintainers(report, 'outside', 'official').outcome).toBe('fail');
    // olga is no collaborator of `no-push` that this token can see: unknown, never "not a member".
    const noPush = maintainers(report, 'no-push', 'repository');
    expect(noPush.outcome).toBe('error');
    expect(noPush.message).toMatch(
      /`olga` — not an organization member, and outside collaborator access unknown: .*Must have push access.*write \(push\) access/,
    );
    expect(noPush.message).not.toContain('not counted');
    // The people (with their membership) in one request; then, once the answers say who is not a
    // visible member, only those pairs, in one more.
    const asked = fake!.requests.filter(
      (r) => r.operation === 'PeopleBatch' || r.operation === 'OutsideCollaborators',
    );
    expect(asked.map((r) => r.operation)).toEqual(['PeopleBatch', 'OutsideCollaborators']);
  });
});
