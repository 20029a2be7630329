/**
 * maintainers with verification, owners-tree and core-approvers: pure checks over a people directory
 * (PeopleBook) built here; the directory the audit fills is tested in test/github/people.test.ts.
 */
import { activityCutoffDay, PeopleBook, type PersonFacts } from '../../src/people.js';
import { peopleNeeds, loginsToVerify } from '../../src/checks/people-needs.js';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import type { Policy } from '../../src/config/types.js';
import { getCheck } from '../../src/checks/index.js';
import { ctx, fromFalco, NOW, runCheck, snapshot, withFiles, emptySnapshot } from './helpers.js';

const YEAR = activityCutoffDay(NOW, 365);
const HALF = activityCutoffDay(NOW, 180);
const HIDDEN =
  'not a public member; the token sees public memberships only (grant the GitHub App `Members: read`)';

function person(
  login: string,
  member: PersonFacts['member'],
  year: PersonFacts['member'] = 'yes',
  half = year,
) {
  return {
    login,
    account: 'yes' as const,
    member,
    ...(member === 'unknown' ? { memberNote: HIDDEN } : {}),
    activeSince: { [YEAR]: year, [HALF]: half },
  };
}

function book(): PeopleBook {
  const b = new PeopleBook();
  for (const login of ['leogr', 'jasondellaluce', 'fededp', 'lucaguerra']) b.setPerson(person(login, 'yes'));
  b.setPerson(person('ekoops', 'unknown'));
  b.setPerson(person('sgaist', 'unknown'));
  b.setPerson(person('mstemm', 'yes', 'no', 'no'));
  b.setPerson(person('gnosek', 'yes', 'yes', 'no'));
  b.setPerson(person('geraldcombs', 'no'));
  b.setPerson({
    login: 'airadier',
    account: 'no',
    member: 'no',
    activeSince: { [YEAR]: 'no', [HALF]: 'no' },
  });
  b.setTeam({ slug: 'core-maintainers', members: ['leogr', 'fededp', 'ekoops'] });
  return b;
}

const withPeople = () => ({ ...ctx(), people: book() });

