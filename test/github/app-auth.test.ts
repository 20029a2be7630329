/** GitHub App credentials: the installation on the organization is found and its tokens used for every request. */
import { generateKeyPairSync } from 'node:crypto';
import { appTokenSource } from '../../src/github/app-auth.js';
import { createGitHubClient } from '../../src/github/client.js';
import { collectOrganization } from '../../src/github/collect.js';
import { memoryLogger } from '../../src/log.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { genericRepos } from './helpers.js';

const { privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

let fake: FakeGitHub;
afterEach(() => fake?.close());

describe('GitHub App installation tokens', () => {
  it('finds the installation, mints a token and uses it for GraphQL and REST; never logs it', async () => {
    fake = await startFakeGitHub({
      orgs: [{ login: 'acme', repos: genericRepos(3) }],
      app: { installationId: 42, installedOn: ['acme'], tokenLifetimeMs: 3_600_000 },
    });
    const source = await appTokenSource({ appId: '12345', privateKey }, 'acme', fake.url);
    const first = await source();
    expect(first).toMatch(/^ghs_fakeInstallationToken/);
    const log = memoryLogger();
    const client = createGitHubClient({
      token: first,
      tokenSource: source,
      apiUrl: fake.url,
      log,
      minRetryDelayMs: 1,
    });
    const result = await collectOrganization(client, { org: 'acme', log });
    expect(result.snapshots).toHaveLength(3);
    await client.rest.request('GET /orgs/{org}/properties/values', { org: 'acme' });
    const used = fake.requests.filter((r) => r.path === '/graphql' || r.path.includes('properties'));
    expect(used.length).toBeGreaterThan(1);
    expect(used.every((r) => r.auth === `token …${first.slice(-8)}`)).toBe(true);
    expect(fake.app?.minted).toEqual([first]); // cached: minted again only before it expires
    expect(log.lines.map((l) => l.message).join('\n')).not.toContain(first);
  });

  it('says when the App is not installed on the organization, or its credentials are rejected', async () => {
    fake = await startFakeGitHub({
      orgs: [
        { login: 'acme', repos: [] },
        { login: 'other', repos: [] },
      ],
      app: { installationId: 42, installedOn: ['acme'], tokenLifetimeMs: 3_600_000 },
    });
    await expect(appTokenSource({ appId: '12345', privateKey }, 'other', fake.url)).rejects.toThrow(
      /the App 12345 is not installed on other/,
    );
    await expect(
      appTokenSource({ appId: '12345', privateKey: 'not a key' }, 'acme', fake.url),
    ).rejects.toThrow(/app-private-key|credentials|cannot be used/);
  });
});
