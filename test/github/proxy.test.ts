/**
 * Runners behind a proxy: every request of both clients (REST and GraphQL) goes through the proxy chosen
 * for the configured API URL (HTTP(S)_PROXY / NO_PROXY), and a hung connection is cut by the request time
 * limit and retried like any network failure.
 */
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createGitHubClient } from '../../src/github/client.js';
import { collectOrganization } from '../../src/github/collect.js';
import { memoryLogger } from '../../src/log.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { genericRepos, TOKEN } from './helpers.js';

/**
 * A forward proxy: plain requests (absolute URLs) are relayed; CONNECT tunnels (what undici's ProxyAgent
 * opens) are connected to the fake whatever host they name. It records each request line it sees.
 */
function startProxy(target: URL): Promise<{ url: string; seen: string[]; close: () => Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/');
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: url.pathname + url.search,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const upstream = net.connect(Number(target.port), target.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    // The tunnel carries plain HTTP here: note each request line that passes through it.
    client.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('latin1').split('\r\n')) {
        if (/^(GET|POST|PATCH|PUT|DELETE) \//.test(line)) seen.push(`TUNNEL ${req.url} ${line}`);
      }
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    ),
  );
}

describe('proxy and time limit', () => {
  let fake: FakeGitHub;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeGitHub({ orgs: [{ login: 'acme', repos: genericRepos(3) }] });
  });
  afterAll(() => fake.close());
  afterEach(() => {
    for (const key of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('sends GraphQL and REST requests through HTTP_PROXY for the configured API URL', async () => {
    const origin = new URL(fake.url);
    const proxy = await startProxy(origin);
    try {
      process.env.http_proxy = proxy.url;
      // A host name only the proxy can reach: without the proxy this audit could not resolve it.
      const apiUrl = `http://api.github.proxied.test:${origin.port}/api/v3`;
      const client = createGitHubClient({
        token: TOKEN,
        apiUrl,
        log: memoryLogger(),
        minRetryDelayMs: 1,
        retries: 0,
      });
      const result = await collectOrganization(client, { org: 'acme', log: memoryLogger() });
      expect(result.snapshots.map((s) => s.name)).toEqual(['repo-000', 'repo-001', 'repo-002']);
      await client.rest.rest.issues.listForRepo({ owner: 'acme', repo: 'repo-000' });
      const host = `api.github.proxied.test:${origin.port}`;
      expect(proxy.seen).toContain(`CONNECT ${host}`);
      expect(proxy.seen.some((line) => line.startsWith(`TUNNEL ${host} POST /api/graphql`))).toBe(true);
      expect(
        proxy.seen.some((line) => line.startsWith(`TUNNEL ${host} GET /api/v3/repos/acme/repo-000/issues`)),
      ).toBe(true);
      expect(JSON.stringify(proxy.seen)).not.toContain(TOKEN);
    } finally {
      await proxy.close();
    }
  });

  it('does not use the proxy for a host listed in NO_PROXY', async () => {
    const origin = new URL(fake.url);
    const proxy = await startProxy(origin);
    try {
      process.env.http_proxy = proxy.url;
      process.env.no_proxy = 'example.internal,api.github.proxied.test';
      const apiUrl = `http://api.github.proxied.test:${origin.port}/api/v3`;
      const client = createGitHubClient({
        token: TOKEN,
        apiUrl,
        log: memoryLogger(),
        minRetryDelayMs: 1,
        retries: 0,
      });
      // Direct, so the name does not resolve: the request fails without ever reaching the proxy.
      await expect(client.graphql('query Probe { viewer { login } }')).rejects.toThrow();
      expect(proxy.seen).toEqual([]);
    } finally {
      await proxy.close();
    }
  });

  it('cuts a connection that never answers and retries it as a network failure', async () => {
    let attempts = 0;
    const hung = http.createServer(() => {
      attempts++; // never answer
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', () => resolve()));
    try {
      const apiUrl = `http://127.0.0.1:${(hung.address() as AddressInfo).port}/api/v3`;
      const client = createGitHubClient({
        token: TOKEN,
        apiUrl,
        log: memoryLogger(),
        minRetryDelayMs: 1,
        retries: 2,
        requestTimeoutMs: 150,
      });
      const started = Date.now();
      await expect(client.graphql('query Probe { viewer { login } }')).rejects.toThrow();
      expect(attempts).toBe(3);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      hung.closeAllConnections();
      await new Promise((resolve) => hung.close(resolve));
    }
  });
});
