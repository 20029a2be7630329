import { parseDependabot } from '../../src/checks/dependency-updates.js';
import { FALCO, fromFalco, runCheck, snapshot, text, withFiles } from './helpers.js';

/** The real files' paths are captured, not their text: this content is modelled. */
const MODELLED = `version: 2\nupdates:\n  - package-ecosystem: gomod\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n`;

describe('dependency-updates', () => {
  it('the seventeen repositories with a dependabot.yml or .yaml in the real data pass, the others fail', () => {
    const withConfig = Object.entries(FALCO)
      .filter(([, d]) => d.github_paths.some((p) => /^\.github\/dependabot\.ya?ml$/.test(p)))
      .map(([name]) => name);
    expect(withConfig).toHaveLength(17);
    const passing = Object.keys(FALCO).filter(
      (name) => runCheck('dependency-updates', fromFalco(name)).outcome === 'pass',
    );
    expect(passing).toEqual(withConfig);
  });

  it('falco: .github/dependabot.yml (real path, modelled text) lists its ecosystems (falcosecurity/falco)', () => {
    const s = fromFalco('falco');
    s.files['.github/dependabot.yml'] = text(MODELLED);
    const r = runCheck('dependency-updates', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe('.github/dependabot.yml updates gomod, github-actions');
    expect(r.evidence).toEqual([
      { path: '.github/dependabot.yml', detail: 'Dependabot: gomod, github-actions' },
    ]);
  });

  it('libs: the .yaml spelling (falcosecurity/libs)', () => {
    const s = fromFalco('libs');
    s.files['.github/dependabot.yaml'] = text(MODELLED);
    expect(runCheck('dependency-updates', s).evidence![0].path).toBe('.github/dependabot.yaml');
  });

  it('libs: `ecosystems` names what must be covered (falcosecurity/libs)', () => {
    const s = fromFalco('libs');
    s.files['.github/dependabot.yaml'] = text(MODELLED);
    const r = runCheck('dependency-updates', s, { ecosystems: ['github-actions', 'gitsubmodule'] });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/but not gitsubmodule/);
    expect(r.remediation).toMatch(/gitsubmodule/);
  });

  it('pigeon: no dependabot.yml, no Renovate: fails with a minimal dependabot.yml (falcosecurity/pigeon)', () => {
    const r = runCheck('dependency-updates', fromFalco('pigeon'));
    expect(r.outcome).toBe('fail');
    expect(r.remediation).toMatch(/version: 2.*package-ecosystem: github-actions/);
  });

  it('falco: the file is listed but its text was not read: error, not fail (falcosecurity/falco)', () => {
    const s = fromFalco('falco');
    delete s.files['.github/dependabot.yml'];
    const r = runCheck('dependency-updates', s);
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/\.github\/dependabot\.yml was not read/);
  });

  it('Renovate at its documented locations (modelled)', () => {
    for (const path of ['renovate.json', '.renovaterc', '.github/renovate.json5']) {
      const r = runCheck('dependency-updates', withFiles(snapshot(), { [path]: '{}' }));
      expect(r.outcome).toBe('pass');
      expect(r.message).toMatch(`${path} configures Renovate`);
    }
  });

  it('an invalid or empty configuration fails and says why (modelled)', () => {
    const placeholder = withFiles(snapshot(), { '.github/dependabot.yml': '# nothing here\n' });
    expect(runCheck('dependency-updates', placeholder).message).toMatch(/not a mapping/);
    const v1 = withFiles(snapshot(), {
      '.github/dependabot.yml': 'version: 1\nupdates:\n  - package-ecosystem: npm\n',
    });
    expect(runCheck('dependency-updates', v1).message).toMatch(/reads only version: 2/);
    const broken = withFiles(snapshot(), { '.github/dependabot.yml': 'version: 2\nupdates: [\n' });
    expect(runCheck('dependency-updates', broken).message).toMatch(/not valid YAML/);
  });

  it('parsing is bounded: an alias bomb and an oversized file are refused quickly', () => {
    const bomb = ['version: 2', 'a: &a [x,x,x,x,x,x,x,x,x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    bomb.push('updates: *i');
    // An expanding parser would not return within the test's time limit.
    expect(parseDependabot(bomb.join('\n'))).toMatchObject({
      kind: 'invalid',
      reason: expect.stringMatching(/alias/i),
    });
    expect(parseDependabot(`version: 2\n#${'x'.repeat(300_000)}\n`)).toEqual({
      kind: 'invalid',
      reason: 'too large to parse (300013 characters)',
    });
  });
});
