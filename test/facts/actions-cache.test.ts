import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ActionsCacheFactsStore,
  factsCacheKeyPrefix,
  type CacheService,
} from '../../src/facts/actions-cache.js';
import { memoryLogger } from '../../src/log.js';
import type { RepoSnapshot } from '../../src/snapshot.js';

/** An in-memory Actions cache: saved directories copied aside by key; restore by exact key or newest prefix. */
function fakeService(available = true): CacheService & { saved: string[]; root: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fake-actions-cache-'));
  const saved: string[] = [];
  return {
    saved,
    root,
    isFeatureAvailable: () => available,
    async saveCache(paths, key) {
      if (saved.includes(key)) throw new Error(`Unable to reserve cache with key ${key}`);
      saved.push(key);
      cpSync(paths[0], path.join(root, String(saved.length - 1)), { recursive: true });
      return saved.length;
    },
    async restoreCache(paths, primaryKey, restoreKeys = []) {
      for (const wanted of [primaryKey, ...restoreKeys]) {
        for (let i = saved.length - 1; i >= 0; i--) {
          if (saved[i] === wanted || (wanted !== primaryKey && saved[i].startsWith(wanted))) {
            cpSync(path.join(root, String(i)), paths[0], { recursive: true });
            return saved[i];
          }
        }
      }
      return undefined;
    },
  };
}

const snapshot = {
  name: 'a',
  nameWithOwner: 'acme/a',
  files: {},
  problems: [],
  tags: [],
  releases: [],
} as unknown as RepoSnapshot;
const stamp = { id: 'R_1', pushedAt: '2026-01-01T00:00:00Z', headOid: 'abc', latestRelease: null };

describe('ActionsCacheFactsStore', () => {
  const dirs: string[] = [];
  const workDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'facts-work-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('saves under a key of its own per run, and restores the newest of the organization and facts version', async () => {
    const service = fakeService();
    const log = memoryLogger();
    const first = new ActionsCacheFactsStore(workDir(), '100-1', log, service);
    expect((await first.load('acme')).notice).toMatch(/Actions cache holds no facts for acme yet/);
    const writer = await first.begin('acme', null);
    writer.put(stamp, snapshot);
    await writer.commit({ now: new Date('2026-08-01T00:00:00Z'), fullRead: true });
    expect(service.saved).toEqual([`${factsCacheKeyPrefix('acme')}100-1`]);

    // Another organization whose login starts the same is not confused with it.
    expect(factsCacheKeyPrefix('acme-labs').startsWith(factsCacheKeyPrefix('acme'))).toBe(false);

    const second = new ActionsCacheFactsStore(workDir(), '101-1', log, service);
    const loaded = await second.load('acme');
    expect(loaded.notice).toBeNull();
    expect(loaded.cache?.stamp('R_1')).toEqual(stamp);
    expect(loaded.cache?.facts('R_1')).toMatchObject({ name: 'a' });
    loaded.cache?.close();
  });

  it('without the cache service: a notice and a full read, and nothing saved', async () => {
    const service = fakeService(false);
    const store = new ActionsCacheFactsStore(workDir(), '1-1', memoryLogger(), service);
    expect((await store.load('acme')).notice).toMatch(/Actions cache is not available to this job/);
    const writer = await store.begin('acme', null);
    writer.put(stamp, snapshot);
    await writer.commit({ now: new Date(), fullRead: true });
    expect(service.saved).toEqual([]);
  });

  it('a failing save is a warning, not a failed audit', async () => {
    const service = fakeService();
    service.saveCache = async () => {
      throw new Error('cache service unavailable');
    };
    const log = memoryLogger();
    const store = new ActionsCacheFactsStore(workDir(), '1-1', log, service);
    const writer = await store.begin('acme', null);
    await expect(writer.commit({ now: new Date(), fullRead: true })).resolves.toBeUndefined();
    expect(
      log.lines.some(
        (l) => l.level === 'warning' && /could not be saved to the Actions cache/.test(l.message),
      ),
    ).toBe(true);
  });
});
