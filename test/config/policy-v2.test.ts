/** Policy file version 2: levels, per-tier entries, selectors, waivers v2 — parsed, validated, evaluated. */
import { defineCheck } from '../../src/checks/define.js';
import { fail, pass } from '../../src/checks/util.js';
import { formatConfigProblem, parsePolicy } from '../../src/config/load.js';
import type { Policy } from '../../src/config/types.js';
import { evaluateOrganization } from '../../src/evaluate/evaluate.js';
import type { Finding, RepositoryReport } from '../../src/report/model.js';
import type { RepoSnapshot } from '../../src/snapshot.js';
import { parseRegistry } from '../../src/tiers/registry.js';
import { FALCO_CHECK_IDS, ORG, scriptedChecks, snapshot } from '../evaluate/snapshot-builder.js';

/** The policy of issue #9, verbatim. */
const V2 = `tiers:
  contrib:
    aliases: [sandbox]
    requires: [readme, { license: { allowed: [Apache-2.0] } }]
    recommends:                       # reported as advice; never changes status or achieved tier
      - activity: { max-idle-days: 365 }
  repository:
    aliases: [incubating]
    extends: contrib
    requires:
      - owners: { unique-roles: false }
      - maintainers: { min: 2 }
      - check: build-pipeline         # long form: check, with (params), when, unless
        unless: { files: [netlify.toml] }
    recommends: [owners-roles, release-pipeline]
  official:
    aliases: [stable]
    extends: repository
    requires:
      - maintainers: { min: 3 }       # same check, tighter at this tier and above
      - release-pipeline              # recommended below, required from here
      - recent-release: { max-age-days: 365 }
      - check: release-process
        unless: { registry: { scope: Infra } }
waivers:
  - repository: deploy-kubernetes
    checks: [build-pipeline, release-pipeline, recent-release]   # one waiver, several checks
    reason: CI and releases run as Prow jobs in test-infra
    expires: 2027-06-30
`;

const REGISTRY = `- name: falco
  scope: Core
  status: Stable
- name: falco-website
  scope: Infra
  status: Incubating
- name: deploy-kubernetes
  scope: Core
  status: Stable
- name: test-infra
  scope: Infra
  status: Stable
- name: plugins
  scope: Core
  status: Stable
- name: sandboxed
  scope: Ecosystem
  status: Sandbox
`;

function parse(text: string, now?: Date): Policy {
  const result = parsePolicy(text, 'tier-audit.yml', now ? { now } : {});
  if (!result.ok) throw new Error(result.errors.map(formatConfigProblem).join('\n'));
  return result.policy;
}

function problems(text: string, now?: Date): { errors: string[]; warnings: string[] } {
  const result = parsePolicy(text, 'p.yml', now ? { now } : {});
  return result.ok
    ? { errors: [], warnings: result.warnings.map(formatConfigProblem) }
    : { errors: result.errors.map(formatConfigProblem), warnings: [] };
}

describe('policy v2: parsing', () => {
  it('parses the issue’s policy: levels, long forms with selectors, several tiers per check, multi-check waivers', () => {
    const policy = parse(V2);
    const [contrib, repository, official] = policy.tiers;
    expect(contrib.requires).toEqual([
      { check: 'readme', params: {} },
      { check: 'license', params: { allowed: ['Apache-2.0'] } },
    ]);
    expect(contrib.recommends).toEqual([{ check: 'activity', params: { 'max-idle-days': 365 } }]);
    expect(repository.requires).toContainEqual({
      check: 'build-pipeline',
      params: {},
      unless: { files: ['netlify.toml'] },
    });
    expect(repository.recommends.map((entry) => entry.check)).toEqual(['owners-roles', 'release-pipeline']);
    expect(official.requires).toContainEqual({ check: 'maintainers', params: { min: 3 } });
    expect(official.requires).toContainEqual({
      check: 'release-process',
      params: {},
      unless: { registry: { scope: ['Infra'] } },
    });
    expect(policy.waivers).toEqual([
      {
        repository: 'deploy-kubernetes',
        checks: ['build-pipeline', 'release-pipeline', 'recent-release'],
        tier: null,
        reason: 'CI and releases run as Prow jobs in test-infra',
        expires: '2027-06-30',
      },
    ]);
    expect(parsePolicy(V2, 'x.yml')).toMatchObject({ ok: true, warnings: [] });
  });

  it('parses every selector key, with one value or a list, and the filters include-when / exclude-when', () => {
    const policy = parse(
      [
        'tiers:',
        '  contrib:',
        '    requires:',
        '      - check: readme',
        '        when: {names: "falco*", topics: [a, b], files: Makefile, language: [Go, C++], visibility: public, registry: {scope: [Core, Ecosystem], tier: 1}}',
        'include-when: {visibility: [public]}',
        'exclude-when: {registry: {scope: Special}}',
      ].join('\n'),
    );
    expect(policy.tiers[0].requires[0].when).toEqual({
      names: ['falco*'],
      topics: ['a', 'b'],
      files: ['Makefile'],
      language: ['Go', 'C++'],
      visibility: ['public'],
      registry: { scope: ['Core', 'Ecosystem'], tier: ['1'] },
    });
    expect(policy.filters.includeWhen).toEqual({ visibility: ['public'] });
    expect(policy.filters.excludeWhen).toEqual({ registry: { scope: ['Special'] } });
  });
});

