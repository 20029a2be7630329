import { readFileSync } from 'node:fs';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import { formatConfigProblem, parsePolicy, type ConfigProblem } from '../../src/config/load.js';
import AjvModule from 'ajv';
import { parseDocument } from 'yaml';
import { CHECKS } from '../../src/checks/index.js';
import { CONFIG_SCHEMA, renderConfigSchema } from '../../src/config/schema.js';

const Ajv = AjvModule.default;
import type { Policy } from '../../src/config/types.js';
import { scriptedChecks, FALCO_CHECK_IDS } from '../evaluate/snapshot-builder.js';
import { aliasBomb } from '../fixtures/hostile.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');
/** The policy file exactly as the project brief gives it (kept in a string so formatters leave it alone). */
const BRIEF = `registry:                      # optional; omit to use the other sources only
  repository: evolution        # a repository of the audited org (or owner/name)
  path: repositories.yaml
  field: status                # the field holding the tier; \`name\` holds the repo name
declarations: [registry, custom-property, topic, badge]   # precedence, first wins
custom-property: tier
topic-prefix: tier-
tiers:
  contrib:
    aliases: [sandbox]
    requires: [readme, license, activity]
  repository:
    aliases: [incubating]
    extends: contrib
    requires: [owners, {maintainers: {min: 2}}, build-pipeline, release-pipeline]
  official:
    aliases: [stable]
    extends: repository
    requires: [{recent-release: {max-age-days: 180}}, security-policy, contributing, release-process]
waivers:
  - repository: deploy-kubernetes
    check: release-pipeline
    reason: Manifests are published by the test-infra Prow job
    expires: 2027-06-30
exclude: [falco-playground]
`;

function parseOk(text: string, file = 'tier-audit.yml', checks?: Parameters<typeof parsePolicy>[2]): Policy {
  const result = parsePolicy(text, file, checks);
  if (!result.ok) throw new Error(result.errors.map(formatConfigProblem).join('\n'));
  return result.policy;
}

function parseErrors(text: string, options?: Parameters<typeof parsePolicy>[2]): ConfigProblem[] {
  const result = parsePolicy(text, '.github/tier-audit.yml', options);
  if (result.ok) throw new Error('expected errors, got a policy');
  return result.errors;
}

