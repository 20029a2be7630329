import {
  duplicateRoles,
  expandNames,
  parseOwnersAliases,
  parseOwnersFile,
} from '../../src/checks/owners-file.js';
import { FALCO } from './helpers.js';

const ownersText = (repo: string, path = 'OWNERS') =>
  FALCO[repo].owners_files.find((o) => o.path === path)!.text;

describe('Prow OWNERS parsing', () => {
  it('falco: root OWNERS parses with approvers, reviewers and emeritus_approvers (falcosecurity/falco)', () => {
    const o = parseOwnersFile(ownersText('falco'));
    expect(o.errors).toEqual([]);
    expect(o.roles.approvers).toContain('LucaGuerra');
    expect(o.roles.emeritus_approvers).toHaveLength(5);
  });

  it('plugins: the empty plugins/krsi/OWNERS is reported as empty (falcosecurity/plugins)', () => {
    const o = parseOwnersFile(ownersText('plugins', 'plugins/krsi/OWNERS'));
    expect(o.empty).toBe(true);
    expect(o.errors).toEqual(['is empty']);
  });

  it('rules: kaizhe is both a reviewer and an emeritus approver (falcosecurity/rules)', () => {
    const dups = duplicateRoles(parseOwnersFile(ownersText('rules')), null);
    expect([...dups]).toEqual([['kaizhe', ['reviewers', 'emeritus_approvers']]]);
  });

  it('unknown keys, filters mixed with simple keys, and non-list roles are errors', () => {
    expect(parseOwnersFile('approvers: [a]\nmaintainers: [b]\n').errors[0]).toMatch(
      /unknown key maintainers/,
    );
    expect(parseOwnersFile('approvers: [a]\nfilters:\n  ".*":\n    approvers: [b]\n').errors[0]).toMatch(
      /mixes filters/,
    );
    expect(parseOwnersFile('approvers: alice\n').errors[0]).toMatch(/approvers must be a list/);
    expect(parseOwnersFile('approvers: [a\n').errors[0]).toMatch(/does not parse as YAML/);
  });

  it('filters: only the catch-all ".*" filter gives repository-wide approvers (modelled on Prow docs)', () => {
    const o = parseOwnersFile(
      'filters:\n  ".*":\n    approvers: [alice]\n  "\\\\.go$":\n    approvers: [bob]\n',
    );
    expect(o.errors).toEqual([]);
    expect(o.roles.approvers).toEqual(['alice']);
  });

  it('aliases expand case-insensitively and logins are normalised as Prow does (modelled)', () => {
    const aliases = parseOwnersAliases('aliases:\n  Falco-Maintainers:\n    - LeoGR\n    - "@FedeDP"\n');
    expect(aliases.errors).toEqual([]);
    expect(expandNames(['falco-maintainers', 'leogr', 'Jasondellaluce'], aliases.aliases)).toEqual([
      'leogr',
      'fededp',
      'jasondellaluce',
    ]);
  });
});
