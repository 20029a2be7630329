import { fromFalco, runCheck, ctx, snapshot, withFiles, emptySnapshot } from './helpers.js';

describe('security-policy and contributing', () => {
  it('falco-lsp: .github/SECURITY.md passes (falcosecurity/falco-lsp)', () => {
    const r = runCheck('security-policy', fromFalco('falco-lsp'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe('security policy .github/SECURITY.md in the repository');
  });

  it('falco: no SECURITY.md in the repo, inherited from the org .github repository, with its URL (modelled: the data lacks .github)', () => {
    const r = runCheck(
      'security-policy',
      fromFalco('falco'),
      {},
      ctx({ communityFiles: ['SECURITY.md', 'CODE_OF_CONDUCT.md'] }),
    );
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /inherited from the organization's falcosecurity\/\.github repository \(SECURITY\.md\), as GitHub shows it/,
    );
    expect(r.evidence![0].url).toBe('https://github.com/falcosecurity/.github/blob/HEAD/SECURITY.md');
  });

  it('org-level files in .github/ or docs/ of the org repository count too (modelled)', () => {
    const r = runCheck(
      'contributing',
      fromFalco('falco-talon'),
      {},
      ctx({ communityFiles: ['docs/contributing.md'] }),
    );
    expect(r.outcome).toBe('pass');
    expect(r.evidence![0].url).toBe(
      'https://github.com/falcosecurity/.github/blob/HEAD/docs/contributing.md',
    );
    // a file deeper in the org repository is not a community health file
    const deep = runCheck(
      'contributing',
      fromFalco('falco-talon'),
      {},
      ctx({ communityFiles: ['templates/CONTRIBUTING.md'] }),
    );
    expect(deep.outcome).toBe('fail');
  });

  it('falco: no SECURITY.md anywhere fails, naming the org repository that was checked (falcosecurity/falco)', () => {
    const r = runCheck('security-policy', fromFalco('falco'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      "no SECURITY.md in the root, .github/ or docs/, and none in the organization's falcosecurity/.github repository",
    );
  });

  it('org repository unreadable (communityFiles null): an error, never a fail, and says why', () => {
    const r = runCheck('security-policy', fromFalco('falco'), {}, ctx({ communityFiles: null }));
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(
      /could not read the organization's falcosecurity\/\.github repository.*unknown rather than failing/,
    );
  });

  it('falco: Contributing.md (mixed case) passes (falcosecurity/falco)', () => {
    expect(runCheck('contributing', fromFalco('falco')).message).toBe(
      'contributing guide Contributing.md in the repository',
    );
  });

  it('falco-operator: docs/contributing.md passes (falcosecurity/falco-operator)', () => {
    expect(runCheck('contributing', fromFalco('falco-operator')).message).toMatch(/docs\/contributing\.md/);
  });

  it('.rst, .txt and no extension count; other extensions and other names do not (modelled)', () => {
    for (const name of ['CONTRIBUTING.rst', 'contributing.txt', 'CONTRIBUTING']) {
      expect(runCheck('contributing', withFiles(snapshot(), { [name]: 'x' })).outcome).toBe('pass');
    }
    expect(runCheck('contributing', withFiles(snapshot(), { 'CONTRIBUTING.html': 'x' })).outcome).toBe(
      'fail',
    );
    expect(runCheck('security-policy', withFiles(snapshot(), { SECURITY_CONTACTS: 'x' })).outcome).toBe(
      'fail',
    );
  });

  it('a tree problem is an error when nothing is found; an empty repository fails like every other check', () => {
    const s = snapshot({ rootEntries: null, problems: [{ part: 'tree', message: 'timeout' }] });
    expect(runCheck('security-policy', s).outcome).toBe('error');
    // prempti (modelled empty): GitHub shows no community profile for a repository without commits.
    const empty = runCheck(
      'security-policy',
      emptySnapshot(),
      {},
      ctx({ communityFiles: ['.github/SECURITY.md'] }),
    );
    expect(empty.outcome).toBe('fail');
    expect(empty.message).toMatch(/repository is empty/);
  });
});
