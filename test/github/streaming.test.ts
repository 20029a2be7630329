/**
 * The collector hands each repository over as its page arrives (README follow-up included) and keeps
 * nothing when asked to: the audit evaluates and drops each snapshot, so memory does not grow with the
 * organization. Streaming must give exactly what collecting everything first gives.
 */
import { collectOrganization } from '../../src/github/collect.js';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import { evaluateOrganization, OrganizationEvaluator } from '../../src/evaluate/evaluate.js';
import type { OrgContext, RepoSnapshot } from '../../src/snapshot.js';
import { loadFalcosecurityOrg, DEMO_NOW } from '../fixtures/org-loader.js';
import { harness, type Harness } from './helpers.js';

describe('streaming collection', () => {
  let h: Harness;
  afterEach(() => h?.fake.close());

  it('hands every repository to onRepository in pages, after onOrganization, and keeps none', async () => {
    const org = loadFalcosecurityOrg();
    // An unusual README name the page query does not alias: read by a follow-up before the hand-over.
    const advocacy = org.repos.find((r) => r.name === 'advocacy')!;
    advocacy.files = {
      ...advocacy.files,
      'README.markdown': '# Advocacy\n\nTalks, slides and other material about Falco.\n',
    };
    delete advocacy.files['README.md'];
    h = await harness([org]);
    const events: string[] = [];
    const seen: RepoSnapshot[] = [];
    let context: OrgContext | null = null;
    const result = await collectOrganization(h.client, {
      org: 'falcosecurity',
      log: h.log,
      pageSize: 20,
      onOrganization: (value) => {
        context = value;
        events.push('org');
      },
      onRepository: (snapshot) => {
        events.push(snapshot.name);
        seen.push(snapshot);
      },
    });
    expect(events[0]).toBe('org');
    expect(context).toEqual(result.org);
    expect(result.snapshots).toEqual([]);
    expect(result.read).toBe(org.repos.length);
    expect(seen.map((s) => s.name).sort()).toEqual(org.repos.map((r) => r.name).sort());
    const readme = seen.find((s) => s.name === 'advocacy')!.files['README.markdown'];
    expect(readme).toMatchObject({ kind: 'text' });
    expect(h.fake.requests.filter((r) => r.operation === 'OrgRepositories').length).toBe(3);
  });

  it('evaluating as pages arrive gives the same reports as evaluating everything at the end', async () => {
    h = await harness([loadFalcosecurityOrg()]);
    const batch = await collectOrganization(h.client, { org: 'falcosecurity', log: h.log });
    const input = { policy: DEFAULT_POLICY, now: new Date(DEMO_NOW), registry: null };
    const expected = evaluateOrganization({
      ...input,
      org: batch.org,
      snapshots: batch.snapshots,
      unreadable: batch.unreadable,
    });

    let evaluator: OrganizationEvaluator | null = null;
    const streamed = await collectOrganization(h.client, {
      org: 'falcosecurity',
      log: h.log,
      pageSize: 7,
      onOrganization: (org) => (evaluator = new OrganizationEvaluator({ ...input, org })),
      onRepository: (snapshot) => evaluator!.add(snapshot),
    });
    const actual = evaluator!.finish(streamed.unreadable);
    expect(actual.repositories).toEqual(expected.repositories);
    expect(actual.summary).toEqual(expected.summary);
    expect(actual.drift).toEqual(expected.drift);
  });
});
