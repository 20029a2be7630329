import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import type { Policy } from '../../src/config/types.js';
import { evaluateOrganization, type EvaluationInput } from '../../src/evaluate/evaluate.js';
import type { RepositoryReport } from '../../src/report/model.js';
import type { RepoSnapshot } from '../../src/snapshot.js';
import { parseRegistry } from '../../src/tiers/registry.js';
import { FALCO_CHECK_IDS, ORG, scriptedChecks, snapshot } from './snapshot-builder.js';

const NOW = new Date('2026-08-21T09:00:00Z');
const README = JSON.parse(
  readFileSync(new URL('../tiers/fixtures/falco-readmes.json', import.meta.url), 'utf8'),
) as {
  name: string;
  readme_head: string | null;
}[];
const readmeOf = (name: string) => README.find((repo) => repo.name === name)?.readme_head ?? undefined;
const REGISTRY = parseRegistry(
  readFileSync(new URL('../tiers/fixtures/repositories.yaml', import.meta.url), 'utf8'),
  'evolution/repositories.yaml',
  'status',
);

/** A snapshot with its real README head. */
const real = (name: string, overrides: Partial<RepoSnapshot> = {}) =>
  snapshot(name, overrides, readmeOf(name));

function run(
  snapshots: RepoSnapshot[],
  options: Partial<EvaluationInput> & { script?: Parameters<typeof scriptedChecks>[1] } = {},
) {
  const { checks, calls } = scriptedChecks(FALCO_CHECK_IDS, options.script ?? {}, {
    maintainers: { min: 1, 'count-aliases': true },
  });
  const result = evaluateOrganization({
    policy: DEFAULT_POLICY,
    org: ORG,
    now: NOW,
    snapshots,
    unreadable: [],
    registry: { ...REGISTRY, error: null },
    checks,
    ...options,
  });
  const byName = (name: string): RepositoryReport => {
    const found = result.repositories.find((report) => report.name === name);
    if (!found) throw new Error(`no report for ${name}`);
    return found;
  };
  return { result, byName, calls };
}

function expectInvariants(summary: ReturnType<typeof run>['result']['summary'], reports: RepositoryReport[]) {
  expect(summary.repositories).toBe(reports.length);
  expect(summary.repositories).toBe(
    summary.compliant + summary.nonCompliant + summary.undeclared + summary.skipped + summary.errored,
  );
  expect(summary.evaluated).toBe(summary.compliant + summary.nonCompliant + summary.undeclared);
}

