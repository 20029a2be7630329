/**
 * The issues, comments and labels REST routes of the fake GitHub, with GitHub's limits and failure modes:
 * 422 for a body over 65,536 characters, 410 when issues are disabled, 403/404 faults, pagination with
 * `Link` headers. `store.writes` counts every successful write (POST/PATCH/DELETE/PUT).
 */
import type { FakeComment, FakeIssue, FakeRequest, FakeResponse } from './model.js';

export const BODY_LIMIT = 65_536;

export type IssueFault = 'forbidden-read' | 'forbidden-write';

export interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface StoredIssue extends FakeIssue {
  /** GitHub's `author_association` for the author. */
  authorAssociation?: string;
  pullRequest?: boolean;
}

export interface FakeIssueStoreOptions {
  /** Login of the token's identity (author of what the action writes). Default `github-actions[bot]`. */
  actor?: string;
  /** Web base for html_url. Default https://github.com */
  webUrl?: string;
  /** Clock for created/updated times. Default: a deterministic clock starting 2026-01-01, +1 s per write. */
  clock?: () => Date;
}

function key(owner: string, repo: string): string {
  return `${owner}/${repo}`.toLowerCase();
}

export class FakeIssueStore {
  /** Issues by `owner/repo` (lower-case). */
  readonly issues = new Map<string, StoredIssue[]>();
  /** Labels by `owner/repo` (lower-case). */
  readonly labels = new Map<string, FakeLabel[]>();
  /** Repositories (`owner/repo`, any case) that do not exist: every route answers 404. */
  readonly missingRepositories = new Set<string>();
  /** Repositories with issues disabled: issue routes answer 410. */
  readonly issuesDisabled = new Set<string>();
  /** Permission faults per repository: 403 on reads and writes, or on writes only. */
  readonly faults = new Map<string, IssueFault>();
  /** Successful writes. */
  writes = 0;
  /** Every request seen, `METHOD path`. */
  readonly log: string[] = [];
  actor: string;
  readonly webUrl: string;
  private nextId = 1000;
  private tick = 0;
  private readonly clock: () => Date;

  constructor(options: FakeIssueStoreOptions = {}) {
    this.actor = options.actor ?? 'github-actions[bot]';
    this.webUrl = options.webUrl ?? 'https://github.com';
    this.clock = options.clock ?? (() => new Date(Date.UTC(2026, 0, 1) + this.tick++ * 1000));
  }

  now(): string {
    return this.clock().toISOString();
  }

  id(): number {
    return this.nextId++;
  }

  list(owner: string, repo: string): StoredIssue[] {
    const k = key(owner, repo);
    let list = this.issues.get(k);
    if (!list) {
      list = [];
      this.issues.set(k, list);
    }
    return list;
  }

  labelList(owner: string, repo: string): FakeLabel[] {
    const k = key(owner, repo);
    let list = this.labels.get(k);
    if (!list) {
      list = [];
      this.labels.set(k, list);
    }
    return list;
  }

  /** Adds an issue directly (test setup; not counted as a write). */
  seedIssue(
    owner: string,
    repo: string,
    issue: Partial<StoredIssue> & Pick<StoredIssue, 'title' | 'body'>,
  ): StoredIssue {
    const list = this.list(owner, repo);
    const at = this.now();
    const stored: StoredIssue = {
      number: this.nextNumber(owner, repo),
      state: 'open',
      stateReason: null,
      labels: [],
      user: this.actor,
      createdAt: at,
      updatedAt: at,
      closedAt: null,
      comments: [],
      ...issue,
    };
    for (const name of stored.labels) this.ensureLabel(owner, repo, name);
    list.push(stored);
    return stored;
  }

  nextNumber(owner: string, repo: string): number {
    return this.list(owner, repo).reduce((max, issue) => Math.max(max, issue.number), 0) + 1;
  }

  ensureLabel(owner: string, repo: string, name: string): FakeLabel {
    const labels = this.labelList(owner, repo);
    const found = labels.find((label) => label.name.toLowerCase() === name.toLowerCase());
    if (found) return found;
    const label = { id: this.id(), name, color: 'ededed', description: null };
    labels.push(label);
    return label;
  }

