/**
 * Collects every repository of an organization as `RepoSnapshot`s: one GraphQL request (≤ 3 points) per
 * 100 repositories, adaptive page size on timeouts, a rate-limit budget, partial errors kept per
 * repository, and nothing ever dropped silently (what could not be read is listed in `unreadable`).
 *
 * One run is an `OrgCollection`: its steps are named methods (overview → budget → pages → what the rate
 * limit left unread), sharing the run's state (points spent, repositories seen, unreadable ones).
 */
import { sameStamp, type CachedFacts, type FactsStamp } from '../facts/store.js';
import type { Logger } from '../log.js';
import type { OrgContext, RepoSnapshot, UnreadableRepository } from '../snapshot.js';
import {
  GitHubApiError,
  RateLimitExhaustedError,
  describeAccessError,
  countingClient,
  type GitHubClient,
  type GraphqlError,
  type GraphqlResult,
} from './client.js';
import { communityFilePaths, mapBlob, mapRepository, stampOf, unreadReadmes, withListing } from './map.js';
import { PageSizer } from './page-size.js';
import {
  NESTED_CONNECTIONS_PER_REPOSITORY,
  ORG_OVERVIEW_QUERY,
  ORG_REPOSITORIES_QUERY,
  ORG_REPOSITORY_LISTING_QUERY,
  ORG_REPOSITORY_NAMES_QUERY,
  REPOSITORIES_BY_ID_QUERY,
  REPOSITORY_FILE_QUERY,
  type ListingFields,
  type OrgOverviewData,
  type OrgRepositoryListingData,
  type OrgRepositoriesData,
  type OrgRepositoryNamesData,
  type RateLimitFields,
  type RepositoryConnectionFields,
  type RepositoriesByIdData,
  type RepositoryFields,
  type RepositoryFileData,
  type RepositoryNameFields,
} from './queries.js';

export type { UnreadableRepository } from '../snapshot.js';

export interface CollectResult {
  org: OrgContext;
  snapshots: RepoSnapshot[];
  unreadable: UnreadableRepository[];
  errors: { repository: string | null; message: string }[];
  /** Repositories the token can see (GitHub's totalCount). */
  visibleRepositories: number;
  /** GraphQL requests made (retries included) and points charged (null when GitHub does not rate limit). */
  cost: { requests: number; points: number | null };
  /** The last rate-limit state seen; null on GHES without rate limiting. */
  rateLimit: { remaining: number; resetAt: string } | null;
  /** Every visible repository was read or listed in `unreadable` for its own reason. */
  complete: boolean;
  /** Repositories read from GitHub (handed to `onRepository`, or in `snapshots`). */
  read: number;
  /** Repositories evaluated from stored facts (incremental audits; handed to `onRepository` too). */
  fromCache: number;
  /** How the repositories were read: every one from GitHub, or only what changed. */
  mode: 'full' | 'incremental';
}

/** Where a repository handed to `onRepository` came from, and what identifies its state for the store. */
export interface RepositoryOrigin {
  source: 'github' | 'cache';
  stamp: FactsStamp;
}

export interface CollectOptions {
  org: string;
  log: Logger;
  /** Repositories per request, 1..100 (default 100). */
  pageSize?: number;
  /**
   * Called with each repository as soon as it is read (README follow-up included). When set, snapshots
   * are not kept (`snapshots` in the result is empty): the caller evaluates and drops each one, so memory
   * stays flat however large the organization. A returned promise is awaited before the next
   * repository (so the caller may make its own reads for a repository before evaluating it).
   */
  onRepository?: (snapshot: RepoSnapshot, origin: RepositoryOrigin) => unknown;
  /**
   * Called with each page's repositories (README follow-ups done) before any of them is handed to
   * `onRepository`: the people stage reads what the page's OWNERS name here, in batched requests.
   * (and with each batch read by id, and each listing page's repositories taken from stored facts).
   */
  beforePage?: (snapshots: RepoSnapshot[]) => Promise<void>;
  /** Called once with the organization's context, before the first `onRepository`. */
  onOrganization?: (org: OrgContext) => void;
  /** The org's community-files repository (default `.github`). */
  communityRepository?: string;
  /** Points to keep unspent for the reads that follow the collection (default 5). */
  budget?: { reserve?: number };
  /**
   * Facts stored by an earlier audit. When given, the audit is incremental: a cheap listing (1 point per
   * 100 repositories) finds what is new or changed, only those are read (by id, in batches), and the
   * others are handed over from their stored facts brought up to date with the listing.
   */
  cache?: CachedFacts | null;
  /**
   * Also list the folders two levels below the root in the heavy reads (the policy has `owners-tree`):
   * tree entries cost no point, but each folder is a git object for GitHub to read, so only when needed.
   */
  nestedOwners?: boolean;
}