describe('evaluateOrganization: statuses and tiers', () => {
  it('evaluates a falcosecurity-like organization', () => {
    const { result, byName } = run(
      [
        real('falco'),
        real('falcoctl'),
        real('driverkit'),
        real('contrib'),
        real('pdig'),
        real('community'),
        real('falco-playground'),
      ],
      {
        script: {
          'security-policy': { falcoctl: 'fail' },
          'build-pipeline': { contrib: 'fail' },
          owners: { pdig: 'fail' },
        },
      },
    );
    expect(
      result.repositories.map((report) => [
        report.name,
        report.status,
        report.declaredTier,
        report.achievedTier,
      ]),
    ).toEqual([
      ['community', 'skipped', null, null],
      ['contrib', 'compliant', 'contrib', 'contrib'],
      ['driverkit', 'compliant', 'repository', 'official'],
      ['falco', 'compliant', 'official', 'official'],
      ['falco-playground', 'compliant', 'contrib', 'official'],
      ['falcoctl', 'non-compliant', 'official', 'repository'],
      ['pdig', 'undeclared', null, 'contrib'],
    ]);
    expect(byName('community').skipReason).toBe('special');
    expectInvariants(result.summary, result.repositories);
    expect(result.summary).toMatchObject({
      repositories: 7,
      compliant: 4,
      nonCompliant: 1,
      undeclared: 1,
      skipped: 1,
      errored: 0,
    });
    expect(result.summary.byTier).toEqual({ contrib: 2, repository: 1, official: 2 });
  });

  it('runs every tier’s checks, attributes each finding to its lowest tier, merges parameters', () => {
    const { byName, calls } = run([real('contrib')]);
    const report = byName('contrib');
    expect(report.checks.map((finding) => [finding.id, finding.tier])).toEqual([
      ['readme', 'contrib'],
      ['license', 'contrib'],
      ['activity', 'contrib'],
      ['owners', 'repository'],
      ['maintainers', 'repository'],
      ['build-pipeline', 'repository'],
      ['release-pipeline', 'repository'],
      ['recent-release', 'official'],
      ['security-policy', 'official'],
      ['contributing', 'official'],
      ['release-process', 'official'],
      ['dependency-updates', 'official'],
      ['code-scanning', 'official'],
      ['release-provenance', 'official'],
      ['test-matrix', 'official'],
      ['default-branch-protected', 'official'],
      ['issue-response', 'official'],
      ['not-archived', 'declaration'],
      ['declaration-consistent', 'declaration'],
    ]);
    expect(calls.find((call) => call.check === 'maintainers')?.params).toEqual({
      min: 2,
      'count-aliases': true,
    });
    expect(calls.find((call) => call.check === 'recent-release')?.params).toEqual({ 'max-age-days': 180 });
  });

  it('a failure above the declared tier does not make the repository non-compliant', () => {
    const { byName } = run([real('driverkit')], { script: { 'release-process': { driverkit: 'fail' } } });
    expect(byName('driverkit')).toMatchObject({
      status: 'compliant',
      declaredTier: 'repository',
      achievedTier: 'repository',
    });
  });

  it('achieves no tier when the lowest fails; not-applicable counts as met', () => {
    const { byName } = run([real('contrib'), real('libs-sdk-go')], {
      script: { readme: { contrib: 'fail' }, activity: { 'libs-sdk-go': 'not-applicable' } },
    });
    expect(byName('contrib')).toMatchObject({ status: 'non-compliant', achievedTier: null });
    expect(byName('libs-sdk-go')).toMatchObject({ status: 'compliant', achievedTier: 'official' });
  });

  it('turns a throwing check into an error finding; status error unless something failed', () => {
    const { byName } = run([real('falco'), real('libs')], {
      script: { 'recent-release': { falco: 'throw', libs: 'throw' }, contributing: { libs: 'fail' } },
    });
    const falco = byName('falco');
    expect(falco.status).toBe('error');
    expect(falco.error).toContain('recent-release exploded on falco');
    expect(falco.checks.find((finding) => finding.id === 'recent-release')).toMatchObject({
      outcome: 'error',
      message: "Check 'recent-release' failed: recent-release exploded on falco",
    });
    expect(falco.achievedTier).toBe('repository');
    expect(byName('libs').status).toBe('non-compliant');
  });

  it('reports a check missing from the definitions as an error, not a crash', () => {
    const { checks } = scriptedChecks(FALCO_CHECK_IDS.filter((id) => id !== 'owners'));
    const result = evaluateOrganization({
      policy: DEFAULT_POLICY,
      org: ORG,
      now: NOW,
      snapshots: [real('falco')],
      unreadable: [],
      registry: { ...REGISTRY, error: null },
      checks,
    });
    expect(result.repositories[0].checks.find((finding) => finding.id === 'owners')).toMatchObject({
      outcome: 'error',
    });
    expect(result.repositories[0].status).toBe('error');
  });

  it('marks unreadable repositories as errors, never non-compliant', () => {
    const { result, byName } = run([real('falco')], {
      unreadable: [
        {
          name: 'test-infra',
          nameWithOwner: 'falcosecurity/test-infra',
          url: 'https://github.com/falcosecurity/test-infra',
          archived: false,
          reason: 'FORBIDDEN: SAML enforcement',
        },
        {
          name: 'falco-playground',
          nameWithOwner: 'falcosecurity/falco-playground',
          url: 'https://github.com/falcosecurity/falco-playground',
          archived: null,
          reason: 'timeout',
        },
      ],
    });
    expect(byName('test-infra')).toMatchObject({
      status: 'error',
      error: 'FORBIDDEN: SAML enforcement',
      declaredTier: 'official',
      declarationSource: 'registry',
      checks: [],
    });
    expect(byName('falco-playground').status).toBe('error');
    expect(result.drift.filter((drift) => drift.repository === 'test-infra')).toEqual([]);
    expectInvariants(result.summary, result.repositories);
    expect(result.summary.errored).toBe(2);
  });
});

