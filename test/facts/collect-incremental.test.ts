/** The collector's incremental path: what it reads by id, and what it cannot read. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileFactsStore, type CachedFacts } from '../../src/facts/store.js';
import { collectOrganization, NOT_EVALUATED_RATE_LIMIT } from '../../src/github/collect.js';
import { genericRepos, harness, type Harness } from '../github/helpers.js';

let h: Harness;
let dir: string;
let cache: CachedFacts | null = null;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-collect-'));
});
afterEach(async () => {
  cache?.close();
  cache = null;
  await h?.fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A full collection stored in `dir`, then the stored facts opened. */
async function storeFull(): Promise<CachedFacts> {
  const store = new FileFactsStore(dir);
  const writer = await store.begin('acme', null);
  await collectOrganization(h.client, {
    org: 'acme',
    log: h.log,
    onRepository: (snapshot, origin) => writer.put(origin.stamp, snapshot),
  });
  await writer.commit({ now: new Date('2026-08-01T00:00:00Z'), fullRead: true });
  const loaded = await store.load('acme');
  if (!loaded.cache) throw new Error(loaded.notice);
  return loaded.cache;
}

const byId = () => h.fake.requests.filter((r) => r.operation === 'RepositoriesById');

describe('incremental collection', () => {
  it('lists a changed repository that became SAML-protected as unreadable, and the others from the facts', async () => {
    const repos = genericRepos(4);
    h = await harness([{ login: 'acme', repos }]);
    cache = await storeFull();
    repos[1].access = 'forbidden';
    repos[2].pushedAt = '2026-08-10T00:00:00Z';
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log, cache });
    expect(result.unreadable).toEqual([
      expect.objectContaining({ name: 'repo-001', reason: expect.stringMatching(/SAML/) }),
    ]);
    expect(result.snapshots.map((s) => s.name).sort()).toEqual(['repo-000', 'repo-002', 'repo-003']);
    expect(result).toMatchObject({ read: 1, fromCache: 2 });
  });

  it('splits a batch GitHub cannot answer, and marks a single repository that keeps failing unreadable', async () => {
    const repos = genericRepos(6);
    h = await harness([{ login: 'acme', repos }]);
    cache = await storeFull();
    for (const repo of repos) repo.pushedAt = '2026-08-10T00:00:00Z';
    // The batch of 6 fails, then its first half (3), then the first half of that (2); the first repository
    // alone fails its three attempts (the client's retries): 6 failures.
    h.fake.faults.push({ match: { operation: 'RepositoriesById' }, times: 6, response: 502 });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log, cache });
    expect(result.unreadable.map((u) => u.name)).toEqual(['repo-000']);
    expect(result.snapshots.map((s) => s.name).sort()).toEqual([
      'repo-001',
      'repo-002',
      'repo-003',
      'repo-004',
      'repo-005',
    ]);
    expect(result.complete).toBe(true);
  });

  it('lists what the rate limit left unread as not evaluated', async () => {
    const repos = genericRepos(150);
    h = await harness([{ login: 'acme', repos }]);
    cache = await storeFull();
    for (const repo of repos) repo.pushedAt = '2026-08-10T00:00:00Z';
    h.fake.faults.push({ match: { operation: 'RepositoriesById' }, times: 5, response: 'rate-limited-200' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log, cache });
    expect(result.complete).toBe(false);
    expect(result.read + result.fromCache + result.unreadable.length).toBe(150);
    expect(result.unreadable.every((u) => u.reason === NOT_EVALUATED_RATE_LIMIT)).toBe(true);
    expect(byId().length).toBeGreaterThan(0);
  });
});
