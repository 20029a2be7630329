/**
 * Collects every repository of an organization as `RepoSnapshot`s: one GraphQL request (≤ 3 points) per
 * 100 repositories, adaptive page size on timeouts, a rate-limit budget, partial errors kept per
 * repository, and nothing ever dropped silently (what could not be read is listed in `unreadable`).
 *
 * One run is an `OrgCollection`: its steps are named methods (overview → budget → pages → what the rate
 * limit left unread), sharing the run's state (points spent, repositories seen, unreadable ones).
 */
import type { Logger } from '../log.js';
import type { OrgContext, RepoSnapshot, UnreadableRepository } from '../snapshot.js';
import {
  GitHubApiError,
  RateLimitExhaustedError,
  describeAccessError,
  type GitHubClient,
  type GraphqlError,
} from './client.js';
import { communityFilePaths, mapBlob, mapRepository, unreadReadmes } from './map.js';
import {
  NESTED_CONNECTIONS_PER_REPOSITORY,
  ORG_OVERVIEW_QUERY,
  ORG_REPOSITORIES_QUERY,
  ORG_REPOSITORY_NAMES_QUERY,
  REPOSITORY_FILE_QUERY,
  type OrgOverviewData,
  type OrgRepositoriesData,
  type OrgRepositoryNamesData,
  type RateLimitFields,
  type RepositoryConnectionFields,
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
  /** Repositories read (handed to `onRepository`, or in `snapshots`). */
  read: number;
}

export interface CollectOptions {
  org: string;
  log: Logger;
  /** Repositories per request, 1..100 (default 100). */
  pageSize?: number;
  /**
   * Called with each repository as soon as it is read (README follow-up included). When set, snapshots
   * are not kept (`snapshots` in the result is empty): the caller evaluates and drops each one, so memory
   * stays flat however large the organization.
   */
  onRepository?: (snapshot: RepoSnapshot) => void;
  /** Called once with the organization's context, before the first `onRepository`. */
  onOrganization?: (org: OrgContext) => void;
  /** The org's community-files repository (default `.github`). */
  communityRepository?: string;
  /** Points to keep unspent for the reads that follow the collection (default 5). */
  budget?: { reserve?: number };
}

export const NOT_EVALUATED_RATE_LIMIT = 'not evaluated (rate limit)';

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

