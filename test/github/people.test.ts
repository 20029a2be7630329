/**
 * The people stage against the fake GitHub: accounts, membership (public and concealed), activity
 * windows and teams, each person read once, in batches of 50, and `unknown` (never "no") for what the
 * token cannot see.
 */
import { COLLABORATOR_PAIRS_PER_REQUEST, PeopleStage, PEOPLE_PER_REQUEST } from '../../src/github/people.js';
import { activityCutoffDay, type PeopleNeeds } from '../../src/people.js';
import { DEMO_NOW, loadFalcosecurityOrg } from '../fixtures/org-loader.js';
import { harness, type Harness } from './helpers.js';

const NOW = new Date(DEMO_NOW);
const ALL: PeopleNeeds = {
  membership: true,
  collaborators: true,
  activityWindows: [180, 365],
  teams: ['core-maintainers'],
  nestedOwners: false,
};

describe('fake GitHub: User.organization(login:)', () => {
  let h: Harness;
  afterEach(() => h?.fake.close());
  const query = `query Membership($org: String!) {
    public: user(login: "leogr") { organization(login: $org) { id login } }
    concealed: user(login: "ekoops") { organization(login: $org) { id login } }
    outsider: user(login: "geraldcombs") { organization(login: $org) { id login } }
    rateLimit { cost }
  }`;
  type Data = Record<'public' | 'concealed' | 'outsider', { organization: { login: string } | null }> & {
    rateLimit: { cost: number };
  };

  it.each([
    [true, 'falcosecurity'],
    [false, null],
  ])(
    'serves the organization for a member the viewer may see, like membersWithRole, at no extra point (sees concealed: %s)',
    async (seesPrivateMembers, concealed) => {
      h = await harness([loadFalcosecurityOrg()], { viewer: { seesPrivateMembers } });
      const result = await h.client.graphql<Data>(query, { org: 'falcosecurity' });
      expect(result.errors).toEqual([]);
      expect(result.data?.public.organization?.login).toBe('falcosecurity');
      expect(result.data?.concealed.organization?.login ?? null).toBe(concealed);
      expect(result.data?.outsider.organization).toBeNull();
      // Not a connection: 1 point for the whole request, as GitHub charges it.
      expect(result.data?.rateLimit.cost).toBe(1);
      expect(h.fake.invalidQueries).toEqual([]);
    },
  );
});

