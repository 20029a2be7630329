import { getCheck } from '../../src/checks/index.js';
import { emptySnapshot, FALCO, fromFalco, rootEntries, runCheck, snapshot, withFiles } from './helpers.js';

const owners = (repo: string, path = 'OWNERS') => FALCO[repo].owners_files.find((o) => o.path === path)!.text;

describe('owners', () => {
  it('falco: OWNERS with emeritus approvers passes (falcosecurity/falco)', () => {
    const r = runCheck('owners', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe('root OWNERS is valid: 7 approvers, 2 reviewers');
  });

  it('contrib: OWNERS without a final newline passes (falcosecurity/contrib)', () => {
    expect(runCheck('owners', fromFalco('contrib')).outcome).toBe('pass');
  });

  it('rules: kaizhe listed as reviewer and emeritus approver fails, citing the project guideline (falcosecurity/rules)', () => {
    const r = runCheck('owners', fromFalco('rules'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/kaizhe \(reviewers and emeritus_approvers\)/);
    expect(r.message).toMatch(/project guideline .*not a Prow rule/);
  });

  it('rules: with unique-roles false the same file passes (falcosecurity/rules)', () => {
    expect(runCheck('owners', fromFalco('rules'), { 'unique-roles': false }).outcome).toBe('pass');
  });

  it('advocacy: the four approvers also listed as reviewers fail (falcosecurity/advocacy)', () => {
    const r = runCheck('owners', fromFalco('advocacy'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/4 people in more than one role/);
  });

  it('roles are compared case-insensitively: LucaGuerra (falco) and lucaguerra (rules) are one person (modelled)', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - LucaGuerra\n  - leogr\nreviewers:\n  - lucaguerra\n',
    });
    expect(runCheck('owners', s).message).toMatch(/lucaguerra \(approvers and reviewers\)/);
  });

  it('plugins: a valid root OWNERS passes; the empty plugins/krsi/OWNERS in a subfolder is ignored (falcosecurity/plugins)', () => {
    const s = fromFalco('plugins');
    expect(s.files['plugins/krsi/OWNERS']).toEqual({ kind: 'text', text: '', byteSize: 0 });
    expect(runCheck('owners', s).outcome).toBe('pass');
  });

  it('only the empty plugins/krsi/OWNERS, no root OWNERS: fails and says a subfolder OWNERS does not count (modelled on falcosecurity/plugins)', () => {
    const s = fromFalco('plugins');
    for (const path of Object.keys(s.files))
      if (path.endsWith('OWNERS') && path !== 'plugins/krsi/OWNERS') delete s.files[path];
    s.rootEntries = s.rootEntries!.filter((e) => e.name !== 'OWNERS');
    const r = runCheck('owners', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      'no OWNERS file at the repository root (an OWNERS in a subfolder only covers that folder and does not count: plugins/krsi/OWNERS (empty))',
    );
  });

  it('katacoda-scenarios: no OWNERS at all fails (falcosecurity/katacoda-scenarios)', () => {
    expect(runCheck('owners', fromFalco('katacoda-scenarios')).outcome).toBe('fail');
  });

  it('an empty root OWNERS fails as empty (modelled on plugins/krsi/OWNERS)', () => {
    const r = runCheck('owners', withFiles(snapshot(), { OWNERS: owners('plugins', 'plugins/krsi/OWNERS') }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe('root OWNERS is empty');
  });

  it('a labels-only root OWNERS fails for having no approvers (modelled on falco userspace/engine/OWNERS)', () => {
    const labelsOnly = owners('falco', 'userspace/engine/OWNERS');
    expect(labelsOnly).toBe('labels:\n  - area/engine');
    const r = runCheck('owners', withFiles(snapshot(), { OWNERS: labelsOnly }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/has only labels/);
  });

  it('unknown keys and filters mixed with simple keys fail (modelled)', () => {
    const unknown = withFiles(snapshot(), { OWNERS: 'approvers: [leogr]\nmaintainers: [fededp]\n' });
    expect(runCheck('owners', unknown).message).toMatch(/unknown key maintainers/);
    const mixed = withFiles(snapshot(), {
      OWNERS: 'approvers: [leogr]\nfilters:\n  ".*":\n    approvers: [fededp]\n',
    });
    expect(runCheck('owners', mixed).message).toMatch(/mixes filters/);
  });

  it('aliases from OWNERS_ALIASES are resolved (modelled on falco OWNERS; the data has no OWNERS_ALIASES)', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - falco-maintainers\nreviewers:\n  - kaizhe\n',
      OWNERS_ALIASES: 'aliases:\n  falco-maintainers:\n    - leogr\n    - FedeDP\n    - jasondellaluce\n',
    });
    const r = runCheck('owners', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/3 approvers.*aliases falco-maintainers expanded/);
    const m = runCheck('maintainers', s);
    expect(m.message).toMatch(/3 active approvers in OWNERS: leogr, fededp, jasondellaluce/);
  });

  it('an alias that puts someone in a second role is caught after expansion (modelled)', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - maintainers\nreviewers:\n  - FedeDP\n',
      OWNERS_ALIASES: 'aliases:\n  maintainers: [leogr, fededp]\n',
    });
    expect(runCheck('owners', s).message).toMatch(/fededp \(approvers and reviewers\)/);
  });

  it('unread OWNERS or a read problem is an error, not a fail; a malformed OWNERS_ALIASES fails', () => {
    const unread = withFiles(snapshot(), { OWNERS: { kind: 'unread', reason: 'GraphQL timeout' } });
    expect(runCheck('owners', unread).outcome).toBe('error');
    expect(runCheck('maintainers', unread).outcome).toBe('error');
    const problem = snapshot({ problems: [{ part: 'owners', message: 'FORBIDDEN' }] });
    expect(runCheck('owners', problem).message).toMatch(/could not read owners \(FORBIDDEN\)/);
    const badAliases = withFiles(snapshot(), {
      OWNERS: 'approvers: [a, b]\n',
      OWNERS_ALIASES: 'aliases: [x\n',
    });
    expect(runCheck('owners', badAliases).outcome).toBe('fail');
  });

  it('empty repository fails', () => {
    expect(runCheck('owners', emptySnapshot()).message).toMatch(/repository is empty/);
  });
});

