/**
 * RepoSnapshot: everything a check may read about one repository. Produced by `github/collect`,
 * consumed by `checks/`. No GitHub API type leaks past this file: the collector maps API shapes here.
 */

/** The content of one file as GitHub returned it. */
export type FileContent =
  /** Text GitHub returned in full. */
  | { kind: 'text'; text: string; byteSize: number }
  /** GitHub says the blob is binary (`Blob.text` is null). */
  | { kind: 'binary'; byteSize: number }
  /** The blob is larger than GitHub returns (`Blob.isTruncated`); its text is not usable. */
  | { kind: 'truncated'; byteSize: number }
  /** The file exists (it is in a tree listing) but its content was not read, and why. */
  | { kind: 'unread'; reason: string };

export type TreeEntryType = 'blob' | 'tree' | 'commit' | 'symlink';

export interface TreeEntry {
  /** Entry name, e.g. `README.md`. */
  name: string;
  /** Full path from the repository root, e.g. `.github/SECURITY.md`. */
  path: string;
  type: TreeEntryType;
}

export interface Release {
  tagName: string;
  name: string | null;
  /** ISO-8601; null for drafts. */
  publishedAt: string | null;
  createdAt: string;
  isPrerelease: boolean;
  isDraft: boolean;
  url: string;
}

export interface Tag {
  name: string;
  /** ISO-8601 tagger date of an annotated tag, otherwise the tagged commit's date; null if unknown. */
  date: string | null;
}

/** A part of the repository that could not be read; checks that need it answer `error`. */
export interface ReadProblem {
  /** What could not be read: `tree`, `owners`, `workflows`, `releases`, `tags`, `readme`, a path… */
  part: string;
  message: string;
}

export interface RepoSnapshot {
  owner: string;
  name: string;
  /** `owner/name` */
  nameWithOwner: string;
  /** https://github.com/owner/name (or the GHES host) */
  url: string;
  description: string | null;
  archived: boolean;
  fork: boolean;
  private: boolean;
  template: boolean;
  /** GitHub's `isEmpty`: no commits. */
  empty: boolean;
  /** Name of the default branch; null for an empty repository. */
  defaultBranch: string | null;
  /** ISO-8601 committed date of the newest commit on the default branch. */
  lastCommitDate: string | null;
  pushedAt: string | null;
  topics: string[];
  /** The primary language GitHub detects (null: none); absent when not collected. */
  primaryLanguage?: string | null;
  /** `public`, `private` or `internal`; absent when not collected (then `private` decides). */
  visibility?: 'public' | 'private' | 'internal';
  /** The license GitHub detected; `spdxId` is `NOASSERTION` or null when GitHub cannot identify it. */
  license: { spdxId: string | null; name: string } | null;
  /** Entries at the root of the default branch; null when there is no tree (empty repository). */
  rootEntries: TreeEntry[] | null;
  /** Entries of `.github/` and `docs/` directories at the root (null when absent). */
  githubEntries: TreeEntry[] | null;
  docsEntries: TreeEntry[] | null;
  /**
   * Contents of the files the checks read, by path: `OWNERS`, `OWNERS_ALIASES`, the root README,
   * and every `.github/workflows/*.yml|yaml`. A path absent here and absent from the tree does not exist.
   */
  files: Record<string, FileContent>;
  /** Newest releases first (as many as collected). */
  releases: Release[];
  /** Tags as collected (newest tagged commits first); the checks sort by version themselves. */
  tags: Tag[];
  /** Whether `releases`/`tags` may be incomplete (more exist than were collected). */
  releasesTruncated: boolean;
  tagsTruncated: boolean;
  /** Organization custom property values for this repository (REST), when read. */
  customProperties: Record<string, string | string[] | null>;
  /**
   * OWNERS files below the root, when the audit looked for them (only when a check needs them): their
   * paths (texts in `files`) and how many folder levels below the root were searched. Undefined = not
   * looked for; a failed read is a `problems` entry with part `owners-tree`.
   */
  nestedOwners?: { paths: string[]; depth: number };
  /** Parts that could not be read. */
  problems: ReadProblem[];
  /**
   * Reads that cost extra points, made only for repositories whose declared or candidate tier asks for
   * them (github/extras.ts): absent when not read.
   */
  branchProtection?: ExtraRead<BranchProtection>;
  issueResponses?: ExtraRead<IssueSample>;
}

/** Reads beyond the page query, which cost points (made only where a tier asks for them). */
export type ExtraReadKind = 'branch-protection' | 'issue-responses';

/** The answer of a read made after the page (see `RepoSnapshot.branchProtection`). */
export type ExtraRead<T> = { state: 'read'; value: T } | { state: 'error'; message: string };

/** A rule of an active ruleset that applies to the default branch and requires a pull request. */
export interface PullRequestRule {
  /** Name of the ruleset (repository or organization level); null when GitHub does not say. */
  ruleset: string | null;
  requiredApprovals: number;
}

/** The classic branch protection rule matching the default branch. */
export interface ClassicProtection {
  pattern: string;
  requiresPullRequest: boolean;
  requiredApprovals: number;
}

export interface BranchProtection {
  branch: string;
  /** Pull-request rules of active rulesets (readable with read access to the repository). */
  pullRequestRules: PullRequestRule[];
  /** Names of rulesets applying to the branch only in evaluate mode (not enforced). */
  evaluateOnly: string[];
  /** The classic rule; null when there is none (or when it could not be read: see `classicReadable`). */
  classic: ClassicProtection | null;
  /** Whether the token may read classic branch protection (admin access to the repository). */
  classicReadable: boolean;
  /** The token's permission on the repository, as GitHub reports it (`ADMIN`, `WRITE`, `READ`…). */
  viewerPermission: string | null;
}

/** An issue opened in the sampled window, with its first comments. */
export interface SampledIssue {
  number: number;
  url: string;
  createdAt: string;
  closedAt: string | null;
  author: string | null;
  authorIsBot: boolean;
  /** GitHub's author association (`OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `NONE`…). */
  authorAssociation: string;
  /** The first comments, oldest first (at most `IssueSample.commentsPerIssue`). */
  comments: { author: string | null; authorIsBot: boolean; authorAssociation: string; createdAt: string }[];
}

export interface IssueSample {
  /** The newest issues (pull requests excluded), newest first. */
  issues: SampledIssue[];
  /** How many issues were asked for: when `issues.length` reaches it, older ones were not read. */
  limit: number;
  commentsPerIssue: number;
  /** Whether issues are enabled on the repository. */
  hasIssuesEnabled: boolean;
}

/** Facts about the organization shared by all repositories. */
export interface OrgContext {
  login: string;
  /** Web URL base, e.g. https://github.com */
  webUrl: string;
  /**
   * Paths of community health files in the organization's public `.github` repository
   * (e.g. `SECURITY.md`, `.github/SECURITY.md`, `docs/CONTRIBUTING.md`); empty when that repository
   * does not exist or is private (GitHub then provides no defaults); null when it could not be read.
   */
  communityFiles: string[] | null;
  /** Name of that repository, normally `.github`. */
  communityRepository: string;
}

/** A repository the organization lists but that could not be read, and why (evaluated as `error`). */
export interface UnreadableRepository {
  name: string;
  nameWithOwner: string;
  url: string;
  archived: boolean | null;
  reason: string;
}
