/**
 * The data model of the in-process fake GitHub. Fixtures (test/fixtures/**, the demo organization,
 * the benchmark generator) produce `FakeOrg`s; the fake serves them through GraphQL (validated
 * against GitHub's published schema) and the REST routes the action uses.
 */

/** A file in a fake repository: its text, or a binary / too-large blob. */
export type FakeFile =
  | string
  | { binary: true; byteSize?: number }
  /** GitHub truncates large blobs (`isTruncated`); `text` is what it would return (may be partial). */
  | { truncated: true; byteSize: number; text?: string };

export interface FakeRelease {
  tagName: string;
  name?: string | null;
  /** ISO-8601; null for drafts. */
  publishedAt: string | null;
  createdAt?: string;
  isPrerelease?: boolean;
  isDraft?: boolean;
}

export interface FakeTag {
  name: string;
  /** ISO-8601 date of the tagged commit. */
  date: string;
  /** Annotated tags carry a tagger date (same as `date` here unless `taggerDate` is given). */
  annotated?: boolean;
  taggerDate?: string;
}

export interface FakeRepo {
  name: string;
  description?: string | null;
  isArchived?: boolean;
  isFork?: boolean;
  isPrivate?: boolean;
  isTemplate?: boolean;
  /** GitHub's primary language (null/absent: none detected). */
  primaryLanguage?: string | null;
  /** Overrides the visibility implied by `isPrivate` (e.g. `INTERNAL`). */
  visibility?: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  /** Null = an empty repository (no commits, no default branch). Default `main`. */
  defaultBranch?: string | null;
  /** ISO-8601 committed date of the newest commit on the default branch. */
  commitDate?: string;
  pushedAt?: string;
  createdAt?: string;
  topics?: string[];
  /** The license GitHub detected; null/absent = none detected. */
  license?: { spdxId: string | null; name: string; key?: string } | null;
  /** Files of the default branch by full path; directories are implied by the paths. */
  files?: Record<string, FakeFile>;
  /** Symlinks at any path (path → target); listed in trees with mode 120000. */
  symlinks?: Record<string, string>;
  /** Submodules (gitlinks) by path. */
  submodules?: string[];
  releases?: FakeRelease[];
  tags?: FakeTag[];
  customProperties?: Record<string, string | string[] | null>;
  hasIssuesEnabled?: boolean;
  /** The token's permission on the repository (`viewerPermission`); default `ADMIN`. */
  viewerPermission?: 'ADMIN' | 'MAINTAIN' | 'WRITE' | 'TRIAGE' | 'READ';
  /** Protection of the default branch: rulesets (`Ref.rules`) and the classic rule (admins only). */
  protection?: {
    rulesets?: {
      name: string;
      enforcement?: 'ACTIVE' | 'EVALUATE' | 'DISABLED';
      requiredApprovals?: number;
    }[];
    classic?: { pattern?: string; requiresApprovingReviews: boolean; requiredApprovingReviewCount?: number };
  };
  /**
   * Outside collaborators (not organization members) and their permission, served by
   * `collaborators(affiliation: OUTSIDE)` to a viewer with push access (`viewerPermission` WRITE,
   * MAINTAIN or ADMIN); to anyone else GitHub answers null with a FORBIDDEN error.
   */
  outsideCollaborators?: FakeCollaborator[];
  /** Issues as GraphQL serves them (`Repository.issues`), with their comments, any order. */
  issueTimeline?: FakeTimelineIssue[];
  /**
   * Access faults: `forbidden` = the repository is listed but reading it fails with a GraphQL
   * `FORBIDDEN` error (e.g. SAML enforcement), leaving that node null in a partial result.
   */
  access?: 'ok' | 'forbidden';
}

export interface FakeCollaborator {
  login: string;
  permission: 'ADMIN' | 'MAINTAIN' | 'WRITE' | 'TRIAGE' | 'READ';
}

/** A user account the fake knows (served by `user(login:)`). */
export interface FakeUser {
  login: string;
  /**
   * ISO-8601 instants of the user's contributions (commits, pull requests, reviews, issues) to the
   * organization that lists this user; the viewer sees them.
   */
  contributions?: string[];
  /** Contributions to private repositories the viewer cannot see (GitHub's "restricted" ones). */
  restrictedContributions?: string[];
}

/** A member of a fake organization; `public: false` = a concealed (hidden) membership. */
export interface FakeMember {
  login: string;
  public: boolean;
}

export interface FakeTeam {
  slug: string;
  /** Logins of the team's members (they should also be organization members). */
  members: string[];
  /** A secret team is visible only to a viewer that sees private memberships. */
  secret?: boolean;
}

export interface FakeTimelineComment {
  author: string;
  /** `OWNER`, `MEMBER`, `COLLABORATOR`, `CONTRIBUTOR`, `NONE`… */
  association: string;
  createdAt: string;
  bot?: boolean;
}

export interface FakeTimelineIssue {
  number: number;
  author: string;
  association: string;
  createdAt: string;
  closedAt?: string | null;
  bot?: boolean;
  comments?: FakeTimelineComment[];
}

export interface FakeOrg {
  login: string;
  /** A user account instead of an organization (custom properties do not exist). */
  isUser?: boolean;
  repos: FakeRepo[];
  /** Members of the organization (each also a user account). */
  members?: FakeMember[];
  /** User accounts known through this organization (members need not be listed again). */
  users?: FakeUser[];
  teams?: FakeTeam[];
}

/**
 * What the token behind the requests may see. `seesPrivateMembers: false` models the Actions
 * `GITHUB_TOKEN` (public memberships only); true models a GitHub App with Members: read or an org
 * member's classic token with read:org.
 */
export interface FakeViewer {
  seesPrivateMembers: boolean;
}

export interface FakeComment {
  id: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  stateReason?: string | null;
  labels: string[];
  user: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  comments: FakeComment[];
}

/** A request as the fake's router sees it. */
export interface FakeRequest {
  method: string;
  /** Path without the API prefix (`/api/v3` on GHES-style URLs) and without the query string. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
