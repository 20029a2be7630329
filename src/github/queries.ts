/**
 * Named GraphQL documents, one per purpose, with the TypeScript shapes of their answers.
 * Page cost (GitHub's algorithm, measured in test/github): `repositories(first: 100)` plus two nested
 * connections (topics, tags) = (1 + 2 × 100) / 100 → 2 points per 100 repositories, one request.
 * Releases are read through `latestRelease` (GitHub's "Latest" release: the newest non-draft,
 * non-prerelease one), a plain field rather than a connection, so it costs nothing; the tags (newest
 * first) still cover pre-releases and projects that only tag. Tree listings (`object(expression:)`,
 * `entries`) and blob texts are not connections and cost nothing either.
 */

/** Connections nested under each repository of a page: each adds one request per repository. */
export const NESTED_CONNECTIONS_PER_REPOSITORY = 2;

/** How many tags / topics one page reads per repository. */
export const TAGS_PER_REPOSITORY = 20;
export const TOPICS_PER_REPOSITORY = 20;

/** README names the page query reads directly (by alias); any other README name is read by a follow-up. */
export const README_ALIASES: Record<string, string> = {
  readmeMd: 'README.md',
  readmePlain: 'README',
  readmeRst: 'README.rst',
  readmeAdoc: 'README.adoc',
  readmeLowerMd: 'readme.md',
  readmeTitleMd: 'Readme.md',
};

/** Dependabot's configuration, read in the page (blob texts cost nothing): alias → path. */
export const DEPENDABOT_ALIASES: Record<string, string> = {
  dependabotYml: '.github/dependabot.yml',
  dependabotYaml: '.github/dependabot.yaml',
};

const BLOB_FIELDS = `fragment BlobFields on Blob {
  text
  isBinary
  isTruncated
  byteSize
}`;

const TREE_FIELDS = `fragment TreeFields on Tree {
  entries {
    name
    path
    type
    mode
  }
}`;

/** Folder levels below the root searched for OWNERS (`a/OWNERS`, `a/b/OWNERS`). */
export const OWNERS_TREE_DEPTH = 2;

/**
 * A tree's entries (names and types) and, `depth` levels down, the entries of the folders among them:
 * the one shape both the page (NESTED_OWNERS_FIELDS) and `OwnersTrees` ask for. `pad` indents the text.
 */
export function treeLevels(depth: number, pad: string): string {
  const below =
    depth === 0
      ? ''
      : `\n${pad}  object {\n${pad}    ... on Tree {\n${treeLevels(depth - 1, `${pad}      `)}\n${pad}    }\n${pad}  }`;
  return `${pad}entries {\n${pad}  name\n${pad}  type${below}\n${pad}}`;
}

/**
 * The folders OWNERS_TREE_DEPTH levels below the root, for `owners-tree` (OWNERS files at `a/OWNERS`,
 * `a/b/OWNERS`): the root's entries (TreeFields) with their objects, and theirs, names and types only.
 * Tree entries are not connections (no point), but each object looked up is a git object read on GitHub's
 * side, so the page asks for them only when `$nestedOwners` (the policy has `owners-tree`).
 */
const NESTED_OWNERS_FIELDS = `fragment NestedOwnersFields on Tree {
  entries {
    object @include(if: $nestedOwners) {
      ... on Tree {
${treeLevels(OWNERS_TREE_DEPTH - 1, '        ')}
      }
    }
  }
}`;

const REPOSITORY_FIELDS = `fragment RepositoryFields on Repository {
  id
  name
  nameWithOwner
  url
  description
  isArchived
  isFork
  isPrivate
  isTemplate
  isEmpty
  visibility
  primaryLanguage {
    name
  }
  pushedAt
  defaultBranchRef {
    name
    target {
      oid
      ... on Commit {
        committedDate
      }
    }
  }
  root: object(expression: "HEAD:") {
    ...TreeFields
    ...NestedOwnersFields
  }
  owners: object(expression: "HEAD:OWNERS") {
    ...BlobFields
  }
  ownersAliases: object(expression: "HEAD:OWNERS_ALIASES") {
    ...BlobFields
  }
${Object.entries(README_ALIASES)
  .map(([alias, name]) => `  ${alias}: object(expression: "HEAD:${name}") {\n    ...BlobFields\n  }`)
  .join('\n')}
  dotGithub: object(expression: "HEAD:.github") {
    ...TreeFields
  }
${Object.entries(DEPENDABOT_ALIASES)
  .map(([alias, path]) => `  ${alias}: object(expression: "HEAD:${path}") {\n    ...BlobFields\n  }`)
  .join('\n')}
  workflows: object(expression: "HEAD:.github/workflows") {
    ... on Tree {
      entries {
        name
        path
        type
        mode
        object {
          ...BlobFields
        }
      }
    }
  }
  docs: object(expression: "HEAD:docs") {
    ...TreeFields
  }
  repositoryTopics(first: ${TOPICS_PER_REPOSITORY}) {
    totalCount
    nodes {
      topic {
        name
      }
    }
  }
  licenseInfo {
    spdxId
    name
  }
  latestRelease {
    tagName
    name
    publishedAt
    createdAt
    isPrerelease
    isDraft
    url
  }
  tags: refs(refPrefix: "refs/tags/", first: ${TAGS_PER_REPOSITORY}, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
    totalCount
    nodes {
      name
      target {
        __typename
        ... on Commit {
          committedDate
        }
        ... on Tag {
          tagger {
            date
          }
          target {
            ... on Commit {
              committedDate
            }
          }
        }
      }
    }
  }
}`;

