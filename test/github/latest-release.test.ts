/**
 * Releases are read through Repository.latestRelease (a plain field, no connection cost): the fake must
 * answer it with GitHub's rule, and the page must cost exactly 2 points per 100 repositories.
 */
import { parse } from 'graphql';
import type { GraphqlResult } from '../../src/github/client.js';
import { mapRepository } from '../../src/github/map.js';
import {
  ORG_REPOSITORIES_QUERY,
  type OrgRepositoriesData,
  type ReleaseFields,
} from '../../src/github/queries.js';
import { computeQueryCost } from '../fake-github/cost.js';
import { githubGraphqlSchema } from '../fake-github/graphql.js';
import type { FakeRepo } from '../fake-github/model.js';
import { genericRepos, harness, type Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.fake.close();
  h = null;
});

const RELEASES_QUERY = `query Releases($owner: String!, $name: String!, $direction: OrderDirection!) {
  repository(owner: $owner, name: $name) {
    latestRelease { tagName isLatest }
    releases(first: 10, orderBy: { field: CREATED_AT, direction: $direction }) {
      totalCount
      nodes { tagName isLatest isDraft isPrerelease publishedAt }
    }
  }
}`;

interface ReleasesData {
  repository: {
    latestRelease: { tagName: string; isLatest: boolean } | null;
    releases: {
      totalCount: number;
      nodes: {
        tagName: string;
        isLatest: boolean;
        isDraft: boolean;
        isPrerelease: boolean;
        publishedAt: string | null;
      }[];
    };
  };
}

const repos: FakeRepo[] = [
  {
    name: 'lines',
    releases: [
      { tagName: 'v1.0.0', publishedAt: '2025-01-10T00:00:00Z', createdAt: '2025-01-10T00:00:00Z' },
      // A backport cut after v1.0.0: GitHub's "Latest" goes by creation date, not by version.
      { tagName: 'v0.9.1', publishedAt: '2025-06-01T00:00:00Z' },
      { tagName: 'v2.0.0-rc1', publishedAt: '2026-01-01T00:00:00Z', isPrerelease: true },
      { tagName: 'v2.0.0', publishedAt: null, isDraft: true, createdAt: '2026-02-01T00:00:00Z' },
      // Created earlier than v0.9.1 but published later: creation date decides.
      { tagName: 'v1.1.0', publishedAt: '2025-08-01T00:00:00Z', createdAt: '2025-05-01T00:00:00Z' },
    ],
  },
  {
    name: 'unreleased',
    releases: [
      { tagName: 'v0.1.0-alpha', publishedAt: '2026-01-01T00:00:00Z', isPrerelease: true },
      { tagName: 'v0.1.0', publishedAt: null, isDraft: true, createdAt: '2026-02-01T00:00:00Z' },
    ],
  },
  { name: 'none' },
];

async function releasesOf(name: string, direction: 'ASC' | 'DESC' = 'DESC') {
  const result = await h!.client.graphql<ReleasesData>(RELEASES_QUERY, { owner: 'acme', name, direction });
  expect(result.errors).toEqual([]);
  return result.data!.repository;
}

