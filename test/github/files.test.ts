import { readRepositoryFile } from '../../src/github/files.js';
import { readCustomProperties } from '../../src/github/properties.js';
import { allLogText, genericRepos, harness, type Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.fake.close();
  h = null;
});

describe('readRepositoryFile', () => {
  it('reads text, and tells missing files and repositories from errors', async () => {
    h = await harness([
      {
        login: 'falcosecurity',
        repos: [
          {
            name: 'evolution',
            files: {
              'repositories.yaml': '- name: falco\n  status: Stable\n',
              'logo.png': { binary: true, byteSize: 10 },
              'big.yaml': { truncated: true, byteSize: 5_000_000 },
              'docs/a.md': 'a',
            },
          },
          { name: 'empty', defaultBranch: null },
        ],
      },
    ]);
    const read = (repo: string, path: string, ref?: string) =>
      readRepositoryFile(h!.client, 'falcosecurity', repo, path, ref);
    expect(await read('evolution', 'repositories.yaml')).toEqual({
      kind: 'text',
      text: '- name: falco\n  status: Stable\n',
    });
    expect(await read('evolution', '/repositories.yaml', 'main')).toEqual({
      kind: 'text',
      text: '- name: falco\n  status: Stable\n',
    });
    expect(await read('evolution', 'nope.yaml')).toEqual({ kind: 'missing' });
    expect(await read('no-such-repo', 'x')).toEqual({ kind: 'missing' });
    expect(await read('empty', 'x')).toEqual({ kind: 'missing' });
    expect(await read('evolution', 'logo.png')).toEqual({
      kind: 'error',
      message: expect.stringMatching(/binary/),
    });
    expect(await read('evolution', 'big.yaml')).toEqual({
      kind: 'error',
      message: expect.stringMatching(/too large/),
    });
    expect(await read('evolution', 'docs')).toEqual({
      kind: 'not-a-file',
      what: 'tree',
      message: expect.stringMatching(/is a directory, not a file/),
    });
    h.fake.faults.push({ match: { graphql: true }, times: 3, response: 500 });
    expect(await read('evolution', 'repositories.yaml')).toEqual({
      kind: 'error',
      message: expect.stringMatching(/HTTP 500/),
    });
    expect(h.fake.invalidQueries).toEqual([]);
  });
});

describe('readCustomProperties', () => {
  it('pages through every repository (100 per page)', async () => {
    const repos = genericRepos(230);
    repos[0].customProperties = { tier: 'official', teams: ['a', 'b'] };
    repos[229].customProperties = { tier: null };
    h = await harness([{ login: 'acme', repos }]);
    const result = await readCustomProperties(h.client, 'acme', h.log);
    if (!('values' in result)) throw new Error(result.warning);
    expect(result.values.size).toBe(230);
    expect(result.values.get('repo-000')).toEqual({ tier: 'official', teams: ['a', 'b'] });
    expect(result.values.get('repo-229')).toEqual({ tier: null });
    expect(result.values.get('repo-100')).toEqual({});
    const calls = h.fake.requests.filter((r) => r.path === '/orgs/acme/properties/values');
    expect(calls).toHaveLength(3);
  });

  it('warns (never throws) on 403 and for a user account', async () => {
    h = await harness([
      { login: 'acme', repos: genericRepos(1) },
      { login: 'someone', isUser: true, repos: genericRepos(1) },
    ]);
    h.fake.faults.push({ match: { path: /properties/ }, response: 403 });
    const forbidden = await readCustomProperties(h.client, 'acme', h.log);
    expect(forbidden).toEqual({ warning: expect.stringMatching(/`Custom properties: read`/) });
    const user = await readCustomProperties(h.client, 'someone', h.log);
    expect(user).toEqual({ warning: expect.stringMatching(/someone is not an organization/) });
    expect(allLogText(h.log)).not.toMatch(/ghp_/);
  });
});