export const NOT_EVALUATED_RATE_LIMIT = 'not evaluated (rate limit)';
export const NOT_EVALUATED_TOKEN = 'not evaluated (the token was rejected mid-run)';

/** Points one page of `size` repositories costs (GitHub's algorithm: 1 + 2 nested connections × size). */
export function pagePoints(size: number): number {
  return Math.max(1, Math.round((1 + NESTED_CONNECTIONS_PER_REPOSITORY * size) / 100));
}

/** The largest page size ≤ `max` whose cost fits in `points`; 0 when not even one repository fits. */
export function sizeWithin(points: number, max: number): number {
  for (let size = max; size >= 1; size--) if (pagePoints(size) <= points) return size;
  return 0;
}

function isTransient(error: unknown): boolean {
  return error instanceof GitHubApiError && (error.kind === 'server' || error.kind === 'network');
}

function pathStartsWith(path: (string | number)[] | undefined, prefix: (string | number)[]): boolean {
  return !!path && prefix.every((part, i) => path[i] === part);
}

/** What names a repository that could not be read (a page node, a name listing node, a REST item). */
interface RepositoryName {
  id: string | null;
  name: string;
  nameWithOwner: string;
  url: string;
  archived: boolean | null;
}

function nameOf(node: RepositoryNameFields | ListingFields): RepositoryName {
  return {
    id: node.id,
    name: node.name,
    nameWithOwner: node.nameWithOwner,
    url: node.url,
    archived: node.isArchived,
  };
}

const NODES_PATH = ['repositoryOwner', 'repositories', 'nodes'];

/** A page that could not be read as asked: split it, or give up on its single repository. */
type PageFailure = { kind: 'split'; why: string } | { kind: 'single'; error: Error } | { kind: 'stop' };

export async function collectOrganization(
  client: GitHubClient,
  opts: CollectOptions,
): Promise<CollectResult> {
  const run = new OrgCollection(client, opts);
  await run.readOverview();
  await run.checkBudget();
  if (opts.cache) await run.readChanged(opts.cache);
  else await run.readPages();
  await run.listNotEvaluated();
  return run.result();
}

class OrgCollection {
  private readonly org: string;
  private readonly log: Logger;
  private readonly maxSize: number;
  private readonly community: string;
  private readonly reserve: number;
  /** This collection's own GraphQL requests (other stages' requests may run meanwhile). */
  private readonly requests = { requests: 0 };
  private readonly client: GitHubClient;

  private points: number | null = null;
  private rateLimit: RateLimitFields | null = null;
  private ownerType = 'Organization';
  private orgContext: OrgContext | null = null;
  private visible = 0;
  private readonly snapshots: RepoSnapshot[] = [];
  private read = 0;
  private fromCache = 0;
  private readonly unreadable: UnreadableRepository[] = [];
  private readonly errors: CollectResult['errors'] = [];
  private readonly seenIds = new Set<string>();
  private readonly seenNames = new Set<string>();
  /** Why the pages stopped before the end (the rate limit, a token rejected mid-run), or null. */
  private stopped: { why: string; reason: string } | null = null;
  /** A later read (a README follow-up) was cut by the rate limit. */
  private followUpRateLimited = false;