describe('fake GitHub: latestRelease', () => {
  it('is the newest non-draft, non-prerelease release by creation date; null when none', async () => {
    h = await harness([{ login: 'acme', repos }]);
    const lines = await releasesOf('lines');
    expect(lines.latestRelease).toEqual({ tagName: 'v0.9.1', isLatest: true });
    expect((await releasesOf('unreleased')).latestRelease).toBeNull();
    expect((await releasesOf('none')).latestRelease).toBeNull();
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('keeps the releases connection resolvable, ordered by creation date, with isLatest on one release', async () => {
    h = await harness([{ login: 'acme', repos }]);
    const desc = (await releasesOf('lines')).releases;
    expect(desc.totalCount).toBe(5);
    expect(desc.nodes.map((r) => r.tagName)).toEqual(['v2.0.0', 'v2.0.0-rc1', 'v0.9.1', 'v1.1.0', 'v1.0.0']);
    expect(desc.nodes.filter((r) => r.isLatest).map((r) => r.tagName)).toEqual(['v0.9.1']);
    expect(desc.nodes[0]).toMatchObject({ isDraft: true, publishedAt: null });
    const asc = (await releasesOf('lines', 'ASC')).releases;
    expect(asc.nodes.map((r) => r.tagName)).toEqual([...desc.nodes.map((r) => r.tagName)].reverse());
    expect((await releasesOf('unreleased')).releases.nodes.some((r) => r.isLatest)).toBe(false);
  });

  it('reaches the snapshot as its only release, never truncated', async () => {
    h = await harness([{ login: 'acme', repos }]);
    const result = await h.client.graphql<OrgRepositoriesData>(ORG_REPOSITORIES_QUERY, {
      org: 'acme',
      first: 100,
    });
    expect(result.errors).toEqual([]);
    const nodes = result.data!.repositoryOwner!.repositories.nodes!.map((n) => n!);
    const snapshots = new Map(nodes.map((n) => [n.name, mapRepository(n)]));
    const latest: ReleaseFields | null = nodes.find((n) => n.name === 'lines')!.latestRelease;
    expect(latest).toEqual({
      tagName: 'v0.9.1',
      name: null,
      publishedAt: '2025-06-01T00:00:00Z',
      createdAt: '2025-06-01T00:00:00Z',
      isPrerelease: false,
      isDraft: false,
      url: 'https://github.com/acme/lines/releases/tag/v0.9.1',
    });
    expect(snapshots.get('lines')!.releases).toEqual([latest]);
    expect(snapshots.get('unreleased')!.releases).toEqual([]);
    expect(snapshots.get('none')!.releases).toEqual([]);
    for (const snapshot of snapshots.values()) expect(snapshot.releasesTruncated).toBe(false);
  });
});

describe('page query cost', () => {
  it('costs exactly 2 points per 100 repositories (published algorithm and the fake agree)', async () => {
    expect(ORG_REPOSITORIES_QUERY).toMatch(/\blatestRelease\s*\{/);
    expect(ORG_REPOSITORIES_QUERY).not.toMatch(/\breleases\s*\(/);
    const schema = githubGraphqlSchema();
    const document = parse(ORG_REPOSITORIES_QUERY);
    const cost = computeQueryCost(schema, document, { org: 'acme', first: 100 });
    expect(cost.errors).toEqual([]);
    // 1 request for the page + 100 each for topics and tags.
    expect(cost.connections.map((c) => [c.field, c.requests])).toEqual([
      ['repositories', 1],
      ['repositoryTopics', 100],
      ['refs', 100],
    ]);
    expect(cost.requests).toBe(201);
    expect(cost.cost).toBe(2);

    h = await harness([{ login: 'acme', repos: genericRepos(200) }]);
    const before = h.fake.pointsUsed;
    let after: string | null = null;
    for (let page = 0; page < 2; page++) {
      const result: GraphqlResult<OrgRepositoriesData> = await h.client.graphql(ORG_REPOSITORIES_QUERY, {
        org: 'acme',
        first: 100,
        after,
      });
      expect(result.errors).toEqual([]);
      expect(result.data!.rateLimit!.cost).toBe(2);
      const connection = result.data!.repositoryOwner!.repositories;
      expect(connection.nodes).toHaveLength(100);
      expect(connection.nodes!.every((n) => n!.latestRelease?.tagName === 'v1.0.0')).toBe(true);
      after = connection.pageInfo.endCursor;
    }
    expect(h.fake.pointsUsed - before).toBe(4); // 200 repositories → 2 points per 100
    expect(h.fake.requests.filter((r) => r.operation === 'OrgRepositories').map((r) => r.cost)).toEqual([
      2, 2,
    ]);
    expect(h.fake.invalidQueries).toEqual([]);
  });
});