describe('evaluateOrganization: drift', () => {
  it('reports registry entries without a repository (the real evolution list against a partial org)', () => {
    const { result } = run([real('falco'), real('libs'), real('evolution'), real('community')]);
    const missing = result.drift
      .filter((drift) => drift.kind === 'registry-entry-without-repository')
      .map((drift) => drift.repository);
    expect(missing).toHaveLength(REGISTRY.entries.length - 4);
    expect(missing).toContain('prempti');
    expect(missing).toContain('.github');
    expect(missing).not.toContain('falco');
  });

  it('reports archived repositories still declared at an active tier', () => {
    const { result, byName } = run([real('falco-aws-terraform', { archived: true })]);
    const report = byName('falco-aws-terraform');
    expect(report.status).toBe('non-compliant');
    expect(report.achievedTier).toBeNull();
    expect(report.checks.find((finding) => finding.id === 'not-archived')?.outcome).toBe('fail');
    expect(
      report.checks
        .filter((finding) => finding.tier !== 'declaration')
        .every((finding) => finding.outcome === 'not-applicable'),
    ).toBe(true);
    expect(result.drift).toContainEqual(
      expect.objectContaining({ kind: 'archived-declared-active', repository: 'falco-aws-terraform' }),
    );
    expect(result.atRisk).toEqual([]);
  });

  it('skips archived repositories that are not declared', () => {
    const { byName, calls } = run([real('client-py', { archived: true })]);
    expect(byName('client-py')).toMatchObject({ status: 'skipped', skipReason: 'archived' });
    expect(calls).toEqual([]);
  });

  it('handles deprecated repositories: compliant when archived or announced, drift otherwise', () => {
    const registry = {
      entries: [
        { name: 'kilt', status: 'Deprecated' },
        { name: 'client-go', status: 'deprecated' },
        { name: 'falco-exporter', status: 'Deprecated' },
      ],
      problems: [],
      error: null,
    };
    const { result, byName } = run(
      [
        real('kilt'),
        real('client-go', { archived: true }),
        snapshot(
          'falco-exporter',
          {},
          '# falco-exporter\n\nPrometheus Metrics Exporter for Falco output events\n',
        ),
      ],
      { registry },
    );
    expect(byName('kilt')).toMatchObject({ status: 'compliant', achievedTier: null });
    expect(byName('client-go')).toMatchObject({ status: 'compliant' });
    expect(byName('falco-exporter')).toMatchObject({ status: 'non-compliant' });
    expect(byName('falco-exporter').checks[0]).toMatchObject({ id: 'deprecation-notice', outcome: 'fail' });
    expect(
      result.drift
        .filter((drift) => drift.kind === 'deprecated-not-archived')
        .map((drift) => drift.repository),
    ).toEqual(['falco-exporter']);
  });

  it('reports unknown registry values (and keeps going)', () => {
    const registry = {
      entries: [
        { name: 'falco', status: 'Graduated' },
        { name: 'libs', status: 'Stable' },
      ],
      problems: [],
      error: null,
    };
    const { result, byName } = run([real('falco'), real('libs')], { registry });
    expect(result.drift).toContainEqual(
      expect.objectContaining({ kind: 'unknown-registry-value', repository: 'falco' }),
    );
    // falco's README badge still declares it.
    expect(byName('falco')).toMatchObject({ declaredTier: 'official', declarationSource: 'badge' });
    expect(byName('falco').checks.find((finding) => finding.id === 'declaration-consistent')?.outcome).toBe(
      'fail',
    );
    expect(byName('falco').status).toBe('non-compliant');
  });

  it('passes registry parse problems through as drift', () => {
    const registry = { ...parseRegistry('- name: falco\n  status: [x]\n', 'r.yaml', 'status'), error: null };
    const { result } = run([real('falco')], { registry });
    expect(result.drift[0]).toMatchObject({ kind: 'unknown-registry-value', repository: 'falco' });
  });
});

