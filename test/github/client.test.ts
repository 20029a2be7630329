import {
  GitHubApiError,
  RateLimitExhaustedError,
  createGitHubClient,
  graphqlUrlFor,
  redact,
} from '../../src/github/client.js';
import { memoryLogger } from '../../src/log.js';
import { allLogText, genericRepos, harness, TOKEN, type Harness } from './helpers.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.fake.close();
  h = null;
});

const RATE = 'query Rate { rateLimit { cost remaining resetAt } }';

describe('graphqlUrlFor', () => {
  it('maps GHES and github.com REST bases to their GraphQL endpoints', () => {
    expect(graphqlUrlFor('https://api.github.com')).toBe('https://api.github.com/graphql');
    expect(graphqlUrlFor('https://ghe.example.com/api/v3')).toBe('https://ghe.example.com/api/graphql');
    expect(graphqlUrlFor('https://ghe.example.com/api/v3/')).toBe('https://ghe.example.com/api/graphql');
  });

  it('redacts the token and token-looking strings', () => {
    expect(redact(`bad ${TOKEN} here`, TOKEN)).toBe('bad *** here');
    expect(redact('leaked ghs_abcdefghijklmnopqrstuvwxyz012345')).toBe('leaked ***');
  });
});

describe('createGitHubClient', () => {
  it('retries 5xx with growing backoff, then gives up with a typed error', async () => {
    h = await harness([{ login: 'acme', repos: [] }]);
    h.fake.faults.push({ match: { graphql: true }, times: 2, response: 503 });
    const ok = await h.client.graphql<{ rateLimit: { cost: number } }>(RATE);
    expect(ok.data?.rateLimit.cost).toBe(1);
    expect(h.sleeps).toHaveLength(2);
    expect(h.sleeps[1]).toBeGreaterThanOrEqual(h.sleeps[0]);
    h.fake.faults.push({ match: { graphql: true }, times: 3, response: 502 });
    const failure = await h.client.graphql(RATE).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(GitHubApiError);
    expect(failure).toMatchObject({ status: 502, kind: 'server' });
    expect(h.client.stats.graphqlRequests).toBe(6);
  });

  it.each([true, false])('retries a reset connection (GHES paths: %s)', async (ghesPrefix) => {
    h = await harness([{ login: 'acme', repos: [] }], { ghesPrefix });
    h.fake.faults.push({ match: { graphql: true }, response: 'reset' });
    const ok = await h.client.graphql<{ rateLimit: { cost: number } }>(RATE);
    expect(ok.data?.rateLimit.cost).toBe(1);
    expect(h.fake.requests.map((r) => r.status)).toEqual([-1, 200]);
  });

  it('returns partial data together with the errors', async () => {
    const repos = genericRepos(2);
    repos[1].access = 'forbidden';
    h = await harness([{ login: 'acme', repos }]);
    const result = await h.client.graphql<{ a: { name: string } | null; b: { name: string } | null }>(
      `query Two { a: repository(owner: "acme", name: "repo-000") { name } b: repository(owner: "acme", name: "repo-001") { name } }`,
    );
    expect(result.data).toEqual({ a: { name: 'repo-000' }, b: null });
    expect(result.errors).toEqual([
      expect.objectContaining({ type: 'FORBIDDEN', path: ['b'], extensions: { saml_failure: true } }),
    ]);
  });

  it.each([true, false])(
    'turns RATE_LIMITED at HTTP 200 into RateLimitExhaustedError when the reset is too far (GHES paths: %s)',
    async (ghesPrefix) => {
      h = await harness([{ login: 'acme', repos: [] }], { ghesPrefix });
      h.fake.faults.push({ match: { graphql: true }, response: 'rate-limited-200' });
      const error = await h.client.graphql(RATE).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitExhaustedError);
      expect((error as RateLimitExhaustedError).resetAt).toBe(
        new Date(Math.ceil(h.fake.rateLimit!.resetAt / 1000) * 1000).toISOString(),
      );
    },
  );

  it('answers RATE_LIMITED from the real budget too, and waits when the reset is near', async () => {
    const resetAt = new Date(Date.now() + 20_000).toISOString();
    h = await harness(
      [{ login: 'acme', repos: [] }],
      { rateLimit: { limit: 100, remaining: 0, resetAt } },
      { maxWaitForResetMs: 60_000 },
    );
    // The fake resets its budget when its clock passes resetAt: move it there while the client "sleeps".
    const fake = h.fake;
    const client = createGitHubClient({
      token: TOKEN,
      apiUrl: fake.url,
      log: h.log,
      minRetryDelayMs: 1,
      maxWaitForResetMs: 60_000,
      clock: {
        now: () => Date.now(),
        sleep: async (ms) => {
          h!.sleeps.push(ms);
          fake.rateLimit!.resetAt = Date.now();
        },
      },
    });
    const result = await client.graphql<{ rateLimit: { remaining: number } }>(RATE);
    expect(result.data?.rateLimit.remaining).toBe(99);
    expect(h.sleeps[0]).toBeGreaterThan(15_000);
    expect(allLogText(h.log)).toMatch(/waiting \d+ s for the rate limit to reset/);
  });

  it('never lets the token into errors or logs', async () => {
    h = await harness([{ login: 'acme', repos: [] }], { ghesPrefix: false });
    h.fake.faults.push({
      match: { graphql: true },
      response: { status: 401, body: { message: `Bad credentials for ${TOKEN}` } },
    });
    const error = await h.client.graphql(RATE).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
    expect((error as Error).message).toMatch(/GitHub rejected the token \(401/);
    expect(`${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)}`).not.toContain(
      TOKEN,
    );
    expect(allLogText(h.log)).not.toContain(TOKEN);
    expect(h.fake.requests[0].ghes).toBe(false);
  });

  it('sends the token and the user agent, and reports invalid documents as errors', async () => {
    h = await harness([{ login: 'acme', repos: [] }]);
    const log = memoryLogger();
    const client = createGitHubClient({
      token: TOKEN,
      apiUrl: h.fake.url,
      log,
      userAgent: 'tier-audit/test',
    });
    const result = await client.graphql('query Bad { viewer { noSuchField } }');
    expect(result.data).toBeNull();
    expect(result.errors[0].message).toMatch(/noSuchField/);
    expect(h.fake.invalidQueries).toHaveLength(1);
    expect(h.fake.requests[0].userAgent).toMatch(/^tier-audit\/test /);
    const unauthenticated = await fetch(`${h.fake.url}/rate_limit`);
    expect(unauthenticated.status).toBe(401);
  });
});
