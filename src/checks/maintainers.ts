import { defineCheck } from './define.js';
import type { CheckContext, CheckParams } from './types.js';
import { expandNames, loadRootOwners } from './owners-file.js';
import { error, fail, listText, numberParam, pass, withDefaults } from './util.js';
import {
  countedName,
  describeGrouped,
  describeVerifications,
  standingOf,
  verifiesAnything,
  type Standing,
  type Verifications,
} from './verify-people.js';

/** `active-within-days: true` means this many days. */
export const DEFAULT_ACTIVE_WITHIN_DAYS = 365;

/** The verifications the parameters enable (none: the v1 meaning, names are counted). */
export function maintainerVerifications(params: CheckParams): Verifications {
  const active = params['active-within-days'];
  return {
    member: params['require-member'] === true,
    activeWithinDays:
      active === true
        ? DEFAULT_ACTIVE_WITHIN_DAYS
        : typeof active === 'number' && Number.isInteger(active) && active > 0
          ? active
          : null,
  };
}

export const maintainersCheck = defineCheck({
  id: 'maintainers',
  title: 'Maintainers',
  description:
    'At least `min` distinct approvers in the root OWNERS (emeritus do not count; aliases expanded; logins compared case-insensitively). With `require-member` an approver counts only as a member of the organization, or as an outside collaborator of that repository with write access; with `active-within-days` only after contributing to the organization within that window. An approver that could not be verified is `unknown`: the check is `error` only when the verdict depends on them.',
  params: [
    {
      name: 'min',
      type: 'integer',
      minimum: 1,
      default: 2,
      description: 'The least number of distinct approvers (that pass the enabled verifications).',
    },
    {
      name: 'require-member',
      type: 'boolean',
      default: false,
      description:
        'Count only approvers who are members of the organization or outside collaborators of the repository with write access (unknown for concealed memberships, or collaborators, the token cannot see).',
    },
    {
      name: 'active-within-days',
      type: 'days-or-switch',
      minimum: 1,
      trueMeans: DEFAULT_ACTIVE_WITHIN_DAYS,
      default: false,
      description:
        'Count only approvers who contributed to the organization (commits, pull requests, reviews, issues) within this many days (`true`: 365).',
    },
  ],
  reads: ['owners'],
  people(params) {
    const v = maintainerVerifications(params);
    return {
      membership: v.member || v.activeWithinDays !== null,
      collaborators: v.member,
      activityWindows: v.activeWithinDays === null ? [] : [v.activeWithinDays],
    };
  },
  run(snapshot, params, ctx) {
    const p = withDefaults(maintainersCheck.defaults, params);
    const min = numberParam(p, 'min', 2);
    const loaded = loadRootOwners(snapshot);
    switch (loaded.state) {
      case 'empty-repository':
        return fail(
          'repository is empty: no OWNERS file, so no maintainers',
          'Push an OWNERS file listing the approvers.',
        );
      case 'unreadable':
        return error(`could not read OWNERS: ${loaded.message}`);
      case 'missing':
        return fail(
          `${loaded.message}, so no maintainers are declared`,
          `Add an OWNERS file at the root with at least ${min} approvers.`,
        );
      case 'invalid':
        return fail(
          `${loaded.message}, so its approvers cannot be counted`,
          'Fix the OWNERS file so Prow can read it.',
          [{ path: 'OWNERS' }],
        );
      case 'ok':
        break;
    }
    const { owners, aliases, aliasesNote } = loaded;
    const emeritus = new Set(expandNames(owners.roles.emeritus_approvers ?? [], aliases));
    const listed = expandNames(owners.roles.approvers ?? [], aliases);
    const active = listed.filter((login) => !emeritus.has(login));
    const alsoEmeritus = listed.filter((login) => emeritus.has(login));
    const note = [
      alsoEmeritus.length ? `${alsoEmeritus.join(', ')} also listed as emeritus, not counted` : '',
      aliasesNote,
    ]
      .filter(Boolean)
      .join('; ');
    const verifications = maintainerVerifications(p);
    if (verifiesAnything(verifications) && active.length > 0) {
      return verifiedCount(snapshot.name, active, min, note, verifications, ctx);
    }
    const evidence = [{ path: 'OWNERS', detail: `active approvers: ${active.join(', ') || 'none'}` }];
    const summary = `${active.length} active approver${active.length === 1 ? '' : 's'} in OWNERS${active.length ? `: ${listText(active, 8)}` : ''}${note ? ` (${note})` : ''}`;
    if (active.length >= min) return pass(`${summary}; at least ${min} required`, evidence);
    return fail(
      `${summary}; at least ${min} required`,
      `Add ${min - active.length} more active maintainer${min - active.length === 1 ? '' : 's'} to approvers: in OWNERS.`,
      evidence,
    );
  },
});

function verifiedCount(
  repository: string,
  approvers: string[],
  min: number,
  note: string,
  v: Verifications,
  ctx: CheckContext,
) {
  const standings = approvers.map((login) => standingOf(login, ctx.people, v, ctx.now, repository));
  const counted = standings.filter((s) => s.counts === 'yes');
  const notCounted = standings.filter((s) => s.counts === 'no');
  const unknown = standings.filter((s) => s.counts === 'unknown');
  const what = describeVerifications(v, ctx.now);
  // One link to OWNERS naming who is in which group; the message says why.
  const logins = (list: Standing[]) => list.map((s) => s.login).join(', ');
  const evidence = [
    {
      path: 'OWNERS',
      detail: [
        `count: ${logins(counted) || 'none'}`,
        notCounted.length ? `not counted: ${logins(notCounted)}` : '',
        unknown.length ? `not verified: ${logins(unknown)}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    },
  ];
  // Every approver that counts is named (the JSON report says who, for passing repositories too); who does not
  // count and why comes next (a failing line in the issue shows the first 160 characters).
  const parts = [
    `${counted.length} of ${approvers.length} approver${approvers.length === 1 ? '' : 's'} in OWNERS count, at least ${min} required${counted.length ? `: ${counted.map(countedName).join(', ')}` : ''}`,
  ];
  if (notCounted.length) parts.push(`not counted: ${describeGrouped(notCounted)}`);
  if (unknown.length) parts.push(`could not be verified: ${describeGrouped(unknown)}`);
  if (note) parts.push(note);
  parts.push(`counting ${what}`);
  const summary = parts.join('; ');
  if (counted.length >= min) return pass(summary, evidence);
  if (counted.length + unknown.length >= min) {
    return error(`${summary}; the verdict depends on the approvers that could not be verified`, evidence);
  }
  const missing = min - counted.length;
  return fail(
    summary,
    `Have ${missing} more approver${missing === 1 ? '' : 's'} who ${v.member ? 'are organization members (or outside collaborators with write access)' : 'have accounts'}${v.activeWithinDays !== null ? ' and contribute regularly' : ''} in approvers: in OWNERS, and move the others to emeritus_approvers:.`,
    evidence,
  );
}
