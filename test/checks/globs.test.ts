import { globMatch, matchesPatternList, refPasses } from '../../src/checks/globs.js';

describe('GitHub filter patterns', () => {
  it('client-go: tags v[0-9]+.[0-9]+.[0-9]+ match v0.6.1, not v0.6 or v0.6.1-rc1 (falcosecurity/client-go release.yml)', () => {
    const p = 'v[0-9]+.[0-9]+.[0-9]+';
    expect(globMatch(p, 'v0.6.1')).toBe(true);
    expect(globMatch(p, 'v10.22.333')).toBe(true);
    expect(globMatch(p, 'v0.6')).toBe(false);
    expect(globMatch(p, 'v0.6.1-rc1')).toBe(false);
    // `.` is literal, not "any character"
    expect(globMatch(p, 'v0x6x1')).toBe(false);
  });

  it('kernel-crawler: [0-9]+.[0-9]+.[0-9]+ matches 0.18.0 but not v0.18.0 (falcosecurity/kernel-crawler release.yml)', () => {
    expect(globMatch('[0-9]+.[0-9]+.[0-9]+', '0.18.0')).toBe(true);
    expect(globMatch('[0-9]+.[0-9]+.[0-9]+', 'v0.18.0')).toBe(false);
  });

  it('rules: [a-z]*[0-9]+.[0-9]+.[0-9]+* matches falco-rules-5.1.0 and falco-incubating-rules-6.0.1 (falcosecurity/rules release.yaml)', () => {
    const p = '[a-z]*[0-9]+.[0-9]+.[0-9]+*';
    expect(globMatch(p, 'falco-rules-5.1.0')).toBe(true);
    expect(globMatch(p, 'falco-incubating-rules-6.0.1')).toBe(true);
    expect(globMatch(p, 'falco-rules-5.1.0-rc1')).toBe(true);
    expect(globMatch(p, '5.1.0')).toBe(false); // needs a leading letter
  });

  it('plugins: ** matches monorepo tags with slashes, * does not cross /', () => {
    expect(globMatch('**', 'plugins/k8saudit/v0.18.0')).toBe(true);
    expect(globMatch('*', 'plugins/k8saudit/v0.18.0')).toBe(false);
    expect(globMatch('*', 'v0.18.0')).toBe(true);
    expect(globMatch('plugins/*/v*', 'plugins/k8saudit/v0.18.0')).toBe(true);
  });

  it('falco: release/** matches release/0.44.x and deeper branches, not master', () => {
    expect(globMatch('release/**', 'release/0.44.x')).toBe(true);
    expect(globMatch('release/**', 'release/a/b')).toBe(true);
    expect(globMatch('release/**', 'master')).toBe(false);
  });

  it('? makes the preceding character optional, + repeats it', () => {
    expect(globMatch('v?1.0', '1.0')).toBe(true);
    expect(globMatch('v?1.0', 'v1.0')).toBe(true);
    expect(globMatch('v?1.0', 'vv1.0')).toBe(false);
    expect(globMatch('ma+in', 'maaain')).toBe(true);
    expect(globMatch('ma+in', 'min')).toBe(false);
  });

  it('a backslash escapes special characters', () => {
    expect(globMatch('v\\*', 'v*')).toBe(true);
    expect(globMatch('v\\*', 'v1')).toBe(false);
  });

  it('negation order: the last matching pattern decides', () => {
    const list = ['releases/**', '!releases/**-alpha', 'releases/special-alpha'];
    expect(matchesPatternList(list, 'releases/10')).toBe(true);
    expect(matchesPatternList(list, 'releases/10-alpha')).toBe(false);
    expect(matchesPatternList(list, 'releases/special-alpha')).toBe(true);
    expect(matchesPatternList(['!main'], 'main')).toBe(false);
  });

  it('peribolos-syncer: branches [*] includes main (falcosecurity/peribolos-syncer integration.yaml)', () => {
    expect(refPasses(['*'], undefined, 'main')).toBe(true);
    expect(refPasses(['*'], undefined, 'feature/x')).toBe(false);
  });

  it('branches-ignore excludes what it matches; no filter passes everything', () => {
    expect(refPasses(undefined, ['dependabot/**'], 'main')).toBe(true);
    expect(refPasses(undefined, ['main'], 'main')).toBe(false);
    expect(refPasses(undefined, undefined, 'anything')).toBe(true);
  });
});

describe('GitHub filter patterns in linear time', () => {
  it('*a*a…*b, **a**a…**b and a+a+…b against long runs of a return at once', () => {
    // A backtracking matcher would take longer than the age of the universe, not just the test's
    // time limit: returning at all is the proof; how fast is the bench's business.
    const as = 'a'.repeat(100);
    expect(globMatch(`${'*a'.repeat(12)}*b`, as)).toBe(false);
    expect(globMatch(`${'**a'.repeat(12)}**b`, as)).toBe(false);
    expect(globMatch(`${'a+'.repeat(30)}b`, as)).toBe(false);
    expect(globMatch(`${'*a'.repeat(12)}*b`, `${as}b`)).toBe(true);
    expect(matchesPatternList([`${'*a'.repeat(12)}*b`, '!**'], as)).toBe(false);
    expect(globMatch(`${'[a-z]*'.repeat(40)}0`, 'a'.repeat(3000))).toBe(false);
  });
});

it('a range out of order ([b-a]) matches nothing instead of throwing', () => {
  expect(globMatch('v[b-a]', 'va')).toBe(false);
  expect(globMatch('v[b-a0-9]', 'v1')).toBe(true);
});