describe('maintainers with verification', () => {
  it('without verification parameters keeps the v1 meaning: names are counted, no people needed', () => {
    const r = runCheck('maintainers', fromFalco('falco'), { min: 2 }, withPeople());
    expect(r.message).toMatch(/^7 active approvers in OWNERS/);
    expect(getCheck('maintainers')!.people!({ min: 2 })).toEqual({
      membership: false,
      collaborators: false,
      activityWindows: [],
    });
  });

  it('falco: names each approver that does not count and why; hidden memberships are unknown, not failures', () => {
    // falco's approvers: mstemm, leogr, jasondellaluce, fededp, lucaguerra, sgaist, ekoops
    const r = runCheck(
      'maintainers',
      fromFalco('falco'),
      { min: 3, 'require-member': true, 'active-within-days': 365 },
      withPeople(),
    );
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /^4 of 7 approvers in OWNERS count, at least 3 required: leogr, jasondellaluce, fededp, lucaguerra; /,
    );
    expect(r.message).toContain('not counted: `mstemm` — no contribution since 2025-08-21');
    expect(r.message).toMatch(
      /could not be verified: `sgaist`, `ekoops` — membership unknown: .*Members: read/,
    );
    expect(r.message).toMatch(
      /; counting organization members \(or outside collaborators with write access\) active since 2025-08-21$/,
    );
    // One link to OWNERS naming the groups; the message says why.
    expect(r.evidence).toEqual([
      {
        path: 'OWNERS',
        detail:
          'count: leogr, jasondellaluce, fededp, lucaguerra; not counted: mstemm; not verified: sgaist, ekoops',
      },
    ]);
  });

  it('is an error only when the verdict depends on the unknowns, and fails when it does not', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - leogr\n  - ekoops\n  - geraldcombs\n  - airadier\n',
    });
    const params = { min: 2, 'require-member': true };
    const depends = runCheck('maintainers', s, params, withPeople());
    expect(depends.outcome).toBe('error');
    expect(depends.message).toMatch(/`geraldcombs` — not an organization member/);
    expect(depends.message).toMatch(/`airadier` — no GitHub user account by this login \(renamed or deleted/);
    expect(depends.message).toMatch(/`ekoops` — membership unknown/);
    expect(depends.message).toMatch(/verdict depends on the approvers that could not be verified/);
    expect(runCheck('maintainers', s, { ...params, min: 3 }, withPeople()).outcome).toBe('fail');
    expect(runCheck('maintainers', s, { ...params, min: 1 }, withPeople()).outcome).toBe('pass');
  });

  it('per-tier windows: active within a year is not active within 180 days', () => {
    const s = withFiles(snapshot(), { OWNERS: 'approvers:\n  - leogr\n  - gnosek\n' });
    expect(runCheck('maintainers', s, { 'active-within-days': true }, withPeople()).outcome).toBe('pass');
    const r = runCheck('maintainers', s, { 'active-within-days': 180 }, withPeople());
    expect(r.outcome).toBe('fail');
    expect(r.message).toContain(`\`gnosek\` — no contribution since ${HALF}`);
  });

  it('emeritus never count, even when verified', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - leogr\n  - fededp\nemeritus_approvers:\n  - fededp\n',
    });
    const r = runCheck('maintainers', s, { min: 2, 'require-member': true }, withPeople());
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^1 of 1 approver in OWNERS count/);
  });

  it('without a people directory every approver is unknown: error, never fail', () => {
    const s = withFiles(snapshot(), { OWNERS: 'approvers:\n  - leogr\n  - fededp\n' });
    const r = runCheck('maintainers', s, { 'require-member': true }, ctx());
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/not verified by this audit/);
  });

  it('validates its parameters', () => {
    const check = getCheck('maintainers')!;
    expect(check.validateParams({ 'active-within-days': true, 'require-member': true })).toEqual([]);
    expect(check.validateParams({ 'active-within-days': 0 })[0]).toMatch(
      /integer ≥ 1 \(days\), true \(365 days\) or false/,
    );
    expect(check.validateParams({ 'active-within-days': false })).toEqual([]);
    expect(check.validateParams({ 'require-member': 'yes' })).toHaveLength(1);
  });
});

