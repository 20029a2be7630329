import { runCheck as runEvaluatorCheck } from '../../src/evaluate/run-check.js';
import { CHECK_IDS, CHECKS, EVALUATOR_CHECK_IDS, getCheck } from '../../src/checks/index.js';
import type { PeopleDirectory } from '../../src/people.js';
import { ctx, expectWellFormed, FALCO, fromFalco, runCheck } from './helpers.js';

/** Parameters a check cannot do without (it has no default for them). */
const REQUIRED: Record<string, Record<string, unknown>> = { 'core-approvers': { members: ['leogr'] } };

/** People verified and all members (the real data has no people facts; verification is tested apart). */
const EVERYONE_MEMBER: PeopleDirectory = {
  person: (login) => ({ login, account: 'yes', member: 'yes', activeSince: {} }),
  team: () => undefined,
  collaborator: () => undefined,
};

describe('registry', () => {
  it('has every planned check id, each under its own id', () => {
    expect([...CHECK_IDS].sort()).toEqual(
      [
        'activity',
        'build-pipeline',
        'code-scanning',
        'contributing',
        'core-approvers',
        'declaration-consistent',
        'default-branch-protected',
        'dependency-updates',
        'issue-response',
        'license',
        'maintainers',
        'not-archived',
        'owners',
        'owners-roles',
        'owners-tree',
        'readme',
        'recent-release',
        'release-pipeline',
        'release-process',
        'release-provenance',
        'security-policy',
        'test-matrix',
      ].sort(),
    );
    for (const [id, check] of CHECKS) {
      expect(check.id).toBe(id);
      expect(getCheck(id)).toBe(check);
      expect(check.title).toBeTruthy();
      expect(check.description).toBeTruthy();
    }
    expect(getCheck('nope')).toBeUndefined();
    expect(EVALUATOR_CHECK_IDS).toEqual(['declaration-consistent']);
  });

  it('defaults are valid parameters; unknown names and wrong types are errors for every check', () => {
    for (const check of CHECKS.values()) {
      expect(check.validateParams({ ...check.defaults, ...REQUIRED[check.id] })).toEqual([]);
      expect(check.validateParams({ ...check.defaults, 'no-such-param': 1 })[0]).toMatch(
        new RegExp(`^${check.id}: unknown parameter "no-such-param"`),
      );
    }
    expect(
      getCheck('recent-release')!.validateParams({ 'max-age-days': -1, 'include-prereleases': 'yes' }),
    ).toHaveLength(2);
    expect(getCheck('license')!.validateParams({ allowed: 'MIT' })).toHaveLength(1);
    expect(getCheck('release-pipeline')!.validateParams({ tools: ['ko', ''] })).toHaveLength(1);
    expect(getCheck('owners')!.validateParams({ 'unique-roles': 'false' })).toHaveLength(1);
  });
});

describe('every check on all 47 real falcosecurity repositories', () => {
  const names = Object.keys(FALCO);

  it('the data has 47 repositories', () => {
    expect(names).toHaveLength(47);
  });

  it('no check throws and every result is well-formed, with org files unknown or known', () => {
    for (const name of names) {
      for (const check of CHECKS.values()) {
        const known = runEvaluatorCheck(check, fromFalco(name), REQUIRED[check.id] ?? {}, {
          ...ctx(),
          people: EVERYONE_MEMBER,
        });
        expectWellFormed(known);
        // real data is complete: nothing here is an error
        expect([name, check.id, known.outcome]).not.toEqual([name, check.id, 'error']);
        // With the org's community repository unreadable, only an inherited file is unknown: an error
        // where the repository has none of its own, never a fail.
        const unknown = runEvaluatorCheck(check, fromFalco(name), REQUIRED[check.id] ?? {}, {
          ...ctx({ communityFiles: null }),
          people: EVERYONE_MEMBER,
        });
        expectWellFormed(unknown);
        if (['security-policy', 'contributing'].includes(check.id)) {
          expect([name, check.id, unknown.outcome]).not.toEqual([name, check.id, 'fail']);
        } else {
          expect([name, check.id, unknown.outcome]).toEqual([name, check.id, known.outcome]);
        }
      }
    }
  });

  it('the outcomes on the real data match what was verified by hand', () => {
    const table = (id: string) =>
      Object.fromEntries(names.map((n) => [n, runCheck(id, fromFalco(n)).outcome === 'pass' ? 'P' : 'F']));
    const failing = (id: string) =>
      Object.entries(table(id))
        .filter(([, v]) => v === 'F')
        .map(([n]) => n);
    // no OWNERS: katacoda-scenarios, libsinsp; approvers also reviewers (unique-roles): the rest
    expect(failing('owners')).toEqual([
      'advocacy',
      'client-py',
      'client-rs',
      'cloud-native-security-hub',
      'falco-aws-terraform',
      'falco-lsp',
      'katacoda-scenarios',
      'libs-sdk-go',
      'libsinsp',
      'rules',
    ]);
    // repositories with no workflow at all
    expect(failing('build-pipeline')).toEqual([
      'advocacy',
      'client-rs',
      'cloud-native-security-hub',
      'cncf-green-review-testing',
      'community',
      'contrib',
      'deploy-kubernetes',
      'elftoolchain',
      'evolution',
      'falco-aws-terraform',
      'falco-rustlings',
      'katacoda-scenarios',
      'libs-sdk-go',
      'libsinsp',
      'pdig',
    ]);
    expect(failing('readme')).toEqual(['advocacy', 'katacoda-scenarios']);
  });
});