describe('policy v2: validation with file:line:column', () => {
  it('an unknown selector key, at the key, naming the known ones', () => {
    const { errors } = problems(
      'tiers:\n  contrib:\n    requires:\n      - check: build-pipeline\n        unless: {file: [netlify.toml]}\n',
    );
    expect(errors).toEqual([
      "p.yml:5:18: tiers.contrib.requires[0].unless.file: unknown key 'file' (known: names, topics, files, language, visibility, registry)",
    ]);
    expect(problems('exclude-when: {scope: Infra}\n').errors).toEqual([
      "p.yml:1:16: exclude-when.scope: unknown key 'scope' (known: names, topics, files, language, visibility, registry)",
    ]);
  });

  it('a check listed twice in one tier (requires and recommends, or twice)', () => {
    const { errors } = problems(
      'tiers:\n  contrib:\n    requires: [readme, license]\n    recommends: [activity, {check: readme}]\n  official:\n    extends: contrib\n    requires: [readme, {maintainers: {min: 1}}, maintainers]\n',
    );
    expect(errors).toEqual([
      "p.yml:4:28: check 'readme' is listed twice in tier 'contrib' (already in requires); within one tier a check is listed once",
      "p.yml:7:49: check 'maintainers' is listed twice in tier 'official' (already in requires); within one tier a check is listed once",
    ]);
  });

  it('an unknown check in a long form, its parameters validated by the check', () => {
    expect(problems('tiers:\n  a:\n    requires: [{check: readmee}]\n').errors[0]).toMatch(
      /^p\.yml:3:24: unknown check 'readmee' \(known: readme, /,
    );
    expect(problems('tiers:\n  a:\n    requires: [{check: maintainers, with: {min: 0}}]\n').errors).toEqual([
      'p.yml:3:43: check \'maintainers\': parameter "min" must be an integer ≥ 1',
    ]);
  });

  it('waivers: no check, an unknown check or tier (alias accepted), an expired one is a warning', () => {
    const { errors } = problems(
      [
        'waivers:',
        '  - repository: a',
        '    reason: r',
        '  - repository: b',
        '    checks: [readme, readmee]',
        '    tier: stabel',
        '    reason: r',
      ].join('\n'),
    );
    expect(errors).toEqual([
      'p.yml:2:5: waiver for a names no check: give `check` or `checks`',
      expect.stringMatching(/^p\.yml:5:22: unknown check 'readmee' \(known: /),
      "p.yml:6:11: unknown tier 'stabel' (tiers: contrib, repository, official)",
    ]);
    const valid = parse('waivers:\n  - {repository: b, check: readme, tier: Stable, reason: r}\n');
    expect(valid.waivers[0]).toMatchObject({ checks: ['readme'], tier: 'official' });
    const expired = problems(
      'waivers:\n  - {repository: b, check: readme, reason: r, expires: 2026-01-31}\n',
      new Date('2026-08-21T00:00:00Z'),
    );
    expect(expired).toEqual({
      errors: [],
      warnings: [
        'p.yml:2:56: waiver for b / readme expired on 2026-01-31: it no longer applies (renew it or remove it)',
      ],
    });
  });
});

describe('policy v2: evaluation', () => {
  const NOW = new Date('2026-08-21T09:00:00Z');
  /** Approver counts per repository drive a parameter-aware `maintainers`. */
  const APPROVERS: Record<string, number> = {
    falco: 2,
    plugins: 3,
    'deploy-kubernetes': 3,
    'falco-website': 2,
  };
  const maintainers = defineCheck({
    id: 'maintainers',
    title: 'm',
    description: 'm',
    params: [{ name: 'min', type: 'integer', minimum: 1, default: 2, description: 'min' }],
    reads: ['owners'],
    run: (repo, params) =>
      (APPROVERS[repo.name] ?? 0) >= (params.min as number)
        ? pass(`${APPROVERS[repo.name]} approvers, at least ${String(params.min)}`)
        : fail(`${APPROVERS[repo.name] ?? 0} approvers, at least ${String(params.min)} required`, 'add'),
  });

  function evaluate(
    policy: Policy,
    snapshots: RepoSnapshot[],
    script: Parameters<typeof scriptedChecks>[1] = {},
  ) {
    const { checks } = scriptedChecks([...FALCO_CHECK_IDS, 'owners-roles'], script);
    checks.set('maintainers', maintainers);
    const result = evaluateOrganization({
      policy,
      org: ORG,
      now: NOW,
      snapshots,
      unreadable: [],
      registry: { ...parseRegistry(REGISTRY, 'repositories.yaml', 'status'), error: null },
      checks,
    });
    const byName = (name: string): RepositoryReport => result.repositories.find((r) => r.name === name)!;
    const finding = (name: string, id: string, tier: string): Finding =>
      byName(name).checks.find((f) => f.id === id && f.tier === tier)!;
    return { result, byName, finding };
  }

  const repo = (name: string, overrides: Partial<RepoSnapshot> = {}) =>
    snapshot(name, { rootEntries: [{ name: 'README.md', path: 'README.md', type: 'blob' }], ...overrides });

  it('a check listed at two tiers is two findings, each with its tier’s parameters and level', () => {
    const { byName, finding } = evaluate(parse(V2), [repo('falco'), repo('plugins')]);
    expect(finding('falco', 'maintainers', 'repository')).toMatchObject({
      outcome: 'pass',
      level: 'required',
    });
    expect(finding('falco', 'maintainers', 'official')).toMatchObject({
      outcome: 'fail',
      level: 'required',
      required: true,
      message: '2 approvers, at least 3 required',
    });
    expect(byName('falco')).toMatchObject({ status: 'non-compliant', achievedTier: 'repository' });
    expect(byName('plugins')).toMatchObject({ status: 'compliant', achievedTier: 'official' });
    expect(byName('falco').checks.filter((f) => f.id === 'maintainers')).toHaveLength(2);
  });

  it('recommended entries are advice: a failing one never changes status or achieved tier', () => {
    const script = { activity: { plugins: 'fail' as const }, 'owners-roles': { plugins: 'fail' as const } };
    const { byName, finding } = evaluate(parse(V2), [repo('plugins')], script);
    expect(finding('plugins', 'activity', 'contrib')).toMatchObject({
      outcome: 'fail',
      level: 'recommended',
      required: false,
    });
    expect(byName('plugins')).toMatchObject({ status: 'compliant', achievedTier: 'official' });
  });

  it('recommended below, required from a tier: the nearest entry at or below each tier is in force', () => {
    const script = { 'release-pipeline': { 'falco-website': 'fail' as const, plugins: 'fail' as const } };
    const { byName, finding } = evaluate(parse(V2), [repo('falco-website'), repo('plugins')], script);
    // falco-website is Incubating: release-pipeline is only recommended there.
    expect(finding('falco-website', 'release-pipeline', 'repository')).toMatchObject({
      level: 'recommended',
      required: false,
    });
    expect(byName('falco-website').status).toBe('compliant');
    // plugins is Stable: the official entry requires it.
    expect(finding('plugins', 'release-pipeline', 'official')).toMatchObject({
      level: 'required',
      required: true,
    });
    expect(byName('plugins')).toMatchObject({ status: 'non-compliant', achievedTier: 'repository' });
  });

  it('when / unless: not-applicable, naming the selector that excluded it', () => {
    const website = repo('falco-website', {
      rootEntries: [
        { name: 'README.md', path: 'README.md', type: 'blob' },
        { name: 'netlify.toml', path: 'netlify.toml', type: 'blob' },
      ],
    });
    const { finding } = evaluate(parse(V2), [website, repo('test-infra')], {
      'build-pipeline': { 'falco-website': 'fail' },
    });
    expect(finding('falco-website', 'build-pipeline', 'repository')).toMatchObject({
      outcome: 'not-applicable',
      message: 'Not applicable: the policy lists it unless files: netlify.toml (netlify.toml at the root)',
    });
    expect(finding('test-infra', 'release-process', 'official')).toMatchObject({
      outcome: 'not-applicable',
      message: 'Not applicable: the policy lists it unless registry.scope: Infra (scope is Infra)',
    });
    const goOnly = parse(
      'tiers:\n  contrib:\n    requires: [{check: readme, when: {language: go, topics: [falco, plugin]}}]\n',
    );
    const cpp = evaluate(goOnly, [repo('falco', { primaryLanguage: 'C++', topics: ['falco'] })]);
    expect(cpp.finding('falco', 'readme', 'contrib')).toMatchObject({
      outcome: 'not-applicable',
      message: 'Not applicable: the policy lists it when language: go (language C++)',
    });
    const go = evaluate(goOnly, [repo('falco', { primaryLanguage: 'Go', topics: ['Falco'] })]);
    expect(go.finding('falco', 'readme', 'contrib').outcome).toBe('pass');
    // A fact that was not read: unknown, never "not applicable".
    const unknown = evaluate(goOnly, [repo('falco', { topics: ['falco'] })]);
    expect(unknown.finding('falco', 'readme', 'contrib')).toMatchObject({
      outcome: 'error',
      message: 'Cannot tell whether it applies: the policy lists it when language: go (language not read)',
    });
  });

  it('a multi-check waiver, limited to a tier when it says so', () => {
    const script = {
      'build-pipeline': { 'deploy-kubernetes': 'fail' as const },
      'release-pipeline': { 'deploy-kubernetes': 'fail' as const },
      'recent-release': { 'deploy-kubernetes': 'fail' as const },
    };
    const { byName, result } = evaluate(parse(V2), [repo('deploy-kubernetes')], script);
    const report = byName('deploy-kubernetes');
    expect(report).toMatchObject({ status: 'compliant', achievedTier: 'official' });
    expect(report.checks.filter((f) => f.outcome === 'waived').map((f) => `${f.id}@${f.tier}`)).toEqual([
      'build-pipeline@repository',
      'release-pipeline@repository',
      'release-pipeline@official',
      'recent-release@official',
    ]);
    expect(result.drift.filter((d) => d.kind.startsWith('waiver'))).toEqual([]);

    const tierOnly = parse(
      V2.replace(
        '    checks: [build-pipeline, release-pipeline, recent-release]',
        '    checks: [release-pipeline]\n    tier: official',
      ),
    );
    const limited = evaluate(tierOnly, [repo('deploy-kubernetes')], script);
    expect(limited.finding('deploy-kubernetes', 'release-pipeline', 'official').outcome).toBe('waived');
    expect(limited.finding('deploy-kubernetes', 'release-pipeline', 'repository').outcome).toBe('fail');
  });

  it('achieving no tier: achievedTier null with its reason', () => {
    const { byName } = evaluate(parse(V2), [repo('sandboxed')], { readme: { sandboxed: 'fail' } });
    expect(byName('sandboxed')).toMatchObject({
      achievedTier: null,
      noTierReason: 'contrib requires readme (fails)',
      status: 'non-compliant',
    });
  });

  it('registry fields on every listed repository; include-when / exclude-when filters with the same selectors', () => {
    const policy = parse(`${V2}exclude-when: {registry: {scope: infra}}\n`);
    const { byName } = evaluate(policy, [repo('falco'), repo('test-infra'), repo('unlisted')]);
    expect(byName('falco').registry).toEqual({ scope: 'Core', status: 'Stable' });
    expect(byName('test-infra')).toMatchObject({
      status: 'skipped',
      skipReason: "excluded by filter 'exclude-when' (registry.scope: infra (scope is Infra))",
    });
    expect(byName('unlisted').registry).toBeUndefined();
    const included = evaluate(parse(`${V2}include-when: {names: ['falco*']}\n`), [
      repo('falco'),
      repo('plugins'),
    ]);
    expect(included.byName('plugins').skipReason).toBe(
      "excluded by filter 'include-when' (names: falco* (name plugins))",
    );
  });
});