describe('outside collaborators with write access count as members for that repository', () => {
  // geraldcombs is not a member; ekoops's membership is hidden from the token; sgaist too.
  const people = () => {
    const b = book();
    b.setCollaborator({ repository: 'demo', login: 'geraldcombs', write: 'yes', permission: 'WRITE' });
    b.setCollaborator({ repository: 'other', login: 'geraldcombs', write: 'no', permission: 'READ' });
    b.setCollaborator({ repository: 'demo', login: 'ekoops', write: 'no' });
    b.setCollaborator({
      repository: 'demo',
      login: 'sgaist',
      write: 'unknown',
      note: 'the token cannot list the collaborators of falcosecurity/demo (needs push access)',
    });
    return { ...ctx(), people: b };
  };
  const owners = 'approvers:\n  - leogr\n  - geraldcombs\n  - ekoops\n';

  it('counts an outside collaborator with write access in that repository only', () => {
    const params = { min: 2, 'require-member': true };
    const here = runCheck('maintainers', withFiles(snapshot(), { OWNERS: owners }), params, people());
    expect(here.outcome).toBe('pass');
    expect(here.message).toMatch(
      /^2 of 3 approvers in OWNERS count, at least 2 required: leogr, geraldcombs \(outside collaborator, WRITE\);/,
    );
    const there = runCheck(
      'maintainers',
      withFiles(snapshot({ name: 'other' }), { OWNERS: owners }),
      params,
      people(),
    );
    // ekoops (hidden membership, collaborators of `other` not read) is unknown: the verdict depends on him.
    expect(there.outcome).toBe('error');
    expect(there.message).toContain(
      '`geraldcombs` — not an organization member, and an outside collaborator with READ access only',
    );
  });

  it('a hidden membership that is no outside collaborator stays unknown, never "not a member"', () => {
    const r = runCheck(
      'maintainers',
      withFiles(snapshot(), { OWNERS: 'approvers:\n  - leogr\n  - ekoops\n' }),
      { min: 2, 'require-member': true },
      people(),
    );
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/`ekoops` — membership unknown: .*Members: read/);
  });

  it('collaborators the token cannot list make a non-member unknown for that repository, naming the permission', () => {
    const b = book();
    b.setPerson(person('sgaist', 'no'));
    b.setCollaborator({
      repository: 'demo',
      login: 'sgaist',
      write: 'unknown',
      note: 'the token cannot list the collaborators of falcosecurity/demo (needs push access)',
    });
    const r = runCheck(
      'maintainers',
      withFiles(snapshot(), { OWNERS: 'approvers:\n  - leogr\n  - sgaist\n' }),
      { min: 2, 'require-member': true },
      { ...ctx(), people: b },
    );
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(
      /`sgaist` — not an organization member, and outside collaborator access unknown: .*push access/,
    );
    expect(r.message).not.toMatch(/not counted/);
  });

  it('owners-tree counts them too, per repository', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - leogr\n',
      'a/OWNERS': 'approvers:\n  - geraldcombs\n',
    });
    s.nestedOwners = { paths: ['a/OWNERS'], depth: 2 };
    expect(runCheck('owners-tree', s, {}, people()).outcome).toBe('pass');
  });
});

describe('owners-tree', () => {
  const nested = (files: Record<string, string>) => {
    const s = withFiles(snapshot(), { OWNERS: 'approvers:\n  - leogr\n', ...files });
    s.nestedOwners = { paths: Object.keys(files), depth: 2 };
    return s;
  };

  it('flags empty, labels-only and emeritus-only files, unknown keys and approvers who are not members, each linked', () => {
    // The real subfolder OWNERS of falcosecurity/plugins, falco and charts.
    const s = nested({
      'plugins/krsi/OWNERS': '',
      'userspace/engine/OWNERS': 'labels:\n  - area/engine',
      'chart/falco/OWNERS': 'emeritus_approvers:\n  - bencer\n',
      'plugins/okta/OWNERS': 'approvers:\n  - Issif\nowners:\n  - x\n',
      'plugins/gcpaudit/OWNERS': 'approvers:\n  - geraldcombs\n',
      'docker/OWNERS': 'labels:\n  - area/integration\napprovers:\n  - leogr\n',
    });
    const r = runCheck('owners-tree', s, {}, withPeople());
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^5 of 6 OWNERS files below the root need attention/);
    expect(r.message).toContain('plugins/krsi/OWNERS is empty');
    expect(r.message).toContain('userspace/engine/OWNERS has only labels');
    expect(r.message).toContain('chart/falco/OWNERS has only emeritus entries');
    expect(r.message).toContain('plugins/okta/OWNERS has unknown key owners');
    expect(r.message).toContain('plugins/gcpaudit/OWNERS `geraldcombs` — not an organization member');
    const paths = r.evidence?.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(s.nestedOwners!.paths));
    expect(paths).toContain('docker/OWNERS');
    expect(paths).toContain('plugins/krsi/OWNERS');
  });

  it('hidden membership is unknown: error, not fail; no nested files passes; not read is an error', () => {
    const hidden = runCheck(
      'owners-tree',
      nested({ 'a/OWNERS': 'approvers:\n  - ekoops\n' }),
      {},
      withPeople(),
    );
    expect(hidden.outcome).toBe('error');
    expect(hidden.message).toMatch(/could not be verified \(a\/OWNERS\): `ekoops` — membership unknown/);
    expect(runCheck('owners-tree', nested({}), {}, withPeople()).outcome).toBe('pass');
    expect(runCheck('owners-tree', snapshot(), {}, withPeople()).outcome).toBe('error');
    expect(runCheck('owners-tree', emptySnapshot(), {}, withPeople()).outcome).toBe('not-applicable');
    const failedRead = snapshot({ problems: [{ part: 'owners-tree', message: 'timeout' }] });
    expect(runCheck('owners-tree', failedRead, {}, withPeople()).outcome).toBe('error');
  });
});

