/**
 * The folders below the root for `owners-tree`, listed by the heavy page itself when the policy asks
 * (`$nestedOwners`): the same OWNERS paths the separate `OwnersTrees` listing finds, at no point, and no
 * git object read on GitHub's side when not asked.
 */
import { mapRepository } from '../../src/github/map.js';
import {
  OWNERS_TREE_DEPTH,
  TREES_PER_REQUEST,
  nestedOwnersPaths,
  ownersTreesQuery,
} from '../../src/github/owners-tree.js';
import {
  ORG_REPOSITORIES_QUERY,
  type NestedEntryFields,
  type OrgRepositoriesData,
  type RepositoryFields,
} from '../../src/github/queries.js';
import { runGraphql } from '../fake-github/graphql.js';
import { loadFalcosecurityOrg } from '../fixtures/org-loader.js';
import { harness, type Harness } from './helpers.js';

describe('nested OWNERS listed by the page', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.fake.close();
    h = undefined;
  });

  async function page(fake: Harness, nestedOwners: boolean) {
    const result = await fake.client.graphql<OrgRepositoriesData>(ORG_REPOSITORIES_QUERY, {
      org: 'falcosecurity',
      first: 100,
      after: null,
      nestedOwners,
    });
    expect(result.errors).toEqual([]);
    return (result.data?.repositoryOwner?.repositories.nodes ?? []).filter(
      (n): n is RepositoryFields => n !== null,
    );
  }

  it('lists the same OWNERS paths as OwnersTrees when asked, nothing when not, for the same points', async () => {
    const fake = (h = await harness([loadFalcosecurityOrg()]));
    const without = await page(fake, false);
    expect(without.map((n) => mapRepository(n).nestedOwners)).toEqual(without.map(() => undefined));
    const nodes = await page(fake, true);
    const mapped = new Map(nodes.map((n) => [n.name, mapRepository(n)]));

    const expected = new Map<string, string[]>();
    const readable = nodes.filter((n) => !n.isEmpty && n.defaultBranchRef);
    for (let at = 0; at < readable.length; at += TREES_PER_REQUEST) {
      const batch = readable.slice(at, at + TREES_PER_REQUEST);
      const variables: Record<string, unknown> = { owner: 'falcosecurity' };
      batch.forEach((n, i) => (variables[`n${i}`] = n.name));
      const trees = await fake.client.graphql<
        Record<string, { object: { entries?: NestedEntryFields[] | null } | null } | null>
      >(ownersTreesQuery(batch.length), variables);
      batch.forEach((n, i) =>
        expected.set(n.name, nestedOwnersPaths(trees.data?.[`r${i}`]?.object?.entries)),
      );
    }
    for (const [name, paths] of expected)
      expect([name, mapped.get(name)?.nestedOwners]).toEqual([name, { paths, depth: OWNERS_TREE_DEPTH }]);
    // The sample's real subfolder OWNERS (NOTES.md) are found.
    expect(mapped.get('plugins')?.nestedOwners?.paths).toContain('plugins/krsi/OWNERS');
    expect(mapped.get('falco')?.nestedOwners?.paths).toContain('userspace/engine/OWNERS');
    expect(fake.fake.invalidQueries).toEqual([]);
    const pages = fake.fake.requests.filter((r) => r.operation === 'OrgRepositories').map((r) => r.cost);
    expect(pages[0]).toBe(pages[1]);
  });

  it('reads no folder object on the server unless asked: the page of other policies is unchanged', async () => {
    const orgs = [loadFalcosecurityOrg()];
    const objects = async (query: string, variables: Record<string, unknown>) =>
      (
        await runGraphql(
          { query, variables: { org: 'falcosecurity', first: 100, after: null, ...variables } },
          { orgs, rateLimit: null, webUrl: 'http://fake', now: Date.now() },
        )
      ).objectsResolved;
    // The page query as it was before it could list the folders.
    const before = ORG_REPOSITORIES_QUERY.replace(', $nestedOwners: Boolean = false', '')
      .replace('    ...NestedOwnersFields\n', '')
      .replace(/\nfragment NestedOwnersFields on Tree \{[\s\S]*?\n\}\n/, '\n');
    expect(before).not.toMatch(/nestedOwners/i);
    const unchanged = await objects(before, {});
    expect(unchanged).toBeGreaterThan(100);
    expect(await objects(ORG_REPOSITORIES_QUERY, {})).toBe(unchanged);
    expect(await objects(ORG_REPOSITORIES_QUERY, { nestedOwners: false })).toBe(unchanged);
    expect(await objects(ORG_REPOSITORIES_QUERY, { nestedOwners: true })).toBeGreaterThan(unchanged);
  });

  it('leaves a folder listing that failed to the OwnersTrees reads, without a problem for the root', () => {
    const node = {
      id: 'R_1',
      name: 'r',
      nameWithOwner: 'o/r',
      url: 'https://github.com/o/r',
      description: null,
      isArchived: false,
      isFork: false,
      isPrivate: false,
      isTemplate: false,
      isEmpty: false,
      pushedAt: null,
      defaultBranchRef: { name: 'main', target: { oid: 'abc', committedDate: '2026-01-01T00:00:00Z' } },
      root: {
        entries: [
          { name: 'OWNERS', path: 'OWNERS', type: 'blob', mode: 0o100644, object: {} },
          { name: 'pkg', path: 'pkg', type: 'tree', mode: 0o40000, object: null },
        ],
      },
      owners: null,
      ownersAliases: null,
      dotGithub: null,
      workflows: null,
      docs: null,
      repositoryTopics: null,
      licenseInfo: null,
      latestRelease: null,
      tags: null,
    } as RepositoryFields;
    const failed = mapRepository(node, [{ message: 'timeout', path: ['root', 'entries', 1, 'object'] }]);
    expect(failed.nestedOwners).toBeUndefined();
    expect(failed.problems).toEqual([]);
    expect(failed.rootEntries?.map((e) => e.name)).toEqual(['OWNERS', 'pkg']);
    expect(mapRepository(node).nestedOwners).toEqual({ paths: [], depth: OWNERS_TREE_DEPTH });
  });
});
