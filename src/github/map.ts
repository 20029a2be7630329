/** Maps GitHub API shapes to `RepoSnapshot` (src/snapshot.ts): no API type goes further than here. */
import type {
  FileContent,
  ReadProblem,
  Release,
  RepoSnapshot,
  Tag,
  TreeEntry,
  TreeEntryType,
} from '../snapshot.js';
import type { FactsStamp } from '../facts/store.js';
import { readmeEntries } from '../readme-file.js';
import type { GraphqlError } from './client.js';
import {
  DEPENDABOT_ALIASES,
  OWNERS_TREE_DEPTH,
  README_ALIASES,
  TAGS_PER_REPOSITORY,
  type BlobFields,
  type ListingFields,
  type NestedEntryFields,
  type RepositoryFields,
  type TreeEntryFields,
  type TreeFields,
} from './queries.js';

const MODE_SYMLINK = 0o120000;

export { OWNERS_TREE_DEPTH };

/** Paths of files named OWNERS below the root (not the root one), folders first by depth. */
export function nestedOwnersPaths(entries: NestedEntryFields[] | null | undefined, dir = ''): string[] {
  const found: string[] = [];
  for (const entry of entries ?? []) {
    const path = dir ? `${dir}/${entry.name}` : entry.name;
    if (dir && entry.name === 'OWNERS' && entry.type === 'blob') found.push(path);
    if (entry.type === 'tree') found.push(...nestedOwnersPaths(entry.object?.entries, path));
  }
  return found.sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

/** Response field (alias) → snapshot part named in `problems`. */
const PART_OF_FIELD: Record<string, string> = {
  root: 'tree',
  owners: 'owners',
  ownersAliases: 'owners',
  dotGithub: '.github',
  workflows: 'workflows',
  docs: 'docs',
  repositoryTopics: 'topics',
  licenseInfo: 'license',
  latestRelease: 'releases',
  tags: 'tags',
  defaultBranchRef: 'default branch',
  ...Object.fromEntries(Object.keys(README_ALIASES).map((alias) => [alias, 'readme'])),
  ...Object.fromEntries(Object.keys(DEPENDABOT_ALIASES).map((alias) => [alias, 'dependabot'])),
};

export function partOfField(field: string): string {
  return PART_OF_FIELD[field] ?? field;
}

function entryType(entry: TreeEntryFields): TreeEntryType {
  if (entry.mode === MODE_SYMLINK) return 'symlink';
  if (entry.type === 'tree' || entry.type === 'commit') return entry.type;
  return 'blob';
}

export function mapEntries(tree: Partial<TreeFields> | null | undefined, dir: string): TreeEntry[] | null {
  if (!tree || !Array.isArray(tree.entries)) return null;
  return tree.entries.map((entry) => ({
    name: entry.name,
    path: entry.path ?? (dir ? `${dir}/${entry.name}` : entry.name),
    type: entryType(entry),
  }));
}

/** A blob as a `FileContent`; null when the object is absent (file missing) or not a blob. */
export function mapBlob(blob: Partial<BlobFields> | null | undefined): FileContent | null {
  if (!blob || typeof blob.byteSize !== 'number') return null;
  if (blob.isBinary === true) return { kind: 'binary', byteSize: blob.byteSize };
  if (blob.isTruncated === true) return { kind: 'truncated', byteSize: blob.byteSize };
  if (typeof blob.text !== 'string') return { kind: 'binary', byteSize: blob.byteSize };
  return { kind: 'text', text: blob.text, byteSize: blob.byteSize };
}

/**
 * Root README names the page query did not read (its aliases cover the common spellings): the
 * collector reads these with a follow-up query. Empty when an alias already caught a README.
 */
export function unreadReadmes(snapshot: RepoSnapshot): string[] {
  if (!snapshot.rootEntries) return [];
  const readmes = readmeEntries(snapshot);
  if (readmes.some((e) => e.path in snapshot.files)) return [];
  return readmes.map((e) => e.path);
}

/**
 * Maps one repository node. `errors` are the partial errors GitHub reported under this node (their path
 * relative to the node: `['latestRelease']`, `['owners', 'text']`…): each becomes a `problems` entry.
 */
export function mapRepository(node: RepositoryFields, errors: GraphqlError[] = []): RepoSnapshot {
  const problems: ReadProblem[] = [];
  const failedFields = new Set<string>();
  // An error inside the folders below the root (`root.entries.N.object…`): that listing is left unmapped,
  // so the owners-tree reads (src/github/owners-tree.ts) ask again; the root itself was read.
  let nestedFailed = false;
  for (const error of errors) {
    if (error.path?.[0] === 'root' && error.path[1] === 'entries' && error.path[3] === 'object') {
      nestedFailed = true;
      continue;
    }
    const field = typeof error.path?.[0] === 'string' ? error.path[0] : null;
    if (field) failedFields.add(field);
    problems.push({ part: field ? partOfField(field) : 'repository', message: error.message });
  }

  const rootEntries = node.isEmpty || !node.defaultBranchRef ? null : mapEntries(node.root, '');
  if (!node.isEmpty && node.defaultBranchRef && rootEntries === null && !failedFields.has('root')) {
    problems.push({ part: 'tree', message: 'the root tree of the default branch could not be listed' });
  }
  // OWNERS below the root, when the page listed the folders (`$nestedOwners`: entries carry `object`).
  const listed = node.root?.entries;
  const nestedOwners =
    rootEntries && !nestedFailed && Array.isArray(listed) && listed.some((e) => e.object !== undefined)
      ? { paths: nestedOwnersPaths(listed), depth: OWNERS_TREE_DEPTH }
      : undefined;
  const files: Record<string, FileContent> = {};
  const addFile = (path: string, blob: Partial<BlobFields> | null | undefined) => {
    const content = mapBlob(blob);
    if (content) files[path] = content;
  };
  addFile('OWNERS', node.owners);
  addFile('OWNERS_ALIASES', node.ownersAliases);
  for (const [alias, name] of Object.entries(README_ALIASES)) {
    const blob = node[alias as keyof RepositoryFields] as Partial<BlobFields> | null | undefined;
    // `HEAD:readme.md` also answers for README.md on a case-insensitive lookup: keep the real name.
    const listed = rootEntries?.find((e) => e.name === name);
    if (rootEntries && !listed) continue;
    addFile(name, blob);
  }
  // A file the root lists but whose content did not come back: say so rather than pretend it is absent.
  for (const name of ['OWNERS', 'OWNERS_ALIASES']) {
    const listed = rootEntries?.find((e) => e.name === name && e.type !== 'tree');
    if (listed && !(name in files)) {
      files[name] = { kind: 'unread', reason: 'GitHub returned no content for this file' };
    }
  }

  // Dependabot's configuration: kept under its real path when `.github/` lists it (the lookup may be
  // case-insensitive); listed but without content is said so rather than treated as absent.
  const githubListing = rootEntries === null ? null : mapEntries(node.dotGithub, '.github');
  for (const [alias, path] of Object.entries(DEPENDABOT_ALIASES)) {
    const listed = githubListing?.find((e) => e.path === path && e.type !== 'tree');
    if (!listed) continue;
    const blob = node[alias as keyof RepositoryFields] as Partial<BlobFields> | null | undefined;
    files[path] = mapBlob(blob) ?? { kind: 'unread', reason: 'GitHub returned no content for this file' };
  }

  const workflowEntries = node.workflows?.entries ?? null;
  for (const entry of workflowEntries ?? []) {
    if (entry.type !== 'blob' || !/\.ya?ml$/i.test(entry.name)) continue;
    const path = entry.path ?? `.github/workflows/${entry.name}`;
    files[path] = mapBlob(entry.object) ?? {
      kind: 'unread',
      reason: 'GitHub returned no content for this file',
    };
  }

  // Only GitHub's "Latest" release is read (a plain field, no connection cost): newer pre-releases and
  // other release lines come from the tags.
  const latest = node.latestRelease;
  const releases: Release[] = latest
    ? [
        {
          tagName: latest.tagName,
          name: latest.name,
          publishedAt: latest.isDraft ? null : latest.publishedAt,
          createdAt: latest.createdAt,
          isPrerelease: latest.isPrerelease,
          isDraft: latest.isDraft,
          url: latest.url,
        },
      ]
    : [];
  const tags: Tag[] = (node.tags?.nodes ?? [])
    .filter((t): t is NonNullable<typeof t> => t !== null)
    .map((t) => {
      const target = t.target;
      const date =
        target?.__typename === 'Tag'
          ? (target.tagger?.date ?? target.target?.committedDate ?? null)
          : (target?.committedDate ?? null);
      return { name: t.name, date: date ? normalizeDate(date) : null };
    });

  return {
    ...listedFacts(node),
    primaryLanguage: node.primaryLanguage === undefined ? undefined : (node.primaryLanguage?.name ?? null),
    visibility: visibilityOf(node.visibility),
    license: node.licenseInfo ? { spdxId: node.licenseInfo.spdxId, name: node.licenseInfo.name } : null,
    rootEntries,
    githubEntries: githubListing,
    docsEntries: rootEntries === null ? null : mapEntries(node.docs, 'docs'),
    files,
    releases,
    tags,
    // Never truncated: the latest release is by definition the newest release that counts (older ones
    // cannot be newer, and pre-releases/drafts are not "latest"); the tags carry the rest.
    releasesTruncated: false,
    tagsTruncated: (node.tags?.totalCount ?? 0) > tags.length && tags.length >= TAGS_PER_REPOSITORY,
    customProperties: {},
    ...(nestedOwners ? { nestedOwners } : {}),
    problems,
  };
}

/** Git timestamps may carry an offset (`2024-05-01T10:00:00+02:00`): keep ISO-8601 UTC. */
function normalizeDate(value: string): string {
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

const COMMUNITY_FILE =
  /^(security|contributing|code_of_conduct|support|governance|funding|codeowners)(\.[a-z0-9]+)?$/i;
const COMMUNITY_DIR = /^(issue_template|pull_request_template|discussion_template)$/i;

/** Community health files of the org's `.github` repository: paths in its root, `.github/` and `docs/`. */
export function communityFilePaths(trees: {
  root: Partial<TreeFields> | null;
  dotGithub: Partial<TreeFields> | null;
  docs: Partial<TreeFields> | null;
}): string[] {
  const paths: string[] = [];
  for (const [tree, dir] of [
    [trees.root, ''],
    [trees.dotGithub, '.github'],
    [trees.docs, 'docs'],
  ] as const) {
    for (const entry of mapEntries(tree, dir) ?? []) {
      if (
        entry.type === 'tree'
          ? COMMUNITY_DIR.test(entry.name)
          : COMMUNITY_FILE.test(entry.name) || /^pull_request_template\.md$/i.test(entry.name)
      ) {
        paths.push(entry.path);
      }
    }
  }
  return paths;
}

/** What tells whether a repository changed (see src/facts/store.ts), from a listing node or a full read. */
export function stampOf(node: {
  id: string;
  pushedAt: string | null;
  defaultBranchRef: { target: { oid?: string } | null } | null;
  latestRelease: { tagName: string } | null;
}): FactsStamp {
  return {
    id: node.id,
    pushedAt: node.pushedAt,
    headOid: node.defaultBranchRef?.target?.oid ?? null,
    latestRelease: node.latestRelease?.tagName ?? null,
  };
}

/**
 * Stored facts brought up to date with this run's listing: what every run reads again (name, flags,
 * description, topics, default branch) comes from the listing, the contents from the stored facts.
 */
export function withListing(facts: RepoSnapshot, node: ListingFields): RepoSnapshot {
  return { ...facts, ...listedFacts(node), customProperties: {} };
}

/** What the listing and the full read both give: names, flags, description, default branch, topics. */
function listedFacts(node: Omit<ListingFields, 'id' | 'latestRelease'>) {
  const [owner] = node.nameWithOwner.split('/');
  return {
    owner,
    name: node.name,
    nameWithOwner: node.nameWithOwner,
    url: node.url,
    description: node.description,
    archived: node.isArchived,
    fork: node.isFork,
    private: node.isPrivate,
    template: node.isTemplate,
    empty: node.isEmpty,
    defaultBranch: node.defaultBranchRef?.name ?? null,
    lastCommitDate: node.defaultBranchRef?.target?.committedDate ?? null,
    pushedAt: node.pushedAt,
    topics: (node.repositoryTopics?.nodes ?? []).flatMap((t) => (t ? [t.topic.name] : [])),
  } satisfies Partial<RepoSnapshot>;
}

function visibilityOf(value: string | null | undefined): RepoSnapshot['visibility'] {
  const lower = value?.toLowerCase();
  return lower === 'public' || lower === 'private' || lower === 'internal' ? lower : undefined;
}
