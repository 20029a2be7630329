/**
 * The people stage's I/O: verifies the logins OWNERS files name, once per audit however many
 * repositories list them, through batched GraphQL:
 * - the organization's id, once (`OrgId`, 1 point): contributions are asked per organization id;
 * - accounts, membership and contributions: one `PeopleBatch` request per 50 distinct logins
 *   (`user(login:)` aliases with `organization(login:)` — the organization when the user is a member
 *   the token may see — and `contributionsCollection(organizationID:, from:, to:)`: plain fields, no
 *   connection, so 1 point per request). The organization's member list is never paged;
 * - teams a policy names: one `OrgTeamMembers` request per 100 team members;
 * - outside collaborators: for the approvers who are not visible members only (known once their
 *   `PeopleBatch` answered), whether they are outside collaborators with write access to the repository
 *   listing them: 100 (repository, person) pairs per request (`collaborators(affiliation: OUTSIDE,
 *   login:, first: 1)` aliases: 100 one-node connections, 1 point), riding in the next `PeopleBatch`
 *   requests, in `OutsideCollaborators` requests of their own only when no batch of logins carries them;
 * - whether the token sees concealed memberships: one REST call per audit ("check organization
 *   membership for a user" answers 204/404 to a viewer that sees them and 302 to one that does not), so a
 *   login that is not a visible member is "no" to a token that sees concealed memberships and `unknown`
 *   to one that does not.
 * No request per repository. Whatever cannot be read becomes `unknown` with its reason, never "no".
 */
import type { Logger } from '../log.js';
import {
  PeopleBook,
  activityCutoffDay,
  isLoginSyntax,
  type PeopleNeeds,
  type PersonFacts,
  type Verdict,
} from '../people.js';
import {
  GitHubApiError,
  RateLimitExhaustedError,
  type GitHubClient,
  type GraphqlError,
  type GraphqlResult,
} from './client.js';
import { RATE_LIMIT, type RateLimitFields } from './queries.js';

/** Distinct logins per `PeopleBatch` request. */
export const PEOPLE_PER_REQUEST = 50;
/** (repository, person) pairs per `OutsideCollaborators` request. */
export const COLLABORATOR_PAIRS_PER_REQUEST = 100;
/** GitHub's longest `contributionsCollection` window. */
const MAX_WINDOW_DAYS = 365;
const DAY_MS = 86_400_000;

/** The permission that lets a token see concealed memberships and secret teams. */
export const MEMBERS_PERMISSION =
  'grant the GitHub App `Members: read`, or use an organization member’s classic token with `read:org`';

/** What lets a token list a repository's collaborators. */
export const COLLABORATORS_PERMISSION =
  'GitHub lists the collaborators of a repository only to a token with write (push) access to it, such as a GitHub App installed on it';

const WRITE_PERMISSIONS = new Set(['WRITE', 'MAINTAIN', 'ADMIN']);

export const ORG_ID_QUERY = `query OrgId($org: String!) {
  ${RATE_LIMIT}
  organization(login: $org) {
    id
  }
}`;

export const ORG_TEAM_MEMBERS_QUERY = `query OrgTeamMembers($org: String!, $slug: String!, $after: String) {
  ${RATE_LIMIT}
  organization(login: $org) {
    team(slug: $slug) {
      slug
      members(first: 100, after: $after, membership: ALL) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          login
        }
      }
    }
  }
}`;

interface Window {
  /** Alias prefix of this window's collections. */
  key: string;
  days: number;
  /** Chunks of at most one year, oldest first: [from, to] ISO instants. */
  chunks: [string, string][];
}

/**
 * Repository aliases asking whether people are outside collaborators: `pairs[i]` logins of repository
 * `i` (aliases `r{i}` / `c{j}`, variables `$n{i}`, `$p{i}_{j}`, owner `$owner`).
 */
function collaboratorSelections(pairs: number[]): { vars: string[]; fields: string[] } {
  if (pairs.length === 0) return { vars: [], fields: [] };
  const vars = ['$owner: String!'];
  const fields = pairs.map((count, i) => {
    vars.push(`$n${i}: String!`);
    const connections = Array.from({ length: count }, (_, j) => {
      vars.push(`$p${i}_${j}: String!`);
      return `    c${j}: collaborators(affiliation: OUTSIDE, login: $p${i}_${j}, first: 1) {\n      edges {\n        permission\n        node {\n          login\n        }\n      }\n    }`;
    }).join('\n');
    return `  r${i}: repository(owner: $owner, name: $n${i}) {\n${connections}\n  }`;
  });
  return { vars, fields };
}

