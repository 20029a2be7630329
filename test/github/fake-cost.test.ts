import { parse } from 'graphql';
import { computeQueryCost } from '../fake-github/cost.js';
import { githubGraphqlSchema } from '../fake-github/graphql.js';
import { genericRepos, harness, type Harness } from './helpers.js';

const schema = githubGraphqlSchema();
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  computeQueryCost(schema, parse(query), variables);

describe('GitHub cost algorithm (fake)', () => {
  it('follows the published example', () => {
    // docs.github.com example: 100 repositories × 50 issues × 60 labels → 1 + 100 + 5,000 requests = 51 points.
    const result = cost(`query { viewer { login repositories(first: 100) { edges { node { id
      issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }`);
    expect(result.requests).toBe(5101);
    expect(result.cost).toBe(51);
    expect(result.nodes).toBe(100 + 5000 + 300000);
    expect(result.errors).toEqual([]);
  });

  it('counts variables, fragments and aliases; tree entries are not connections', () => {
    const result = cost(
      `query Q($n: Int!) { a: repository(owner: "o", name: "n") { ...F } b: repository(owner: "o", name: "m") { ...F } }
       fragment F on Repository { object(expression: "HEAD:") { ... on Tree { entries { name } } } releases(first: $n) { totalCount } }`,
      { n: 10 },
    );
    expect(result.connections.map((c) => c.path)).toEqual(['a.releases', 'b.releases']);
    expect(result.cost).toBe(1);
  });

  it('refuses missing or excessive pagination and more than 500,000 nodes', () => {
    expect(cost('query { viewer { repositories { totalCount } } }').errors[0].type).toBe(
      'MISSING_PAGINATION_BOUNDARIES',
    );
    expect(cost('query { viewer { repositories(first: 101) { totalCount } } }').errors[0].message).toMatch(
      /exceeds the `first` limit of 100 records/,
    );
    const big = cost(`query { viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes {
      labels(first: 100) { totalCount } } } } } } }`);
    expect(big.errors.map((e) => e.type)).toEqual(['MAX_NODE_LIMIT_EXCEEDED']);
  });
});

describe('fake GraphQL endpoint', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(3) }]);
  });
  afterAll(() => h.fake.close());

  it('records rejected documents and charges only valid ones', async () => {
    const before = h.fake.pointsUsed;
    const bad = await h.client.graphql('query NoFirst { viewer { repositories { totalCount } } }');
    expect(bad.errors[0].type).toBe('MISSING_PAGINATION_BOUNDARIES');
    const typo = await h.client.graphql('query Typo { repositry(owner: "acme", name: "x") { name } }');
    expect(typo.errors[0].message).toMatch(/repositry/);
    expect(h.fake.invalidQueries.map((q) => q.operationName)).toEqual(['NoFirst', 'Typo']);
    expect(h.fake.pointsUsed).toBe(before);
    const ok = await h.client.graphql<{ repositoryOwner: { repositories: { totalCount: number } } }>(
      'query Ok { repositoryOwner(login: "acme") { repositories(first: 1) { totalCount } } }',
    );
    expect(ok.data?.repositoryOwner.repositories.totalCount).toBe(3);
    expect(h.fake.pointsUsed).toBe(before + 1);
  });

  it('answers MAX_NODE_LIMIT_EXCEEDED like GitHub', async () => {
    const result = await h.client
      .graphql(`query Big { repositoryOwner(login: "acme") { repositories(first: 100) { nodes {
      releases(first: 100) { nodes { tagName } } refs(refPrefix: "refs/tags/", first: 100) { nodes { name } }
      repositoryTopics(first: 100) { nodes { topic { name } } } issues(first: 100) { nodes { labels(first: 100) { totalCount } } } } } } }`);
    expect(result.data).toBeNull();
    expect(result.errors[0].type).toBe('MAX_NODE_LIMIT_EXCEEDED');
  });
});
