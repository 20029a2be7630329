import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { genericRepos, TOKEN } from './helpers.js';

let fake: FakeGitHub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const get = async (url: string) => {
  const response = await fetch(url, { headers: { authorization: `token ${TOKEN}` } });
  return {
    status: response.status,
    link: response.headers.get('link'),
    body: (await response.json()) as unknown,
  };
};

describe('fake GitHub REST routes', () => {
  it('serves repositories, contents and rate limits under both path styles', async () => {
    fake = await startFakeGitHub({ orgs: [{ login: 'acme', repos: genericRepos(150) }] });
    for (const base of [fake.url, fake.origin]) {
      const page1 = await get(`${base}/orgs/acme/repos?per_page=100`);
      expect((page1.body as unknown[]).length).toBe(100);
      expect(page1.link).toContain(`<${base}/orgs/acme/repos?per_page=100&page=2>; rel="next"`);
      const page2 = await get(`${base}/orgs/acme/repos?per_page=100&page=2`);
      expect((page2.body as { name: string }[]).map((r) => r.name)[49]).toBe('repo-149');
      expect(page2.link).not.toContain('rel="next"');
      const readme = await get(`${base}/repos/acme/repo-001/contents/README.md?ref=main`);
      const content = (readme.body as { content: string; encoding: string }).content;
      expect(Buffer.from(content, 'base64').toString()).toBe('# repo 1\n');
      expect((await get(`${base}/repos/acme/repo-001/contents/NOPE.md`)).status).toBe(404);
      expect((await get(`${base}/repos/acme/repo-001`)).body).toMatchObject({
        full_name: 'acme/repo-001',
        default_branch: 'main',
      });
      expect((await get(`${base}/rate_limit`)).body).toMatchObject({
        resources: { graphql: { limit: 5000 } },
      });
      expect((await get(`${base}/no/such/route`)).status).toBe(404);
    }
  });

  it('has no /rate_limit when rate limiting is disabled, and simulates latency', async () => {
    fake = await startFakeGitHub({
      orgs: [{ login: 'acme', repos: genericRepos(20) }],
      rateLimit: 'disabled',
      latency: { perRequestMs: 20, perNodeMs: 5 },
    });
    expect((await get(`${fake.url}/rate_limit`)).status).toBe(404);
    const started = Date.now();
    await get(`${fake.url}/orgs/acme/repos?per_page=20`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 5 * 20 - 5);
  });
});