  find(owner: string, repo: string, number: number): StoredIssue | undefined {
    return this.list(owner, repo).find((issue) => issue.number === number);
  }

  /** The issue holding a comment. */
  findComment(
    owner: string,
    repo: string,
    id: number,
  ): { issue: StoredIssue; comment: FakeComment } | undefined {
    for (const issue of this.list(owner, repo)) {
      const comment = issue.comments.find((c) => c.id === id);
      if (comment) return { issue, comment };
    }
    return undefined;
  }

  has(set: Set<string>, owner: string, repo: string): boolean {
    const k = key(owner, repo);
    return [...set].some((entry) => entry.toLowerCase() === k);
  }

  fault(owner: string, repo: string): IssueFault | undefined {
    for (const [entry, fault] of this.faults) if (entry.toLowerCase() === key(owner, repo)) return fault;
    return undefined;
  }
}

function error(status: number, message: string, extra: Record<string, unknown> = {}): FakeResponse {
  return {
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest', status: String(status), ...extra },
  };
}

function userJson(login: string) {
  return { login, id: login.length, type: login.endsWith('[bot]') ? 'Bot' : 'User' };
}

function issueJson(store: FakeIssueStore, owner: string, repo: string, issue: StoredIssue) {
  const labels = store.labelList(owner, repo);
  return {
    id: issue.number * 7919,
    node_id: `I_${issue.number}`,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason ?? null,
    labels: issue.labels.map((name) => labels.find((l) => l.name === name) ?? { name }),
    user: userJson(issue.user),
    author_association: issue.authorAssociation ?? 'NONE',
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    html_url: `${store.webUrl}/${owner}/${repo}/issues/${issue.number}`,
    url: `https://api.github.invalid/repos/${owner}/${repo}/issues/${issue.number}`,
    ...(issue.pullRequest ? { pull_request: { url: 'https://api.github.invalid/pulls' } } : {}),
  };
}

function commentJson(
  store: FakeIssueStore,
  owner: string,
  repo: string,
  issue: StoredIssue,
  comment: FakeComment,
) {
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    body: comment.body,
    user: userJson(comment.user),
    author_association: 'NONE',
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: `${store.webUrl}/${owner}/${repo}/issues/${issue.number}#issuecomment-${comment.id}`,
  };
}

function paginate<T>(req: FakeRequest, items: T[], defaultPerPage = 30): FakeResponse & { body: T[] } {
  const perPage = Math.min(
    100,
    Math.max(1, Number(req.query.get('per_page') ?? defaultPerPage) || defaultPerPage),
  );
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  const links: string[] = [];
  const url = (p: number) => {
    const query = new URLSearchParams(req.query);
    query.set('page', String(p));
    query.set('per_page', String(perPage));
    return `<http://fake.invalid${req.path}?${query.toString()}>`;
  };
  if (page < last) links.push(`${url(page + 1)}; rel="next"`, `${url(last)}; rel="last"`);
  if (page > 1) links.push(`${url(1)}; rel="first"`, `${url(page - 1)}; rel="prev"`);
  return { status: 200, body: slice, headers: links.length ? { link: links.join(', ') } : {} };
}

