/**
 * Collects every repository of an organization as `RepoSnapshot`s: one GraphQL request (≤ 3 points) per
 * 100 repositories, adaptive page size on timeouts, a rate-limit budget, partial errors kept per
 * repository, and nothing ever dropped silently (what could not be read is listed in `unreadable`).
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
  type RepositoryFileData,
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

export async function collectOrganization(
  client: GitHubClient,
  opts: CollectOptions,
): Promise<CollectResult> {
  const { org, log } = opts;
  const maxSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize ?? 100)));
  const community = opts.communityRepository ?? '.github';
  const reserve = Math.max(0, opts.budget?.reserve ?? 5);
  const requestsAtStart = client.stats.graphqlRequests;

  let points: number | null = null;
  let rateLimit: RateLimitFields | null = null;
  const noteRateLimit = (value: RateLimitFields | null | undefined) => {
    if (!value) return;
    points = (points ?? 0) + value.cost;
    rateLimit = value;
  };

  // 1. The cheap first query: rate limit, owner, count, community files.
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
  noteRateLimit(overview.data?.rateLimit);
  const communityData = overview.data?.community ?? null;
  const communityError = overview.errors.find((e) => e.path?.[0] === 'community' && e.type !== 'NOT_FOUND');
  if (communityError) log.warning(`${org}/${community} could not be read: ${communityError.message}`);
  const orgContext: OrgContext = {
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
  opts.onOrganization?.(orgContext);
  let visible = owner.repositories.totalCount;
  log.info(`${owner.login}: ${visible} repositories visible to the token`);

  const snapshots: RepoSnapshot[] = [];
  let read = 0;
  const unreadable: UnreadableRepository[] = [];
  const errors: CollectResult['errors'] = [];
  const seenIds = new Set<string>();
  const seenNames = new Set<string>();
  const isNew = (id: string | null, nameWithOwner: string) => {
    const key = nameWithOwner.toLowerCase();
    if ((id && seenIds.has(id)) || seenNames.has(key)) return false;
    if (id) seenIds.add(id);
    seenNames.add(key);
    return true;
  };

  // 2. Budget: will the whole collection fit in what is left?
  const budget = (): number | null => (rateLimit ? rateLimit.remaining - reserve : null);
  const estimate = Math.ceil(visible / maxSize) * pagePoints(maxSize);
  const available = budget();
  if (available !== null && rateLimit && available < estimate) {
    const reset: string = (rateLimit as RateLimitFields).resetAt;
    log.warning(
      `GraphQL budget: about ${estimate} points needed for ${visible} repositories, ${available} left before the reset at ${reset}`,
    );
    if (await client.waitForReset(reset, 'Not enough GraphQL points for the whole organization'))
      rateLimit = null;
  }

  // 3. Pages.
  let cursor: string | null = null;
  let hasNext = visible > 0;
  let size = maxSize;
  let page = 0;
  let stoppedForRateLimit: string | null = null;

  const nameWindow = async (first: number) => {
    const names = await client.graphql<OrgRepositoryNamesData>(ORG_REPOSITORY_NAMES_QUERY, {
      org,
      first,
      after: cursor,
    });
    noteRateLimit(names.data?.rateLimit);
    return names.data?.repositoryOwner?.repositories ?? null;
  };

  while (hasNext) {
    const left = budget();
    if (left !== null) {
      const fitting = sizeWithin(left, size);
      if (fitting === 0) {
        const reset = (rateLimit as RateLimitFields | null)?.resetAt ?? '';
        if (await client.waitForReset(reset, 'GraphQL points exhausted')) {
          rateLimit = null;
          continue;
        }
        stoppedForRateLimit = `GraphQL rate limit: ${left + reserve} points left until ${reset}`;
        break;
      }
      size = fitting;
    }
    page++;
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
      if (error instanceof RateLimitExhaustedError) {
        stoppedForRateLimit = error.message;
        break;
      }
      if (!isTransient(error)) throw accessError(error, org);
      if (size > 1) {
        size = Math.ceil(size / 2);
        log.warning(
          `page ${page} failed (${(error as Error).message}); retrying with ${size} repositories per page`,
        );
        continue;
      }
      // A single repository that still fails: name it, mark it unreadable, move on.
      const window = await nameWindow(1).catch(() => null);
      const node = window?.nodes?.[0] ?? null;
      if (!window || !node) throw accessError(error, org);
      if (isNew(node.id, node.nameWithOwner)) {
        unreadable.push({
          name: node.name,
          nameWithOwner: node.nameWithOwner,
          url: node.url,
          archived: node.isArchived,
          reason: `could not be read: ${(error as Error).message}`,
        });
        log.warning(`${node.nameWithOwner} could not be read: ${(error as Error).message}`);
      }
      cursor = window.pageInfo.endCursor ?? cursor;
      hasNext = window.pageInfo.hasNextPage;
      continue;
    }

    const connection = result.data?.repositoryOwner?.repositories ?? null;
    if (!connection) {
      const tooBig = result.errors.find(
        (e) => e.type === 'MAX_NODE_LIMIT_EXCEEDED' || /timeout|timed out/i.test(e.message),
      );
      if (tooBig && size > 1) {
        size = Math.ceil(size / 2);
        log.warning(`page ${page} refused (${tooBig.message}); retrying with ${size} repositories per page`);
        continue;
      }
      const first = result.errors[0];
      throw new GitHubApiError(
        first
          ? describeAccessError(403, first.message, `repositories of ${org}`)
          : `no data for the repositories of ${org}`,
        null,
        first?.type === 'FORBIDDEN' || first?.type === 'INSUFFICIENT_SCOPES' ? 'permission' : 'other',
      );
    }
    noteRateLimit(result.data?.rateLimit);
    visible = connection.totalCount;
    const nodes = connection.nodes ?? [];
    const pageRate = result.data?.rateLimit;
    log.info(
      `page ${page}: ${nodes.length} repositories` +
        (pageRate
          ? `, cost ${pageRate.cost} point(s), ${pageRate.remaining} left (reset ${pageRate.resetAt})`
          : ''),
    );

    const nodesPath = ['repositoryOwner', 'repositories', 'nodes'];
    const nullNodes = new Map<number, string>();
    const pageSnapshots: RepoSnapshot[] = [];
    nodes.forEach((node, index) => {
      const nodeErrors: GraphqlError[] = result.errors
        .filter((e) => pathStartsWith(e.path, [...nodesPath, index]))
        .map((e) => ({ ...e, path: e.path?.slice(nodesPath.length + 1) }));
      if (!node) {
        nullNodes.set(index, nodeErrors[0]?.message ?? 'GitHub returned no data for this repository');
        return;
      }
      if (!isNew(node.id, node.nameWithOwner)) return;
      const forbidden = nodeErrors.find((e) => e.type === 'FORBIDDEN' || e.extensions?.saml_failure === true);
      if (forbidden) {
        unreadable.push({
          name: node.name,
          nameWithOwner: node.nameWithOwner,
          url: node.url,
          archived: node.isArchived,
          reason: forbidden.message,
        });
        log.warning(`${node.nameWithOwner} could not be read: ${forbidden.message}`);
        return;
      }
      pageSnapshots.push(mapRepository(node, nodeErrors));
    });
    for (const error of result.errors) {
      if (!pathStartsWith(error.path, nodesPath)) errors.push({ repository: null, message: error.message });
    }
    if (nullNodes.size > 0) await nameNullNodes(nullNodes, size);
    for (const snapshot of pageSnapshots) {
      await readOtherReadme(snapshot);
      read++;
      if (opts.onRepository) opts.onRepository(snapshot);
      else snapshots.push(snapshot);
    }

    cursor = connection.pageInfo.endCursor ?? cursor;
    hasNext = connection.pageInfo.hasNextPage;
    if (size < maxSize) size = Math.min(maxSize, size * 2);
  }

  /**
   * Null nodes (GitHub refused a whole repository, e.g. SAML): name them with the cheap listing of the
   * same window (same cursor, same size, so the same positions), with GitHub's message as the reason.
   * `cursor` still points before the page here.
   */
  async function nameNullNodes(reasons: Map<number, string>, first: number): Promise<void> {
    const window = await nameWindow(first).catch(() => null);
    let named = 0;
    for (const [index, reason] of reasons) {
      const node = window?.nodes?.[index] ?? null;
      if (!node || !isNew(node.id, node.nameWithOwner)) continue;
      unreadable.push({
        name: node.name,
        nameWithOwner: node.nameWithOwner,
        url: node.url,
        archived: node.isArchived,
        reason,
      });
      log.warning(`${node.nameWithOwner} could not be read: ${reason}`);
      named++;
    }
    if (named < reasons.size) {
      const first = [...reasons.values()][0];
      errors.push({
        repository: null,
        message: `${reasons.size - named} repositories of ${org} could not be read or named: ${first}`,
      });
    }
  }

  // 4. What the budget did not allow: list the rest (REST, which has its own rate limit) as not evaluated.
  let complete = !stoppedForRateLimit;
  if (stoppedForRateLimit) {
    log.warning(
      `${stoppedForRateLimit}; the remaining repositories are listed as ${NOT_EVALUATED_RATE_LIMIT}`,
    );
    const before = unreadable.length;
    try {
      const route = owner.__typename === 'User' ? 'GET /users/{org}/repos' : 'GET /orgs/{org}/repos';
      const listed = await client.rest.paginate(route, { org, per_page: 100, type: 'all' });
      for (const repo of listed as {
        node_id?: string;
        name: string;
        full_name: string;
        html_url: string;
        archived?: boolean;
      }[]) {
        if (!isNew(null, repo.full_name)) continue;
        unreadable.push({
          name: repo.name,
          nameWithOwner: repo.full_name,
          url: repo.html_url,
          archived: repo.archived ?? null,
          reason: NOT_EVALUATED_RATE_LIMIT,
        });
      }
    } catch (error) {
      log.warning(`the remaining repositories could not be listed: ${(error as Error).message}`);
    }
    const listedCount = unreadable.length - before;
    const missing = visible - read - unreadable.length;
    errors.push({
      repository: null,
      message:
        `${stoppedForRateLimit}: ${listedCount} repositories were not evaluated` +
        (missing > 0 ? `, ${missing} more could not even be listed` : ''),
    });
  }

  const finalRate = rateLimit as RateLimitFields | null;
  return {
    org: orgContext,
    snapshots,
    unreadable,
    errors,
    visibleRepositories: visible,
    cost: { requests: client.stats.graphqlRequests - requestsAtStart, points },
    rateLimit: finalRate ? { remaining: finalRate.remaining, resetAt: finalRate.resetAt } : null,
    complete,
    read,
  };

  /** A README under a name the page query did not ask for (README.markdown, readme.txt…). */
  async function readOtherReadme(snapshot: RepoSnapshot): Promise<void> {
    const [path] = unreadReadmes(snapshot);
    if (!path) return;
    try {
      const file = await client.graphql<RepositoryFileData>(REPOSITORY_FILE_QUERY, {
        owner: snapshot.owner,
        name: snapshot.name,
        expression: `HEAD:${path}`,
      });
      const content = mapBlob(file.data?.repository?.object);
      if (content) snapshot.files[path] = content;
      else
        snapshot.problems.push({
          part: 'readme',
          message: `${path} could not be read: ${file.errors[0]?.message ?? 'no content'}`,
        });
    } catch (error) {
      snapshot.problems.push({
        part: 'readme',
        message: `${path} could not be read: ${(error as Error).message}`,
      });
      if (error instanceof RateLimitExhaustedError) complete = false;
    }
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