const LISTING_FIELDS = `fragment ListingFields on Repository {
  id
  name
  nameWithOwner
  url
  description
  isArchived
  isFork
  isPrivate
  isTemplate
  isEmpty
  pushedAt
  defaultBranchRef {
    name
    target {
      oid
      ... on Commit {
        committedDate
      }
    }
  }
  repositoryTopics(first: ${TOPICS_PER_REPOSITORY}) {
    totalCount
    nodes {
      topic {
        name
      }
    }
  }
  latestRelease {
    tagName
  }
}`;

const REPOSITORIES_ARGS = `first: $first, after: $after, orderBy: { field: CREATED_AT, direction: ASC }, ownerAffiliations: [OWNER]`;

/** The rate-limit fields every query asks for: each response's cost is logged and budgeted. */
export const RATE_LIMIT = `rateLimit {
    cost
    remaining
    resetAt
    limit
  }`;

/**
 * One page of the organization's repositories (the three page queries differ only in what they ask
 * of each repository): `ownerFields` of the owner, `nodes` of each repository, then `fragments`.
 */
function orgRepositoriesQuery(
  name: string,
  ownerFields: string,
  nodes: string,
  fragments: string,
  variables = '',
): string {
  return `query ${name}($org: String!, $first: Int!, $after: String${variables}) {
  ${RATE_LIMIT}
  repositoryOwner(login: $org) {
${ownerFields}    repositories(${REPOSITORIES_ARGS}) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ${nodes}
      }
    }
  }
}${fragments}`;
}

/**
 * One page of repositories with everything the checks read (2 points per 100 repositories);
 * `nestedOwners: true` adds the folders two levels below the root (see NESTED_OWNERS_FIELDS).
 */
export const ORG_REPOSITORIES_QUERY = orgRepositoriesQuery(
  'OrgRepositories',
  '    login\n',
  '...RepositoryFields',
  `\n${REPOSITORY_FIELDS}\n${TREE_FIELDS}\n${NESTED_OWNERS_FIELDS}\n${BLOB_FIELDS}`,
  ', $nestedOwners: Boolean = false',
);

/**
 * The cheap listing of an incremental audit (1 point per 100 repositories: the page plus its topics):
 * what every run refreshes (names, flags, description, topics) and what tells whether a repository
 * changed since its facts were read (`pushedAt`, the default branch's head, GitHub's latest release).
 */
export const ORG_REPOSITORY_LISTING_QUERY = orgRepositoriesQuery(
  'OrgRepositoryListing',
  '',
  '...ListingFields',
  `\n${LISTING_FIELDS}`,
);

/**
 * The heavy read of chosen repositories by node id (at most 100 ids). `nodes(ids:)` is not a connection, so
 * GitHub's published algorithm charges its nested connections once: 1 point; the collector budgets it like
 * a page of the same size (`pagePoints`), to be safe.
 */
export const REPOSITORIES_BY_ID_QUERY = `query RepositoriesById($ids: [ID!]!, $nestedOwners: Boolean = false) {
  ${RATE_LIMIT}
  nodes(ids: $ids) {
    __typename
    ... on Repository {
      ...RepositoryFields
    }
  }
}
${REPOSITORY_FIELDS}
${TREE_FIELDS}
${NESTED_OWNERS_FIELDS}
${BLOB_FIELDS}`;

/** Names only (1 point per 100): lists what could not be read, so nothing is dropped silently. */
export const ORG_REPOSITORY_NAMES_QUERY = orgRepositoriesQuery(
  'OrgRepositoryNames',
  '',
  `id
        name
        nameWithOwner
        url
        isArchived`,
  '',
);

/** The cheap first query: rate limit, owner, repository count, and the community-files repository. */
export const ORG_OVERVIEW_QUERY = `query OrgOverview($org: String!, $community: String!) {
  ${RATE_LIMIT}
  repositoryOwner(login: $org) {
    __typename
    login
    url
    repositories(first: 1, ownerAffiliations: [OWNER]) {
      totalCount
    }
  }
  community: repository(owner: $org, name: $community) {
    name
    isPrivate
    root: object(expression: "HEAD:") {
      ...TreeFields
    }
    dotGithub: object(expression: "HEAD:.github") {
      ...TreeFields
    }
    docs: object(expression: "HEAD:docs") {
      ...TreeFields
    }
  }
}
${TREE_FIELDS}`;

/** One file of one repository (the registry, the config, a README under an unusual name). */
export const REPOSITORY_FILE_QUERY = `query RepositoryFile($owner: String!, $name: String!, $expression: String!) {
  repository(owner: $owner, name: $name) {
    object(expression: $expression) {
      __typename
      ...BlobFields
    }
  }
}
${BLOB_FIELDS}`;

