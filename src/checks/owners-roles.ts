import { defineCheck } from './define.js';
import { loadRootOwners } from './owners-file.js';
import { duplicateRolesFailure } from './owners.js';
import { error, fail, notApplicable, pass } from './util.js';

/**
 * Role uniqueness on its own, so a policy can require a valid OWNERS (`owners: {unique-roles: false}`)
 * while only recommending one role per person (Falco: "a given user can't be listed in more than one
 * of approvers, reviewers, emeritus_approvers").
 */
export const ownersRolesCheck = defineCheck({
  id: 'owners-roles',
  title: 'One role per person in OWNERS',
  description:
    'Nobody is listed in more than one of approvers, reviewers, emeritus_approvers of the root OWNERS (logins compared case-insensitively, aliases expanded). Not applicable without a valid OWNERS (`owners` reports that).',
  reads: ['tree', 'owners'],
  run(snapshot) {
    const loaded = loadRootOwners(snapshot);
    switch (loaded.state) {
      case 'empty-repository':
        return fail('repository is empty: no OWNERS file', 'Push an OWNERS file listing the approvers.');
      case 'unreadable':
        return error(`could not read OWNERS: ${loaded.message}`);
      case 'missing':
      case 'invalid':
        return notApplicable(`${loaded.message}: no roles to compare (see the owners check)`);
      case 'ok':
        break;
    }
    return (
      duplicateRolesFailure(loaded.owners, loaded.aliases) ??
      pass('root OWNERS lists each person in one role', [{ path: 'OWNERS' }])
    );
  },
});