describe('people stage', () => {
  let h: Harness;
  afterEach(() => h?.fake.close());

  it('verifies accounts, membership and activity for a token that sees concealed members', async () => {
    h = await harness([loadFalcosecurityOrg()], { viewer: { seesPrivateMembers: true } });
    const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
    await stage.verify(['leogr', 'EKOOPS', '@geraldcombs', 'airadier', 'mstemm', 'gnosek', 'terylt']);
    const year = activityCutoffDay(NOW, 365);
    const half = activityCutoffDay(NOW, 180);
    const p = (login: string) => stage.book.person(login)!;
    expect(p('leogr')).toMatchObject({
      account: 'yes',
      member: 'yes',
      activeSince: { [year]: 'yes', [half]: 'yes' },
    });
    // A concealed membership is visible to this token.
    expect(p('ekoops')).toMatchObject({ account: 'yes', member: 'yes' });
    expect(p('geraldcombs')).toMatchObject({ account: 'yes', member: 'no', activeSince: { [year]: 'yes' } });
    expect(p('airadier')).toMatchObject({ account: 'no', member: 'no' });
    expect(p('mstemm')).toMatchObject({ member: 'yes', activeSince: { [year]: 'no', [half]: 'no' } });
    expect(p('gnosek')).toMatchObject({ activeSince: { [year]: 'yes', [half]: 'no' } });
    // Only contributions the token cannot see: still contributions.
    expect(p('terylt')).toMatchObject({ activeSince: { [year]: 'yes' } });
    expect(stage.book.team('core-maintainers')?.members).toContain('ekoops');
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('gives unknown, never no, for a login that is not a public member when the token sees public members only', async () => {
    h = await harness([loadFalcosecurityOrg()]);
    const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
    await stage.verify(['leogr', 'ekoops', 'geraldcombs']);
    expect(stage.book.person('leogr')?.member).toBe('yes');
    for (const login of ['ekoops', 'geraldcombs']) {
      const person = stage.book.person(login)!;
      expect(person.member).toBe('unknown');
      expect(person.memberNote).toMatch(/public memberships only.*Members: read/);
    }
    // The concealed member is not in the team as this token sees it.
    expect(stage.book.team('core-maintainers')?.members).not.toContain('ekoops');
    expect(h.fake.requests.filter((r) => r.path.startsWith('/orgs/falcosecurity/members/')).length).toBe(1);
  });

  it('reads each person once, membership included: one request per 50 people, none per 100 members', async () => {
    const org = loadFalcosecurityOrg();
    const extra = Array.from({ length: 120 }, (_, i) => `person-${i}`);
    org.users = [
      ...(org.users ?? []),
      ...extra.map((login) => ({ login, contributions: ['2026-08-01T00:00:00Z'] })),
    ];
    org.members = [...(org.members ?? []), ...extra.map((login) => ({ login, public: true }))];
    h = await harness([org], { viewer: { seesPrivateMembers: true } });
    const stage = new PeopleStage(h.client, {
      org: 'falcosecurity',
      now: NOW,
      needs: { ...ALL, teams: [] },
      log: h.log,
    });
    await stage.verify(extra.slice(0, 70));
    await stage.verify([...extra.slice(0, 70), 'LEOGR']); // only leogr is new
    await stage.verify(extra);
    const ops = h.fake.requests.map((r) => r.operation);
    // Membership is asked per person (`user.organization(login:)`) in the same requests: the
    // organization's 155 members are never paged, only its id is read once (for the contributions).
    expect(ops.filter((o) => o === 'OrgMembers')).toEqual([]);
    expect(ops.filter((o) => o === 'OrgId')).toEqual(['OrgId']);
    // 70 → 2 batches, leogr → 1, the remaining 50 → 1.
    expect(ops.filter((o) => o === 'PeopleBatch').length).toBe(4);
    expect(Math.ceil(121 / PEOPLE_PER_REQUEST)).toBeLessThanOrEqual(4);
    // Every PeopleBatch costs one point: user aliases, their organization and contribution collections
    // hold no connection.
    const costs = h.fake.requests.filter((r) => r.operation === 'PeopleBatch').map((r) => r.cost);
    expect(new Set(costs)).toEqual(new Set([1]));
    expect(stage.cost.requests).toBe(5);
    expect(stage.cost.requests).toBe(ops.filter((o) => o === 'OrgId' || o === 'PeopleBatch').length);
    for (const login of extra) expect(stage.book.person(login)?.member).toBe('yes');
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('costs ceil(N / 50) PeopleBatch requests for N people, whatever the size of the organization', async () => {
    const org = loadFalcosecurityOrg();
    const staff = Array.from({ length: 1000 }, (_, i) => `staff-${i}`);
    org.members = [...(org.members ?? []), ...staff.map((login, i) => ({ login, public: i % 2 === 0 }))];
    h = await harness([org], { viewer: { seesPrivateMembers: true } });
    const stage = new PeopleStage(h.client, {
      org: 'falcosecurity',
      now: NOW,
      needs: { ...ALL, teams: [], collaborators: false },
      log: h.log,
    });
    const asked = [...staff.slice(0, 120), 'geraldcombs', 'airadier'];
    await stage.verify(asked);
    const ops = h.fake.requests.map((r) => r.operation ?? `${r.method} ${r.path}`);
    expect(ops.filter((o) => o === 'PeopleBatch').length).toBe(Math.ceil(asked.length / PEOPLE_PER_REQUEST));
    // One REST probe (is "not a member" definitive for this token?), and no member list.
    expect(ops.filter((o) => o.startsWith('GET /orgs/falcosecurity/members/'))).toHaveLength(1);
    expect(ops.filter((o) => o === 'OrgMembers')).toEqual([]);
    expect(stage.book.person('staff-1')?.member).toBe('yes'); // concealed, visible to this token
    expect(stage.book.person('geraldcombs')?.member).toBe('no');
    expect(stage.book.person('airadier')).toMatchObject({ account: 'no', member: 'no' });
  });

  it('verifies membership without any activity window (a query GitHub accepts: no unused variable)', async () => {
    h = await harness([loadFalcosecurityOrg()], { viewer: { seesPrivateMembers: true } });
    const stage = new PeopleStage(h.client, {
      org: 'falcosecurity',
      now: NOW,
      needs: { ...ALL, activityWindows: [], teams: [] },
      log: h.log,
    });
    await stage.verify(['leogr', 'geraldcombs', 'airadier']);
    expect(h.fake.invalidQueries).toEqual([]);
    expect(stage.book.person('leogr')).toMatchObject({ account: 'yes', member: 'yes' });
    expect(stage.book.person('geraldcombs')).toMatchObject({ account: 'yes', member: 'no' });
    expect(stage.book.person('airadier')).toMatchObject({ account: 'no', member: 'no' });
  });

  it('splits a window longer than a year into yearly collections', async () => {
    h = await harness([loadFalcosecurityOrg()], { viewer: { seesPrivateMembers: true } });
    const stage = new PeopleStage(h.client, {
      org: 'falcosecurity',
      now: NOW,
      needs: {
        membership: false,
        collaborators: false,
        activityWindows: [900],
        teams: [],
        nestedOwners: false,
      },
      log: h.log,
    });
    await stage.verify(['leodido', 'fntlnz']);
    const day = activityCutoffDay(NOW, 900);
    expect(stage.book.person('leodido')?.activeSince[day]).toBe('yes'); // 2024-11
    expect(stage.book.person('fntlnz')?.activeSince[day]).toBe('no'); // 2022-01
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('a failing request leaves its people unknown with the reason, and the audit goes on', async () => {
    h = await harness([loadFalcosecurityOrg()], { viewer: { seesPrivateMembers: true } });
    h.fake.faults.push({ match: { operation: 'PeopleBatch' }, response: 500, times: 10 });
    const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
    await stage.verify(['leogr', 'airadier']);
    expect(stage.book.person('leogr')).toMatchObject({ account: 'unknown', member: 'unknown' });
    expect(stage.book.person('airadier')?.account).toBe('unknown');
    expect(stage.book.person('leogr')?.memberNote).toMatch(/could not be verified/);
  });

  describe('outside collaborators with write access', () => {
    /** The sample org with outside collaborators set here (plugins: a token without push access). */
    function org() {
      const o = loadFalcosecurityOrg();
      const repo = (name: string) => o.repos.find((r) => r.name === name)!;
      repo('libs').outsideCollaborators = [{ login: 'GeraldCombs', permission: 'WRITE' }];
      repo('falcosidekick').outsideCollaborators = [{ login: 'fjogeleit', permission: 'MAINTAIN' }];
      repo('falcosidekick-ui').outsideCollaborators = [{ login: 'fjogeleit', permission: 'READ' }];
      repo('plugins').outsideCollaborators = [{ login: 'scraly', permission: 'WRITE' }];
      repo('plugins').viewerPermission = 'READ';
      return o;
    }
    const page = [
      { repository: 'libs', logins: ['leogr', 'geraldcombs', 'airadier', 'ekoops'] },
      { repository: 'falcosidekick', logins: ['issif', 'fjogeleit'] },
      { repository: 'falcosidekick-ui', logins: ['fjogeleit'] },
      { repository: 'plugins', logins: ['scraly'] },
    ];

    it('reads write access per repository, only for logins that are not visible members, once their membership is answered', async () => {
      h = await harness([org()], { viewer: { seesPrivateMembers: true } });
      const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
      await stage.verifyRepositories(page);
      const c = (repository: string, login: string) => stage.book.collaborator(repository, login);
      expect(c('libs', 'geraldcombs')).toMatchObject({ write: 'yes', permission: 'WRITE' });
      expect(c('falcosidekick', 'fjogeleit')).toMatchObject({ write: 'yes', permission: 'MAINTAIN' });
      expect(c('falcosidekick-ui', 'fjogeleit')).toMatchObject({ write: 'no', permission: 'READ' });
      // Visible members (ekoops's concealed membership is visible to this token) are not asked.
      for (const [repository, login] of [
        ['libs', 'leogr'],
        ['libs', 'ekoops'],
        ['falcosidekick', 'issif'],
      ])
        expect(c(repository, login)).toBeUndefined();
      // No push access to plugins: unknown, naming what would resolve it, never "no".
      expect(c('plugins', 'scraly')).toMatchObject({ write: 'unknown' });
      expect(c('plugins', 'scraly')?.note).toMatch(/Must have push access.*write \(push\) access/);
      // Two requests for the page, 1 point each: its logins with their membership, then the
      // outside-collaborator questions of those who are not visible members (they would ride in the
      // next batch of logins if there were one).
      const asked = h.fake.requests.filter(
        (r) => r.operation === 'PeopleBatch' || r.operation === 'OutsideCollaborators',
      );
      expect(asked.map((r) => `${r.operation}:${r.cost}`)).toEqual([
        'PeopleBatch:1',
        'OutsideCollaborators:1',
      ]);
      expect(h.fake.invalidQueries).toEqual([]);
      // Asked once per audit: a second page naming the same pairs reads nothing more.
      const before = h.fake.requests.length;
      await stage.verifyRepositories(page);
      expect(h.fake.requests.length).toBe(before);
      // A known person listed by a new repository: only that pair is asked, on its own.
      await stage.verifyRepositories([{ repository: 'falco', logins: ['geraldcombs', 'leogr'] }]);
      expect(
        h.fake.requests.filter((r) => r.operation === 'OutsideCollaborators').map((r) => r.cost),
      ).toEqual([1, 1]);
      expect(h.fake.requests.filter((r) => r.operation === 'PeopleBatch')).toHaveLength(1);
      expect(c('falco', 'geraldcombs')).toMatchObject({ write: 'no' });
      expect(c('falco', 'leogr')).toBeUndefined();
    });

    it('a token that sees public members only asks about every login that is not a public member', async () => {
      h = await harness([org()]);
      const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
      await stage.verifyRepositories(page);
      // ekoops is a concealed member: not an outside collaborator, so his membership stays unknown.
      expect(stage.book.collaborator('libs', 'ekoops')).toMatchObject({ write: 'no' });
      expect(stage.book.person('ekoops')?.member).toBe('unknown');
      expect(stage.book.collaborator('libs', 'geraldcombs')).toMatchObject({ write: 'yes' });
    });

    it('asks 100 pairs per request, riding beside the next 50 logins, one point each, and nothing when the policy does not count them', async () => {
      const o = org();
      const extra = Array.from({ length: 60 }, (_, i) => `outsider-${i}`);
      o.users = [...(o.users ?? []), ...extra.map((login) => ({ login }))];
      // 60 new logins, each listed by 4 repositories: 240 pairs.
      const many = o.repos.slice(0, 40).map((repo, i) => ({
        repository: repo.name,
        logins: extra.filter((_, k) => k % 10 === i % 10),
      }));
      h = await harness([o], { viewer: { seesPrivateMembers: true } });
      const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
      await stage.verifyRepositories(many);
      const asked = h.fake.requests.filter(
        (r) => r.operation === 'PeopleBatch' || r.operation === 'OutsideCollaborators',
      );
      // 60 logins: the first 50 (their 200 pairs wait for the answer), the last 10 carrying 100 of
      // those pairs, then the other 140 pairs on their own, 100 a request.
      expect(asked.map((r) => `${r.operation}:${r.cost}`)).toEqual([
        'PeopleBatch:1',
        'PeopleBatch:1',
        'OutsideCollaborators:1',
        'OutsideCollaborators:1',
      ]);
      expect(Math.ceil(240 / COLLABORATOR_PAIRS_PER_REQUEST)).toBe(3);
      expect(stage.book.collaboratorPairs).toBe(240);
      expect(h.fake.invalidQueries).toEqual([]);

      const without = new PeopleStage(h.client, {
        org: 'falcosecurity',
        now: NOW,
        needs: { ...ALL, collaborators: false },
        log: h.log,
      });
      await without.verifyRepositories(page);
      expect(without.book.collaboratorPairs).toBe(0);
    });

    it('a failing request leaves its pairs unknown with the reason', async () => {
      h = await harness([org()], { viewer: { seesPrivateMembers: true } });
      const stage = new PeopleStage(h.client, { org: 'falcosecurity', now: NOW, needs: ALL, log: h.log });
      await stage.verifyRepositories(page);
      expect(stage.book.person('geraldcombs')?.member).toBe('no');
      // A known non-member listed by a new repository rides beside a new login; the request fails.
      h.fake.faults.push({ match: { operation: 'PeopleBatch' }, response: 500, times: 10 });
      await stage.verifyRepositories([{ repository: 'falco', logins: ['geraldcombs', 'mstemm'] }]);
      expect(stage.book.person('mstemm')).toMatchObject({ account: 'unknown', member: 'unknown' });
      expect(stage.book.collaborator('falco', 'geraldcombs')).toMatchObject({ write: 'unknown' });
      expect(stage.book.collaborator('falco', 'geraldcombs')?.note).toMatch(/could not be read/);
    });
  });
});