describe('maintainers', () => {
  it('falco: 7 active approvers, emeritus not counted, logins without @ (falcosecurity/falco)', () => {
    const r = runCheck('maintainers', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /^7 active approvers in OWNERS: mstemm, leogr, jasondellaluce, fededp, lucaguerra, sgaist, ekoops/,
    );
    expect(r.message).not.toMatch(/fntlnz|@/);
    expect(r.evidence?.[0].detail).toMatch(/active approvers: mstemm/);
  });

  it('contrib: 3 approvers pass the default 2 but fail min 4 (falcosecurity/contrib)', () => {
    expect(runCheck('maintainers', fromFalco('contrib')).outcome).toBe('pass');
    const r = runCheck('maintainers', fromFalco('contrib'), { min: 4 });
    expect(r.outcome).toBe('fail');
    expect(r.remediation).toMatch(/Add 1 more active maintainer/);
  });

  it('only emeritus approvers count as none (modelled on charts/falco/OWNERS as a root file)', () => {
    const s = withFiles(snapshot(), { OWNERS: owners('charts', 'charts/falco/OWNERS') });
    const r = runCheck('maintainers', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^0 active approvers/);
  });

  it('only reviewers count as none (modelled on plugins/kafka/OWNERS as a root file)', () => {
    const s = withFiles(snapshot(), { OWNERS: owners('plugins', 'plugins/kafka/OWNERS') });
    expect(runCheck('maintainers', s).outcome).toBe('fail');
  });

  it('duplicates by case are one person; an approver also listed emeritus is not active (modelled)', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - Issif\n  - issif\n  - leogr\nemeritus_approvers:\n  - leogr\n',
    });
    const r = runCheck('maintainers', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /^1 active approver in OWNERS: issif \(leogr also listed as emeritus, not counted\)/,
    );
  });

  it('katacoda-scenarios: no OWNERS fails (falcosecurity/katacoda-scenarios)', () => {
    expect(runCheck('maintainers', fromFalco('katacoda-scenarios')).outcome).toBe('fail');
  });

  it('parameters are validated: min must be a positive integer, unknown names rejected', () => {
    const check = getCheck('maintainers')!;
    expect(check.validateParams({ min: 0 })).toHaveLength(1);
    expect(check.validateParams({ min: '2' })).toHaveLength(1);
    expect(check.validateParams({ minimum: 2 })[0]).toMatch(/unknown parameter "minimum"/);
    expect(check.validateParams({ min: 3 })).toEqual([]);
  });
});

describe('owners-roles (role uniqueness as a check of its own)', () => {
  it('rules: a person in two roles fails owners-roles, while owners {unique-roles: false} passes (falcosecurity/rules)', () => {
    const roles = runCheck('owners-roles', fromFalco('rules'));
    expect(roles.outcome).toBe('fail');
    expect(roles.message).toMatch(/more than one role/);
    expect(runCheck('owners', fromFalco('rules'), { 'unique-roles': false }).outcome).toBe('pass');
    // `owners` keeps its default: v1 policies mean what they meant.
    expect(runCheck('owners', fromFalco('rules')).outcome).toBe('fail');
  });

  it('falco: one role per person passes; no OWNERS is not applicable (owners reports it)', () => {
    expect(runCheck('owners-roles', fromFalco('falco')).outcome).toBe('pass');
    expect(runCheck('owners-roles', snapshot({ rootEntries: rootEntries(['README.md']) })).outcome).toBe(
      'not-applicable',
    );
  });
});
