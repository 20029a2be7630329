import { parse } from 'graphql';
import { collectOrganization, NOT_EVALUATED_RATE_LIMIT, pagePoints } from '../../src/github/collect.js';
import { HOLD_PAGES } from '../../src/github/page-size.js';
import {
  ORG_OVERVIEW_QUERY,
  ORG_REPOSITORIES_QUERY,
  ORG_REPOSITORY_NAMES_QUERY,
  REPOSITORY_FILE_QUERY,
} from '../../src/github/queries.js';
import { computeQueryCost } from '../fake-github/cost.js';
import { githubGraphqlSchema } from '../fake-github/graphql.js';
import type { FakeRepo } from '../fake-github/model.js';
import { falcoRepo, loadFalcoJson } from './falco-fixture.js';
import { allLogText, genericRepos, harness, TOKEN, type Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.fake.close();
  h = null;
});

const pages = (x: Harness) => x.fake.requests.filter((r) => r.operation === 'OrgRepositories');

describe('queries', () => {
  it('every document validates against GitHub schema and the page costs 2 points per 100 repositories', () => {
    const schema = githubGraphqlSchema();
    for (const query of [
      ORG_OVERVIEW_QUERY,
      ORG_REPOSITORIES_QUERY,
      ORG_REPOSITORY_NAMES_QUERY,
      REPOSITORY_FILE_QUERY,
    ]) {
      expect(() => parse(query)).not.toThrow();
    }
    const page = computeQueryCost(schema, parse(ORG_REPOSITORIES_QUERY), { org: 'o', first: 100 });
    expect(page.errors).toEqual([]);
    // Releases come from `latestRelease` (a plain field): only topics and tags are nested connections.
    expect(page.connections.map((c) => c.field).sort()).toEqual(['refs', 'repositories', 'repositoryTopics']);
    expect(page.requests).toBe(201);
    expect(page.cost).toBe(2);
    expect(pagePoints(100)).toBe(page.cost);
    for (const size of [1, 10, 33, 49, 50, 74, 75, 99]) {
      expect(computeQueryCost(schema, parse(ORG_REPOSITORIES_QUERY), { org: 'o', first: size }).cost).toBe(
        pagePoints(size),
      );
    }
    expect(computeQueryCost(schema, parse(ORG_OVERVIEW_QUERY), { org: 'o', community: '.github' }).cost).toBe(
      1,
    );
  });
});