describe('evaluateOrganization: waivers', () => {
  const withWaivers = (waivers: Policy['waivers']): Policy => ({ ...DEFAULT_POLICY, waivers });

  it('applies a valid waiver: counts as met, listed with reason and expiry', () => {
    const waiver = {
      repository: 'deploy-kubernetes',
      checks: ['release-pipeline'],
      tier: null,
      reason: 'Manifests are published by the test-infra Prow job',
      expires: '2027-06-30',
    };
    const { result, byName } = run([real('deploy-kubernetes')], {
      policy: withWaivers([waiver]),
      script: { 'release-pipeline': { 'deploy-kubernetes': 'fail' } },
    });
    const report = byName('deploy-kubernetes');
    expect(report).toMatchObject({ status: 'compliant', achievedTier: 'official' });
    expect(report.checks.find((finding) => finding.id === 'release-pipeline')).toMatchObject({
      outcome: 'waived',
      waiver: { reason: waiver.reason, expires: '2027-06-30', expired: false },
    });
    expect(result.waiversInForce).toEqual([
      {
        repository: 'deploy-kubernetes',
        check: 'release-pipeline',
        tier: 'repository',
        reason: waiver.reason,
        expires: '2027-06-30',
        applied: true,
      },
    ]);
    expect(result.drift.filter((drift) => drift.kind.startsWith('waiver'))).toEqual([]);
  });

  it('a waiver is valid through its expiry day and expired the day after', () => {
    const waiver = {
      repository: 'falco*',
      checks: ['recent-release'],
      tier: null,
      reason: 'Release train moved to 0.42',
      expires: '2026-08-21',
    };
    const script = { 'recent-release': { falcoctl: 'fail' as const } };
    const onTheDay = run([real('falcoctl')], { policy: withWaivers([waiver]), script });
    expect(onTheDay.byName('falcoctl').status).toBe('compliant');

    const dayAfter = run([real('falcoctl')], {
      policy: withWaivers([waiver]),
      script,
      now: new Date('2026-08-22T00:00:01Z'),
    });
    const report = dayAfter.byName('falcoctl');
    expect(report.status).toBe('non-compliant');
    expect(report.checks.find((finding) => finding.id === 'recent-release')).toMatchObject({
      outcome: 'fail',
      waiver: { reason: waiver.reason, expires: '2026-08-21', expired: true },
    });
    expect(dayAfter.result.drift).toContainEqual(
      expect.objectContaining({ kind: 'waiver-expired', repository: 'falcoctl' }),
    );
    expect(dayAfter.result.waiversInForce).toEqual([]);
  });

  it("reports waiver-unmatched for a waiver matching no audited repository, for a check not required at the repository's tier, and for a check that passes anyway, saying which", () => {
    const waivers: Policy['waivers'] = [
      {
        repository: 'falco-lsp',
        checks: ['release-pipeline'],
        tier: null,
        reason: 'not audited here',
        expires: null,
      },
      { repository: 'falco', checks: ['readme'], tier: null, reason: 'check passes anyway', expires: null },
      {
        repository: 'falco-playground',
        checks: ['owners'],
        tier: null,
        reason: 'excluded repository',
        expires: null,
      },
      // k8s-metacollector is declared Incubating (repository): recent-release is an official requirement.
      {
        repository: 'k8s-metacollector',
        checks: ['recent-release'],
        tier: null,
        reason: 'not required',
        expires: null,
      },
    ];
    const policy: Policy = {
      ...withWaivers(waivers),
      filters: { ...DEFAULT_POLICY.filters, exclude: ['falco-playground'] },
    };
    const { result } = run([real('falco'), real('falco-playground'), real('k8s-metacollector')], {
      policy,
      script: { 'recent-release': { 'k8s-metacollector': 'fail' } },
    });
    const unmatched = result.drift.filter((drift) => drift.kind === 'waiver-unmatched');
    expect(unmatched.map((drift) => [drift.repository, drift.message])).toEqual([
      [
        'falco-lsp',
        'The waiver for falco-lsp / release-pipeline matches no audited repository requiring that check: no audited repository has that name; remove it or fix it.',
      ],
      [
        'falco',
        'The waiver for falco / readme is not needed: readme passes anyway at falco; remove it or fix it.',
      ],
      [
        'falco-playground',
        'The waiver for falco-playground / owners matches no audited repository requiring that check: no audited repository has that name; remove it or fix it.',
      ],
      [
        'k8s-metacollector',
        'The waiver for k8s-metacollector / recent-release matches no audited repository requiring that check: recent-release is not required at the declared tier of k8s-metacollector; remove it or fix it.',
      ],
    ]);
    expect(result.waiversInForce).toContainEqual({
      repository: 'falco',
      check: 'readme',
      tier: 'contrib',
      reason: 'check passes anyway',
      expires: null,
      applied: false,
    });
  });
});

