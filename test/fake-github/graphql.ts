/**
 * The fake GitHub's GraphQL endpoint: every document is parsed and validated against GitHub's published
 * schema (@octokit/graphql-schema), charged with GitHub's cost algorithm (cost.ts), then executed with
 * plain-object resolvers over the FakeOrg data. Only the fields the collector uses are implemented; a
 * query asking for anything else fails like a server bug would (non-null field returned null).
 */
import { createHash } from 'node:crypto';
import { schema as githubSchema } from '@octokit/graphql-schema';
import {
  GraphQLError,
  buildSchema,
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { computeQueryCost, type QueryCost } from './cost.js';
import type {
  FakeCollaborator,
  FakeFile,
  FakeOrg,
  FakeRelease,
  FakeRepo,
  FakeTag,
  FakeTimelineIssue,
  FakeUser,
  FakeViewer,
} from './model.js';

let cachedSchema: GraphQLSchema | null = null;

/** GitHub's schema, built once per process. */
export function githubGraphqlSchema(): GraphQLSchema {
  cachedSchema ??= buildSchema(githubSchema.idl, { assumeValidSDL: true });
  return cachedSchema;
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch milliseconds. */
  resetAt: number;
  used: number;
}

export interface GithubStyleError {
  type?: string;
  message: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

export interface GraphqlOutcome {
  /** The response body. */
  body: { data?: unknown; errors?: GithubStyleError[] };
  operationName: string | null;
  /** Null when the document did not validate or the call was refused before running. */
  cost: QueryCost | null;
  /** Points deducted from the rate limit. */
  points: number;
  /** Nodes returned by connections (for the latency simulation). */
  nodesReturned: number;
  /** Git objects looked up (for the latency simulation). */
  objectsResolved: number;
  invalid: boolean;
  rateLimited: boolean;
}

interface ExecContext {
  nodes: number;
  /** Git objects (trees, blobs) looked up: the expensive part of a heavy page, for the latency model. */
  objects: number;
  cost: number;
  rateLimit: RateLimitState | null;
  webUrl: string;
  viewer: FakeViewer;
  orgs: FakeOrg[];
}

const identities = new WeakMap<FakeRepo, { id: string; seq: number }>();
let nextSeq = 1;

/** A stable node id for a fake repository object (kept across renames, which mutate `name`). */
export function repoIdentity(repo: FakeRepo): { id: string; seq: number } {
  let identity = identities.get(repo);
  if (!identity) {
    const seq = nextSeq++;
    identity = { id: Buffer.from(`010:Repository${seq}`).toString('base64'), seq };
    identities.set(repo, identity);
  }
  return identity;
}

function repoCreatedAt(repo: FakeRepo): string {
  return repo.createdAt ?? new Date(Date.UTC(2020, 0, 1) + repoIdentity(repo).seq * 60_000).toISOString();
}

function oidOf(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function toBase64(text: string): string {
  return Buffer.from(text).toString('base64');
}

interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** Index-cursor paging for small nested connections. */
function connection<T>(ctx: ExecContext, items: T[], args: PageArgs, map: (item: T) => unknown) {
  let start = 0;
  let end = items.length;
  const decode = (cursor: string) =>
    Number(
      Buffer.from(cursor, 'base64')
        .toString()
        .replace(/^cursor:/, ''),
    );
  if (args.after) start = Math.max(start, decode(args.after) + 1);
  if (args.before) end = Math.min(end, decode(args.before));
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const slice = items.slice(start, end);
  ctx.nodes += slice.length;
  const cursor = (index: number) => toBase64(`cursor:${index}`);
  return {
    totalCount: items.length,
    nodes: slice.map(map),
    edges: slice.map((item, i) => ({ cursor: cursor(start + i), node: map(item) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? cursor(start) : null,
      endCursor: slice.length > 0 ? cursor(end - 1) : null,
    },
  };
}

const MODE_FILE = 0o100644;
const MODE_TREE = 0o040000;
const MODE_SYMLINK = 0o120000;
const MODE_SUBMODULE = 0o160000;

interface FakeEntry {
  name: string;
  path: string;
  kind: 'file' | 'dir' | 'symlink' | 'submodule';
}

function listDirectory(repo: FakeRepo, dir: string): FakeEntry[] | null {
  const prefix = dir === '' ? '' : `${dir}/`;
  const children = new Map<string, FakeEntry>();
  let exists = dir === '';
  const consider = (path: string, kind: FakeEntry['kind']) => {
    if (!path.startsWith(prefix)) return;
    exists = true;
    const rest = path.slice(prefix.length);
    const slash = rest.indexOf('/');
    const name = slash === -1 ? rest : rest.slice(0, slash);
    if (!name) return;
    const entryKind = slash === -1 ? kind : 'dir';
    if (!children.has(name)) children.set(name, { name, path: prefix + name, kind: entryKind });
  };
  for (const path of Object.keys(repo.files ?? {})) consider(path, 'file');
  for (const path of Object.keys(repo.symlinks ?? {})) consider(path, 'symlink');
  for (const path of repo.submodules ?? []) consider(path, 'submodule');
  if (!exists) return null;
  // Git orders tree entries by name (bytewise).
  return [...children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function blobObject(file: FakeFile, id: string) {
  if (typeof file === 'string') {
    return {
      __typename: 'Blob',
      id,
      oid: oidOf(file),
      text: file,
      isBinary: false,
      isTruncated: false,
      byteSize: Buffer.byteLength(file),
    };
  }
  if ('binary' in file) {
    return {
      __typename: 'Blob',
      id,
      oid: oidOf(id),
      text: null,
      isBinary: true,
      isTruncated: false,
      byteSize: file.byteSize ?? 1024,
    };
  }
  return {
    __typename: 'Blob',
    id,
    oid: oidOf(id),
    text: file.text ?? '',
    isBinary: false,
    isTruncated: true,
    byteSize: file.byteSize,
  };
}

function gitObjectAt(ctx: ExecContext, repo: FakeRepo, path: string): unknown {
  const files = repo.files ?? {};
  if (path in files) return blobObject(files[path], toBase64(`Blob:${repo.name}:${path}`));
  if (repo.symlinks && path in repo.symlinks) {
    // The blob of a symlink is its target path.
    return blobObject(repo.symlinks[path], toBase64(`Blob:${repo.name}:${path}`));
  }
  const entries = listDirectory(repo, path);
  if (!entries) return null;
  return {
    __typename: 'Tree',
    id: toBase64(`Tree:${repo.name}:${path}`),
    oid: oidOf(`${repo.name}:${path}`),
    entries: entries.map((entry) => ({
      name: entry.name,
      path: entry.path,
      type: entry.kind === 'dir' ? 'tree' : entry.kind === 'submodule' ? 'commit' : 'blob',
      mode:
        entry.kind === 'dir'
          ? MODE_TREE
          : entry.kind === 'symlink'
            ? MODE_SYMLINK
            : entry.kind === 'submodule'
              ? MODE_SUBMODULE
              : MODE_FILE,
      oid: oidOf(`${repo.name}:${entry.path}`),
      extension: entry.name.includes('.') ? entry.name.slice(entry.name.lastIndexOf('.')) : null,
      object: () => {
        ctx.objects++;
        return entry.kind === 'submodule' ? null : gitObjectAt(ctx, repo, entry.path);
      },
    })),
  };
}

function commitObject(date: string, seed: string) {
  return { __typename: 'Commit', id: toBase64(`Commit:${seed}`), oid: oidOf(seed), committedDate: date };
}

function tagTarget(repo: FakeRepo, tag: FakeTag) {
  const commit = commitObject(tag.date, `${repo.name}:${tag.name}`);
  if (!tag.annotated && !tag.taggerDate) return commit;
  return {
    __typename: 'Tag',
    id: toBase64(`Tag:${repo.name}:${tag.name}`),
    oid: oidOf(`tag:${repo.name}:${tag.name}`),
    name: tag.name,
    message: '',
    tagger: { date: tag.taggerDate ?? tag.date, name: 'releaser', email: 'releaser@example.com' },
    target: commit,
  };
}

type DatedRelease = FakeRelease & { createdAt: string };

/** A repository's releases with their creation dates, newest created first (ties: the later listed first). */
function datedReleases(repo: FakeRepo): DatedRelease[] {
  const releases = (repo.releases ?? []).map((release) => ({
    ...release,
    createdAt: release.createdAt ?? release.publishedAt ?? '2024-01-01T00:00:00Z',
  }));
  releases.sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return releases.reverse();
}

/** GitHub's "Latest" release: the newest by creation date that is neither a draft nor a pre-release. */
function latestOf(repo: FakeRepo): DatedRelease | null {
  return datedReleases(repo).find((release) => !release.isDraft && !release.isPrerelease) ?? null;
}

function releaseObject(ctx: ExecContext, org: FakeOrg, repo: FakeRepo, release: DatedRelease) {
  return {
    __typename: 'Release',
    tagName: release.tagName,
    name: release.name ?? null,
    publishedAt: release.isDraft ? null : release.publishedAt,
    createdAt: release.createdAt,
    isPrerelease: release.isPrerelease ?? false,
    isDraft: release.isDraft ?? false,
    isLatest: () => latestOf(repo)?.tagName === release.tagName,
    url: `${ctx.webUrl}/${org.login}/${repo.name}/releases/tag/${encodeURIComponent(release.tagName)}`,
  };
}

function actorObject(login: string, bot?: boolean) {
  return { __typename: bot ? 'Bot' : 'User', login };
}

function issueObject(ctx: ExecContext, org: FakeOrg, repo: FakeRepo, issue: FakeTimelineIssue) {
  return {
    __typename: 'Issue',
    number: issue.number,
    url: `${ctx.webUrl}/${org.login}/${repo.name}/issues/${issue.number}`,
    createdAt: issue.createdAt,
    closedAt: issue.closedAt ?? null,
    authorAssociation: issue.association,
    author: actorObject(issue.author, issue.bot),
    comments: (args: PageArgs) =>
      connection(
        ctx,
        [...(issue.comments ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
        args,
        (comment) => ({
          __typename: 'IssueComment',
          createdAt: comment.createdAt,
          authorAssociation: comment.association,
          author: actorObject(comment.author, comment.bot),
        }),
      ),
  };
}

function repositoryObject(ctx: ExecContext, org: FakeOrg, repo: FakeRepo): Record<string, unknown> {
  const { id } = repoIdentity(repo);
  const branch = repo.defaultBranch === undefined ? 'main' : repo.defaultBranch;
  const empty = branch === null;
  const commitDate = repo.commitDate ?? repo.pushedAt ?? '2024-01-01T00:00:00Z';
  const fields = repositoryFields(ctx, org, repo, id, branch, empty, commitDate);
  if (repo.access === 'forbidden') {
    // Listed, but its contents are protected: every content field fails with GitHub's SAML error.
    const forbidden = () => {
      throw githubError('FORBIDDEN', SAML_MESSAGE, { saml_failure: true });
    };
    for (const field of [
      'defaultBranchRef',
      'object',
      'repositoryTopics',
      'licenseInfo',
      'releases',
      'latestRelease',
      'refs',
      'issues',
      'collaborators',
    ]) {
      fields[field] = forbidden;
    }
  }
  return fields;
}

const SAML_MESSAGE =
  'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.';

function repositoryFields(
  ctx: ExecContext,
  org: FakeOrg,
  repo: FakeRepo,
  id: string,
  branch: string | null,
  empty: boolean,
  commitDate: string,
): Record<string, unknown> {
  return {
    __typename: 'Repository',
    id,
    databaseId: repoIdentity(repo).seq,
    name: repo.name,
    nameWithOwner: `${org.login}/${repo.name}`,
    url: `${ctx.webUrl}/${org.login}/${repo.name}`,
    description: repo.description ?? null,
    isArchived: repo.isArchived ?? false,
    isFork: repo.isFork ?? false,
    isPrivate: repo.isPrivate ?? false,
    isTemplate: repo.isTemplate ?? false,
    isEmpty: empty,
    isDisabled: false,
    isLocked: false,
    hasIssuesEnabled: repo.hasIssuesEnabled ?? true,
    visibility: repo.visibility ?? (repo.isPrivate ? 'PRIVATE' : 'PUBLIC'),
    primaryLanguage: repo.primaryLanguage
      ? {
          __typename: 'Language',
          id: toBase64(`Language:${repo.primaryLanguage}`),
          name: repo.primaryLanguage,
          color: null,
        }
      : null,
    pushedAt: repo.pushedAt ?? (empty ? null : commitDate),
    createdAt: repoCreatedAt(repo),
    owner: () => ownerObject(ctx, org),
    viewerPermission: repo.viewerPermission ?? 'ADMIN',
    defaultBranchRef: empty
      ? null
      : {
          __typename: 'Ref',
          id: toBase64(`Ref:${repo.name}:${branch}`),
          name: branch,
          prefix: 'refs/heads/',
          // The head commit: a new commit (commitDate) changes it, a rename does not.
          target: commitObject(commitDate, `${id}:${branch}:${commitDate}`),
          // Rules of the rulesets applying to the branch: readable with read access.
          rules: (args: PageArgs) =>
            connection(ctx, repo.protection?.rulesets ?? [], args, (ruleset) => ({
              __typename: 'RepositoryRule',
              id: toBase64(`RepositoryRule:${repo.name}:${ruleset.name}`),
              type: 'PULL_REQUEST',
              repositoryRuleset: {
                __typename: 'RepositoryRuleset',
                name: ruleset.name,
                enforcement: ruleset.enforcement ?? 'ACTIVE',
              },
              parameters: {
                __typename: 'PullRequestParameters',
                requiredApprovingReviewCount: ruleset.requiredApprovals ?? 0,
                dismissStaleReviewsOnPush: false,
                requireCodeOwnerReview: false,
                requireLastPushApproval: false,
                requiredReviewThreadResolution: false,
              },
            })),
          // Classic protection: GitHub answers null to anyone without admin access.
          branchProtectionRule:
            repo.protection?.classic && (repo.viewerPermission ?? 'ADMIN') === 'ADMIN'
              ? {
                  __typename: 'BranchProtectionRule',
                  pattern: repo.protection.classic.pattern ?? branch,
                  requiresApprovingReviews: repo.protection.classic.requiresApprovingReviews,
                  requiredApprovingReviewCount: repo.protection.classic.requiredApprovingReviewCount ?? 0,
                }
              : null,
        },
    issues: (args: PageArgs & { orderBy?: { field: string; direction: string } | null }) => {
      const issues = [...(repo.issueTimeline ?? [])].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      if ((args.orderBy?.direction ?? 'ASC') === 'DESC') issues.reverse();
      return connection(ctx, issues, args, (issue) => issueObject(ctx, org, repo, issue));
    },
    // GitHub lists collaborators only to a viewer with push access; to others: null and FORBIDDEN.
    collaborators: (
      args: PageArgs & { affiliation?: string | null; login?: string | null; query?: string | null },
    ) => {
      if (!['ADMIN', 'MAINTAIN', 'WRITE'].includes(repo.viewerPermission ?? 'ADMIN')) {
        throw githubError('FORBIDDEN', 'Must have push access to view repository collaborators.');
      }
      if (args.affiliation !== 'OUTSIDE' || args.query) {
        throw new Error('fake GitHub: only collaborators(affiliation: OUTSIDE, login:) is modelled');
      }
      const wanted = args.login?.toLowerCase();
      const outside = (repo.outsideCollaborators ?? []).filter(
        (c) => wanted === undefined || c.login.toLowerCase() === wanted,
      );
      const page = connection(ctx, outside, args, (c) => c);
      const edge = (c: FakeCollaborator) => ({ node: userObject(ctx, c.login), permission: c.permission });
      return {
        ...page,
        nodes: (page.nodes as FakeCollaborator[]).map((c) => userObject(ctx, c.login)),
        edges: page.edges.map(({ cursor, node }) => ({
          cursor,
          ...edge(node as FakeCollaborator),
          permissionSources: null,
        })),
      };
    },
    object: (args: { expression?: string | null }) => {
      ctx.objects++;
      if (empty || !args.expression) return null;
      const colon = args.expression.indexOf(':');
      if (colon === -1) return null;
      const path = args.expression.slice(colon + 1).replace(/\/+$/, '');
      return gitObjectAt(ctx, repo, path);
    },
    repositoryTopics: (args: PageArgs) =>
      connection(ctx, repo.topics ?? [], args, (name) => ({
        __typename: 'RepositoryTopic',
        topic: { name },
        url: `${ctx.webUrl}/topics/${name}`,
      })),
    licenseInfo: repo.license
      ? {
          __typename: 'License',
          spdxId: repo.license.spdxId,
          name: repo.license.name,
          key: repo.license.key ?? (repo.license.spdxId ?? 'other').toLowerCase(),
        }
      : null,
    releases: (args: PageArgs & { orderBy?: { field: string; direction: string } | null }) => {
      const descending = (args.orderBy?.direction ?? 'DESC') === 'DESC';
      let releases = datedReleases(repo);
      if (args.orderBy?.field === 'NAME') {
        releases.sort((a, b) => a.tagName.localeCompare(b.tagName));
        if (descending) releases.reverse();
      } else if (!descending) {
        releases = releases.reverse();
      }
      return connection(ctx, releases, args, (release) => releaseObject(ctx, org, repo, release));
    },
    latestRelease: () => {
      const latest = latestOf(repo);
      return latest ? releaseObject(ctx, org, repo, latest) : null;
    },
    refs: (args: PageArgs & { refPrefix: string; orderBy?: { field: string; direction: string } | null }) => {
      if (args.refPrefix !== 'refs/tags/') return connection(ctx, [], args, (x) => x);
      const tags = [...(repo.tags ?? [])];
      if (args.orderBy?.field === 'TAG_COMMIT_DATE') tags.sort((a, b) => a.date.localeCompare(b.date));
      else tags.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      if (args.orderBy?.direction === 'DESC') tags.reverse();
      return connection(ctx, tags, args, (tag) => ({
        __typename: 'Ref',
        id: toBase64(`Ref:${repo.name}:tags/${tag.name}`),
        name: tag.name,
        prefix: 'refs/tags/',
        target: tagTarget(repo, tag),
      }));
    },
  };
}

function sortKey(repo: FakeRepo, field: string): string {
  switch (field) {
    case 'NAME':
      return repo.name.toLowerCase();
    case 'PUSHED_AT':
      return repo.pushedAt ?? '';
    default:
      return repoCreatedAt(repo);
  }
}

function repositoriesConnection(
  ctx: ExecContext,
  org: FakeOrg,
  args: PageArgs & { orderBy?: { field: string; direction: string } | null; isArchived?: boolean | null },
) {
  const field = args.orderBy?.field ?? 'CREATED_AT';
  const descending = args.orderBy?.direction === 'DESC';
  const keyed = org.repos
    .filter(
      (repo) =>
        args.isArchived === undefined || args.isArchived === null || !!repo.isArchived === args.isArchived,
    )
    .map((repo) => ({ repo, key: sortKey(repo, field), id: repoIdentity(repo).seq }));
  const compare = (a: { key: string; id: number }, b: { key: string; id: number }) => {
    const order = a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id;
    return descending ? -order : order;
  };
  keyed.sort(compare);
  const encode = (item: { key: string; id: number }) =>
    toBase64(`cursor:v2:${JSON.stringify([item.key, item.id])}`);
  const decode = (cursor: string): { key: string; id: number } | null => {
    try {
      const text = Buffer.from(cursor, 'base64').toString();
      if (!text.startsWith('cursor:v2:')) return null;
      const [key, id] = JSON.parse(text.slice('cursor:v2:'.length)) as [string, number];
      return { key, id };
    } catch {
      return null;
    }
  };
  // Cursors are positions in the order, so a deletion or rename between pages never repeats or skips.
  let start = 0;
  let end = keyed.length;
  if (args.after) {
    const after = decode(args.after);
    if (!after)
      throw githubError(
        'INVALID_CURSOR_ARGUMENTS',
        `\`${args.after}\` does not appear to be a valid cursor.`,
      );
    start = keyed.findIndex((item) => compare(item, after) > 0);
    if (start === -1) start = keyed.length;
  }
  if (args.before) {
    const before = decode(args.before);
    if (before) {
      const index = keyed.findIndex((item) => compare(item, before) >= 0);
      end = index === -1 ? keyed.length : index;
    }
  }
  if (typeof args.first === 'number') end = Math.min(end, start + args.first);
  if (typeof args.last === 'number') start = Math.max(start, end - args.last);
  const slice = keyed.slice(start, Math.max(start, end));
  ctx.nodes += slice.length;
  const node = (item: (typeof keyed)[number]) => repositoryObject(ctx, org, item.repo);
  return {
    totalCount: keyed.length,
    totalDiskUsage: 0,
    nodes: slice.map(node),
    edges: slice.map((item) => ({ cursor: encode(item), node: node(item) })),
    pageInfo: {
      hasNextPage: start + slice.length < keyed.length,
      hasPreviousPage: start > 0,
      startCursor: slice.length > 0 ? encode(slice[0]) : null,
      endCursor: slice.length > 0 ? encode(slice[slice.length - 1]) : null,
    },
  };
}

function ownerObject(ctx: ExecContext, org: FakeOrg): Record<string, unknown> {
  return {
    __typename: org.isUser ? 'User' : 'Organization',
    id: toBase64(`${org.isUser ? 'User' : 'Organization'}:${org.login}`),
    login: org.login,
    name: org.login,
    url: `${ctx.webUrl}/${org.login}`,
    repositories: (args: PageArgs & { orderBy?: { field: string; direction: string } | null }) =>
      repositoriesConnection(ctx, org, args),
    repository: (args: { name: string }) => {
      const repo = org.repos.find((r) => r.name.toLowerCase() === args.name.toLowerCase());
      return repo ? repositoryObject(ctx, org, repo) : null;
    },
    // Members the viewer may see: every member, or only the public ones (the Actions GITHUB_TOKEN).
    membersWithRole: (args: PageArgs) =>
      connection(ctx, visibleMembers(ctx, org), args, (member) => userObject(ctx, member.login)),
    team: (args: { slug: string }) => {
      const team = (org.teams ?? []).find((t) => t.slug.toLowerCase() === args.slug.toLowerCase());
      if (!team || (team.secret && !ctx.viewer.seesPrivateMembers)) return null;
      return {
        __typename: 'Team',
        id: toBase64(`Team:${org.login}/${team.slug}`),
        slug: team.slug,
        name: team.slug,
        members: (args: PageArgs) =>
          connection(
            ctx,
            team.members.filter((login) => memberVisible(ctx, org, login)),
            args,
            (login) => userObject(ctx, login),
          ),
      };
    },
  };
}

function visibleMembers(ctx: ExecContext, org: FakeOrg) {
  return (org.members ?? []).filter((member) => member.public || ctx.viewer.seesPrivateMembers);
}

function memberVisible(ctx: ExecContext, org: FakeOrg, login: string): boolean {
  return visibleMembers(ctx, org).some((member) => member.login.toLowerCase() === login.toLowerCase());
}

/** The user account with this login (members are accounts too); null when there is none. */
export function findUser(orgs: FakeOrg[], login: string): { login: string; record: FakeUser | null } | null {
  const key = login.toLowerCase();
  for (const org of orgs) {
    const user = (org.users ?? []).find((u) => u.login.toLowerCase() === key);
    if (user) return { login: user.login, record: user };
  }
  for (const org of orgs) {
    const member = (org.members ?? []).find((m) => m.login.toLowerCase() === key);
    if (member) return { login: member.login, record: null };
  }
  return null;
}

const YEAR_MS = 366 * 86_400_000;

function userObject(ctx: ExecContext, login: string): Record<string, unknown> {
  const found = findUser(ctx.orgs, login);
  const realLogin = found?.login ?? login;
  return {
    __typename: 'User',
    id: toBase64(`User:${realLogin}`),
    login: realLogin,
    name: null,
    url: `${ctx.webUrl}/${realLogin}`,
    // "Find an organization by its login that the user belongs to": the organization when the user is a
    // member the viewer may see (the same rule as membersWithRole: public memberships to anyone,
    // concealed ones only to a viewer that sees them), else null. Not a connection: no extra point.
    organization: (args: { login: string }) => {
      const org = ctx.orgs.find((o) => !o.isUser && o.login.toLowerCase() === args.login.toLowerCase());
      return org && memberVisible(ctx, org, realLogin) ? ownerObject(ctx, org) : null;
    },
    contributionsCollection: (args: {
      organizationID?: string | null;
      from?: string | null;
      to?: string | null;
    }) => {
      const to = args.to ? Date.parse(args.to) : Date.now();
      const from = args.from ? Date.parse(args.from) : to - 365 * 86_400_000;
      if (to - from > YEAR_MS) {
        throw githubError(
          'INVALID_ARGUMENTS',
          "The total time spanned by 'from' and 'to' must not exceed 1 year",
        );
      }
      // Contributions are recorded per organization: the one whose fixture lists the user.
      const listing = ctx.orgs.find((org) =>
        (org.users ?? []).some((u) => u.login.toLowerCase() === realLogin.toLowerCase()),
      );
      const inOrg =
        !args.organizationID ||
        (listing && toBase64(`Organization:${listing.login}`) === args.organizationID);
      const within = (dates: string[] | undefined) =>
        inOrg ? (dates ?? []).filter((d) => Date.parse(d) >= from && Date.parse(d) <= to) : [];
      const visible = within(found?.record?.contributions);
      const restricted = within(found?.record?.restrictedContributions);
      return {
        __typename: 'ContributionsCollection',
        startedAt: new Date(from).toISOString(),
        endedAt: new Date(to).toISOString(),
        hasAnyContributions: visible.length + restricted.length > 0,
        hasAnyRestrictedContributions: restricted.length > 0,
        restrictedContributionsCount: restricted.length,
      };
    },
  };
}

function githubError(type: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { githubType: type, ...extensions } });
}

function rootValue(ctx: ExecContext, orgs: FakeOrg[], viewerLogin: string) {
  const findOwner = (login: string) => orgs.find((org) => org.login.toLowerCase() === login.toLowerCase());
  return {
    // GitHub answers `viewer` for user tokens and App installation tokens alike (a bot's login keeps `[bot]`).
    viewer: () => ({
      __typename: 'User',
      id: toBase64(`User:${viewerLogin}`),
      login: viewerLogin,
      url: `${ctx.webUrl}/${viewerLogin.replace(/\[bot\]$/, '')}`,
    }),
    organization: (args: { login: string }) => {
      const org = findOwner(args.login);
      if (!org || org.isUser) {
        throw githubError(
          'NOT_FOUND',
          `Could not resolve to an Organization with the login of '${args.login}'.`,
        );
      }
      return ownerObject(ctx, org);
    },
    repositoryOwner: (args: { login: string }) => {
      const org = findOwner(args.login);
      return org ? ownerObject(ctx, org) : null;
    },
    user: (args: { login: string }) => {
      const org = findOwner(args.login);
      if (org?.isUser) return ownerObject(ctx, org);
      if (!org && findUser(orgs, args.login)) return userObject(ctx, args.login);
      throw githubError('NOT_FOUND', `Could not resolve to a User with the login of '${args.login}'.`);
    },
    repository: (args: { owner: string; name: string }) => {
      const org = findOwner(args.owner);
      const repo = org?.repos.find((r) => r.name.toLowerCase() === args.name.toLowerCase());
      if (!org || !repo) {
        throw githubError(
          'NOT_FOUND',
          `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`,
        );
      }
      if (repo.access === 'forbidden') throw githubError('FORBIDDEN', SAML_MESSAGE, { saml_failure: true });
      return repositoryObject(ctx, org, repo);
    },
    nodes: (args: { ids: string[] }) =>
      args.ids.map((id) => {
        for (const org of orgs) {
          const repo = org.repos.find((r) => repoIdentity(r).id === id);
          if (repo) return repositoryObject(ctx, org, repo);
        }
        return null;
      }),
    rateLimit: () =>
      ctx.rateLimit
        ? {
            cost: ctx.cost,
            limit: ctx.rateLimit.limit,
            remaining: ctx.rateLimit.remaining,
            resetAt: new Date(ctx.rateLimit.resetAt).toISOString(),
            used: ctx.rateLimit.used,
            nodeCount: 0,
          }
        : null,
  };
}

function formatError(error: GraphQLError): GithubStyleError {
  const { githubType, ...extensions } = (error.extensions ?? {}) as Record<string, unknown>;
  const formatted: GithubStyleError = { message: error.message };
  if (typeof githubType === 'string') formatted.type = githubType;
  if (error.path) formatted.path = [...error.path];
  if (Object.keys(extensions).length > 0) formatted.extensions = extensions;
  if (error.locations) formatted.locations = error.locations.map((l) => ({ line: l.line, column: l.column }));
  return formatted;
}

export interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/** Parses, validates, charges and runs one GraphQL request. */
export async function runGraphql(
  body: GraphqlRequestBody,
  options: {
    orgs: FakeOrg[];
    rateLimit: RateLimitState | null;
    webUrl: string;
    now: number;
    /** Login of the token's identity (`viewer`); the issue store's actor. */
    viewerLogin?: string;
    viewer?: FakeViewer;
  },
): Promise<GraphqlOutcome> {
  const outcome = (partial: Partial<GraphqlOutcome> & Pick<GraphqlOutcome, 'body'>): GraphqlOutcome => ({
    operationName: null,
    cost: null,
    points: 0,
    nodesReturned: 0,
    objectsResolved: 0,
    invalid: false,
    rateLimited: false,
    ...partial,
  });
  if (typeof body.query !== 'string') {
    return outcome({
      body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] },
      invalid: true,
    });
  }
  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return outcome({ body: { errors: [{ message: `Parse error: ${message}` }] }, invalid: true });
  }
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === 'OperationDefinition',
  );
  const operationName =
    typeof body.operationName === 'string' ? body.operationName : (operation?.name?.value ?? null);
  const schema = githubGraphqlSchema();
  const validationErrors = validate(schema, document);
  if (validationErrors.length > 0) {
    return outcome({ body: { errors: validationErrors.map(formatError) }, operationName, invalid: true });
  }
  const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<
    string,
    unknown
  >;
  const cost = computeQueryCost(schema, document, variables, operationName);
  if (cost.errors.length > 0) {
    return outcome({
      body: { errors: cost.errors.map((e) => ({ type: e.type, message: e.message })) },
      operationName,
      cost,
      invalid: cost.errors.some((e) => e.type !== 'MAX_NODE_LIMIT_EXCEEDED'),
    });
  }
  const state = options.rateLimit;
  if (state) {
    if (options.now >= state.resetAt) {
      state.remaining = state.limit;
      state.used = 0;
      state.resetAt = options.now + 3_600_000;
    }
    if (state.remaining < cost.cost) {
      return outcome({
        body: {
          errors: [
            {
              type: 'RATE_LIMITED',
              message: `API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.`,
            },
          ],
        },
        operationName,
        cost,
        rateLimited: true,
      });
    }
    state.remaining -= cost.cost;
    state.used += cost.cost;
  }
  const ctx: ExecContext = {
    nodes: 0,
    objects: 0,
    cost: cost.cost,
    rateLimit: state,
    webUrl: options.webUrl,
    viewer: options.viewer ?? { seesPrivateMembers: false },
    orgs: options.orgs,
  };
  const result = await execute({
    schema,
    document,
    rootValue: rootValue(ctx, options.orgs, options.viewerLogin ?? 'github-actions[bot]'),
    contextValue: ctx,
    variableValues: variables,
    operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
  });
  const responseBody: GraphqlOutcome['body'] = { data: result.data ?? null };
  if (result.errors && result.errors.length > 0) responseBody.errors = result.errors.map(formatError);
  return outcome({
    body: responseBody,
    operationName,
    cost,
    points: state ? cost.cost : 0,
    nodesReturned: ctx.nodes,
    objectsResolved: ctx.objects,
  });
}
