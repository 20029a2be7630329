import { defineCheck } from './define.js';
import { expandNames, loadRootOwners, normLogin } from './owners-file.js';
import { error, fail, listText, numberParam, pass, stringListParam, withDefaults } from './util.js';

/**
 * Falco's GOVERNANCE asks Core repositories to keep core maintainers among their approvers: the root
 * approvers must include at least `min` members of a team (`team`, read through the API) or of a list
 * written in the policy (`members`). Select the repositories with the policy's `when`.
 */
export const coreApproversCheck = defineCheck({
  id: 'core-approvers',
  title: 'Core approvers',
  description:
    'The root OWNERS approvers (aliases expanded, emeritus excluded) include at least `min` (default 1) members of the organization team `team` (its slug; members read through the API) or of the `members` list given in the policy.',
  params: [
    {
      name: 'min',
      type: 'integer',
      minimum: 1,
      default: 1,
      description: 'The least number of core approvers.',
    },
    {
      name: 'team',
      type: 'string',
      default: null,
      description:
        'Slug of the organization team whose members are the core maintainers (read through the API).',
    },
    {
      name: 'members',
      type: 'string-list',
      default: [],
      description: 'Logins of the core maintainers, when no `team` is given.',
    },
  ],
  reads: ['owners'],
  validate: (params) => {
    const members = Array.isArray(params.members) ? params.members : [];
    return typeof params.team === 'string' || members.length > 0
      ? []
      : ['core-approvers: give `team` (a team slug) or `members` (a list of logins)'];
  },
  people: (params) => (typeof params.team === 'string' ? { teams: [params.team] } : {}),
  run(snapshot, params, ctx) {
    const p = withDefaults(coreApproversCheck.defaults, params);
    const min = numberParam(p, 'min', 1);
    const loaded = loadRootOwners(snapshot);
    if (loaded.state === 'unreadable') return error(`could not read OWNERS: ${loaded.message}`);
    if (loaded.state !== 'ok') {
      return fail(
        loaded.state === 'empty-repository'
          ? 'repository is empty: no OWNERS, so no core approvers'
          : `${loaded.message}, so no core approvers can be found`,
        'Add a valid root OWNERS whose approvers include core maintainers.',
        [{ path: 'OWNERS' }],
      );
    }
    const emeritus = new Set(expandNames(loaded.owners.roles.emeritus_approvers ?? [], loaded.aliases));
    const approvers = expandNames(loaded.owners.roles.approvers ?? [], loaded.aliases).filter(
      (login) => !emeritus.has(login),
    );
    let core: Set<string>;
    let source: string;
    const team = typeof p.team === 'string' ? p.team : null;
    if (team === null && stringListParam(p, 'members').length === 0) {
      return error('core-approvers needs `team` (a team slug) or `members` (a list of logins) in the policy');
    }
    if (team !== null) {
      const facts = ctx.people?.team(team);
      source = `team ${ctx.org.login}/${team}`;
      if (!facts || facts.members === null) {
        return error(
          `the members of ${source} are not known: ${facts?.note ?? 'the team was not read by this audit'}`,
          [{ path: 'OWNERS' }],
        );
      }
      core = new Set(facts.members.map(normLogin));
    } else {
      core = new Set(stringListParam(p, 'members').map(normLogin));
      source = 'the core maintainers listed in the policy';
    }
    const found = approvers.filter((login) => core.has(login));
    const evidence = [{ path: 'OWNERS', detail: `core approvers: ${found.join(', ') || 'none'}` }];
    const summary = `${found.length} of ${approvers.length} root approver${approvers.length === 1 ? '' : 's'} ${found.length === 1 ? 'is a member' : 'are members'} of ${source}${found.length ? `: ${listText(found, 8)}` : ''}; at least ${min} required`;
    if (found.length >= min) return pass(summary, evidence);
    return fail(
      summary,
      `Add ${min - found.length} member${min - found.length === 1 ? '' : 's'} of ${source} to approvers: in the root OWNERS.`,
      evidence,
    );
  },
});
