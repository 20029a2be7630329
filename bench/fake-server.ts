/**
 * The fake GitHub of the benchmark, in its own process:
 *
 *   tsx bench/fake-server.ts --repos N [--seed S] [--org LOGIN] [--latency-request-ms MS] [--latency-node-ms MS]
 *                            [--latency-object-ms MS] [--timeout-ms MS]
 *
 * Generates a synthetic organization (test/fixtures/synthetic.ts), serves it with test/fake-github (GraphQL
 * checked against GitHub's schema and charged with GitHub's cost algorithm, REST routes) on 127.0.0.1, and
 * prints ONE JSON line on stdout: `{"url", "graphqlUrl", "statsUrl", "org", "repos", "generateMs"}`.
 *
 * Counters live on a second tiny loopback server (`statsUrl`): `GET /stats` → RequestStats (bench/lib.ts)
 * since the last `POST /reset`; `POST /push?fraction=F` makes a deterministic F of the repositories pushed
 * (a new head commit and push date), as a nightly run would find them. The process exits when its stdin closes (the parent died or is done) or on
 * SIGTERM/SIGINT, so it never outlives the benchmark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { generateOrg } from '../test/fixtures/synthetic.js';
import { summarizeRequests } from './lib.js';

function flag(argv: string[], name: string, fallback?: string): string {
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  if (fallback === undefined) throw new Error(`${name} is required`);
  return fallback;
}

function numberOf(argv: string[], name: string, fallback: string): number {
  const value = Number(flag(argv, name, fallback));
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
  return value;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const repos = numberOf(argv, '--repos', '');
  const seed = numberOf(argv, '--seed', '1');
  const login = flag(argv, '--org', 'bench-org');
  const perRequestMs = numberOf(argv, '--latency-request-ms', '150');
  const perNodeMs = numberOf(argv, '--latency-node-ms', '0.05');
  const perObjectMs = numberOf(argv, '--latency-object-ms', '0');
  const timeoutMs = numberOf(argv, '--timeout-ms', '0');

  const started = performance.now();
  const org = generateOrg({ login, repositories: repos, seed });
  const generateMs = performance.now() - started;

  const fake = await startFakeGitHub({
    orgs: [org],
    latency: { perRequestMs, perNodeMs, perObjectMs, timeoutMs: timeoutMs || undefined },
  });
  let pushes = 0;
  let offset = 0;
  let pointsOffset = 0;

  const stats = http.createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/stats') {
      // Only finished requests (status set) are counted; in-flight ones have status 0.
      const records = fake.requests.slice(offset);
      send(200, {
        ...summarizeRequests(records, fake.pointsUsed - pointsOffset),
        inFlight: records.filter((r) => r.status === 0).length,
        invalidQueries: fake.invalidQueries.length,
      });
      return;
    }
    if (req.method === 'POST' && req.url?.startsWith('/push')) {
      const fraction = Number(new URL(req.url, 'http://x').searchParams.get('fraction') ?? '0');
      pushes++;
      // Every k-th repository (skipping the registry and community repositories at 0 and 1).
      const step = fraction > 0 ? Math.max(1, Math.round(1 / fraction)) : 0;
      let pushed = 0;
      const date = new Date(Date.parse('2026-08-20T00:00:00Z') + pushes * 60_000).toISOString();
      for (let i = 2; step > 0 && i < org.repos.length; i += step) {
        const repo = org.repos[i];
        if (repo.defaultBranch === null) continue;
        repo.commitDate = date;
        repo.pushedAt = date;
        pushed++;
      }
      send(200, { pushed });
      return;
    }
    if (req.method === 'POST' && req.url === '/reset') {
      offset = fake.requests.length;
      pointsOffset = fake.pointsUsed;
      send(200, { ok: true });
      return;
    }
    send(404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => stats.listen(0, '127.0.0.1', resolve));
  const statsUrl = `http://127.0.0.1:${(stats.address() as AddressInfo).port}`;

  let closing = false;
  const shutdown = () => {
    if (closing) return;
    closing = true;
    stats.closeAllConnections();
    stats.close();
    void fake.close().finally(() => process.exit(0));
    // Never hang on a stuck connection.
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.resume();

  process.stdout.write(
    `${JSON.stringify({ url: fake.url, graphqlUrl: fake.graphqlUrl, statsUrl, org: login, repos, generateMs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`fake-server: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