describe('evaluateOrganization: filters', () => {
  const filtered = (filters: Partial<Policy['filters']>): Policy => ({
    ...DEFAULT_POLICY,
    filters: { ...DEFAULT_POLICY.filters, ...filters },
  });

  it('applies name globs, topics and kinds, with the reason', () => {
    const { result, byName } = run(
      [
        real('falco'),
        real('falco-playground'),
        real('plugin-sdk-go', { topics: ['sdk'] }),
        real('plugin-sdk-rs', { fork: true, topics: ['sdk'] }),
        real('plugin-sdk-cpp', { template: true, topics: ['sdk'] }),
        real('pigeon', { private: true, topics: ['infra', 'sdk'] }),
        real('kernel-crawler', { topics: ['infra'] }),
      ],
      {
        policy: filtered({
          exclude: ['FALCO-PLAY*'],
          includeTopics: ['sdk', 'infra'],
          excludeTopics: ['infra'],
          private: false,
        }),
      },
    );
    expect(result.repositories.map((report) => [report.name, report.status, report.skipReason])).toEqual([
      ['falco', 'skipped', "excluded by filter 'include-topics'"],
      ['falco-playground', 'skipped', "excluded by filter 'FALCO-PLAY*'"],
      ['kernel-crawler', 'skipped', "excluded by filter 'exclude-topics: infra'"],
      ['pigeon', 'skipped', "excluded by filter 'exclude-topics: infra'"],
      ['plugin-sdk-cpp', 'skipped', 'template'],
      ['plugin-sdk-go', 'compliant', undefined],
      ['plugin-sdk-rs', 'skipped', 'fork'],
    ]);
    expect(byName('falco').checks).toEqual([]);
    expectInvariants(result.summary, result.repositories);
  });

  it('includes by glob with ? and audits forks, templates and private repositories when asked', () => {
    const { result } = run(
      [
        real('plugin-sdk-go', { fork: true }),
        real('plugin-sdk-rs', { template: true, private: true }),
        real('plugin-sdk-cpp'),
        real('plugins'),
      ],
      { policy: filtered({ include: ['plugin-sdk-??'], forks: true, templates: true }) },
    );
    expect(result.repositories.map((report) => [report.name, report.status])).toEqual([
      ['plugin-sdk-cpp', 'skipped'],
      ['plugin-sdk-go', 'compliant'],
      ['plugin-sdk-rs', 'compliant'],
      ['plugins', 'skipped'],
    ]);
  });

  it('audits archived undeclared repositories when archived: true', () => {
    const { byName } = run([real('katacoda-scenarios', { archived: true })], {
      policy: filtered({ archived: true }),
    });
    expect(byName('katacoda-scenarios')).toMatchObject({ status: 'undeclared', achievedTier: 'official' });
  });
});

describe('evaluateOrganization: promotion and at-risk', () => {
  it('lists repositories achieving above or below their declared tier, grouped by tier', () => {
    const { result } = run(
      [real('contrib'), real('falco-rustlings'), real('driverkit'), real('falcoctl'), real('falco')],
      {
        script: {
          'build-pipeline': { 'falco-rustlings': 'fail', falco: 'fail' },
          'security-policy': { driverkit: 'fail', falcoctl: 'fail' },
        },
      },
    );
    // driverkit (Incubating) fails an official check: it stays at its tier, neither list.
    expect(result.promotionCandidates).toEqual([
      {
        tier: 'official',
        repositories: [
          expect.objectContaining({ name: 'contrib', declaredTier: 'contrib', achievedTier: 'official' }),
        ],
      },
    ]);
    expect(result.atRisk).toEqual([
      {
        tier: 'official',
        repositories: [
          expect.objectContaining({ name: 'falco', achievedTier: 'contrib' }),
          expect.objectContaining({ name: 'falcoctl', achievedTier: 'repository' }),
        ],
      },
    ]);
  });
});