function nameOf(node: RepositoryNameFields): RepositoryName {
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
type PageFailure =
  { kind: 'split'; why: string } | { kind: 'single'; error: Error } | { kind: 'stop'; why: string };

export async function collectOrganization(
  client: GitHubClient,
  opts: CollectOptions,
): Promise<CollectResult> {
  const run = new OrgCollection(client, opts);
  await run.readOverview();
  await run.checkBudget();
  await run.readPages();
  await run.listNotEvaluated();
  return run.result();
}

class OrgCollection {
  private readonly org: string;
  private readonly log: Logger;
  private readonly maxSize: number;
  private readonly community: string;
  private readonly reserve: number;
  private readonly requestsAtStart: number;

  private points: number | null = null;
  private rateLimit: RateLimitFields | null = null;
  private ownerType = 'Organization';
  private orgContext: OrgContext | null = null;
  private visible = 0;
  private readonly snapshots: RepoSnapshot[] = [];
  private read = 0;
  private readonly unreadable: UnreadableRepository[] = [];
  private readonly errors: CollectResult['errors'] = [];
  private readonly seenIds = new Set<string>();
  private readonly seenNames = new Set<string>();
  /** Why the pages stopped before the end (the rate limit), or null. */
  private stoppedForRateLimit: string | null = null;
  /** A later read (a README follow-up) was cut by the rate limit. */
  private followUpRateLimited = false;

  constructor(
    private readonly client: GitHubClient,
    private readonly opts: CollectOptions,
  ) {
    this.org = opts.org;
    this.log = opts.log;
    this.maxSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 100)));
    this.community = opts.communityRepository ?? '.github';
    this.reserve = Math.max(0, opts.budget?.reserve ?? 5);
    this.requestsAtStart = client.stats.graphqlRequests;
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

  /** Hands a read repository over (or keeps it when nobody listens). */
  private deliver(snapshot: RepoSnapshot): void {
    this.read++;
    if (this.opts.onRepository) this.opts.onRepository(snapshot);
    else this.snapshots.push(snapshot);
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
    const estimate = Math.ceil(this.visible / this.maxSize) * pagePoints(this.maxSize);
    const available = this.budget();
    if (available === null || !this.rateLimit || available >= estimate) return;
    const reset = this.rateLimit.resetAt;
    this.log.warning(
      `GraphQL budget: about ${estimate} points needed for ${this.visible} repositories, ${available} left before the reset at ${reset}`,
    );
    if (await this.client.waitForReset(reset, 'Not enough GraphQL points for the whole organization'))
      this.rateLimit = null;
  }

  /** Step 3: the pages, each sized to fit the budget, split when GitHub times out. */
  async readPages(): Promise<void> {
    let cursor: string | null = null;
    let hasNext = this.visible > 0;
    let size = this.maxSize;
    let page = 0;
    while (hasNext) {
      const left = this.budget();
      if (left !== null) {
        const fitting = sizeWithin(left, size);
        if (fitting === 0) {
          const reset = this.rateLimit?.resetAt ?? '';
          if (await this.client.waitForReset(reset, 'GraphQL points exhausted')) {
            this.rateLimit = null;
            continue;
          }
          this.stoppedForRateLimit = `GraphQL rate limit: ${left + this.reserve} points left until ${reset}`;
          return;
        }
        size = fitting;
      }
      page++;
      const outcome = await this.readPage(page, cursor, size);
      if ('failure' in outcome) {
        const { failure } = outcome;
        if (failure.kind === 'stop') {
          this.stoppedForRateLimit = failure.why;
          return;
        }
        if (failure.kind === 'split') {
          size = Math.ceil(size / 2);
          this.log.warning(`page ${page} ${failure.why}; retrying with ${size} repositories per page`);
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
      for (const snapshot of outcome.snapshots) {
        await this.readOtherReadme(snapshot);
        this.deliver(snapshot);
      }
      cursor = connection.pageInfo.endCursor ?? cursor;
      hasNext = connection.pageInfo.hasNextPage;
      if (size < this.maxSize) size = Math.min(this.maxSize, size * 2);
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
        snapshots: RepoSnapshot[];
        nullNodes: Map<number, string>;
      }
    | { failure: PageFailure }
  > {
    const { client, org, log } = this;
    let result;
    try {
      result = await client.graphql<OrgRepositoriesData>(
        ORG_REPOSITORIES_QUERY,
        { org, first: size, after: cursor },
        // A failing page is retried by splitting it, not by asking the same again; one repository alone
        // gets the client's full retries.
        { retries: size > 1 ? 0 : undefined },
      );
    } catch (error) {
      if (error instanceof RateLimitExhaustedError) return { failure: { kind: 'stop', why: error.message } };
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
    const snapshots: RepoSnapshot[] = [];
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
      snapshots.push(mapRepository(node, nodeErrors));
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
    const why = this.stoppedForRateLimit;
    if (!why) return;
    const { client, org, log } = this;
    log.warning(`${why}; the remaining repositories are listed as ${NOT_EVALUATED_RATE_LIMIT}`);
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
        if (this.recordUnreadable(name, NOT_EVALUATED_RATE_LIMIT, { quiet: true })) listedCount++;
      }
    } catch (error) {
      log.warning(`the remaining repositories could not be listed: ${(error as Error).message}`);
    }
    const missing = this.visible - this.read - this.unreadable.length;
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
      cost: { requests: this.client.stats.graphqlRequests - this.requestsAtStart, points: this.points },
      rateLimit: finalRate ? { remaining: finalRate.remaining, resetAt: finalRate.resetAt } : null,
      complete: !this.stoppedForRateLimit && !this.followUpRateLimited,
      read: this.read,
    };
  }
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