describe('parsePolicy: the documented file', () => {
  it('accepts the verbatim file, which minus registry, waivers and exclude is the built-in default', () => {
    const policy = parseOk(BRIEF);
    expect(policy.registry).toEqual({
      repository: 'evolution',
      path: 'repositories.yaml',
      field: 'status',
      ref: null,
    });
    expect(policy.waivers).toEqual([
      {
        repository: 'deploy-kubernetes',
        checks: ['release-pipeline'],
        tier: null,
        reason: 'Manifests are published by the test-infra Prow job',
        expires: '2027-06-30',
      },
    ]);
    expect(policy.filters.exclude).toEqual(['falco-playground']);
    const stripped: Policy = {
      ...policy,
      registry: null,
      waivers: [],
      filters: { ...policy.filters, exclude: [] },
    };
    // The built-in policy now recommends `activity` at contrib (this v1 file still requires it) and the
    // official tier's promise (dependency-updates, code-scanning…) at official (this file has no recommends).
    const [contrib, repository, official] = DEFAULT_POLICY.tiers;
    expect(stripped).toEqual({
      ...DEFAULT_POLICY,
      tiers: [
        { ...contrib, requires: [...contrib.requires, ...contrib.recommends], recommends: [] },
        repository,
        { ...official, recommends: [] },
      ],
    });
  });

  it('gives no warnings for the verbatim file', () => {
    const result = parsePolicy(BRIEF, 'x.yml');
    expect(result.ok && result.warnings).toEqual([]);
  });

  it('an empty file is the built-in default', () => {
    expect(parseOk('')).toEqual(DEFAULT_POLICY);
    expect(parseOk('# only a comment\n')).toEqual(DEFAULT_POLICY);
  });

  it('parses examples/falcosecurity.yml with the Falco practice', () => {
    const policy = parseOk(read('../../examples/falcosecurity.yml'), 'examples/falcosecurity.yml');
    expect(policy.registry).toEqual({
      repository: 'evolution',
      path: 'repositories.yaml',
      field: 'status',
      ref: null,
    });
    expect(policy.communityRepository).toBe('.github');
    expect(policy.tiers.map((tier) => tier.id)).toEqual(['contrib', 'repository', 'official']);
    expect(policy.tiers[0].requires).toContainEqual({
      check: 'license',
      params: { allowed: ['Apache-2.0'] },
    });
    // Version 2: role duplication and inactivity are advice below official; pipelines that do not apply
    // are declared with `unless`, Prow-run ones with a waiver.
    expect(policy.tiers[0].requires).toContainEqual({ check: 'owners', params: { 'unique-roles': false } });
    expect(policy.tiers[0].recommends.map((entry) => entry.check)).toEqual([
      'owners-roles',
      'activity',
      'readme',
    ]);
    expect(policy.tiers[2].requires).toContainEqual({ check: 'activity', params: { 'max-idle-days': 365 } });
    expect(policy.tiers[1].requires).toContainEqual({
      check: 'build-pipeline',
      params: {},
      unless: { files: ['netlify.toml'], registry: { scope: ['Infra'] } },
    });
    expect(policy.waivers).toEqual([
      expect.objectContaining({
        repository: 'deploy-kubernetes',
        checks: ['build-pipeline', 'release-pipeline', 'recent-release', 'release-process'],
      }),
    ]);
    // Every requirement carries a comment quoting the rule it implements.
    const text = read('../../examples/falcosecurity.yml');
    expect(text.match(/^\s+# .*"[^"]+"/gm)?.length).toBeGreaterThanOrEqual(8);
  });

  it('parses examples/minimal.yml', () => {
    const policy = parseOk(read('../../examples/minimal.yml'));
    expect(policy.declarations).toEqual(['topic']);
    expect(policy.tiers.map((tier) => [tier.id, tier.extends])).toEqual([
      ['experimental', null],
      ['supported', 'experimental'],
    ]);
  });

  it('schemas/config.schema.json is current: the schema generated from the check definitions', () => {
    expect(JSON.parse(read('../../schemas/config.schema.json'))).toEqual(JSON.parse(renderConfigSchema()));
  });

  it('the generated schema lists every check and its parameters, and editors can validate with it', () => {
    const definitions = (CONFIG_SCHEMA as { definitions: Record<string, { properties?: object }> })
      .definitions;
    for (const check of CHECKS.values()) {
      if (check.id === 'declaration-consistent') continue;
      expect(Object.keys(definitions[`params-${check.id}`].properties ?? {})).toEqual(
        check.params.map((param) => param.name),
      );
    }
    const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addKeyword('x-error');
    const validate = ajv.compile(CONFIG_SCHEMA);
    const policy = (text: string) => parseDocument(text).toJS() as unknown;
    expect(validate(policy(read('../../examples/falcosecurity.yml')))).toBe(true);
    expect(validate(policy(read('../../examples/minimal.yml')))).toBe(true);
    expect(
      validate(
        policy(
          'tiers:\n  a:\n    requires: [{maintainers: {min: 2}}, {check: owners, with: {unique-roles: false}}]\n',
        ),
      ),
    ).toBe(true);
    expect(validate(policy('tiers:\n  a:\n    requires: [readmee]\n'))).toBe(false);
    expect(validate(policy('tiers:\n  a:\n    requires: [{maintainers: {mn: 2}}]\n'))).toBe(false);
    expect(validate(policy('tiers:\n  a:\n    requires: [{check: maintainers, with: {min: 0}}]\n'))).toBe(
      false,
    );
  });
});

describe('parsePolicy: the rest of the format', () => {
  it('reads inline registry entries from registry.entries and repositories:, Special entries without status', () => {
    const policy = parseOk(
      [
        'registry:',
        '  entries:',
        '    - {name: falco, scope: Core, status: Stable}',
        'repositories:',
        '  - name: community',
        '    scope: Special',
        '  - {name: falcoctl, status: stable}',
      ].join('\n'),
    );
    expect(policy.registry).toBeNull();
    expect(policy.registryEntries).toEqual([
      { name: 'falco', status: 'Stable', fields: { scope: 'Core' } },
      { name: 'community', status: null, fields: { scope: 'Special' } },
      { name: 'falcoctl', status: 'stable' },
    ]);
  });

  it('reads registry.ref, owner/name repositories and custom field', () => {
    const policy = parseOk('registry:\n  repository: falcosecurity/evolution\n  ref: v1\n  field: tier\n');
    expect(policy.registry).toEqual({
      repository: 'falcosecurity/evolution',
      path: 'repositories.yaml',
      field: 'tier',
      ref: 'v1',
    });
  });

  it('reads filters and lower-cases topics', () => {
    const policy = parseOk(
      'include: ["falco*", plugin-sdk-?]\nexclude: [falco-playground]\ninclude-topics: [Falco]\nexclude-topics: [tier-none]\narchived: true\nforks: true\ntemplates: true\nprivate: false\ncommunity-repository: community\n',
    );
    expect(policy.filters).toEqual({
      include: ['falco*', 'plugin-sdk-?'],
      exclude: ['falco-playground'],
      includeTopics: ['falco'],
      excludeTopics: ['tier-none'],
      archived: true,
      forks: true,
      templates: true,
      private: false,
    });
    expect(policy.communityRepository).toBe('community');
  });

  it('normalises tier ids and aliases to lower case, and orders tiers along extends', () => {
    const policy = parseOk(
      [
        'tiers:',
        '  Official:',
        '    aliases: [Stable]',
        '    extends: repository',
        '    requires: [security-policy]',
        '  contrib:',
        '    aliases: [Sandbox]',
        '    requires: [readme]',
        '  repository:',
        '    aliases: [INCUBATING]',
        '    extends: Contrib',
        '    requires: [owners]',
      ].join('\n'),
    );
    expect(policy.tiers.map((tier) => [tier.id, tier.aliases, tier.extends])).toEqual([
      ['contrib', ['sandbox'], null],
      ['repository', ['incubating'], 'contrib'],
      ['official', ['stable'], 'repository'],
    ]);
  });

  it('validates parameters through the check and accepts valid ones', () => {
    const { checks } = scriptedChecks(FALCO_CHECK_IDS, {}, { maintainers: { min: 1 } });
    const policy = parseOk('tiers:\n  contrib:\n    requires: [{maintainers: {min: 3}}]\n', 'x.yml', {
      checks,
    });
    expect(policy.tiers[0].requires).toEqual([{ check: 'maintainers', params: { min: 3 } }]);
  });

  it('warns (not fails) about built-in checks listed in a tier', () => {
    const result = parsePolicy('tiers:\n  contrib:\n    requires: [readme, not-archived]\n', 'x.yml');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.policy.tiers[0].requires.map((r) => r.check)).toEqual(['readme']);
    expect(result.warnings.map(formatConfigProblem)).toEqual([
      "x.yml:3:24: check 'not-archived' applies to every declared repository; listing it in a tier has no effect",
    ]);
  });
});

describe('parsePolicy: errors with positions', () => {
  it('reports a YAML syntax error at its position', () => {
    const errors = parseErrors('tiers:\n  contrib:\n    requires: [readme, license\n  official: {}\n');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toMatch(/^YAML syntax error: /);
    expect(errors[0].line).toBeGreaterThanOrEqual(3);
  });

  it('reports a duplicate key as a YAML error', () => {
    const errors = parseErrors('custom-property: tier\ncustom-property: level\n');
    expect(errors[0]).toMatchObject({ line: 2, column: 1 });
    expect(errors[0].message).toMatch(/unique/i);
  });

  it('reports an unknown check with the known ones, at the item', () => {
    const errors = parseErrors('tiers:\n  contrib:\n    requires: [readme, readmee]\n');
    expect(errors).toHaveLength(1);
    expect(formatConfigProblem(errors[0])).toMatch(
      /^\.github\/tier-audit\.yml:3:24: unknown check 'readmee' \(known: readme, license, owners, /,
    );
  });

  it('reports an unknown tier in extends and a cycle', () => {
    const unknown = parseErrors(
      'tiers:\n  contrib:\n    requires: [readme]\n  official:\n    extends: repository\n    requires: [license]\n',
    );
    expect(unknown.map((p) => [p.line, p.column, p.message])).toEqual([
      [5, 14, "tier 'official' extends unknown tier 'repository' (tiers: contrib, official)"],
    ]);
    const cycle = parseErrors(
      'tiers:\n  a:\n    extends: b\n    requires: [readme]\n  b:\n    extends: a\n    requires: [license]\n',
    );
    expect(cycle).toHaveLength(1);
    expect(cycle[0]).toMatchObject({
      line: 3,
      column: 14,
      message: 'tiers extend each other in a cycle: a → b → a',
    });
  });

  it('reports wrong types at the value, and unknown keys at the key', () => {
    const errors = parseErrors(
      'archived: "no"\ndeclarations: registry\ntopic-prefx: tier-\ntiers:\n  contrib:\n    requires: readme\n',
    );
    expect(errors.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '1:11 archived: must be true or false',
      '2:15 declarations: must be a list',
      expect.stringMatching(/^3:1 topic-prefx: unknown key 'topic-prefx' \(known: registry, /),
      '6:15 tiers.contrib.requires: must be a list',
    ]);
  });

  it('reports a requirement that is neither a check id nor a one-key map', () => {
    const errors = parseErrors(
      'tiers:\n  contrib:\n    requires:\n      - readme\n      - {maintainers: {min: 2}, owners: {}}\n',
    );
    expect(errors.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '5:9 tiers.contrib.requires[1]: must be a check id or a one-key map {check-id: {parameters}}',
    ]);
  });

  it('reports a bad parameter through the check’s validateParams, at the parameters', () => {
    const { checks } = scriptedChecks(FALCO_CHECK_IDS);
    const errors = parseErrors(
      'tiers:\n  contrib:\n    requires:\n      - readme\n      - maintainers: {min: -1}\n',
      { checks },
    );
    expect(errors.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "5:22 check 'maintainers': 'min' must not be negative",
    ]);
  });

  it('validates parameters with the real checks (CHECKS) by default', () => {
    const errors = parseErrors(
      'tiers:\n  contrib:\n    requires: [{maintainers: {minimum: 2}}, {license: {allowed: Apache-2.0}}]\n',
    );
    expect(errors.map((p) => `${p.line}:${p.column}`)).toEqual(['3:30', '3:55']);
    expect(errors[0].message).toMatch(/^check 'maintainers': .*minimum/);
    expect(errors[1].message).toMatch(/^check 'license': .*allowed/);
  });

  it('reports a parameter block of the wrong type', () => {
    const errors = parseErrors('tiers:\n  contrib:\n    requires: [{recent-release: 180}]\n');
    expect(errors[0]).toMatchObject({ line: 3, column: 33 });
    expect(errors[0].message).toBe('tiers.contrib.requires[0].recent-release: must be a map or null');
  });

  it('reports waivers without reason, with unknown checks or bad dates', () => {
    const errors = parseErrors(
      [
        'waivers:',
        '  - repository: deploy-kubernetes',
        '    check: release-pipeline',
        '  - repository: falco',
        '    check: release-pipelines',
        '    reason: Released by the test-infra job',
        '  - repository: falcoctl',
        '    check: recent-release',
        '    reason: Release train paused',
        '    expires: 2027-02-30',
      ].join('\n'),
    );
    expect(errors.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '2:5 waiver without reason (deploy-kubernetes / release-pipeline): every waiver needs a reason',
      expect.stringMatching(/^5:12 unknown check 'release-pipelines' \(known: /),
      "10:14 waiver expires on an invalid date '2027-02-30'",
    ]);
    const format = parseErrors(
      'waivers:\n  - repository: charts\n    check: readme\n    reason: x\n    expires: 30/06/2027\n',
    );
    expect(format.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      '5:14 waivers[0].expires: must be a date YYYY-MM-DD',
    ]);
  });

  it('reports duplicate aliases and reserved names; a check may be listed again at a higher tier', () => {
    const errors = parseErrors(
      [
        'tiers:',
        '  contrib:',
        '    aliases: [sandbox, deprecated]',
        '    requires: [readme]',
        '  repository:',
        '    aliases: [Sandbox, contrib]',
        '    extends: contrib',
        '    requires: [readme]',
      ].join('\n'),
    );
    expect(errors.map((p) => `${p.line}:${p.column} ${p.message}`)).toEqual([
      "3:24 alias 'deprecated' is reserved (a status with a fixed meaning)",
      "6:15 duplicate alias 'Sandbox' (already used by tier 'contrib')",
      "6:24 duplicate alias 'contrib': it is a tier id",
    ]);
  });

  it('reports a registry with neither repository nor entries, and an invalid repository', () => {
    expect(parseErrors('registry:\n  path: repositories.yaml\n')[0].message).toBe(
      'registry needs `repository` (a registry file) or `entries`',
    );
    expect(parseErrors('registry:\n  repository: "evolution repo"\n')[0]).toMatchObject({
      line: 2,
      column: 15,
    });
  });

  it('reports a registry.path that cannot name a file (a trailing /, empty, . or ..)', () => {
    for (const path of ['docs/', '.', 'a/../b', 'a//b']) {
      const errors = parseErrors(`registry:\n  repository: evolution\n  path: ${path}\n`);
      expect([path, errors[0]?.message]).toEqual([
        path,
        expect.stringMatching(/^registry.path '.*' cannot name a file/),
      ]);
      expect(errors[0]).toMatchObject({ line: 3 });
    }
    expect(
      parsePolicy('registry:\n  repository: evolution\n  path: /data/repositories.yaml\n', 'p.yml').ok,
    ).toBe(true);
  });

  it('refuses an alias bomb or absurd nesting in the policy at once, with a clear message', () => {
    const started = performance.now();
    expect(parseErrors(aliasBomb(9))[0].message).toMatch(
      /^not read: the file expands to more than \d+ YAML nodes/,
    );
    expect(parseErrors(`tiers: ${'['.repeat(5000)}\n`)[0].message).toMatch(/levels deep/);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('reports an unknown declaration source', () => {
    const errors = parseErrors('declarations: [registry, badges]\n');
    expect(errors.map(formatConfigProblem)).toEqual([
      '.github/tier-audit.yml:1:26: declarations[1]: must be one of: registry, custom-property, topic, badge (got "badges")',
    ]);
  });
});