  constructor(
    client: GitHubClient,
    private readonly opts: CollectOptions,
  ) {
    this.client = countingClient(client, this.requests);
    this.org = opts.org;
    this.log = opts.log;
    this.maxSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 100)));
    this.community = opts.communityRepository ?? '.github';
    this.reserve = Math.max(0, opts.budget?.reserve ?? 5);
  }

  private noteRateLimit(value: RateLimitFields | null | undefined): void {
    if (!value) return;
    this.points = (this.points ?? 0) + value.cost;
    this.rateLimit = value;
  }

  /** Points left to spend (null: GitHub does not rate limit). */
  private budget(): number | null {
    return this.rateLimit ? this.rateLimit.remaining - this.reserve : null;
  }

  /** First time this repository is met in this run (by node id or, without one, by name). */
  private isNew(id: string | null, nameWithOwner: string): boolean {
    const key = nameWithOwner.toLowerCase();
    if ((id && this.seenIds.has(id)) || this.seenNames.has(key)) return false;
    if (id) this.seenIds.add(id);
    this.seenNames.add(key);
    return true;
  }

  /** THE way a repository becomes unreadable: listed once, with its reason, and logged. */
  private recordUnreadable(
    repository: RepositoryName,
    reason: string,
    options: { quiet?: boolean } = {},
  ): boolean {
    if (!this.isNew(repository.id, repository.nameWithOwner)) return false;
    this.unreadable.push({
      name: repository.name,
      nameWithOwner: repository.nameWithOwner,
      url: repository.url,
      archived: repository.archived,
      reason,
    });
    if (!options.quiet) this.log.warning(`${repository.nameWithOwner} could not be read: ${reason}`);
    return true;
  }

  /**
   * Whether `error` ends the collection (rather than the request): the rate limit is exhausted, or GitHub
   * rejected the token after the first query worked (it expired mid-run: a GitHub App installation token
   * lives one hour). Then what was read is kept and the rest is listed as not evaluated.
   */
  private stops(error: unknown): boolean {
    if (error instanceof RateLimitExhaustedError) {
      this.stopped = { why: error.message, reason: NOT_EVALUATED_RATE_LIMIT };
      return true;
    }
    if (error instanceof GitHubApiError && error.kind === 'auth') {
      this.stopped = {
        why: `GitHub rejected the token mid-run (${error.message}); collection ended there. A GitHub App installation token lives one hour: give the action app-id and app-private-key so it mints and refreshes its own`,
        reason: NOT_EVALUATED_TOKEN,
      };
      return true;
    }
    return false;
  }

  /** Hands a repository over (or keeps it when nobody listens); awaits what `onRepository` returns. */
  private async deliver(snapshot: RepoSnapshot, origin: RepositoryOrigin): Promise<void> {
    if (origin.source === 'cache') this.fromCache++;
    else this.read++;
    if (this.opts.onRepository) await this.opts.onRepository(snapshot, origin);
    else this.snapshots.push(snapshot);
  }

  /**
   * The largest request ≤ `max` repositories whose cost (`cost(size)` points) fits in what is left, waiting
   * for the reset when allowed; 0 when the rate limit stops the collection (then it says why).
   */
  private async affordable(max: number, cost: (size: number) => number): Promise<number> {
    for (;;) {
      const left = this.budget();
      if (left === null) return max;
      let size = max;
      while (size >= 1 && cost(size) > left) size--;
      if (size > 0) return size;
      const reset = this.rateLimit?.resetAt ?? '';
      if (await this.client.waitForReset(reset, 'GraphQL points exhausted')) {
        this.rateLimit = null;
        continue;
      }
      this.stopped = {
        why: `GraphQL rate limit: ${left + this.reserve} points left until ${reset}`,
        reason: NOT_EVALUATED_RATE_LIMIT,
      };
      return 0;
    }
  }

  /** Step 1, the cheap first query: rate limit, owner, repository count, community files. */
  async readOverview(): Promise<void> {
    const { client, org, community, log } = this;
    let overview;
    try {
      overview = await client.graphql<OrgOverviewData>(ORG_OVERVIEW_QUERY, { org, community });
    } catch (error) {
      throw accessError(error, org);
    }
    const owner = overview.data?.repositoryOwner ?? null;
    if (!owner) {
      const refusal = overview.errors.find((e) => e.type !== 'NOT_FOUND');
      if (refusal)
        throw new GitHubApiError(
          describeAccessError(403, refusal.message, `repositories of ${org}`),
          403,
          'permission',
        );
      throw new GitHubApiError(
        `organization ${org} was not found, or the token cannot see it`,
        404,
        'not-found',
      );
    }
    this.noteRateLimit(overview.data?.rateLimit);
    this.ownerType = owner.__typename;
    const communityData = overview.data?.community ?? null;
    const communityError = overview.errors.find((e) => e.path?.[0] === 'community' && e.type !== 'NOT_FOUND');
    if (communityError) log.warning(`${org}/${community} could not be read: ${communityError.message}`);
    this.orgContext = {
      login: owner.login,
      webUrl: webUrlOf(owner.url),
      // Unknown (null) when it could not be read; none when it does not exist or is private (GitHub
      // only uses a public community repository's files as defaults).
      communityFiles: communityError
        ? null
        : communityData && !communityData.isPrivate
          ? communityFilePaths(communityData)
          : [],
      communityRepository: community,
    };
    this.opts.onOrganization?.(this.orgContext);
    this.visible = owner.repositories.totalCount;
    log.info(`${owner.login}: ${this.visible} repositories visible to the token`);
  }

  /** Step 2: will the whole collection fit in the points left? If not, wait for the reset when allowed. */
  async checkBudget(): Promise<void> {
    // An incremental audit needs at least its listing (1 point per page); what changed is not known yet.
    const estimate = this.opts.cache
      ? Math.ceil(this.visible / 100)
      : Math.ceil(this.visible / this.maxSize) * pagePoints(this.maxSize);
    const available = this.budget();
    if (available === null || !this.rateLimit || available >= estimate) return;
    const reset = this.rateLimit.resetAt;
    this.log.warning(
      `GraphQL budget: about ${estimate} points needed for ${this.visible} repositories, ${available} left before the reset at ${reset}`,
    );
    if (await this.client.waitForReset(reset, 'Not enough GraphQL points for the whole organization'))
      this.rateLimit = null;
  }

  /** Step 3 of a full read: the pages, each sized to fit the budget, split when GitHub times out. */
  async readPages(): Promise<void> {
    let cursor: string | null = null;
    let hasNext = this.visible > 0;
    const sizer = new PageSizer(this.maxSize);
    let page = 0;
    while (hasNext) {
      const size = await this.affordable(sizer.size, pagePoints);
      if (size === 0) return;
      page++;
      const outcome = await this.readPage(page, cursor, size);
      if ('failure' in outcome) {
        const { failure } = outcome;
        if (failure.kind === 'stop') return;
        if (failure.kind === 'split') {
          if (size < sizer.size) {
            // A page cut by the budget failed: split it without holding the run's size down.
            this.log.warning(`page ${page} ${failure.why}; retrying`);
          } else {
            this.log.warning(
              `page ${page} ${failure.why}; retrying with ${sizer.shrink()} repositories per page`,
            );
          }
          continue;
        }
        // A single repository that still fails: name it, mark it unreadable, move on.
        const window: RepositoryConnectionFields<RepositoryNameFields> | null = await this.nameWindow(
          cursor,
          1,
        ).catch(() => null);
        const node = window?.nodes?.[0] ?? null;
        if (!window || !node) throw accessError(failure.error, this.org);
        this.recordUnreadable(nameOf(node), `could not be read: ${failure.error.message}`);
        cursor = window.pageInfo.endCursor ?? cursor;
        hasNext = window.pageInfo.hasNextPage;
        continue;
      }
      const { connection, nullNodes } = outcome;
      if (nullNodes.size > 0) await this.nameNullNodes(cursor, size, nullNodes);
      for (const item of outcome.snapshots) await this.readOtherReadme(item.snapshot);
      await this.opts.beforePage?.(outcome.snapshots.map((item) => item.snapshot));
      for (const item of outcome.snapshots)
        await this.deliver(item.snapshot, { source: 'github', stamp: item.stamp });
      cursor = connection.pageInfo.endCursor ?? cursor;
      hasNext = connection.pageInfo.hasNextPage;
      sizer.succeeded();
    }
  }

  /**
   * Step 3 of an incremental audit: the cheap listing, page by page; what is new, changed, or not usable
   * from the stored facts is queued and read by id in full batches; the rest is handed over at once from
   * its stored facts.
   */
  async readChanged(cache: CachedFacts): Promise<void> {
    let cursor: string | null = null;
    let hasNext = this.visible > 0;
    const sizer = new PageSizer(100);
    const batches = new PageSizer(this.maxSize);
    const queued: ListingFields[] = [];
    const queuedIds = new Set<string>();
    const reasons = new Map<string, number>();
    let page = 0;
    while (hasNext) {
      const size = await this.affordable(sizer.size, () => 1);
      if (size === 0) return;
      page++;
      let result: GraphqlResult<OrgRepositoryListingData>;
      try {
        result = await this.client.graphql<OrgRepositoryListingData>(
          ORG_REPOSITORY_LISTING_QUERY,
          { org: this.org, first: size, after: cursor },
          { retries: size > 1 ? 0 : undefined },
        );
      } catch (error) {
        if (this.stops(error)) return;
        if (!isTransient(error) || size === 1) throw accessError(error, this.org);
        this.log.warning(
          `listing page ${page} failed (${(error as Error).message}); retrying with ${sizer.shrink()} repositories per page`,
        );
        continue;
      }
      const connection = result.data?.repositoryOwner?.repositories ?? null;
      if (!connection) throw noRepositories(result.errors, this.org);
      this.noteRateLimit(result.data?.rateLimit);
      this.visible = connection.totalCount;
      const nodes = connection.nodes ?? [];
      const nullNodes = new Map<number, string>();
      /** Unchanged repositories of this listing page, handed over from their stored facts. */
      const unchanged: { snapshot: RepoSnapshot; stamp: ReturnType<typeof stampOf> }[] = [];
      for (const [index, node] of nodes.entries()) {
        const nodeErrors = errorsUnder(result.errors, [...NODES_PATH, index]);
        if (!node) {
          nullNodes.set(index, nodeErrors[0]?.message ?? 'GitHub returned no data for this repository');
          continue;
        }
        const forbidden = nodeErrors.find(isForbidden);
        if (forbidden) {
          this.recordUnreadable(nameOf(node), forbidden.message);
          continue;
        }
        if (this.seenIds.has(node.id) || queuedIds.has(node.id)) continue;
        const stamp = stampOf(node);
        const why = this.whyRead(cache, stamp);
        const facts = why === null ? cache.facts(node.id) : null;
        // Facts a policy needs and the stored ones lack are read per part (src/audit.ts), not by reading
        // the whole repository again; only facts stored from a partial read are.
        const lacking = facts && facts.problems.length > 0 ? 'partly read' : null;
        const reason = why ?? (facts ? lacking : 'stored facts unreadable');
        if (reason === null && facts) {
          if (this.isNew(node.id, node.nameWithOwner))
            unchanged.push({ snapshot: withListing(facts, node), stamp });
          continue;
        }
        const key = reason ?? 'changed';
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
        queued.push(node);
        queuedIds.add(node.id);
      }
      if (nullNodes.size > 0) await this.nameNullNodes(cursor, size, nullNodes);
      await this.opts.beforePage?.(unchanged.map((item) => item.snapshot));
      for (const item of unchanged) await this.deliver(item.snapshot, { source: 'cache', stamp: item.stamp });
      this.log.info(
        `listing page ${page}: ${nodes.length} repositories, ${queued.length} to read` +
          (result.data?.rateLimit ? `, ${result.data.rateLimit.remaining} points left` : ''),
      );
      while (queued.length >= batches.size && !this.stopped) {
        await this.readByIds(queued.splice(0, batches.size), batches);
      }
      if (this.stopped) return;
      cursor = connection.pageInfo.endCursor ?? cursor;
      hasNext = connection.pageInfo.hasNextPage;
      sizer.succeeded();
    }
    while (queued.length > 0 && !this.stopped) {
      await this.readByIds(queued.splice(0, batches.size), batches);
    }
    if (reasons.size > 0) {
      this.log.info(
        `read from GitHub: ${[...reasons].map(([reason, count]) => `${count} ${reason}`).join(', ')}`,
      );
    }
  }

  /** Why a listed repository must be read rather than taken from the stored facts; null = it need not. */
  private whyRead(cache: CachedFacts, stamp: FactsStamp): string | null {
    const stored = cache.stamp(stamp.id);
    if (!stored) return 'new or not stored';
    if (!sameStamp(stored, stamp)) return 'changed';
    return null;
  }

  /** The heavy read of listed repositories by id; a batch GitHub cannot answer in time is split. */
  private async readByIds(listed: ListingFields[], sizer: PageSizer): Promise<void> {
    const pending: ListingFields[][] = [listed];
    while (pending.length > 0) {
      const asked = pending.shift() as ListingFields[];
      const size = await this.affordable(asked.length, pagePoints);
      if (size === 0) return;
      const batch = size < asked.length ? asked.slice(0, size) : asked;
      if (size < asked.length) pending.unshift(asked.slice(size));
      let result: GraphqlResult<RepositoriesByIdData>;
      try {
        result = await this.client.graphql<RepositoriesByIdData>(
          REPOSITORIES_BY_ID_QUERY,
          { ids: batch.map((node) => node.id), nestedOwners: this.opts.nestedOwners ?? false },
          { retries: batch.length > 1 ? 0 : undefined },
        );
      } catch (error) {
        if (this.stops(error)) return;
        if (!isTransient(error)) throw accessError(error, this.org);
        if (batch.length === 1) {
          this.recordUnreadable(nameOf(batch[0]), `could not be read: ${(error as Error).message}`);
          continue;
        }
        const half = Math.ceil(batch.length / 2);
        if (batch.length >= sizer.size) sizer.shrink();
        this.log.warning(
          `reading ${batch.length} repositories failed (${(error as Error).message}); retrying ${half} at a time`,
        );
        pending.unshift(batch.slice(0, half), batch.slice(half));
        continue;
      }
      const nodes = result.data?.nodes ?? null;
      if (!nodes) {
        const tooBig = result.errors.find(isTooBig);
        if (tooBig && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          if (batch.length >= sizer.size) sizer.shrink();
          pending.unshift(batch.slice(0, half), batch.slice(half));
          continue;
        }
        throw noRepositories(result.errors, this.org);
      }
      this.noteRateLimit(result.data?.rateLimit);
      const read: { snapshot: RepoSnapshot; stamp: FactsStamp }[] = [];
      batch.forEach((listing, index) => {
        const node = nodes[index] ?? null;
        const nodeErrors = errorsUnder(result.errors, ['nodes', index]);
        if (!node || !('nameWithOwner' in node)) {
          this.recordUnreadable(
            nameOf(listing),
            nodeErrors[0]?.message ?? 'GitHub returned no data for this repository',
          );
          return;
        }
        const forbidden = nodeErrors.find(isForbidden);
        if (forbidden) {
          this.recordUnreadable(nameOf(listing), forbidden.message);
          return;
        }
        const full = node as unknown as RepositoryFields;
        if (!this.isNew(full.id, full.nameWithOwner)) return;
        read.push({ snapshot: mapRepository(full, nodeErrors), stamp: stampOf(full) });
      });
      for (const error of result.errors) {
        if (!pathStartsWith(error.path, ['nodes']))
          this.errors.push({ repository: null, message: error.message });
      }
      for (const item of read) await this.readOtherReadme(item.snapshot);
      await this.opts.beforePage?.(read.map((item) => item.snapshot));
      for (const item of read) await this.deliver(item.snapshot, { source: 'github', stamp: item.stamp });
      sizer.succeeded();
    }
  }

  /** One page: its snapshots and the positions GitHub answered null for, or why it failed. */
  private async readPage(
    page: number,
    cursor: string | null,
    size: number,
  ): Promise<
    | {
        connection: RepositoryConnectionFields<unknown>;
        snapshots: { snapshot: RepoSnapshot; stamp: FactsStamp }[];
        nullNodes: Map<number, string>;
      }
    | { failure: PageFailure }
  > {
    const { client, org, log } = this;
    let result;
    try {
      result = await client.graphql<OrgRepositoriesData>(
        ORG_REPOSITORIES_QUERY,
        { org, first: size, after: cursor, nestedOwners: this.opts.nestedOwners ?? false },
        // A failing page is retried by splitting it, not by asking the same again; one repository alone
        // gets the client's full retries.
        { retries: size > 1 ? 0 : undefined },
      );
    } catch (error) {
      if (this.stops(error)) return { failure: { kind: 'stop' } };
      if (!isTransient(error)) throw accessError(error, org);
      if (size > 1) return { failure: { kind: 'split', why: `failed (${(error as Error).message})` } };
      return { failure: { kind: 'single', error: error as Error } };
    }

    const connection = result.data?.repositoryOwner?.repositories ?? null;
    if (!connection) {
      const tooBig = result.errors.find(
        (e) => e.type === 'MAX_NODE_LIMIT_EXCEEDED' || /timeout|timed out/i.test(e.message),
      );
      if (tooBig && size > 1) return { failure: { kind: 'split', why: `refused (${tooBig.message})` } };
      const first = result.errors[0];
      throw new GitHubApiError(
        first
          ? describeAccessError(403, first.message, `repositories of ${org}`)
          : `no data for the repositories of ${org}`,
        null,
        first?.type === 'FORBIDDEN' || first?.type === 'INSUFFICIENT_SCOPES' ? 'permission' : 'other',
      );
    }
    this.noteRateLimit(result.data?.rateLimit);
    this.visible = connection.totalCount;
    const nodes = connection.nodes ?? [];
    const pageRate = result.data?.rateLimit;
    log.info(
      `page ${page}: ${nodes.length} repositories` +
        (pageRate
          ? `, cost ${pageRate.cost} point(s), ${pageRate.remaining} left (reset ${pageRate.resetAt})`
          : ''),
    );

    const nullNodes = new Map<number, string>();
    const snapshots: { snapshot: RepoSnapshot; stamp: FactsStamp }[] = [];
    nodes.forEach((node, index) => {
      const nodeErrors: GraphqlError[] = result.errors
        .filter((e) => pathStartsWith(e.path, [...NODES_PATH, index]))
        .map((e) => ({ ...e, path: e.path?.slice(NODES_PATH.length + 1) }));
      if (!node) {
        nullNodes.set(index, nodeErrors[0]?.message ?? 'GitHub returned no data for this repository');
        return;
      }
      const forbidden = nodeErrors.find((e) => e.type === 'FORBIDDEN' || e.extensions?.saml_failure === true);
      if (forbidden) {
        this.recordUnreadable(nameOf(node), forbidden.message);
        return;
      }
      if (!this.isNew(node.id, node.nameWithOwner)) return;
      snapshots.push({ snapshot: mapRepository(node, nodeErrors), stamp: stampOf(node) });
    });
    for (const error of result.errors) {
      if (!pathStartsWith(error.path, NODES_PATH))
        this.errors.push({ repository: null, message: error.message });
    }
    return { connection, snapshots, nullNodes };
  }

  /** The cheap listing (names only, 1 point per 100) of the window after `cursor`. */
  private async nameWindow(
    cursor: string | null,
    first: number,
  ): Promise<RepositoryConnectionFields<RepositoryNameFields> | null> {
    const names = await this.client.graphql<OrgRepositoryNamesData>(ORG_REPOSITORY_NAMES_QUERY, {
      org: this.org,
      first,
      after: cursor,
    });
    this.noteRateLimit(names.data?.rateLimit);
    return names.data?.repositoryOwner?.repositories ?? null;
  }

  /**
   * Null nodes (GitHub refused a whole repository, e.g. SAML): name them with the cheap listing of the
   * same window (same cursor, same size, so the same positions), with GitHub's message as the reason.
   */
  private async nameNullNodes(
    cursor: string | null,
    first: number,
    reasons: Map<number, string>,
  ): Promise<void> {
    const window = await this.nameWindow(cursor, first).catch(() => null);
    let named = 0;
    for (const [index, reason] of reasons) {
      const node = window?.nodes?.[index] ?? null;
      if (node && this.recordUnreadable(nameOf(node), reason)) named++;
    }
    if (named < reasons.size) {
      const first = [...reasons.values()][0];
      this.errors.push({
        repository: null,
        message: `${reasons.size - named} repositories of ${this.org} could not be read or named: ${first}`,
      });
    }
  }

  /** A README under a name the page query did not ask for (README.markdown, readme.txt…). */
  private async readOtherReadme(snapshot: RepoSnapshot): Promise<void> {
    const [path] = unreadReadmes(snapshot);
    if (!path) return;
    const problem = (message: string) =>
      snapshot.problems.push({ part: 'readme', message: `${path} could not be read: ${message}` });
    try {
      const file = await this.client.graphql<RepositoryFileData>(REPOSITORY_FILE_QUERY, {
        owner: snapshot.owner,
        name: snapshot.name,
        expression: `HEAD:${path}`,
      });
      const content = mapBlob(file.data?.repository?.object);
      if (content) snapshot.files[path] = content;
      else problem(file.errors[0]?.message ?? 'no content');
    } catch (error) {
      problem((error as Error).message);
      if (error instanceof RateLimitExhaustedError) this.followUpRateLimited = true;
    }
  }

  /** Step 4: what the budget did not allow: list the rest (REST, its own rate limit) as not evaluated. */
  async listNotEvaluated(): Promise<void> {
    if (!this.stopped) return;
    const { why, reason } = this.stopped;
    const { client, org, log } = this;
    log.warning(`${why}; the remaining repositories are listed as ${reason}`);
    let listedCount = 0;
    try {
      const route = this.ownerType === 'User' ? 'GET /users/{org}/repos' : 'GET /orgs/{org}/repos';
      const listed = await client.rest.paginate(route, { org, per_page: 100, type: 'all' });
      for (const repo of listed as {
        name: string;
        full_name: string;
        html_url: string;
        archived?: boolean;
      }[]) {
        const name = {
          id: null,
          name: repo.name,
          nameWithOwner: repo.full_name,
          url: repo.html_url,
          archived: repo.archived ?? null,
        };
        if (this.recordUnreadable(name, reason, { quiet: true })) listedCount++;
      }
    } catch (error) {
      log.warning(`the remaining repositories could not be listed: ${(error as Error).message}`);
    }
    const missing = this.visible - this.read - this.fromCache - this.unreadable.length;
    this.errors.push({
      repository: null,
      message:
        `${why}: ${listedCount} repositories were not evaluated` +
        (missing > 0 ? `, ${missing} more could not even be listed` : ''),
    });
  }

  result(): CollectResult {
    const finalRate = this.rateLimit;
    return {
      org: this.orgContext as OrgContext,
      snapshots: this.snapshots,
      unreadable: this.unreadable,
      errors: this.errors,
      visibleRepositories: this.visible,
      cost: { requests: this.requests.requests, points: this.points },
      rateLimit: finalRate ? { remaining: finalRate.remaining, resetAt: finalRate.resetAt } : null,
      complete: !this.stopped && !this.followUpRateLimited,
      read: this.read,
      fromCache: this.fromCache,
      mode: this.opts.cache ? 'incremental' : 'full',
    };
  }
}

