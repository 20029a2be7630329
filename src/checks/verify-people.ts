/**
 * Whether an approver counts under the verifications a check enables, from what the people stage
 * verified (`CheckContext.people`). Pure. `unknown` (could not verify) is kept apart from `no`.
 */
import { activityCutoffDay, type PeopleDirectory, type Verdict } from '../people.js';

export interface Verifications {
  /** The approver must be a member of the audited organization. */
  member: boolean;
  /** The approver must have contributed to the organization within this many days; null = not checked. */
  activeWithinDays: number | null;
}

export interface Standing {
  login: string;
  counts: Verdict;
  /** Why it does not count (`no`) or could not be verified (`unknown`); empty for `yes`. */
  reasons: string[];
  /** How a `yes` counts when it is not plain membership: `outside collaborator, WRITE`. */
  via?: string;
}

export function verifiesAnything(v: Verifications): boolean {
  return v.member || v.activeWithinDays !== null;
}

/** `leogr`, or `geraldcombs (outside collaborator, WRITE)` for one that counts. */
export function countedName(standing: Standing): string {
  return standing.via ? `${standing.login} (${standing.via})` : standing.login;
}

/** `` `alice` — not an organization member `` */
export function describeStanding(standing: Standing): string {
  return `\`${standing.login}\` — ${standing.reasons.join('; ')}`;
}

/**
 * Standings grouped by their reasons, so one permission hint is written once:
 * `` `ekoops`, `sgaist` — membership unknown: … ``.
 */
export function describeGrouped(standings: Standing[]): string {
  const groups = new Map<string, string[]>();
  for (const s of standings) {
    const key = s.reasons.join('; ');
    groups.set(key, [...(groups.get(key) ?? []), `\`${s.login}\``]);
  }
  return [...groups].map(([reason, logins]) => `${logins.join(', ')} — ${reason}`).join(', ');
}

/** What counting means under `v`, for messages: `organization members active since 2025-08-21`. */
export function describeVerifications(v: Verifications, now: Date): string {
  const active =
    v.activeWithinDays !== null ? `active since ${activityCutoffDay(now, v.activeWithinDays)}` : '';
  if (v.member)
    return `organization members (or outside collaborators with write access)${active ? ` ${active}` : ''}`;
  return `approvers ${active}`;
}

/**
 * Whether `login` counts as an approver of `repository` under `v`. An outside collaborator of that
 * repository with write access counts as a member there (never elsewhere).
 */
export function standingOf(
  login: string,
  people: PeopleDirectory | undefined,
  v: Verifications,
  now: Date,
  repository: string,
): Standing {
  if (!verifiesAnything(v)) return { login, counts: 'yes', reasons: [] };
  const facts = people?.person(login);
  if (!facts) return { login, counts: 'unknown', reasons: ['not verified by this audit'] };
  if (facts.account === 'no') {
    return {
      login,
      counts: 'no',
      reasons: ['no GitHub user account by this login (renamed or deleted, or never existed)'],
    };
  }
  if (facts.account === 'unknown') {
    return {
      login,
      counts: 'unknown',
      reasons: [facts.memberNote ?? facts.activityNote ?? 'the account could not be verified'],
    };
  }
  const no: string[] = [];
  const unknown: string[] = [];
  let via: string | undefined;
  if (v.member && facts.member !== 'yes') {
    const outside = people?.collaborator(repository, login);
    const readOnly = outside?.write === 'no' && outside.permission;
    if (outside?.write === 'yes') via = `outside collaborator, ${outside.permission ?? 'write access'}`;
    else if (facts.member === 'no') {
      if (outside?.write === 'unknown')
        unknown.push(
          `not an organization member, and outside collaborator access unknown: ${outside.note ?? 'not read'}`,
        );
      else if (readOnly)
        no.push(
          `not an organization member, and an outside collaborator with ${outside.permission} access only`,
        );
      else no.push('not an organization member');
    } else {
      const also =
        outside?.write === 'unknown'
          ? `, and outside collaborator access unknown too: ${outside.note ?? 'not read'}`
          : readOnly
            ? `, and an outside collaborator with ${outside.permission} access only`
            : '';
      unknown.push(`membership unknown: ${facts.memberNote ?? 'not verified'}${also}`);
    }
  }
  if (v.activeWithinDays !== null) {
    const day = activityCutoffDay(now, v.activeWithinDays);
    const active = facts.activeSince[day];
    if (active === 'no') no.push(`no contribution since ${day}`);
    else if (active !== 'yes')
      unknown.push(
        `activity unknown: ${active === undefined ? 'not verified' : (facts.activityNote ?? 'not verified')}`,
      );
  }
  if (no.length) return { login, counts: 'no', reasons: no };
  if (unknown.length) return { login, counts: 'unknown', reasons: unknown };
  return via ? { login, counts: 'yes', reasons: [], via } : { login, counts: 'yes', reasons: [] };
}
