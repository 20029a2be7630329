/**
 * The in-process fake GitHub: one HTTP server on 127.0.0.1 (random port) serving GitHub's GraphQL API
 * (validated against the published schema, charged with GitHub's cost algorithm) and the REST routes the
 * action uses, under both GHES paths (`/api/v3/...`, `/api/graphql`) and github.com paths (`/...`,
 * `/graphql`). Used by unit tests, the end-to-end test, the demo and the benchmark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'graphql';
import { computeQueryCost } from './cost.js';
import { FaultQueue, type FaultResponse } from './faults.js';
import { githubGraphqlSchema, runGraphql, type GithubStyleError, type RateLimitState } from './graphql.js';
import type { FakeFile, FakeOrg, FakeRepo, FakeRequest, FakeResponse, FakeViewer } from './model.js';
import { FakeGitStore, handleGitRoute } from './rest-git.js';
import { FakeIssueStore, handleIssuesRoute } from './rest-issues.js';

export { FaultQueue } from './faults.js';
export type { Fault, FaultMatch, FaultResponse } from './faults.js';

export interface FakeGitHubOptions {
  orgs: FakeOrg[];
  /**
   * Simulated server time: perRequestMs + perNodeMs × connection nodes returned + perObjectMs × git objects
   * looked up (trees and blobs: what makes a page heavy). Beyond `timeoutMs`, GitHub gives up: HTTP 502
   * after `timeoutMs`.
   */
  latency?: { perRequestMs: number; perNodeMs: number; perObjectMs?: number; timeoutMs?: number };
  /** `url` is GHES-style (`…/api/v3`) unless this is false (then github.com-style). Default true. */
  ghesPrefix?: boolean;
  /** GraphQL rate limit; `disabled` = GHES without rate limiting (`rateLimit` null, `/rate_limit` 404). */
  rateLimit?: { limit: number; remaining: number; resetAt: string } | 'disabled';
  /** Web URL of repositories (`url` fields). Default https://github.com. */
  webUrl?: string;
  /** Loopback port to listen on. Default 0: any free port. */
  port?: number;
  /** A GitHub App installed on these organizations (the JWT is not verified). */
  app?: { installationId: number; installedOn: string[]; tokenLifetimeMs: number };
  /** What the token may see (default: public memberships only, like the Actions GITHUB_TOKEN). */
  viewer?: FakeViewer;
}

export interface RequestRecord {
  method: string;
  /** Path without the API prefix and query string; `/graphql` for GraphQL. */
  path: string;
  status: number;
  /** GraphQL operation name. */
  operation: string | null;
  /** GraphQL points charged (null for REST or refused queries). */
  cost: number | null;
  /** Whether it reached the server through the GHES prefix. */
  ghes: boolean;
  /** The credential scheme and the token's last 8 characters (`token …00000002`), never the whole token. */
  auth: string | null;
  userAgent: string | null;
}

export interface InvalidQuery {
  operationName: string | null;
  query: string;
  errors: GithubStyleError[];
}