/**
 * The `PeopleBatch` document for `count` logins and the given windows (aliases `u{i}`, variables
 * `$l{i}`), with each user's membership of `$org` when `membership` (alias `member`: the organization,
 * or null when the user is not a member the token may see), plus the outside-collaborator questions of
 * `pairs` (see collaboratorSelections) in the same request: 1 point whatever it holds (user fields are
 * not connections; ≤ 100 one-node connections).
 */
export function peopleBatchQuery(
  count: number,
  windows: Window[],
  pairs: number[] = [],
  membership = false,
): string {
  // Only the variables the document uses (GitHub, like any GraphQL server, rejects an unused one).
  const vars = windows.length ? ['$orgId: ID!'] : [];
  if (membership) vars.push('$org: String!');
  for (let i = 0; i < count; i++) vars.push(`$l${i}: String!`);
  windows.forEach((w) =>
    w.chunks.forEach((_, c) => vars.push(`$${w.key}f${c}: DateTime!`, `$${w.key}t${c}: DateTime!`)),
  );
  const collections = windows
    .flatMap((w) =>
      w.chunks.map(
        (_, c) =>
          `    ${w.key}c${c}: contributionsCollection(organizationID: $orgId, from: $${w.key}f${c}, to: $${w.key}t${c}) {\n      hasAnyContributions\n      hasAnyRestrictedContributions\n    }`,
      ),
    )
    .join('\n');
  const member = membership ? `    member: organization(login: $org) {\n      id\n    }\n` : '';
  const users = Array.from(
    { length: count },
    (_, i) => `  u${i}: user(login: $l${i}) {\n    login\n${member}${collections}\n  }`,
  );
  const outside = collaboratorSelections(pairs);
  const declared = [...vars, ...outside.vars];
  return `query PeopleBatch${declared.length ? `(${declared.join(', ')})` : ''} {\n  ${RATE_LIMIT}\n${[...users, ...outside.fields].join('\n')}\n}`;
}

/** The `OutsideCollaborators` document: outside-collaborator questions only (see collaboratorSelections). */
export function outsideCollaboratorsQuery(pairs: number[]): string {
  const outside = collaboratorSelections(pairs);
  return `query OutsideCollaborators(${outside.vars.join(', ')}) {\n  ${RATE_LIMIT}\n${outside.fields.join('\n')}\n}`;
}

type OutsideCollaboratorsData = { rateLimit: RateLimitFields | null } & Record<
  string,
  Record<
    string,
    { edges: ({ permission: string; node: { login: string } | null } | null)[] | null } | null
  > | null
>;

interface OrgTeamMembersData {
  rateLimit: RateLimitFields | null;
  organization: {
    team: {
      slug: string;
      members: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({ login: string } | null)[] | null;
      };
    } | null;
  } | null;
}

interface CollectionFields {
  hasAnyContributions: boolean;
  hasAnyRestrictedContributions: boolean;
}

type PeopleBatchData = { rateLimit: RateLimitFields | null } & Record<
  string,
  ({ login: string } & Record<string, CollectionFields | { id: string } | string | null>) | null
>;

export interface PeopleStageOptions {
  org: string;
  now: Date;
  needs: PeopleNeeds;
  log: Logger;
}

interface Pair {
  repository: string;
  login: string;
}

interface PairGroup {
  name: string;
  logins: string[];
}

function pairKey(pair: Pair): string {
  return `${pair.repository}\n${pair.login}`;
}

/** Consecutive pairs of one repository under one alias. */
function groupPairs(pairs: Pair[]): PairGroup[] {
  const groups: PairGroup[] = [];
  for (const pair of pairs) {
    const last = groups[groups.length - 1];
    if (last?.name === pair.repository) last.logins.push(pair.login);
    else groups.push({ name: pair.repository, logins: [pair.login] });
  }
  return groups;
}

function pairVariables(owner: string, groups: PairGroup[]): Record<string, unknown> {
  if (groups.length === 0) return {};
  const variables: Record<string, unknown> = { owner };
  groups.forEach((group, i) => {
    variables[`n${i}`] = group.name;
    group.logins.forEach((login, j) => (variables[`p${i}_${j}`] = login));
  });
  return variables;
}

