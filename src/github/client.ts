/**
 * The only way the action talks to GitHub: one octokit (`@actions/github` getOctokit, with the throttling
 * and retry plugins, so HTTPS_PROXY/NO_PROXY apply to every call, REST and GraphQL alike) and a GraphQL
 * helper that keeps partial results, retries transient failures with exponential backoff and jitter, and
 * turns GraphQL's HTTP-200 `RATE_LIMITED` answers into a wait or a typed error. Tokens never appear in
 * any log line or error message.
 */
import { getOctokit } from '@actions/github';
import { HttpClient } from '@actions/http-client';
import { fetch as undiciFetch, type RequestInit as UndiciRequestInit } from 'undici';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import { RequestGovernor, type RequestEnding } from './governor.js';
import { UsageError } from '../usage.js';
import type { Logger } from '../log.js';
import type { RestClient } from './rest.js';

export type { RestClient } from './rest.js';

/** One entry of a GraphQL `errors` array, as GitHub returns it. */
export interface GraphqlError {
  /** GitHub's error type: `FORBIDDEN`, `NOT_FOUND`, `RATE_LIMITED`, `MAX_NODE_LIMIT_EXCEEDED`… */
  type?: string;
  message: string;
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlResult<T> {
  /** Null only when GitHub returned no data at all. */
  data: T | null;
  /** Partial errors (empty when none). */
  errors: GraphqlError[];
}

export interface GraphqlCallOptions {
  /** Retries of transient failures for this call (default: the client's). */
  retries?: number;
  /** Counts this call's HTTP requests (retries included), for a caller's own cost while others run too. */
  count?: { requests: number };
}

export interface GitHubClient {
  rest: RestClient;
  /** REST base URL as given. */
  apiUrl: string;
  graphqlUrl: string;
  log: Logger;
  /** Runs a query; returns data and partial errors. Throws `GitHubApiError` / `RateLimitExhaustedError`. */
  graphql<T>(
    document: string,
    variables?: Record<string, unknown>,
    options?: GraphqlCallOptions,
  ): Promise<GraphqlResult<T>>;
  /**
   * Waits until `resetAt` (ISO-8601) when that is within `maxWaitForResetMs`; returns whether it waited.
   * The only place the client reads the clock.
   */
  waitForReset(resetAt: string, why: string): Promise<boolean>;
  /** HTTP requests made by `graphql` (retries included). */
  readonly stats: { graphqlRequests: number };
  /** Keeps every request within GitHub's secondary limits (src/github/governor.ts). */
  readonly governor: RequestGovernor;
}

/** The GraphQL rate limit is exhausted and its reset is further away than the client may wait. */
export class RateLimitExhaustedError extends Error {
  readonly resetAt: string | null;
  constructor(message: string, resetAt: string | null) {
    super(message);
    this.name = 'RateLimitExhaustedError';
    this.resetAt = resetAt;
  }
}

export type GitHubErrorKind =
  'auth' | 'permission' | 'not-found' | 'server' | 'network' | 'rate-limit' | 'other';

/** A request failed for good (after retries). `message` is safe to show: it never holds the token. */
export class GitHubApiError extends Error {
  readonly status: number | null;
  readonly kind: GitHubErrorKind;
  constructor(message: string, status: number | null, kind: GitHubErrorKind) {
    super(message);
    this.name = 'GitHubApiError';
    this.status = status;
    this.kind = kind;
  }
}

export interface ClientOptions {
  token: string;
  /**
   * Where each request's token comes from when it can change during the run (a GitHub App installation
   * token, minted again before it expires); `token` is then only the first one.
   */
  tokenSource?: () => Promise<string>;
  /** REST base, e.g. https://api.github.com or https://HOST/api/v3. */
  apiUrl: string;
  log: Logger;
  userAgent?: string;
  /** Retries of transient failures (5xx, network resets, secondary limits). Default 4. */
  retries?: number;
  /** Base of the exponential backoff. Default 1000 ms; tests use ~1 ms. */
  minRetryDelayMs?: number;
  /** Longest wait for a rate-limit reset (primary or secondary). Default 10 minutes. */
  maxWaitForResetMs?: number;
  /** Time limit of one HTTP request; a hung connection then counts as a network failure. Default 120 s. */
  requestTimeoutMs?: number;
  /** Clock, for tests. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
  /** The secondary-limit governor (default: GitHub's documented limits, src/github/governor.ts). */
  governor?: RequestGovernor;
}

/**
 * The same client, counting each GraphQL request (retries included) in `counter` too: what one stage
 * cost, while other stages' requests run concurrently.
 */
export function countingClient(client: GitHubClient, counter: { requests: number }): GitHubClient {
  return {
    ...client,
    graphql: (document, variables, options) =>
      client.graphql(document, variables, { ...options, count: counter }),
  };
}

/** A secondary limit (429, or 403 saying so) or an answer GitHub gave up on (502/504) means: slow down. */
function limitedOrFailed(caught: unknown): RequestEnding {
  const { status, message } = asErrorLike(caught);
  if (status === 429 || status === 502 || status === 504) return 'limited';
  if (status === 403 && /secondary rate limit|abuse/i.test(message ?? '')) return 'limited';
  return 'failed';
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * The fetch every request goes through: the proxy chosen for *this* API URL (HTTPS_PROXY / NO_PROXY, as
 * @actions/http-client decides it — @actions/github would decide it for GITHUB_API_URL at load time,
 * which is wrong for `github-api-url` / `--api-url`), and a time limit so a hung connection is retried
 * like any other network failure instead of stalling the audit.
 */
export function proxyAwareFetch(apiUrl: string, timeoutMs: number): typeof fetch {
  const dispatcher = new HttpClient('tier-audit').getAgentDispatcher(apiUrl);
  const limited = (url: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(url as Parameters<typeof undiciFetch>[0], {
      ...(init as UndiciRequestInit | undefined),
      ...(dispatcher ? { dispatcher } : {}),
      signal: init?.signal ?? AbortSignal.timeout(timeoutMs),
    });
  return limited as unknown as typeof fetch;
}

/**
 * The API base URL as given (`https://api.github.com`, `https://HOST/api/v3`); a `UsageError` naming
 * the setting (`name`) when it is not an http(s) URL.
 */
export function checkApiUrl(value: string, name: string): string {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    url = null;
  }
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new UsageError(
      `${name} must be an http(s) URL such as https://api.github.com (GitHub Enterprise Server: https://HOST/api/v3); got "${value}"`,
    );
  }
  return value;
}

/** GraphQL endpoint for a REST base: GHES `https://HOST/api/v3` → `https://HOST/api/graphql`. */
export function graphqlUrlFor(apiUrl: string): string {
  const base = apiUrl.replace(/\/+$/, '');
  if (/\/api\/v3$/.test(base)) return base.replace(/\/api\/v3$/, '/api/graphql');
  return `${base}/graphql`;
}

/** Removes the token (and anything that looks like a GitHub token) from a text. */
export function redact(text: string, token?: string): string {
  let out = text;
  if (token && token.length >= 4) out = out.split(token).join('***');
  return out.replace(/\b(gh[pousr]_[A-Za-z0-9_]{10,}|github_pat_[A-Za-z0-9_]{20,})\b/g, '***');
}

/** A message for a 401/403 naming the missing permission. */
export function describeAccessError(status: number | null, message: string, subject: string): string {
  if (status === 401) {
    return `GitHub rejected the token (401 ${message || 'Bad credentials'}): check that the token is set, valid and not expired`;
  }
  if (/SAML/i.test(message)) {
    return `${subject}: ${message} (authorize the token for SAML single sign-on of the organization)`;
  }
  return `the token cannot read ${subject}: grant \`Metadata: read\` and \`Contents: read\` (GitHub App or fine-grained token) or the \`repo\` scope (classic PAT) (GitHub said: ${message})`;
}

interface ErrorLike {
  status?: number;
  message?: string;
  name?: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  data?: unknown;
  errors?: unknown;
  headers?: Record<string, string | number | undefined>;
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
}

function graphqlErrorsOf(value: unknown): GraphqlError[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => {
      const error: GraphqlError = {
        message: typeof e.message === 'string' ? e.message : 'unknown GraphQL error',
      };
      if (typeof e.type === 'string') error.type = e.type;
      if (Array.isArray(e.path)) error.path = e.path as (string | number)[];
      if (typeof e.extensions === 'object' && e.extensions !== null) {
        error.extensions = e.extensions as Record<string, unknown>;
      }
      return error;
    });
}