describe('collectOrganization', () => {
  it('reads 100 repositories in one request of 2 points, with no query GitHub would reject', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(100) }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(h.fake.invalidQueries).toEqual([]);
    expect(result.snapshots).toHaveLength(100);
    expect(pages(h)).toHaveLength(1);
    expect(pages(h)[0].cost).toBe(2);
    expect(result.cost.points).toBe(3); // overview (1) + page (2)
    expect(result.cost.requests).toBe(2);
    expect(result.complete).toBe(true);
    expect(result.visibleRepositories).toBe(100);
    expect(result.rateLimit?.remaining).toBe(5000 - 3);
    expect(allLogText(h.log)).toMatch(/page 1: 100 repositories, cost 2 point/);
  });

  it('reads the primary language and the visibility (selector facts) at the same 2 points per page', async () => {
    const repos: FakeRepo[] = [
      { name: 'go-lib', primaryLanguage: 'Go' },
      { name: 'private-one', isPrivate: true },
      { name: 'inner', isPrivate: true, visibility: 'INTERNAL', primaryLanguage: 'C++' },
    ];
    h = await harness([{ login: 'acme', repos }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(h.fake.invalidQueries).toEqual([]);
    const facts = Object.fromEntries(
      result.snapshots.map((s) => [s.name, [s.primaryLanguage, s.visibility]]),
    );
    expect(facts).toEqual({
      'go-lib': ['Go', 'public'],
      'private-one': [null, 'private'],
      inner: ['C++', 'internal'],
    });
    expect(pages(h)[0].cost).toBe(2);
  });

  it('pages with real cursors across several pages, without duplicates', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(250) }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(pages(h)).toHaveLength(3);
    const names = result.snapshots.map((s) => s.name);
    expect(new Set(names).size).toBe(250);
    expect(names[0]).toBe('repo-000');
    expect(names[249]).toBe('repo-249');
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('maps real falcosecurity repositories faithfully', async () => {
    const repos = ['falcoctl', 'falcosidekick', 'elftoolchain', 'falco-playground'].map(falcoRepo);
    h = await harness([{ login: 'falcosecurity', repos }]);
    const result = await collectOrganization(h.client, { org: 'falcosecurity', log: h.log });
    const byName = new Map(result.snapshots.map((s) => [s.name, s]));
    const falcoctl = byName.get('falcoctl')!;
    const data = loadFalcoJson('falcoctl');
    expect(falcoctl.nameWithOwner).toBe('falcosecurity/falcoctl');
    expect(falcoctl.owner).toBe('falcosecurity');
    expect(falcoctl.url).toBe('https://github.com/falcosecurity/falcoctl');
    expect(falcoctl.defaultBranch).toBe('main');
    expect(falcoctl.lastCommitDate).toBe(data.newest_commit_date);
    expect(falcoctl.files.OWNERS).toEqual({
      kind: 'text',
      text: data.owners_files[0].text,
      byteSize: Buffer.byteLength(data.owners_files[0].text),
    });
    expect(falcoctl.files['README.md']).toMatchObject({ kind: 'text', text: data.readme_head });
    expect(falcoctl.rootEntries!.map((e) => (e.type === 'tree' ? `${e.name}/` : e.name)).sort()).toEqual(
      [...data.root_paths].sort(),
    );
    expect(falcoctl.githubEntries!.map((e) => e.path)).toContain('.github/PULL_REQUEST_TEMPLATE.md');
    expect(falcoctl.githubEntries!.find((e) => e.name === 'workflows')?.type).toBe('tree');
    expect(falcoctl.docsEntries).toBeNull();
    const workflowPaths = Object.keys(falcoctl.files).filter((p) => p.startsWith('.github/workflows/'));
    expect(workflowPaths.sort()).toEqual(data.workflows.map((w) => w.path).sort());
    expect(falcoctl.files['.github/workflows/release.yaml']?.kind).toBe('text');
    expect(falcoctl.tags).toHaveLength(20);
    expect(falcoctl.tagsTruncated).toBe(false);
    expect(falcoctl.tags[0]).toEqual({
      name: 'v0.13.0',
      date: new Date(data.tags_recent[0].commit_date).toISOString(),
    });
    expect(falcoctl.problems).toEqual([]);
    expect(falcoctl.license).toEqual({ spdxId: 'Apache-2.0', name: 'Apache License 2.0' });

    // Annotated tags carry the tagger date.
    const sidekick = byName.get('falcosidekick')!;
    const annotated = loadFalcoJson('falcosidekick').tags_recent.find((t) => t.annotated)!;
    expect(sidekick.tags.find((t) => t.name === annotated.name)?.date).toBe(
      new Date(annotated.creatordate).toISOString(),
    );
    expect(sidekick.docsEntries?.length).toBeGreaterThan(0);

    expect(byName.get('elftoolchain')!.files['README.rst']?.kind).toBe('text');
    expect(byName.get('elftoolchain')!.files['README.md']).toBeUndefined();
    expect(byName.get('falco-playground')!.files['readme.md']?.kind).toBe('text');
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('maps the edge cases: empty repo, binary/truncated workflow, missing README, unusual README name, links', async () => {
    const repos: FakeRepo[] = [
      { name: 'empty', defaultBranch: null, files: {} },
      {
        name: 'odd',
        defaultBranch: 'master',
        license: { spdxId: 'NOASSERTION', name: 'Other' },
        topics: ['tier-official', 'ebpf'],
        files: {
          'README.markdown': '# odd readme\n',
          '.github/workflows/bin.yml': { binary: true, byteSize: 2048 },
          '.github/workflows/huge.yaml': { truncated: true, byteSize: 2_000_000, text: 'on: push' },
          '.github/workflows/notes.txt': 'not a workflow',
          'docs/index.md': '# docs',
        },
        symlinks: { 'CONTRIBUTING.md': 'docs/index.md' },
        submodules: ['vendor/lib'],
        releases: [
          { tagName: 'v2.0.0-rc1', publishedAt: '2026-02-01T00:00:00Z', isPrerelease: true },
          { tagName: 'v3.0.0', publishedAt: null, isDraft: true, createdAt: '2026-03-01T00:00:00Z' },
          { tagName: 'v1.0.0', publishedAt: '2025-01-01T00:00:00Z' },
        ],
        tags: Array.from({ length: 25 }, (_, i) => ({
          name: `v0.${i}.0`,
          date: `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
        })),
      },
      { name: 'no-readme', files: { 'main.go': 'package main' } },
      {
        name: 'pre-only',
        files: { 'README.md': '# pre' },
        releases: [
          { tagName: 'v0.1.0-beta.1', publishedAt: '2026-01-01T00:00:00Z', isPrerelease: true },
          { tagName: 'v0.1.0', publishedAt: null, isDraft: true, createdAt: '2026-02-01T00:00:00Z' },
        ],
      },
    ];
    h = await harness([{ login: 'acme', repos }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    const byName = new Map(result.snapshots.map((s) => [s.name, s]));

    const empty = byName.get('empty')!;
    expect(empty).toMatchObject({
      empty: true,
      defaultBranch: null,
      rootEntries: null,
      lastCommitDate: null,
      githubEntries: null,
    });
    expect(empty.files).toEqual({});
    expect(empty.problems).toEqual([]);

    const odd = byName.get('odd')!;
    expect(odd.defaultBranch).toBe('master');
    expect(odd.files['.github/workflows/bin.yml']).toEqual({ kind: 'binary', byteSize: 2048 });
    expect(odd.files['.github/workflows/huge.yaml']).toEqual({ kind: 'truncated', byteSize: 2_000_000 });
    expect(odd.files['.github/workflows/notes.txt']).toBeUndefined();
    expect(odd.files['README.markdown']).toEqual({ kind: 'text', text: '# odd readme\n', byteSize: 13 });
    expect(odd.rootEntries!.find((e) => e.name === 'CONTRIBUTING.md')?.type).toBe('symlink');
    expect(odd.rootEntries!.find((e) => e.name === 'vendor')?.type).toBe('tree');
    expect(odd.docsEntries).toEqual([{ name: 'index.md', path: 'docs/index.md', type: 'blob' }]);
    expect(odd.topics).toEqual(['tier-official', 'ebpf']);
    expect(odd.license).toEqual({ spdxId: 'NOASSERTION', name: 'Other' });
    // Only GitHub's "Latest" release is read: the newer draft and pre-release are not it (the tags cover them).
    expect(odd.releases).toEqual([
      {
        tagName: 'v1.0.0',
        name: null,
        publishedAt: '2025-01-01T00:00:00Z',
        createdAt: '2025-01-01T00:00:00Z',
        isPrerelease: false,
        isDraft: false,
        url: 'https://github.com/acme/odd/releases/tag/v1.0.0',
      },
    ]);
    expect(odd.tags).toHaveLength(20);
    expect(odd.tags[0].name).toBe('v0.24.0');
    expect(odd.tagsTruncated).toBe(true);
    expect(odd.releasesTruncated).toBe(false);

    const noReadme = byName.get('no-readme')!;
    expect(Object.keys(noReadme.files)).toEqual([]);
    expect(noReadme.releases).toEqual([]);
    expect(noReadme.releasesTruncated).toBe(false);
    // Only a pre-release and a draft: no "Latest" release at all.
    expect(byName.get('pre-only')!.releases).toEqual([]);
    expect(noReadme.githubEntries).toBeNull();
    // One follow-up for the unusual README name, none for the others.
    expect(h.fake.requests.filter((r) => r.operation === 'RepositoryFile')).toHaveLength(1);
    expect(h.fake.invalidQueries).toEqual([]);
  });

  it('collects the community files of the org .github repository: none when it does not exist or is private, unknown when unreadable', async () => {
    const community: FakeRepo = {
      name: '.github',
      files: {
        'SECURITY.md': 's',
        'profile/README.md': 'p',
        '.github/CONTRIBUTING.md': 'c',
        'docs/CODE_OF_CONDUCT.md': 'c',
        '.github/ISSUE_TEMPLATE/bug.md': 'b',
        Makefile: '',
      },
    };
    h = await harness([{ login: 'acme', repos: [community, ...genericRepos(2)] }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.org).toEqual({
      login: 'acme',
      webUrl: 'https://github.com',
      communityRepository: '.github',
      communityFiles: [
        'SECURITY.md',
        '.github/CONTRIBUTING.md',
        '.github/ISSUE_TEMPLATE',
        'docs/CODE_OF_CONDUCT.md',
      ],
    });
    await h.fake.close();
    h = await harness([{ login: 'acme', repos: genericRepos(2) }]);
    const without = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(without.org.communityFiles).toEqual([]);
    expect(without.errors).toEqual([]);
    await h.fake.close();
    // GitHub only uses a public community repository's files as defaults.
    h = await harness([{ login: 'acme', repos: [{ ...community, isPrivate: true }, ...genericRepos(2)] }]);
    const hidden = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(hidden.org.communityFiles).toEqual([]);
    await h.fake.close();
    // Protected by SAML: could not be read, so unknown (null), and said so.
    h = await harness([
      { login: 'acme', repos: [{ ...community, access: 'forbidden' }, ...genericRepos(2)] },
    ]);
    const unreadable = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(unreadable.org.communityFiles).toBeNull();
    expect(
      h.log.lines.some((line) => line.level === 'warning' && /\.github could not be read/.test(line.message)),
    ).toBe(true);
  });

  it('retries a 502 and a network reset, then succeeds', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(5) }]);
    h.fake.faults.push({ match: { operation: 'OrgOverview' }, response: 502 });
    h.fake.faults.push({ match: { operation: 'OrgOverview' }, response: 'reset' });
    h.fake.faults.push({ match: { operation: 'OrgRepositories' }, response: 'reset' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(5);
    expect(h.fake.faults.pending).toBe(0);
    // The overview is retried by the client (with backoff); a failing page is split and asked again.
    expect(h.fake.requests.map((r) => [r.operation, r.status])).toEqual([
      ['OrgOverview', 502],
      ['OrgOverview', -1],
      ['OrgOverview', 200],
      ['OrgRepositories', -1],
      ['OrgRepositories', 200],
    ]);
    expect(result.cost.requests).toBe(5);
    expect(h.sleeps).toHaveLength(2);
    expect(allLogText(h.log)).toMatch(/page 1 failed .*retrying with 50 repositories per page/);
    expect(result.complete).toBe(true);
  });

  it('halves the page on timeouts and keeps the smaller size for a while before growing again', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(1000) }]);
    h.fake.faults.push({ match: { graphql: true }, times: 2, response: 'timeout-if-nodes-over:30' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(1000);
    expect(new Set(result.snapshots.map((s) => s.name)).size).toBe(1000);
    const text = allLogText(h.log);
    expect(text).toMatch(/retrying with 50 repositories per page/);
    expect(text).toMatch(/retrying with 25 repositories per page/);
    const sizes = [...text.matchAll(/page \d+: (\d+) repositories/g)].map((m) => Number(m[1]));
    // 25 for 2 × HOLD_PAGES more pages (the second failure doubled the hold), then 50, then 100: never a
    // timeout on every other request.
    expect(sizes.slice(0, 2 * HOLD_PAGES + 1)).toEqual(Array(2 * HOLD_PAGES + 1).fill(25));
    expect(sizes[2 * HOLD_PAGES + 1]).toBe(50);
    expect(sizes).toContain(100);
    expect(h.fake.requests.filter((r) => r.status === 502)).toHaveLength(2);
    expect(result.complete).toBe(true);
  });

  it('marks a single repository that keeps failing unreadable and goes on', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(3) }]);
    // pageSize 1: the first repository fails its attempt and both retries.
    h.fake.faults.push({ match: { operation: 'OrgRepositories' }, times: 3, response: 502 });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log, pageSize: 1 });
    expect(result.unreadable).toEqual([
      expect.objectContaining({
        name: 'repo-000',
        nameWithOwner: 'acme/repo-000',
        archived: false,
        reason: expect.stringMatching(/502/),
      }),
    ]);
    expect(result.snapshots.map((s) => s.name)).toEqual(['repo-001', 'repo-002']);
  });

  it('waits for a secondary rate limit as retry-after says', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(3) }], {}, { maxWaitForResetMs: 60_000 });
    h.fake.faults.push({
      match: { operation: 'OrgRepositories' },
      response: {
        status: 403,
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit' },
      },
    });
    const started = Date.now();
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(result.snapshots).toHaveLength(3);
    expect(allLogText(h.log)).toMatch(/secondary rate limit.*retrying after 1 s/);
  });

  it('waits for the reset on RATE_LIMITED at HTTP 200 when allowed', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(3) }], {}, { maxWaitForResetMs: 120_000 });
    h.fake.rateLimit!.resetAt = Date.now() + 30_000;
    h.fake.faults.push({ match: { operation: 'OrgRepositories' }, response: 'rate-limited-200' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(3);
    expect(result.unreadable).toEqual([]);
    expect(Math.max(...h.sleeps)).toBeGreaterThan(25_000);
    expect(allLogText(h.log)).toMatch(/waiting \d+ s for the rate limit to reset/);
  });

  it('marks every remaining repository not evaluated when the reset is too far away', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(150) }]);
    h.fake.faults.push({ match: { operation: 'OrgRepositories' }, times: 5, response: 'rate-limited-200' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(0);
    expect(result.unreadable).toHaveLength(150);
    expect(result.unreadable.every((u) => u.reason === NOT_EVALUATED_RATE_LIMIT)).toBe(true);
    expect(result.complete).toBe(false);
    expect(result.errors[0].message).toMatch(/150 repositories were not evaluated/);
  });

  it('spends only the budget it has and lists the rest as not evaluated', async () => {
    const resetAt = new Date(Date.now() + 3_600_000).toISOString();
    h = await harness([{ login: 'acme', repos: genericRepos(250) }], {
      rateLimit: { limit: 5000, remaining: 7, resetAt },
    });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    // overview 1 point → 6 left, reserve 5 → 1 point → one page of 74 repositories (round(149/100) = 1).
    expect(pagePoints(74)).toBe(1);
    expect(pagePoints(75)).toBe(2);
    expect(result.snapshots).toHaveLength(74);
    expect(result.unreadable).toHaveLength(176);
    expect(
      new Set([...result.snapshots.map((s) => s.name), ...result.unreadable.map((u) => u.name)]).size,
    ).toBe(250);
    expect(result.unreadable.every((u) => u.reason === NOT_EVALUATED_RATE_LIMIT)).toBe(true);
    expect(h.fake.requests.filter((r) => r.status === 200 && r.cost === null && r.operation)).toEqual([]);
    expect(result.rateLimit).toEqual({ remaining: 5, resetAt: expect.any(String) });
    expect(result.complete).toBe(false);
    expect(allLogText(h.log)).toMatch(/GraphQL budget: about 6 points needed for 250 repositories, 1 left/);
  });

  it('survives a rate limit on the README follow-up: that README is a problem, the run is incomplete', async () => {
    const repos = genericRepos(3);
    repos[1].files = { 'README.markdown': '# unusual name\n', OWNERS: 'approvers:\n  - alice\n' };
    h = await harness([{ login: 'acme', repos }]);
    h.fake.faults.push({ match: { operation: 'RepositoryFile' }, response: 'rate-limited-200' });
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots.map((s) => s.name)).toEqual(['repo-000', 'repo-001', 'repo-002']);
    const odd = result.snapshots[1];
    expect(odd.files['README.markdown']).toBeUndefined();
    expect(odd.problems).toEqual([
      { part: 'readme', message: expect.stringMatching(/README\.markdown could not be read: .*rate limit/) },
    ]);
    expect(result.complete).toBe(false);
  });

  it('keeps the partial result when one repository is SAML-protected', async () => {
    const repos = genericRepos(4);
    repos[2].access = 'forbidden';
    h = await harness([{ login: 'acme', repos }]);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots.map((s) => s.name)).toEqual(['repo-000', 'repo-001', 'repo-003']);
    expect(result.unreadable).toEqual([
      {
        name: 'repo-002',
        nameWithOwner: 'acme/repo-002',
        url: 'https://github.com/acme/repo-002',
        archived: false,
        reason: expect.stringMatching(/SAML enforcement/),
      },
    ]);
    expect(result.complete).toBe(true);
  });

  it('survives repositories deleted and renamed between pages', async () => {
    const repos = genericRepos(6);
    const org = { login: 'acme', repos };
    h = await harness([org]);
    const base = h.client;
    let calls = 0;
    const client = {
      ...base,
      graphql: async <T>(document: string, variables?: Record<string, unknown>) => {
        const result = await base.graphql<T>(document, variables);
        if (document.includes('query OrgRepositories(') && ++calls === 1) {
          repos[0].name = 'renamed-after-read'; // already read
          org.repos = repos.filter((r) => r.name !== 'repo-001' && r.name !== 'repo-003'); // one read, one not yet
        }
        return result;
      },
    };
    const result = await collectOrganization(client, { org: 'acme', log: h.log, pageSize: 2 });
    const names = result.snapshots.map((s) => s.name);
    expect(names).toEqual(['repo-000', 'repo-001', 'repo-002', 'repo-004', 'repo-005']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('works against GHES paths with rate limiting disabled', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(3) }], { rateLimit: 'disabled' });
    expect(h.client.graphqlUrl).toBe(h.fake.origin + '/api/graphql');
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(3);
    expect(result.cost.points).toBeNull();
    expect(result.rateLimit).toBeNull();
    expect(result.complete).toBe(true);
    expect(h.fake.requests.every((r) => r.ghes)).toBe(true);
  });

  it('works against github.com-style paths', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(2) }], { ghesPrefix: false });
    expect(h.fake.url).toBe(h.fake.origin);
    const result = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(result.snapshots).toHaveLength(2);
    expect(h.fake.requests.some((r) => r.ghes)).toBe(false);
  });

  it('explains 401 and 403 without ever printing the token', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(1) }]);
    h.fake.faults.push({ match: { graphql: true }, response: 401 });
    const unauthorized = await collectOrganization(h.client, { org: 'acme', log: h.log }).catch(
      (e: Error) => e,
    );
    expect(unauthorized).toBeInstanceOf(Error);
    expect((unauthorized as Error).message).toMatch(/401.*token/);
    h.fake.faults.push({
      match: { graphql: true },
      response: { status: 403, body: { message: `Resource not accessible by integration ${TOKEN}` } },
    });
    const forbidden = await collectOrganization(h.client, { org: 'acme', log: h.log }).catch((e: Error) => e);
    expect((forbidden as Error).message).toMatch(
      /cannot read repositories of acme: grant `Metadata: read` and `Contents: read`/,
    );
    for (const text of [
      (unauthorized as Error).message,
      (forbidden as Error).message,
      allLogText(h.log),
      JSON.stringify(forbidden),
    ]) {
      expect(text).not.toContain(TOKEN);
    }
  });

  it('says when the organization does not exist', async () => {
    h = await harness([{ login: 'acme', repos: [] }]);
    await expect(collectOrganization(h.client, { org: 'nope', log: h.log })).rejects.toThrow(
      /organization nope was not found/,
    );
    const empty = await collectOrganization(h.client, { org: 'acme', log: h.log });
    expect(empty).toMatchObject({ snapshots: [], unreadable: [], visibleRepositories: 0, complete: true });
  });
});