function bodyOf(req: FakeRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

function tooLong(field: string, value: unknown): FakeResponse | undefined {
  if (typeof value === 'string' && value.length > BODY_LIMIT) {
    return error(422, 'Validation Failed', {
      errors: [
        {
          resource: 'Issue',
          code: 'custom',
          field,
          message: `${field} is too long (maximum is 65536 characters)`,
        },
      ],
    });
  }
  return undefined;
}

/**
 * Routes `/repos/{owner}/{repo}/issues…` and `/repos/{owner}/{repo}/labels…`; undefined for any other path.
 */
export function handleIssuesRoute(store: FakeIssueStore, req: FakeRequest): FakeResponse | undefined {
  const match = /^\/repos\/([^/]+)\/([^/]+)\/(issues|labels)(?:\/(.*))?$/.exec(req.path);
  if (!match) return undefined;
  const owner = decodeURIComponent(match[1]);
  const repo = decodeURIComponent(match[2]);
  const kind = match[3];
  const rest = match[4] ? match[4].split('/').map((segment) => decodeURIComponent(segment)) : [];
  const method = req.method.toUpperCase();
  const write = method !== 'GET' && method !== 'HEAD';
  store.log.push(`${method} ${req.path}`);

  if (store.has(store.missingRepositories, owner, repo)) return error(404, 'Not Found');
  const fault = store.fault(owner, repo);
  if (fault === 'forbidden-read' || (fault === 'forbidden-write' && write)) {
    return error(403, 'Resource not accessible by integration');
  }
  if (kind === 'issues' && store.has(store.issuesDisabled, owner, repo))
    return error(410, 'Issues are disabled for this repo');

  const response =
    kind === 'labels'
      ? routeLabels(store, req, owner, repo, rest)
      : routeIssues(store, req, owner, repo, rest);
  if (response && write && response.status < 300) store.writes++;
  return response;
}

function routeLabels(
  store: FakeIssueStore,
  req: FakeRequest,
  owner: string,
  repo: string,
  rest: string[],
): FakeResponse {
  const method = req.method.toUpperCase();
  const labels = store.labelList(owner, repo);
  if (rest.length === 0 && method === 'GET') return paginate(req, labels);
  if (rest.length === 0 && method === 'POST') {
    const body = bodyOf(req);
    if (typeof body.name !== 'string' || !body.name)
      return error(422, 'Validation Failed', { errors: [{ field: 'name', code: 'missing_field' }] });
    if (labels.some((l) => l.name.toLowerCase() === String(body.name).toLowerCase())) {
      return error(422, 'Validation Failed', {
        errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }],
      });
    }
    const label: FakeLabel = {
      id: store.id(),
      name: body.name,
      color: typeof body.color === 'string' ? body.color : 'ededed',
      description: typeof body.description === 'string' ? body.description : null,
    };
    labels.push(label);
    return { status: 201, body: label };
  }
  if (rest.length === 1 && method === 'GET') {
    const label = labels.find((l) => l.name.toLowerCase() === rest[0].toLowerCase());
    return label ? { status: 200, body: label } : error(404, 'Not Found');
  }
  return error(404, 'Not Found');
}