describe('core-approvers', () => {
  it('counts root approvers who are members of the team, or of a list in the policy', () => {
    // falco: mstemm, leogr, jasondellaluce, fededp, lucaguerra, sgaist, ekoops
    const team = runCheck(
      'core-approvers',
      fromFalco('falco'),
      { team: 'core-maintainers', min: 3 },
      withPeople(),
    );
    expect(team.outcome).toBe('pass');
    expect(team.message).toMatch(
      /^3 of 7 root approvers are members of team falcosecurity\/core-maintainers: leogr, fededp, ekoops/,
    );
    expect(
      runCheck('core-approvers', fromFalco('falco'), { team: 'core-maintainers', min: 4 }, withPeople())
        .outcome,
    ).toBe('fail');
    const list = runCheck('core-approvers', fromFalco('falco'), { members: ['LeoGr'] }, withPeople());
    expect(list.outcome).toBe('pass');
  });

  it('a team the token cannot read is an error naming why; parameters need a team or a list', () => {
    const people = new PeopleBook();
    people.setTeam({ slug: 'core-maintainers', members: null, note: 'secret teams need Members: read' });
    const r = runCheck(
      'core-approvers',
      fromFalco('falco'),
      { team: 'core-maintainers' },
      { ...ctx(), people },
    );
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/Members: read/);
    expect(getCheck('core-approvers')!.validateParams({ min: 1 })[0]).toMatch(/give `team`/);
  });
});

describe('people needs', () => {
  const policyWith = (requires: Policy['tiers'][number]['requires'][]): Policy => ({
    ...DEFAULT_POLICY,
    tiers: DEFAULT_POLICY.tiers.map((tier, i) => ({ ...tier, requires: requires[i] ?? [] })),
  });

  it('v1 policies need nothing: no extra request', () => {
    expect(peopleNeeds(DEFAULT_POLICY)).toEqual({
      membership: false,
      collaborators: false,
      activityWindows: [],
      teams: [],
      nestedOwners: false,
    });
  });

  it('collects every tier’s windows, teams and the nested OWNERS', () => {
    const needs = peopleNeeds(
      policyWith([
        [{ check: 'owners-tree', params: {} }],
        [{ check: 'maintainers', params: { min: 2, 'active-within-days': true } }],
        [
          { check: 'maintainers', params: { min: 3, 'active-within-days': 180, 'require-member': true } },
          { check: 'core-approvers', params: { team: 'Core-Maintainers' } },
        ],
      ]),
    );
    expect(needs).toEqual({
      membership: true,
      collaborators: true,
      activityWindows: [180, 365],
      teams: ['core-maintainers'],
      nestedOwners: true,
    });
  });

  it('verifies root approvers without emeritus, and nested approvers when read', () => {
    const s = withFiles(snapshot(), {
      OWNERS: 'approvers:\n  - leogr\n  - FedeDP\nemeritus_approvers:\n  - fededp\n',
      'a/OWNERS': 'approvers:\n  - Issif\n',
    });
    s.nestedOwners = { paths: ['a/OWNERS'], depth: 2 };
    const needs = {
      membership: true,
      collaborators: true,
      activityWindows: [],
      teams: [],
      nestedOwners: false,
    };
    expect(loginsToVerify(s, needs)).toEqual(['leogr']);
    expect(loginsToVerify(s, { ...needs, nestedOwners: true })).toEqual(['leogr', 'issif']);
    expect(loginsToVerify(s, { ...needs, membership: false })).toEqual([]);
  });
});