/** What went wrong on the wire, from an error's `cause` chain: `connect ECONNREFUSED 127.0.0.1:9`, `ENOTFOUND`… */
function connectionDetail(error: unknown, fallback: string): string {
  const parts: string[] = [];
  let current: unknown = (error as { cause?: unknown } | null)?.cause;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof message === 'string' && message !== '' && message !== 'fetch failed') parts.push(message);
    else if (typeof code === 'string') parts.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.length > 0 ? parts.join(': ') : fallback;
}

function isTransientStatus(status: number | undefined): boolean {
  return status === undefined || status >= 500 || status === 408;
}

export function createGitHubClient(options: ClientOptions): GitHubClient {
  const { token, log } = options;
  const retries = options.retries ?? 4;
  const baseDelay = options.minRetryDelayMs ?? 1000;
  const maxWait = options.maxWaitForResetMs ?? 10 * 60_000;
  const clock = options.clock ?? realClock;
  const governor = options.governor ?? new RequestGovernor();
  const apiUrl = options.apiUrl.replace(/\/+$/, '');
  const graphqlUrl = graphqlUrlFor(apiUrl);
  const safe = (text: string) => redact(text, token);

  /**
   * The throttling plugin spaces every POST (GraphQL queries included) 1 s apart, as GitHub advises for
   * content-creating requests. GraphQL reads are not writes: the GraphQL octokit gets a pass-through
   * `write` group, and keeps everything else (proxy fetch, auth, secondary-limit handling, retry).
   */
  const readsAreNotWrites = {
    key: () => ({ schedule: <R>(_options: unknown, job: () => Promise<R>) => job() }),
  } as unknown as NonNullable<ThrottlingOptions['write']>;

  const build = (forGraphql: boolean) =>
    getOctokit(
      token,
      {
        baseUrl: apiUrl,
        request: { fetch: proxyAwareFetch(apiUrl, options.requestTimeoutMs ?? 120_000) },
        userAgent: options.userAgent ?? 'tier-audit',
        log: {
          debug: (message: string) => log.debug(safe(message)),
          info: (message: string) => log.debug(safe(message)),
          warn: (message: string) => log.warning(safe(message)),
          error: (message: string) => log.error(safe(message)),
        },
        retry: { retries, retryAfterBaseValue: baseDelay },
        throttle: {
          onRateLimit: (
            retryAfter: number,
            request: { method: string; url: string },
            _octokit: unknown,
            retryCount: number,
          ) => {
            // GraphQL's primary limit is handled by `graphql()` below (it knows the reset and the budget).
            if (/graphql/.test(request.url)) return false;
            const wait = retryAfter * 1000;
            if (retryCount < retries && wait <= maxWait) {
              log.warning(
                `REST rate limit reached for ${request.method} ${request.url}; waiting ${retryAfter} s for the reset`,
              );
              return true;
            }
            log.warning(
              `REST rate limit reached for ${request.method} ${request.url}; not waiting ${retryAfter} s`,
            );
            return false;
          },
          onSecondaryRateLimit: (
            retryAfter: number,
            request: { method: string; url: string },
            _octokit: unknown,
            retryCount: number,
          ) => {
            governor.limited();
            const wait = retryAfter * 1000;
            if (retryCount < retries && wait <= maxWait) {
              log.warning(
                `GitHub secondary rate limit on ${request.method} ${request.url}; retrying after ${retryAfter} s`,
              );
              return true;
            }
            log.warning(`GitHub secondary rate limit on ${request.method} ${request.url}; giving up`);
            return false;
          },
          ...(forGraphql ? { write: readsAreNotWrites } : {}),
        },
      },
      throttling,
      retry,
    );
  const rest = build(false);
  const octokit = build(true);
  const { tokenSource } = options;
  if (tokenSource) {
    for (const client of [rest, octokit]) {
      client.hook.before('request', async (request) => {
        request.headers.authorization = `token ${await tokenSource()}`;
      });
    }
  }

  const stats = { graphqlRequests: 0 };
  // REST requests (reads and writes) pass the governor too; the throttling plugin still spaces writes.
  rest.hook.wrap('request', (request, requestOptions) =>
    governor.run(
      'rest',
      RequestGovernor.pointsOf('rest', String(requestOptions.method)),
      async () => request(requestOptions),
      ({ error }) => (error === undefined ? 'ok' : limitedOrFailed(error)),
    ),
  );

  const waitForReset = async (resetAt: string, why: string): Promise<boolean> => {
    const target = Date.parse(resetAt);
    if (Number.isNaN(target)) return false;
    const wait = Math.max(0, target - clock.now()) + 1000;
    if (wait > maxWait) return false;
    log.warning(`${why}: waiting ${Math.ceil(wait / 1000)} s for the rate limit to reset at ${resetAt}`);
    await clock.sleep(wait);
    return true;
  };

  const backoff = (attempt: number) => {
    const exp = baseDelay * 2 ** attempt;
    return exp / 2 + Math.random() * (exp / 2);
  };

  async function graphql<T>(
    document: string,
    variables: Record<string, unknown> = {},
    callOptions: GraphqlCallOptions = {},
  ): Promise<GraphqlResult<T>> {
    const maxRetries = callOptions.retries ?? retries;
    const operation = /\b(?:query|mutation)\s+(\w+)/.exec(document)?.[1] ?? 'query';
    const points = RequestGovernor.pointsOf('graphql', document);
    let rateLimitWaits = 0;
    for (let attempt = 0; ; attempt++) {
      stats.graphqlRequests++;
      if (callOptions.count) callOptions.count.requests++;
      let data: unknown = null;
      let errors: GraphqlError[] = [];
      let headers: Record<string, string | number | undefined> = {};
      try {
        data = await governor.run(
          'graphql',
          points,
          () =>
            octokit.graphql<T>({
              query: document,
              ...variables,
              request: { retries: 0 },
            }),
          ({ error }) => (error === undefined ? 'ok' : limitedOrFailed(error)),
        );
      } catch (caught) {
        const error = asErrorLike(caught);
        const body = (error.data ?? error.response?.data) as { data?: unknown; errors?: unknown } | undefined;
        if (error.name === 'GraphqlResponseError') {
          // HTTP 200 with `errors`: keep the partial data.
          data = error.data ?? null;
          errors = graphqlErrorsOf(error.errors);
          headers = error.headers ?? {};
        } else if (body && typeof body === 'object' && Array.isArray(body.errors)) {
          // The throttling plugin turns RATE_LIMITED into an Error carrying the response.
          data = body.data ?? null;
          errors = graphqlErrorsOf(body.errors);
          headers = error.response?.headers ?? {};
        } else {
          const status = error.status;
          const message = safe(error.message ?? 'request failed');
          if (status === 401)
            throw new GitHubApiError(describeAccessError(401, message, 'GitHub'), 401, 'auth');
          if ((status === 403 || status === 429) && /rate limit/i.test(message)) {
            throw new RateLimitExhaustedError(`GitHub rate limit for ${operation}: ${message}`, null);
          }
          if (status === 403) throw new GitHubApiError(message, 403, 'permission');
          if (status === 404) throw new GitHubApiError(`${operation}: ${message}`, 404, 'not-found');
          const unreachable = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|bad port|Invalid URL/.test(
            connectionDetail(caught, ''),
          );
          if (isTransientStatus(status) && !unreachable && attempt < maxRetries) {
            const delay = backoff(attempt);
            log.debug(
              `${operation}: ${status ?? 'network error'} (${message}); retry ${attempt + 1}/${maxRetries} in ${Math.round(delay)} ms`,
            );
            await clock.sleep(delay);
            continue;
          }
          if (error.response === undefined && (status === undefined || status === 500)) {
            // No answer at all (octokit reports it as status 500): refused, reset, DNS, TLS, timeout.
            throw new GitHubApiError(
              `${operation}: could not connect to ${graphqlUrl} (${safe(connectionDetail(caught, message))}); check --api-url / github-api-url, the network and any proxy`,
              null,
              'network',
            );
          }
          const kind: GitHubErrorKind = status === undefined || status === 500 ? 'network' : 'server';
          throw new GitHubApiError(
            `${operation} failed${status ? ` (HTTP ${status})` : ''}: ${message}`,
            status ?? null,
            status && status >= 500 ? 'server' : kind,
          );
        }
      }
      const rateLimited = errors.find((e) => e.type === 'RATE_LIMITED');
      if (rateLimited) {
        const reset = Number(headers['x-ratelimit-reset']);
        const resetAt = Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000).toISOString() : null;
        if (
          resetAt &&
          rateLimitWaits < 2 &&
          (await waitForReset(resetAt, `GraphQL rate limit exhausted (${operation})`))
        ) {
          rateLimitWaits++;
          attempt--;
          continue;
        }
        throw new RateLimitExhaustedError(
          `GitHub GraphQL rate limit exhausted${resetAt ? ` until ${resetAt}` : ''}: ${safe(rateLimited.message)}`,
          resetAt,
        );
      }
      if (
        data === null &&
        errors.some((e) => /Something went wrong while executing your query/i.test(e.message))
      ) {
        // GitHub's own time limit on the query: a sign to slow down.
        governor.limited();
        if (attempt < maxRetries) {
          await clock.sleep(backoff(attempt));
          continue;
        }
        throw new GitHubApiError(`${operation} failed: ${safe(errors[0].message)}`, 502, 'server');
      }
      return {
        data: (data ?? null) as T | null,
        errors: errors.map((e) => ({ ...e, message: safe(e.message) })),
      };
    }
  }

  return { rest, apiUrl, graphqlUrl, log, graphql, waitForReset, stats, governor };
}