function routeIssues(
  store: FakeIssueStore,
  req: FakeRequest,
  owner: string,
  repo: string,
  rest: string[],
): FakeResponse {
  const method = req.method.toUpperCase();
  const issues = store.list(owner, repo);
  const body = bodyOf(req);

  // /issues
  if (rest.length === 0) {
    if (method === 'GET') {
      const state = req.query.get('state') ?? 'open';
      const wanted = (req.query.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const sort = req.query.get('sort') ?? 'created';
      const direction = req.query.get('direction') ?? 'desc';
      const creator = req.query.get('creator');
      const selected = issues
        .filter((issue) => state === 'all' || issue.state === state)
        .filter((issue) => wanted.every((w) => issue.labels.some((l) => l.toLowerCase() === w)))
        .filter((issue) => !creator || issue.user.toLowerCase() === creator.toLowerCase())
        .sort((a, b) => {
          const field = sort === 'updated' ? 'updatedAt' : 'createdAt';
          const order = a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : a.number - b.number;
          return direction === 'asc' ? order : -order;
        });
      const page = paginate(req, selected);
      return { ...page, body: page.body.map((issue) => issueJson(store, owner, repo, issue)) };
    }
    if (method === 'POST') {
      if (typeof body.title !== 'string' || !body.title)
        return error(422, 'Validation Failed', { errors: [{ field: 'title', code: 'missing_field' }] });
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      const labels = Array.isArray(body.labels) ? body.labels.map(String) : [];
      for (const name of labels) store.ensureLabel(owner, repo, name);
      const at = store.now();
      const issue: StoredIssue = {
        number: store.nextNumber(owner, repo),
        title: body.title,
        body: typeof body.body === 'string' ? body.body : '',
        state: 'open',
        stateReason: null,
        labels,
        user: store.actor,
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        comments: [],
      };
      issues.push(issue);
      return { status: 201, body: issueJson(store, owner, repo, issue) };
    }
    return error(404, 'Not Found');
  }

  // /issues/comments/{id}
  if (rest[0] === 'comments' && rest.length === 2) {
    const found = store.findComment(owner, repo, Number(rest[1]));
    if (!found) return error(404, 'Not Found');
    if (method === 'GET')
      return { status: 200, body: commentJson(store, owner, repo, found.issue, found.comment) };
    if (method === 'PATCH') {
      if (typeof body.body !== 'string')
        return error(422, 'Validation Failed', { errors: [{ field: 'body', code: 'missing_field' }] });
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      found.comment.body = body.body;
      found.comment.updatedAt = store.now();
      return { status: 200, body: commentJson(store, owner, repo, found.issue, found.comment) };
    }
    if (method === 'DELETE') {
      found.issue.comments = found.issue.comments.filter((c) => c.id !== found.comment.id);
      return { status: 204 };
    }
    return error(404, 'Not Found');
  }

  const issue = store.find(owner, repo, Number(rest[0]));
  if (!issue) return error(404, 'Not Found');

  // /issues/{n}
  if (rest.length === 1) {
    if (method === 'GET') return { status: 200, body: issueJson(store, owner, repo, issue) };
    if (method === 'PATCH') {
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') {
        return error(422, 'Validation Failed', { errors: [{ field: 'state', code: 'invalid' }] });
      }
      if (typeof body.title === 'string') issue.title = body.title;
      if (typeof body.body === 'string') issue.body = body.body;
      if (Array.isArray(body.labels)) {
        issue.labels = body.labels.map(String);
        for (const name of issue.labels) store.ensureLabel(owner, repo, name);
      }
      const at = store.now();
      if (body.state === 'closed' && issue.state !== 'closed') {
        issue.state = 'closed';
        issue.closedAt = at;
        issue.stateReason = typeof body.state_reason === 'string' ? body.state_reason : 'completed';
      } else if (body.state === 'open' && issue.state !== 'open') {
        issue.state = 'open';
        issue.closedAt = null;
        issue.stateReason = 'reopened';
      } else if (typeof body.state_reason === 'string') {
        issue.stateReason = body.state_reason;
      }
      issue.updatedAt = at;
      return { status: 200, body: issueJson(store, owner, repo, issue) };
    }
    return error(404, 'Not Found');
  }

  // /issues/{n}/comments
  if (rest.length === 2 && rest[1] === 'comments') {
    if (method === 'GET') {
      const page = paginate(req, issue.comments);
      return { ...page, body: page.body.map((c) => commentJson(store, owner, repo, issue, c)) };
    }
    if (method === 'POST') {
      if (typeof body.body !== 'string' || !body.body)
        return error(422, 'Validation Failed', { errors: [{ field: 'body', code: 'missing_field' }] });
      const invalid = tooLong('body', body.body);
      if (invalid) return invalid;
      const at = store.now();
      const comment: FakeComment = {
        id: store.id(),
        body: body.body,
        user: store.actor,
        createdAt: at,
        updatedAt: at,
      };
      issue.comments.push(comment);
      issue.updatedAt = at;
      return { status: 201, body: commentJson(store, owner, repo, issue, comment) };
    }
    return error(404, 'Not Found');
  }

  // /issues/{n}/labels
  if (rest.length === 2 && rest[1] === 'labels') {
    if (method === 'GET')
      return paginate(
        req,
        issue.labels.map((name) => store.ensureLabel(owner, repo, name)),
      );
    if (method === 'POST' || method === 'PUT') {
      const names = Array.isArray(body.labels) ? body.labels.map(String) : [];
      issue.labels = method === 'PUT' ? names : [...new Set([...issue.labels, ...names])];
      for (const name of issue.labels) store.ensureLabel(owner, repo, name);
      issue.updatedAt = store.now();
      return { status: 200, body: issue.labels.map((name) => store.ensureLabel(owner, repo, name)) };
    }
  }
  return error(404, 'Not Found');
}