export interface FakeGitHub {
  /** REST base URL (`http://127.0.0.1:P/api/v3`, or `http://127.0.0.1:P` without the GHES prefix). */
  url: string;
  graphqlUrl: string;
  /** `http://127.0.0.1:P`. */
  origin: string;
  issues: FakeIssueStore;
  /** Git data (refs, commits, trees): branches written through the API. */
  git: FakeGitStore;
  /** Mutable: tests add, rename (mutate `name`) and delete repositories between requests. */
  orgs: FakeOrg[];
  faults: FaultQueue;
  requests: RequestRecord[];
  /** Documents GitHub would have rejected (parse, validation or pagination errors). */
  invalidQueries: InvalidQuery[];
  /** GraphQL points charged so far. */
  readonly pointsUsed: number;
  /** The GitHub App (when configured) and the installation tokens it minted, in order. */
  app: { installationId: number; installedOn: string[]; tokenLifetimeMs: number; minted: string[] } | null;
  /** The live rate-limit state (null when disabled); tests may change it. */
  rateLimit: RateLimitState | null;
  /** What the token may see; tests may change it. */
  viewer: FakeViewer;
  close(): Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function errorBody(status: number): { message: string; documentation_url: string } {
  const messages: Record<number, string> = {
    401: 'Bad credentials',
    403: 'Resource not accessible by integration',
    404: 'Not Found',
    500: 'Internal Server Error',
    502: 'Server Error',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return { message: messages[status] ?? `HTTP ${status}`, documentation_url: 'https://docs.github.com/rest' };
}

function fileContent(file: FakeFile): Buffer {
  if (typeof file === 'string') return Buffer.from(file);
  if ('binary' in file) return Buffer.alloc(file.byteSize ?? 1024, 0);
  return Buffer.from(file.text ?? '');
}

function repoJson(fake: { webUrl: string; apiBase: string }, org: FakeOrg, repo: FakeRepo, id: number) {
  return {
    id,
    node_id: `R_${id}`,
    name: repo.name,
    full_name: `${org.login}/${repo.name}`,
    owner: { login: org.login, type: org.isUser ? 'User' : 'Organization' },
    private: repo.isPrivate ?? false,
    html_url: `${fake.webUrl}/${org.login}/${repo.name}`,
    url: `${fake.apiBase}/repos/${org.login}/${repo.name}`,
    description: repo.description ?? null,
    fork: repo.isFork ?? false,
    archived: repo.isArchived ?? false,
    is_template: repo.isTemplate ?? false,
    default_branch: repo.defaultBranch === undefined ? 'main' : repo.defaultBranch,
    pushed_at: repo.pushedAt ?? null,
    topics: repo.topics ?? [],
    has_issues: repo.hasIssuesEnabled ?? true,
    visibility: repo.isPrivate ? 'private' : 'public',
  };
}

/** `per_page`/`page` paging with GitHub's `Link` header. */
function paginate<T>(items: T[], req: FakeRequest, base: string): FakeResponse {
  const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 30) || 30));
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(req.query);
    query.set('per_page', String(perPage));
    query.set('page', String(n));
    return `<${base}${req.path}?${query.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
  return { status: 200, body: slice, headers: links.length > 0 ? { link: links.join(', ') } : {} };
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const orgs = options.orgs;
  const webUrl = options.webUrl ?? 'https://github.com';
  const ghes = options.ghesPrefix !== false;
  const faults = new FaultQueue();
  const requests: RequestRecord[] = [];
  const invalidQueries: InvalidQuery[] = [];
  const issues = new FakeIssueStore();
  const git = new FakeGitStore();
  const app = options.app ? { ...options.app, minted: [] as string[] } : null;
  let pointsUsed = 0;
  const rateLimit: RateLimitState | null =
    options.rateLimit === 'disabled'
      ? null
      : options.rateLimit
        ? {
            limit: options.rateLimit.limit,
            remaining: options.rateLimit.remaining,
            resetAt: Date.parse(options.rateLimit.resetAt),
            used: options.rateLimit.limit - options.rateLimit.remaining,
          }
        : { limit: 5000, remaining: 5000, resetAt: Date.now() + 3_600_000, used: 0 };

  // eslint-disable-next-line prefer-const
  let fake: FakeGitHub;

  const findOrg = (login: string) => fake.orgs.find((org) => org.login.toLowerCase() === login.toLowerCase());
  const findRepo = (owner: string, name: string) => {
    const org = findOrg(owner);
    const repo = org?.repos.find((r) => r.name.toLowerCase() === name.toLowerCase());
    return org && repo ? { org, repo } : null;
  };

  const rateLimitHeaders = (): Record<string, string> =>
    fake.rateLimit
      ? {
          'x-ratelimit-limit': String(fake.rateLimit.limit),
          'x-ratelimit-remaining': String(fake.rateLimit.remaining),
          'x-ratelimit-used': String(fake.rateLimit.used),
          'x-ratelimit-reset': String(Math.ceil(fake.rateLimit.resetAt / 1000)),
          'x-ratelimit-resource': 'graphql',
        }
      : {};

  const restRoute = (req: FakeRequest, base: string): FakeResponse => {
    const segments = req.path.split('/').filter(Boolean).map(decodeURIComponent);
    // GitHub Apps: the installation on an organization (JWT auth) and its installation tokens.
    if (
      req.method === 'GET' &&
      segments.length === 3 &&
      ['orgs', 'users'].includes(segments[0]) &&
      segments[2] === 'installation'
    ) {
      if (!app || !/^bearer /i.test(String(req.headers.authorization ?? '')))
        return { status: 401, body: errorBody(401) };
      const org = fake.orgs.find((o) => o.login.toLowerCase() === segments[1].toLowerCase());
      if (!org || !app.installedOn.includes(org.login)) return { status: 404, body: errorBody(404) };
      return { status: 200, body: { id: app.installationId, account: { login: org.login } } };
    }
    if (
      req.method === 'POST' &&
      segments[0] === 'app' &&
      segments[1] === 'installations' &&
      segments[3] === 'access_tokens'
    ) {
      if (!app || Number(segments[2]) !== app.installationId) return { status: 404, body: errorBody(404) };
      const token = `ghs_fakeInstallationToken${String(app.minted.length + 1).padStart(8, '0')}`;
      app.minted.push(token);
      return {
        status: 201,
        body: {
          token,
          expires_at: new Date(Date.now() + app.tokenLifetimeMs).toISOString(),
          permissions: { contents: 'read', metadata: 'read', issues: 'write' },
          repository_selection: 'all',
        },
      };
    }
    if (req.method === 'GET' && req.path === '/rate_limit') {
      if (!fake.rateLimit) return { status: 404, body: { message: 'Rate limiting is not enabled.' } };
      const graphql = {
        limit: fake.rateLimit.limit,
        remaining: fake.rateLimit.remaining,
        used: fake.rateLimit.used,
        reset: Math.ceil(fake.rateLimit.resetAt / 1000),
      };
      const core = { limit: 5000, remaining: 5000, used: 0, reset: graphql.reset };
      return { status: 200, body: { resources: { core, graphql }, rate: core } };
    }
    if (
      req.method === 'GET' &&
      segments[0] === 'orgs' &&
      segments[2] === 'properties' &&
      segments[3] === 'values'
    ) {
      const org = findOrg(segments[1]);
      if (!org || org.isUser) return { status: 404, body: errorBody(404) };
      const values = org.repos.map((repo, index) => ({
        repository_id: index + 1,
        repository_name: repo.name,
        repository_full_name: `${org.login}/${repo.name}`,
        properties: Object.entries(repo.customProperties ?? {}).map(([property_name, value]) => ({
          property_name,
          value,
        })),
      }));
      return paginate(values, req, base);
    }
    if (
      req.method === 'GET' &&
      (segments[0] === 'orgs' || segments[0] === 'users') &&
      segments[2] === 'repos'
    ) {
      const org = findOrg(segments[1]);
      if (!org || (segments[0] === 'orgs' && org.isUser)) return { status: 404, body: errorBody(404) };
      return paginate(
        org.repos.map((repo, index) => repoJson({ webUrl, apiBase: base }, org, repo, index + 1)),
        req,
        base,
      );
    }
    if (req.method === 'GET' && segments[0] === 'repos' && segments.length >= 3) {
      const found = findRepo(segments[1], segments[2]);
      if (segments.length === 3) {
        if (!found) return { status: 404, body: errorBody(404) };
        return {
          status: 200,
          body: repoJson(
            { webUrl, apiBase: base },
            found.org,
            found.repo,
            found.org.repos.indexOf(found.repo) + 1,
          ),
        };
      }
      if (segments[3] === 'contents') {
        if (!found) return { status: 404, body: errorBody(404) };
        if (found.repo.defaultBranch === null) {
          return { status: 404, body: { message: 'This repository is empty.', documentation_url: '' } };
        }
        const path = segments.slice(4).join('/');
        const files = found.repo.files ?? {};
        if (path in files) {
          const content = fileContent(files[path]);
          return {
            status: 200,
            body: {
              type: 'file',
              encoding: 'base64',
              name: path.split('/').pop(),
              path,
              size: content.length,
              content: content.toString('base64').replace(/(.{60})/g, '$1\n'),
            },
          };
        }
        const prefix = path === '' ? '' : `${path}/`;
        const children = new Map<string, { name: string; path: string; type: string }>();
        for (const filePath of Object.keys(files)) {
          if (!filePath.startsWith(prefix)) continue;
          const rest = filePath.slice(prefix.length);
          const name = rest.split('/')[0];
          children.set(name, { name, path: prefix + name, type: rest.includes('/') ? 'dir' : 'file' });
        }
        if (children.size === 0) return { status: 404, body: errorBody(404) };
        return { status: 200, body: [...children.values()] };
      }
    }
    if (
      req.method === 'GET' &&
      segments[0] === 'orgs' &&
      (segments[2] === 'members' || segments[2] === 'public_members') &&
      segments.length === 4
    ) {
      // "Check organization membership for a user": 204 member / 404 not, for a viewer that sees
      // private memberships; otherwise a 302 to the public-membership check (GitHub's documented answer).
      const org = findOrg(segments[1]);
      if (!org || org.isUser) return { status: 404, body: errorBody(404) };
      const member = (org.members ?? []).find((m) => m.login.toLowerCase() === segments[3].toLowerCase());
      if (segments[2] === 'members' && !fake.viewer.seesPrivateMembers) {
        return {
          status: 302,
          headers: { location: `${base}/orgs/${org.login}/public_members/${segments[3]}` },
        };
      }
      const isMember = member && (segments[2] === 'members' || member.public);
      return isMember ? { status: 204 } : { status: 404, body: errorBody(404) };
    }
    const handled = handleIssuesRoute(fake.issues, req) ?? handleGitRoute(fake.git, req);
    if (handled) return handled;
    return { status: 404, body: errorBody(404) };
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      let path = url.pathname;
      let viaGhes = false;
      let isGraphql = false;
      if (path === '/api/graphql' || path === '/graphql') {
        viaGhes = path === '/api/graphql';
        isGraphql = true;
        path = '/graphql';
      } else if (path.startsWith('/api/v3/') || path === '/api/v3') {
        viaGhes = true;
        path = path.slice('/api/v3'.length) || '/';
      }
      const raw = await readBody(req);
      let body: unknown = undefined;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          body = raw;
        }
      }
      const record: RequestRecord = {
        method,
        path,
        status: 0,
        operation: null,
        cost: null,
        ghes: viaGhes,
        userAgent: req.headers['user-agent'] ?? null,
        auth: req.headers.authorization
          ? `${String(req.headers.authorization).split(' ')[0].toLowerCase()} …${String(req.headers.authorization).slice(-8)}`
          : null,
      };
      requests.push(record);
      const send = (response: FakeResponse, nodes = 0, objects = 0) => {
        const latency = options.latency;
        let delay = latency
          ? latency.perRequestMs + latency.perNodeMs * nodes + (latency.perObjectMs ?? 0) * objects
          : 0;
        if (latency?.timeoutMs && delay > latency.timeoutMs) {
          delay = latency.timeoutMs;
          response = { status: 502, body: errorBody(502) };
          record.cost = null;
        }
        record.status = response.status;
        void sleep(delay).then(() => {
          const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
          Object.assign(headers, response.headers ?? {});
          res.writeHead(response.status, headers);
          res.end(response.body === undefined ? '' : JSON.stringify(response.body));
        });
      };
      const applyFault = (fault: FaultResponse): void => {
        if (fault === 'reset') {
          record.status = -1;
          req.socket.destroy();
          return;
        }
        if (fault === 'rate-limited-200') {
          send({
            status: 200,
            headers: { ...rateLimitHeaders(), 'x-ratelimit-remaining': '0' },
            body: {
              errors: [
                {
                  type: 'RATE_LIMITED',
                  message:
                    'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.',
                },
              ],
            },
          });
          return;
        }
        if (typeof fault === 'number') {
          send({ status: fault, body: errorBody(fault) });
          return;
        }
        if (typeof fault === 'object') {
          send({ status: fault.status, headers: fault.headers, body: fault.body ?? errorBody(fault.status) });
          return;
        }
        send({ status: 502, body: errorBody(502) });
      };

      const authorization = req.headers.authorization;
      if (!authorization || !/^(token|bearer)\s+\S+/i.test(authorization)) {
        send({
          status: 401,
          body: { message: 'Requires authentication', documentation_url: 'https://docs.github.com/rest' },
        });
        return;
      }

      if (isGraphql) {
        const request = (body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
        let operation: string | null = null;
        let repositoriesRequested: number | null = null;
        if (typeof request.query === 'string') {
          try {
            const document = parse(request.query);
            const definition = document.definitions.find((d) => d.kind === 'OperationDefinition');
            operation =
              typeof request.operationName === 'string'
                ? request.operationName
                : definition && definition.kind === 'OperationDefinition'
                  ? (definition.name?.value ?? null)
                  : null;
            const cost = computeQueryCost(
              githubGraphqlSchema(),
              document,
              (request.variables ?? {}) as Record<string, unknown>,
              operation,
            );
            const limits = cost.connections.filter((c) => c.field === 'repositories').map((c) => c.limit);
            repositoriesRequested = limits.length > 0 ? Math.max(...limits) : null;
          } catch {
            // The executor reports the parse error.
          }
        }
        record.operation = operation;
        const fault = faults.take({ method, path, graphql: true, operation, repositoriesRequested });
        if (fault !== null) {
          applyFault(fault);
          return;
        }
        if (method !== 'POST') {
          send({ status: 404, body: errorBody(404) });
          return;
        }
        const outcome = await runGraphql(request, {
          orgs: fake.orgs,
          rateLimit: fake.rateLimit,
          webUrl,
          now: Date.now(),
          viewerLogin: fake.issues.actor,
          viewer: fake.viewer,
        });
        if (outcome.invalid) {
          invalidQueries.push({
            operationName: outcome.operationName,
            query: typeof request.query === 'string' ? request.query : String(request.query),
            errors: outcome.body.errors ?? [],
          });
        }
        record.cost = outcome.cost && !outcome.rateLimited && !outcome.invalid ? outcome.points : null;
        pointsUsed += outcome.points;
        send(
          { status: 200, headers: rateLimitHeaders(), body: outcome.body },
          outcome.nodesReturned,
          outcome.objectsResolved,
        );
        return;
      }

      const fault = faults.take({
        method,
        path,
        graphql: false,
        operation: null,
        repositoriesRequested: null,
      });
      if (fault !== null) {
        applyFault(fault);
        return;
      }
      const fakeRequest: FakeRequest = { method, path, query: url.searchParams, headers: req.headers, body };
      const base = `http://${req.headers.host ?? '127.0.0.1'}${viaGhes ? '/api/v3' : ''}`;
      let response: FakeResponse;
      try {
        response = restRoute(fakeRequest, base);
      } catch (error) {
        response = { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
      }
      send(response, Array.isArray(response.body) ? response.body.length : 1);
    })().catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: error instanceof Error ? error.message : String(error) }));
      }
    });
  });

  // Keep idle connections open as long as GitHub does, so a client that renders for a while between two
  // requests does not reuse a socket the server has just closed.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  fake = {
    url: ghes ? `${origin}/api/v3` : origin,
    graphqlUrl: ghes ? `${origin}/api/graphql` : `${origin}/graphql`,
    origin,
    issues,
    git,
    orgs,
    app,
    faults,
    requests,
    invalidQueries,
    get pointsUsed() {
      return pointsUsed;
    },
    rateLimit,
    viewer: options.viewer ?? { seesPrivateMembers: false },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}
