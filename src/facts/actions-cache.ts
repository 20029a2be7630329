/**
 * The facts store of the action: a `FileFactsStore` in the runner's temporary directory, restored from and
 * saved to the Actions cache (`@actions/cache`). Keys: `tier-audit-facts-vVERSION-org:ORG:RUN-ATTEMPT`
 * (cache entries are immutable, so every run saves its own), restored by the prefix up to `ORG:`, which
 * gives the newest entry of this organization and facts version. Everything that goes wrong here is a
 * notice and a full read, never a failed audit.
 */
import * as actionsCache from '@actions/cache';
import type { Logger } from '../log.js';
import {
  FileFactsStore,
  type CachedFacts,
  type FactsStore,
  type FactsWriter,
  type LoadedFacts,
} from './store.js';
import { FACTS_VERSION } from './version.js';

/** What the adapter uses of `@actions/cache` (replaced in tests: the cache service exists only on runners). */
export interface CacheService {
  isFeatureAvailable(): boolean;
  restoreCache(paths: string[], primaryKey: string, restoreKeys?: string[]): Promise<string | undefined>;
  saveCache(paths: string[], key: string): Promise<number>;
}

export function factsCacheKeyPrefix(organization: string): string {
  return `tier-audit-facts-v${FACTS_VERSION}-org:${organization.toLowerCase()}:`;
}

export class ActionsCacheFactsStore implements FactsStore {
  readonly description = 'the Actions cache';
  private readonly files: FileFactsStore;

  /** `dir`: a working directory (under RUNNER_TEMP); `runKey`: unique per run and attempt. */
  constructor(
    private readonly dir: string,
    private readonly runKey: string,
    private readonly log: Logger,
    private readonly service: CacheService = actionsCache,
  ) {
    this.files = new FileFactsStore(dir);
  }

  async load(organization: string): Promise<LoadedFacts> {
    const prefix = factsCacheKeyPrefix(organization);
    const missing = (why: string): LoadedFacts => ({
      cache: null,
      notice: `${this.description} ${why}: every repository is read from GitHub`,
    });
    if (!this.service.isFeatureAvailable()) return missing('is not available to this job');
    try {
      const hit = await this.service.restoreCache([this.dir], `${prefix}${this.runKey}`, [prefix]);
      if (!hit) return missing(`holds no facts for ${organization} yet`);
      this.log.info(`Stored facts restored from the Actions cache (${hit})`);
    } catch (error) {
      return missing(`could not be read (${(error as Error).message})`);
    }
    const loaded = await this.files.load(organization);
    return loaded.cache
      ? loaded
      : {
          cache: null,
          notice: loaded.notice.replace(this.files.description, 'the facts restored from the Actions cache'),
        };
  }

  async begin(organization: string, previous: CachedFacts | null): Promise<FactsWriter> {
    const writer = await this.files.begin(organization, previous);
    const { service, dir, log } = this;
    const key = `${factsCacheKeyPrefix(organization)}${this.runKey}`;
    return {
      put: (stamp, snapshot) => writer.put(stamp, snapshot),
      keep: (id) => writer.keep(id),
      abort: () => writer.abort(),
      async commit(outcome) {
        await writer.commit(outcome);
        if (!service.isFeatureAvailable()) return;
        try {
          await service.saveCache([dir], key);
          log.info(`Facts of this audit saved to the Actions cache (${key})`);
        } catch (error) {
          log.warning(
            `the facts of this audit could not be saved to the Actions cache: ${(error as Error).message}`,
          );
        }
      },
    };
  }
}