// ---- Answer shapes ----

export interface RateLimitFields {
  cost: number;
  remaining: number;
  resetAt: string;
  limit: number;
}

export interface BlobFields {
  text: string | null;
  isBinary: boolean | null;
  isTruncated: boolean;
  byteSize: number;
}

export interface TreeEntryFields {
  name: string;
  path: string | null;
  type: string;
  mode: number;
}

export interface TreeFields {
  entries: TreeEntryFields[] | null;
}

/** An entry of the nested listing (NESTED_OWNERS_FIELDS): `object` present only when it was asked. */
export interface NestedEntryFields {
  name: string;
  type: string;
  object?: { entries?: NestedEntryFields[] | null } | null;
}

export interface ReleaseFields {
  tagName: string;
  name: string | null;
  publishedAt: string | null;
  createdAt: string;
  isPrerelease: boolean;
  isDraft: boolean;
  url: string;
}

export interface RepositoryFields {
  id: string;
  name: string;
  nameWithOwner: string;
  url: string;
  description: string | null;
  isArchived: boolean;
  isFork: boolean;
  isPrivate: boolean;
  isTemplate: boolean;
  isEmpty: boolean;
  /** `PUBLIC`, `PRIVATE`, `INTERNAL`. */
  visibility?: string | null;
  primaryLanguage?: { name: string } | null;
  pushedAt: string | null;
  defaultBranchRef: { name: string; target: { oid?: string; committedDate?: string } | null } | null;
  /** The root listing; its entries carry `object` (the folders below) only when `$nestedOwners`. */
  root: { entries?: (TreeEntryFields & Pick<NestedEntryFields, 'object'>)[] | null } | null;
  owners: Partial<BlobFields> | null;
  ownersAliases: Partial<BlobFields> | null;
  readmeMd?: Partial<BlobFields> | null;
  readmePlain?: Partial<BlobFields> | null;
  readmeRst?: Partial<BlobFields> | null;
  readmeAdoc?: Partial<BlobFields> | null;
  readmeLowerMd?: Partial<BlobFields> | null;
  readmeTitleMd?: Partial<BlobFields> | null;
  dotGithub: Partial<TreeFields> | null;
  dependabotYml?: Partial<BlobFields> | null;
  dependabotYaml?: Partial<BlobFields> | null;
  workflows: { entries?: (TreeEntryFields & { object: Partial<BlobFields> | null })[] | null } | null;
  docs: Partial<TreeFields> | null;
  repositoryTopics: { totalCount: number; nodes: ({ topic: { name: string } } | null)[] | null } | null;
  licenseInfo: { spdxId: string | null; name: string } | null;
  /** GitHub's "Latest" release (newest non-draft, non-prerelease); null when there is none. */
  latestRelease: ReleaseFields | null;
  tags: {
    totalCount: number;
    nodes:
      | ({
          name: string;
          target: {
            __typename: string;
            committedDate?: string;
            tagger?: { date: string | null } | null;
            target?: { committedDate?: string } | null;
          } | null;
        } | null)[]
      | null;
  } | null;
}

export interface RepositoryConnectionFields<N> {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: (N | null)[] | null;
}

export interface OrgRepositoriesData {
  rateLimit: RateLimitFields | null;
  repositoryOwner: { login: string; repositories: RepositoryConnectionFields<RepositoryFields> } | null;
}

export interface RepositoryNameFields {
  id: string;
  name: string;
  nameWithOwner: string;
  url: string;
  isArchived: boolean;
}

export interface OrgRepositoryNamesData {
  rateLimit: RateLimitFields | null;
  repositoryOwner: { repositories: RepositoryConnectionFields<RepositoryNameFields> } | null;
}

export interface OrgOverviewData {
  rateLimit: RateLimitFields | null;
  repositoryOwner: {
    __typename: string;
    login: string;
    url: string;
    repositories: { totalCount: number };
  } | null;
  community: {
    name: string;
    isPrivate: boolean;
    root: Partial<TreeFields> | null;
    dotGithub: Partial<TreeFields> | null;
    docs: Partial<TreeFields> | null;
  } | null;
}

export interface RepositoryFileData {
  repository: { object: (Partial<BlobFields> & { __typename: string }) | null } | null;
}

/** A repository as the cheap listing gives it. */
export interface ListingFields {
  id: string;
  name: string;
  nameWithOwner: string;
  url: string;
  description: string | null;
  isArchived: boolean;
  isFork: boolean;
  isPrivate: boolean;
  isTemplate: boolean;
  isEmpty: boolean;
  pushedAt: string | null;
  defaultBranchRef: RepositoryFields['defaultBranchRef'];
  repositoryTopics: RepositoryFields['repositoryTopics'];
  latestRelease: { tagName: string } | null;
}

export interface OrgRepositoryListingData {
  rateLimit: RateLimitFields | null;
  repositoryOwner: { repositories: RepositoryConnectionFields<ListingFields> } | null;
}

export interface RepositoriesByIdData {
  rateLimit: RateLimitFields | null;
  nodes: ((RepositoryFields & { __typename: string }) | { __typename: string } | null)[] | null;
}