function normalise(login: string): string {
  return login.trim().replace(/^@/, '').toLowerCase();
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function permissionNote(errors: GraphqlError[]): string | null {
  const refused = errors.find((e) => e.type === 'FORBIDDEN' || e.type === 'INSUFFICIENT_SCOPES');
  return refused ? `${refused.message} (${MEMBERS_PERMISSION})` : null;
}

export class PeopleStage {
  readonly book = new PeopleBook();
  /** GraphQL requests and points this stage spent (REST calls counted apart). */
  readonly cost = { requests: 0, points: 0, restRequests: 0 };
  private readonly client: GitHubClient;
  private readonly opts: PeopleStageOptions;
  private readonly windows: Window[];
  private orgRead = false;
  private orgId: string | null = null;
  private orgNote = '';
  /** Whether the token sees concealed memberships: null = not probed yet. */
  private seesConcealed: boolean | null = null;
  /** The probed login, when the probe answered that it is a member (204). */
  private probedMember: string | null = null;
  private teamsRead = false;
  /** Queued, not asked yet (see `queue`). */
  private readonly pendingLogins = new Set<string>();
  private readonly pendingPairs = new Map<string, Pair>();
  /** Pairs of logins whose membership is not answered yet: asked only if they are not visible members. */
  private readonly deferredPairs = new Map<string, Pair>();
  /** Queued repositories → their logins, until `settled`. */
  private readonly waiting = new Map<string, string[]>();

  constructor(client: GitHubClient, opts: PeopleStageOptions) {
    this.client = client;
    this.opts = opts;
    const now = opts.now.getTime();
    this.windows = opts.needs.activityWindows.map((days, index) => {
      const chunks: [string, string][] = [];
      let from = now - days * DAY_MS;
      while (from < now) {
        const to = Math.min(now, from + MAX_WINDOW_DAYS * DAY_MS);
        chunks.push([new Date(from).toISOString(), new Date(to).toISOString()]);
        from = to;
      }
      return { key: `w${index}`, days, chunks };
    });
  }

  private async graphql<T>(document: string, variables: Record<string, unknown>) {
    this.cost.requests++;
    const result = await this.client.graphql<T>(document, variables);
    const rate = (result.data as { rateLimit?: RateLimitFields | null } | null)?.rateLimit;
    if (rate) this.cost.points += rate.cost;
    return result;
  }

  /**
   * Verifies the logins each repository of a page names and, when the policy counts outside
   * collaborators, whether the ones who are not visible members have write access to that repository
   * (asked in the same requests as the logins). Never throws.
   */
  async verifyRepositories(page: { repository: string; logins: string[] }[]): Promise<void> {
    await this.queue(page);
    await this.flush(true);
  }

  /** Verifies every login not verified yet (normalised: lower-case, no `@`). Never throws. */
  async verify(logins: Iterable<string>): Promise<void> {
    await this.queue([{ repository: '', logins: [...logins] }], false);
    await this.flush(true);
  }

  /**
   * Queues what the repositories of a page need verified (logins not verified yet, outside-collaborator
   * pairs), without asking: `flush` asks in full batches, `settled` says which repositories may be
   * evaluated. So the requests hold 50 logins each however the people spread over the pages.
   */
  async queue(
    page: { repository: string; logins: string[] }[],
    pairs = this.opts.needs.collaborators,
  ): Promise<void> {
    if (!this.teamsRead) await this.readTeams();
    const { needs } = this.opts;
    if (!needs.membership && this.windows.length === 0) return;
    const wanted = [...new Set(page.flatMap((entry) => entry.logins).map(normalise))].filter(
      (login) => login && !this.book.has(login) && !this.pendingLogins.has(login),
    );
    if (wanted.length === 0 && !pairs) return;
    if (!this.orgRead) await this.readOrganization();
    for (const login of wanted) {
      if (isLoginSyntax(login)) this.pendingLogins.add(login);
      else
        this.book.setPerson({
          login,
          account: 'no',
          member: 'no',
          activeSince: Object.fromEntries(this.cutoffs().map((day) => [day, 'no' as Verdict])),
        });
    }
    if (pairs) {
      for (const pair of this.pairsToAsk(page)) {
        if (this.pendingLogins.has(pair.login)) this.deferredPairs.set(pairKey(pair), pair);
        else this.pendingPairs.set(pairKey(pair), pair);
      }
    }
    for (const { repository, logins } of page) {
      if (repository) this.waiting.set(repository, [...new Set(logins.map(normalise).filter(Boolean))]);
    }
  }

  /** Asks what is queued: full batches only, or everything (`all`). Never throws. */
  async flush(all: boolean): Promise<void> {
    // A batch is sent when its logins fill it; pairs ride along (100 a request) and get requests of
    // their own only when they pile up beyond what the logins carry.
    const more = () =>
      this.pendingLogins.size >= PEOPLE_PER_REQUEST ||
      this.pendingPairs.size >= 2 * COLLABORATOR_PAIRS_PER_REQUEST ||
      (all && (this.pendingLogins.size > 0 || this.pendingPairs.size > 0));
    while (more()) {
      const logins = [...this.pendingLogins].slice(0, PEOPLE_PER_REQUEST);
      const pairs = [...this.pendingPairs.values()].slice(0, COLLABORATOR_PAIRS_PER_REQUEST);
      for (const login of logins) this.pendingLogins.delete(login);
      for (const pair of pairs) this.pendingPairs.delete(pairKey(pair));
      await this.verifyBatch(logins, pairs);
      if (this.opts.needs.membership) await this.settleMembership(logins);
      this.releaseDeferredPairs();
    }
  }

  /**
   * Pairs whose login was just verified: asked (in the next requests) when the login is a possible
   * account that is not a visible member, dropped otherwise.
   */
  private releaseDeferredPairs(): void {
    for (const [key, pair] of this.deferredPairs) {
      if (this.pendingLogins.has(pair.login)) continue;
      this.deferredPairs.delete(key);
      const person = this.book.person(pair.login);
      if (person && (person.account === 'no' || person.member === 'yes')) continue;
      if (!this.book.hasCollaborator(pair.repository, pair.login)) this.pendingPairs.set(key, pair);
    }
  }

  /** Whether everything a queued repository needs is verified (then it may be evaluated). */
  settled(repository: string): boolean {
    const logins = this.waiting.get(repository);
    if (!logins) return true;
    for (const login of logins) {
      const key = pairKey({ repository, login });
      if (this.pendingLogins.has(login) || this.pendingPairs.has(key) || this.deferredPairs.has(key))
        return false;
    }
    this.waiting.delete(repository);
    return true;
  }

  /** Logins and outside-collaborator pairs queued, not asked yet. */
  get pending(): { logins: number; pairs: number } {
    return { logins: this.pendingLogins.size, pairs: this.pendingPairs.size };
  }

  /**
   * (repository, login) pairs whose outside-collaborator access may matter: the login is a possible
   * account not known to be a visible member of the organization (not verified yet, or verified and not
   * a visible member), and the pair was not asked yet.
   */
  private pairsToAsk(page: { repository: string; logins: string[] }[]): Pair[] {
    const pairs: Pair[] = [];
    const seen = new Set<string>();
    for (const { repository, logins } of page) {
      for (const raw of logins) {
        const login = normalise(raw);
        const key = pairKey({ repository, login });
        if (!login || seen.has(key) || !isLoginSyntax(login)) continue;
        seen.add(key);
        if (this.book.hasCollaborator(repository, login)) continue;
        if (this.pendingPairs.has(key) || this.deferredPairs.has(key)) continue;
        const person = this.book.person(login);
        if (person && (person.account === 'no' || person.member === 'yes')) continue;
        pairs.push({ repository, login });
      }
    }
    return pairs;
  }

  private cutoffs(): string[] {
    return this.windows.map((w) => activityCutoffDay(this.opts.now, w.days));
  }

  private async readOrganization(): Promise<void> {
    this.orgRead = true;
    const { org, log } = this.opts;
    try {
      const result = await this.graphql<{ organization: { id: string } | null }>(ORG_ID_QUERY, { org });
      this.orgId = result.data?.organization?.id ?? null;
      if (!this.orgId) this.orgNote = result.errors[0]?.message ?? `${org} is not an organization`;
    } catch (error) {
      this.orgNote = `${org} could not be read: ${describe(error)}`;
      log.warning(this.orgNote);
    }
  }

  private async readTeams(): Promise<void> {
    this.teamsRead = true;
    const { org } = this.opts;
    for (const slug of this.opts.needs.teams) {
      const logins: string[] = [];
      let after: string | null = null;
      try {
        for (;;) {
          const result: GraphqlResult<OrgTeamMembersData> = await this.graphql<OrgTeamMembersData>(
            ORG_TEAM_MEMBERS_QUERY,
            { org, slug, after },
          );
          const team: NonNullable<OrgTeamMembersData['organization']>['team'] =
            result.data?.organization?.team ?? null;
          if (!team) {
            this.book.setTeam({
              slug,
              members: null,
              note:
                permissionNote(result.errors) ??
                `team ${org}/${slug} was not found, or the token cannot see it (secret teams: ${MEMBERS_PERMISSION})`,
            });
            break;
          }
          for (const node of team.members.nodes ?? []) if (node) logins.push(node.login.toLowerCase());
          if (!team.members.pageInfo.hasNextPage) {
            this.book.setTeam({ slug, members: logins });
            break;
          }
          after = team.members.pageInfo.endCursor;
        }
      } catch (error) {
        this.book.setTeam({
          slug,
          members: null,
          note: `team ${org}/${slug} could not be read: ${describe(error)}`,
        });
      }
    }
  }

  private async collaboratorBatch(pairs: Pair[]): Promise<void> {
    const groups = groupPairs(pairs);
    try {
      const result = await this.graphql<OutsideCollaboratorsData>(
        outsideCollaboratorsQuery(groups.map((g) => g.logins.length)),
        pairVariables(this.opts.org, groups),
      );
      this.recordPairs(groups, result.data, result.errors);
    } catch (error) {
      this.recordPairs(groups, null, [], describe(error));
    }
  }

  /** Records the answers about outside collaborators (`thrown`: the whole request failed). */
  private recordPairs(
    groups: PairGroup[],
    data: OutsideCollaboratorsData | null,
    errors: GraphqlError[],
    thrown?: string,
  ): void {
    const { org } = this.opts;
    const unknown = (repository: string, login: string, why: string) =>
      this.book.setCollaborator({
        repository,
        login,
        write: 'unknown',
        note: `the outside collaborators of ${org}/${repository} could not be read: ${why}`,
      });
    groups.forEach((repo, i) => {
      const node = data?.[`r${i}`] ?? null;
      repo.logins.forEach((login, j) => {
        if (thrown !== undefined) return unknown(repo.name, login, thrown);
        const field = node?.[`c${j}`] ?? null;
        if (!field) {
          const error =
            errors.find((e) => e.path?.[0] === `r${i}` && e.path?.[1] === `c${j}`) ??
            errors.find((e) => e.path?.[0] === `r${i}`);
          const refused = error?.type === 'FORBIDDEN' || error?.type === 'INSUFFICIENT_SCOPES';
          return unknown(
            repo.name,
            login,
            `${error?.message ?? 'no data'}${refused || !error ? ` (${COLLABORATORS_PERMISSION})` : ''}`,
          );
        }
        const edge = (field.edges ?? []).find((e) => e?.node?.login.toLowerCase() === login);
        this.book.setCollaborator(
          edge
            ? {
                repository: repo.name,
                login,
                write: WRITE_PERMISSIONS.has(edge.permission) ? 'yes' : 'no',
                permission: edge.permission,
              }
            : { repository: repo.name, login, write: 'no' },
        );
      });
    });
  }

  private async verifyBatch(logins: string[], pairs: Pair[]): Promise<void> {
    if (logins.length === 0) {
      if (pairs.length) await this.collaboratorBatch(pairs);
      return;
    }
    const windows = this.orgId ? this.windows : [];
    const membership = this.opts.needs.membership && this.orgId !== null;
    const cutoffs = this.cutoffs();
    const unknownActivity = (note: string): Pick<PersonFacts, 'activeSince' | 'activityNote'> => ({
      activeSince: Object.fromEntries(cutoffs.map((day) => [day, 'unknown' as Verdict])),
      ...(cutoffs.length ? { activityNote: note } : {}),
    });
    const groups = groupPairs(pairs);
    const variables: Record<string, unknown> = {
      ...(windows.length ? { orgId: this.orgId } : {}),
      ...(membership ? { org: this.opts.org } : {}),
      ...pairVariables(this.opts.org, groups),
    };
    logins.forEach((login, i) => (variables[`l${i}`] = login));
    for (const w of windows) {
      w.chunks.forEach(([from, to], c) => {
        variables[`${w.key}f${c}`] = from;
        variables[`${w.key}t${c}`] = to;
      });
    }
    let data: PeopleBatchData | null = null;
    let errors: GraphqlError[] = [];
    try {
      const result = await this.graphql<PeopleBatchData>(
        peopleBatchQuery(
          logins.length,
          windows,
          groups.map((g) => g.logins.length),
          membership,
        ),
        variables,
      );
      data = result.data;
      errors = result.errors;
    } catch (error) {
      const note = `could not be verified: ${describe(error)}`;
      if (error instanceof RateLimitExhaustedError || error instanceof GitHubApiError) {
        this.opts.log.warning(`${logins.length} people ${note}`);
      }
      for (const login of logins) {
        this.book.setPerson({
          login,
          account: 'unknown',
          member: 'unknown',
          memberNote: note,
          ...unknownActivity(note),
        });
      }
      this.recordPairs(groups, null, [], describe(error));
      return;
    }
    this.recordPairs(groups, data as unknown as OutsideCollaboratorsData | null, errors);
    logins.forEach((login, i) => {
      const alias = `u${i}`;
      const node = data?.[alias] ?? null;
      const aliasErrors = errors.filter((e) => e.path?.[0] === alias);
      if (!node) {
        const missing =
          aliasErrors.some((e) => e.type === 'NOT_FOUND') || (data !== null && aliasErrors.length === 0);
        if (missing) {
          this.book.setPerson({
            login,
            account: 'no',
            member: 'no',
            activeSince: Object.fromEntries(cutoffs.map((day) => [day, 'no' as Verdict])),
          });
        } else {
          const note = `could not be verified: ${aliasErrors[0]?.message ?? 'no data'}`;
          this.book.setPerson({
            login,
            account: 'unknown',
            member: 'unknown',
            memberNote: note,
            ...unknownActivity(note),
          });
        }
        return;
      }
      const facts: PersonFacts = { login, account: 'yes', member: 'unknown', activeSince: {} };
      if (membership) {
        // The organization when the user is a member this token may see; null otherwise (settled by
        // settleMembership: "no" or `unknown` depending on what the token sees), or on an error.
        if (node.member) facts.member = 'yes';
        else {
          const error = aliasErrors.find((e) => e.path?.[1] === 'member');
          if (error)
            facts.memberNote =
              permissionNote([error]) ?? `membership could not be verified: ${error.message}`;
        }
      } else if (this.opts.needs.membership) {
        facts.memberNote = `membership could not be verified: ${this.orgNote}`;
      }
      if (cutoffs.length && !this.orgId)
        Object.assign(facts, unknownActivity(`contributions could not be read: ${this.orgNote}`));
      for (const w of windows) {
        const day = activityCutoffDay(this.opts.now, w.days);
        const parts = w.chunks.map((_, c) => node[`${w.key}c${c}`] as CollectionFields | null | undefined);
        if (parts.some((p) => p && (p.hasAnyContributions || p.hasAnyRestrictedContributions))) {
          facts.activeSince[day] = 'yes';
        } else if (parts.every((p) => p)) {
          facts.activeSince[day] = 'no';
        } else {
          facts.activeSince[day] = 'unknown';
          const error = aliasErrors.find(
            (e) => typeof e.path?.[1] === 'string' && e.path[1].startsWith(w.key),
          );
          facts.activityNote = `contributions could not be read: ${error?.message ?? 'no data'}`;
        }
      }
      this.book.setPerson(facts);
    });
  }

  /**
   * Membership of the people just verified who exist and are not visible members: "no" when the token
   * sees concealed memberships (the probe says so), `unknown` with the permission that would resolve it
   * otherwise.
   */
  private async settleMembership(logins: string[]): Promise<void> {
    const pending = logins
      .map((login) => this.book.person(login))
      .filter((p): p is PersonFacts => !!p && p.account === 'yes' && p.member === 'unknown' && !p.memberNote);
    if (pending.length === 0) return;
    if (this.seesConcealed === null) await this.probe(pending[0].login);
    for (const person of pending) {
      if (person.login === this.probedMember) person.member = 'yes';
      else if (this.seesConcealed) person.member = 'no';
      else
        person.memberNote = `not a public member, and this token sees public memberships only (${MEMBERS_PERMISSION})`;
    }
  }

  /**
   * Whether the token sees concealed memberships: GitHub answers "check organization membership for a
   * user" with 204/404 to a viewer that does, and with a redirect to the public check otherwise.
   */
  private async probe(login: string): Promise<void> {
    this.cost.restRequests++;
    try {
      const response = await this.client.rest.request('GET /orgs/{org}/members/{username}', {
        org: this.opts.org,
        username: login,
        request: { redirect: 'manual' },
      });
      this.seesConcealed = (response.status as number) === 204;
      if (this.seesConcealed) this.probedMember = login;
    } catch (error) {
      const status = (error as { status?: number }).status;
      this.seesConcealed = status === 404;
    }
  }
}