function isForbidden(error: GraphqlError): boolean {
  return error.type === 'FORBIDDEN' || error.extensions?.saml_failure === true;
}

function isTooBig(error: GraphqlError): boolean {
  return error.type === 'MAX_NODE_LIMIT_EXCEEDED' || /timeout|timed out/i.test(error.message);
}

/** The errors GitHub reported under `prefix`, with their paths relative to it. */
function errorsUnder(errors: GraphqlError[], prefix: (string | number)[]): GraphqlError[] {
  return errors
    .filter((e) => pathStartsWith(e.path, prefix))
    .map((e) => ({ ...e, path: e.path?.slice(prefix.length) }));
}

/** No repositories in an answer: GitHub refused the query as a whole. */
function noRepositories(errors: GraphqlError[], org: string): GitHubApiError {
  const first = errors[0];
  return new GitHubApiError(
    first
      ? describeAccessError(403, first.message, `repositories of ${org}`)
      : `no data for the repositories of ${org}`,
    null,
    first?.type === 'FORBIDDEN' || first?.type === 'INSUFFICIENT_SCOPES' ? 'permission' : 'other',
  );
}

function webUrlOf(ownerUrl: string): string {
  try {
    return new URL(ownerUrl).origin;
  } catch {
    return 'https://github.com';
  }
}

/** 401/403 → a message naming the missing permission; everything else unchanged. */
function accessError(error: unknown, org: string): Error {
  if (error instanceof GitHubApiError && error.kind === 'permission') {
    return new GitHubApiError(
      describeAccessError(403, error.message, `repositories of ${org}`),
      403,
      'permission',
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
