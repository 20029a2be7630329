import { proseWords } from '../../src/checks/readme.js';
import { emptySnapshot, FALCO, fromFalco, rootEntries, runCheck, snapshot, withFiles } from './helpers.js';

describe('readme', () => {
  it('falco: README.md with prose passes (falcosecurity/falco)', () => {
    const r = runCheck('readme', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^README\.md has content/);
    expect(r.evidence).toEqual([{ path: 'README.md' }]);
  });

  it('advocacy: a title and two words fail as title-only (falcosecurity/advocacy)', () => {
    const r = runCheck('readme', fromFalco('advocacy'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/only a title or badges \(2 words of prose\)/);
  });

  it('katacoda-scenarios: a title and a bare URL fail (falcosecurity/katacoda-scenarios)', () => {
    expect(runCheck('readme', fromFalco('katacoda-scenarios')).outcome).toBe('fail');
  });

  it('falco-playground: lower-case readme.md with badges and prose passes (falcosecurity/falco-playground)', () => {
    const r = runCheck('readme', fromFalco('falco-playground'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^readme\.md/);
  });

  it('elftoolchain: README.rst with a reST title passes (falcosecurity/elftoolchain)', () => {
    expect(runCheck('readme', fromFalco('elftoolchain')).outcome).toBe('pass');
  });

  it('badges only: falco-playground badge line without its prose fails (modelled on falcosecurity/falco-playground)', () => {
    const head = FALCO['falco-playground'].readme_head!.split('\n').slice(0, 3).join('\n');
    expect(proseWords(head)).toBeLessThan(3);
    const s = withFiles(snapshot(), { 'README.md': head });
    expect(runCheck('readme', s).outcome).toBe('fail');
  });

  it('an empty repository fails with "repository is empty"', () => {
    const r = runCheck('readme', emptySnapshot());
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/repository is empty/);
  });

  it('libsinsp-like repo without a README fails; README in docs/ only does not count', () => {
    const s = withFiles(snapshot({ rootEntries: rootEntries(['LICENSE', 'docs/']) }), {
      'docs/README.md': 'x '.repeat(50),
    });
    const r = runCheck('readme', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/no README at the repository root/);
  });

  it('unread README is an error, a binary README fails, a truncated one passes by size', () => {
    const unread = withFiles(snapshot(), { 'README.md': { kind: 'unread', reason: 'rate limited' } });
    expect(runCheck('readme', unread).outcome).toBe('error');
    const binary = withFiles(snapshot(), { 'README.md': { kind: 'binary', byteSize: 2048 } });
    expect(runCheck('readme', binary).outcome).toBe('fail');
    const big = withFiles(snapshot(), { 'README.md': { kind: 'truncated', byteSize: 2_000_000 } });
    expect(runCheck('readme', big).outcome).toBe('pass');
  });

  it('a tree problem without a README is an error, never a fail', () => {
    const s = snapshot({ rootEntries: null, problems: [{ part: 'tree', message: 'timeout' }] });
    const r = runCheck('readme', s);
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/could not read tree \(timeout\)/);
  });
});

describe('license', () => {
  it('falco: LICENSE and COPYING with Apache-2.0 detected passes (falcosecurity/falco)', () => {
    const r = runCheck('license', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/Apache-2\.0/);
    expect(r.evidence).toEqual(expect.arrayContaining([{ path: 'COPYING' }, { path: 'LICENSE' }]));
  });

  it('allowed [Apache-2.0] passes; allowed [MIT] fails naming the detected license (falcosecurity/falco)', () => {
    expect(runCheck('license', fromFalco('falco'), { allowed: ['apache-2.0'] }).outcome).toBe('pass');
    const r = runCheck('license', fromFalco('falco'), { allowed: ['MIT'] });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/license Apache-2\.0 is not in the allowed list \(MIT\)/);
  });

  it('with an allowed list, a file GitHub cannot identify (NOASSERTION) fails as not recognised', () => {
    const s = fromFalco('falco', { license: { spdxId: 'NOASSERTION', name: 'Other' } });
    const r = runCheck('license', s, { allowed: ['Apache-2.0'] });
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/license not recognised/);
    // without a list, the file is enough
    expect(runCheck('license', s).outcome).toBe('pass');
  });

  it('with an allowed list, a license file GitHub detects nothing in (null) fails as not recognised', () => {
    const s = fromFalco('client-rs', { license: null });
    expect(runCheck('license', s, { allowed: ['Apache-2.0'] }).message).toMatch(/license not recognised/);
  });

  it('libsinsp: no license file and none detected fails (falcosecurity/libsinsp)', () => {
    const r = runCheck('license', fromFalco('libsinsp'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/no license/);
  });

  it('a tree problem with no detected license is an error; bad params are reported', () => {
    const s = snapshot({ rootEntries: null, problems: [{ part: 'tree', message: 'HTTP 502' }] });
    expect(runCheck('license', s).outcome).toBe('error');
    expect(runCheck('license', emptySnapshot()).outcome).toBe('fail');
  });
});

describe('one definition of "the README"', () => {
  const prose = 'Falco rules for detecting suspicious behaviour in containers and hosts at runtime.';

  it('README.markdown, which the collector reads, is the README for the check too', () => {
    const s = withFiles(snapshot({ rootEntries: rootEntries(['LICENSE']) }), { 'README.markdown': prose });
    const r = runCheck('readme', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^README\.markdown has content/);
  });

  it('the collector, the declarations and the check agree on every README name', async () => {
    const { isReadmeName } = await import('../../src/readme-file.js');
    const { unreadReadmes } = await import('../../src/github/map.js');
    const { readmeText } = await import('../../src/readme-file.js');
    for (const name of [
      'README',
      'README.md',
      'readme.markdown',
      'README.rst',
      'README.txt',
      'Readme.adoc',
    ]) {
      expect(isReadmeName(name)).toBe(true);
      const s = withFiles(snapshot({ rootEntries: rootEntries(['LICENSE']) }), { [name]: prose });
      expect(runCheck('readme', s).outcome).toBe('pass');
      expect(readmeText(s)).toBe(prose);
      const unread = snapshot({ rootEntries: rootEntries([name]) });
      expect(unreadReadmes(unread)).toEqual([name]);
    }
    for (const name of ['README.png', 'readme-old.md', 'docs']) expect(isReadmeName(name)).toBe(false);
  });
});