describe('evaluateOrganization: with the real checks', () => {
  it('finds every check of the built-in policy in CHECKS and keeps the summary invariants', () => {
    const result = evaluateOrganization({
      policy: DEFAULT_POLICY,
      org: ORG,
      now: NOW,
      snapshots: [real('falco'), real('falco-aws-terraform', { archived: true }), real('pdig')],
      unreadable: [],
      registry: { ...REGISTRY, error: null },
    });
    for (const report of result.repositories) {
      for (const finding of report.checks)
        expect(finding.message).not.toMatch(/not available in this version/);
    }
    const archived = result.repositories.find((report) => report.name === 'falco-aws-terraform');
    expect(archived?.checks.find((finding) => finding.id === 'not-archived')?.outcome).toBe('fail');
    expectInvariants(result.summary, result.repositories);
  });
});

describe('evaluateOrganization: approvers', () => {
  it('lists the active approvers of the root OWNERS (real falco OWNERS shape)', () => {
    const owners =
      'approvers:\n  - leogr\n  - Andreagit97\n  - FedeDP\nemeritus_approvers:\n  - fntlnz\n  - FedeDP\n';
    const repo = real('falco', {
      rootEntries: [
        { name: 'README.md', path: 'README.md', type: 'blob' },
        { name: 'OWNERS', path: 'OWNERS', type: 'blob' },
      ],
      files: {
        ...real('falco').files,
        OWNERS: { kind: 'text', text: owners, byteSize: owners.length },
      },
    });
    const { byName } = run([repo, real('libs')]);
    expect(byName('falco').approvers?.map((login) => login.toLowerCase())).toEqual(['leogr', 'andreagit97']);
    expect(byName('libs').approvers).toBeUndefined();
  });
});

describe('evaluateOrganization: an unreadable registry', () => {
  it('makes declarations unknown (error), never undeclared nor non-compliant, while the checks still run', () => {
    const { result, byName } = run([real('falco'), real('peribolos-syncer'), real('contrib')], {
      registry: {
        entries: [],
        problems: [],
        error: 'registry falcosecurity/evolution/repositories.yaml: HTTP 502',
      },
      script: { 'build-pipeline': { contrib: 'fail' } },
    });
    for (const name of ['falco', 'peribolos-syncer', 'contrib']) {
      const report = byName(name);
      expect(report.status).toBe('error');
      expect(report.error).toMatch(/declared tier not known: registry .*HTTP 502/);
      expect(report.checks.length).toBeGreaterThan(0);
    }
    // falco's README badge still declares a tier: shown, but not trusted for a verdict.
    expect(byName('falco').declarationSource).toBe('badge');
    expect(result.summary.errored).toBe(3);
    expect(result.summary.nonCompliant).toBe(0);
    expect(result.summary.undeclared).toBe(0);
    expectInvariants(result.summary, result.repositories);
  });
});

describe('evaluateOrganization: which findings are requirements', () => {
  it('marks the declared tier’s requirements as required and higher tiers’ findings as informational', () => {
    const { byName } = run([real('contrib'), real('peribolos-syncer')], {
      script: { 'build-pipeline': { contrib: 'fail', 'peribolos-syncer': 'fail' } },
    });
    const contrib = byName('contrib'); // declared Sandbox (contrib): build-pipeline belongs to repository
    expect(contrib.status).toBe('compliant');
    const required = (report: RepositoryReport, id: string) =>
      report.checks.find((f) => f.id === id)?.required;
    expect(required(contrib, 'readme')).toBe(true);
    expect(required(contrib, 'not-archived')).toBe(true);
    expect(required(contrib, 'build-pipeline')).toBe(false);
    // Undeclared: nothing is required.
    expect(byName('peribolos-syncer').checks.every((f) => f.required === false)).toBe(true);
  });
});
