/**
 * People: what the audit verified about the logins OWNERS files name (does the account exist, is it a
 * member of the audited organization, has it contributed lately), and about the teams a policy names.
 * Filled by the people stage (src/github/people.ts) before each page of repositories is evaluated,
 * read by the checks through `CheckContext.people`. No GitHub API type here.
 *
 * Every fact is three-valued: `unknown` (with the reason, naming the permission that would resolve it
 * when there is one) is never turned into "no".
 */

export type Verdict = 'yes' | 'no' | 'unknown';

export interface PersonFacts {
  /** Normalised login (lower-case, no `@`). */
  login: string;
  /**
   * `no`: GitHub has no user account by that login (renamed, deleted, never existed, or an
   * organization's login). GitHub does not say which.
   */
  account: Verdict;
  /** Member of the audited organization. */
  member: Verdict;
  /** Why `member` is `unknown`. */
  memberNote?: string;
  /**
   * Contributed to the organization (commits, pull requests, reviews, issues) since each asked cutoff
   * day (`YYYY-MM-DD` → verdict).
   */
  activeSince: Record<string, Verdict>;
  /** Why an `activeSince` verdict is `unknown`. */
  activityNote?: string;
}

/**
 * Whether a person who is not a (visible) member of the organization is an outside collaborator of one
 * repository with write access (`WRITE`, `MAINTAIN` or `ADMIN`), which makes them count as a member for
 * that repository. `unknown` when the token cannot list the repository's collaborators (`note` says
 * why and what would resolve it).
 */
export interface CollaboratorFacts {
  /** Normalised login. */
  login: string;
  repository: string;
  write: Verdict;
  /** The permission GitHub reports (`WRITE`, `READ`…) when the person is an outside collaborator. */
  permission?: string;
  note?: string;
}

export interface TeamFacts {
  slug: string;
  /** Normalised logins; null when the team could not be read (`note` says why). */
  members: string[] | null;
  note?: string;
}

/** What the checks may ask about people; `undefined` = not verified by this audit. */
export interface PeopleDirectory {
  person(login: string): PersonFacts | undefined;
  team(slug: string): TeamFacts | undefined;
  /** Outside-collaborator access of a person to a repository (read only when membership is not `yes`). */
  collaborator(repository: string, login: string): CollaboratorFacts | undefined;
}

/** What the policy needs verified (derived from the checks' parameters). */
export interface PeopleNeeds {
  /** Verify accounts and organization membership. */
  membership: boolean;
  /** Contribution windows to verify, in days before the audit clock (distinct, ascending). */
  activityWindows: number[];
  /**
   * Read, for the approvers who are not visible members, whether they are outside collaborators with
   * write access to the repository that lists them (batched, only those pairs).
   */
  collaborators: boolean;
  /** Team slugs whose members are read. */
  teams: string[];
  /** Read the OWNERS files below the root (owners-tree). */
  nestedOwners: boolean;
}

export const NO_PEOPLE_NEEDS: PeopleNeeds = {
  membership: false,
  collaborators: false,
  activityWindows: [],
  teams: [],
  nestedOwners: false,
};

export function needsAnything(needs: PeopleNeeds): boolean {
  return needs.membership || needs.activityWindows.length > 0 || needs.teams.length > 0 || needs.nestedOwners;
}

const DAY_MS = 86_400_000;

/** The cutoff day of an activity window: `now` minus `days`, as `YYYY-MM-DD` (UTC). */
export function activityCutoffDay(now: Date, days: number): string {
  return new Date(now.getTime() - days * DAY_MS).toISOString().slice(0, 10);
}

/** A directory held in memory; the people stage fills it, tests build it directly. */
export class PeopleBook implements PeopleDirectory {
  private readonly people = new Map<string, PersonFacts>();
  private readonly teams = new Map<string, TeamFacts>();
  private readonly collaborators = new Map<string, CollaboratorFacts>();

  person(login: string): PersonFacts | undefined {
    return this.people.get(login.toLowerCase());
  }

  team(slug: string): TeamFacts | undefined {
    return this.teams.get(slug.toLowerCase());
  }

  collaborator(repository: string, login: string): CollaboratorFacts | undefined {
    return this.collaborators.get(collaboratorKey(repository, login));
  }

  hasCollaborator(repository: string, login: string): boolean {
    return this.collaborators.has(collaboratorKey(repository, login));
  }

  setCollaborator(facts: CollaboratorFacts): void {
    this.collaborators.set(collaboratorKey(facts.repository, facts.login), facts);
  }

  /** (repository, person) pairs whose outside-collaborator access was read. */
  get collaboratorPairs(): number {
    return this.collaborators.size;
  }

  has(login: string): boolean {
    return this.people.has(login.toLowerCase());
  }

  setPerson(facts: PersonFacts): void {
    this.people.set(facts.login.toLowerCase(), facts);
  }

  setTeam(facts: TeamFacts): void {
    this.teams.set(facts.slug.toLowerCase(), facts);
  }

  get size(): number {
    return this.people.size;
  }

  /** Every verified person (for counts in logs and the bench). */
  all(): PersonFacts[] {
    return [...this.people.values()];
  }
}

function collaboratorKey(repository: string, login: string): string {
  return `${repository.toLowerCase()}\n${login.toLowerCase()}`;
}

const LOGIN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){0,38}$/i;

/** Whether a login could be a GitHub user's (letters, digits, single inner hyphens, at most 39). */
export function isLoginSyntax(login: string): boolean {
  return LOGIN.test(login);
}
