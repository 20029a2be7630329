import { defineCheck } from './define.js';
import { duplicateRoles, expandNames, loadRootOwners, type OwnersFile } from './owners-file.js';
import type { CheckResult } from './types.js';
import { booleanParam, error, fail, pass, withDefaults } from './util.js';

/** The failure when someone holds more than one role in the root OWNERS, or null. */
export function duplicateRolesFailure(
  owners: OwnersFile,
  aliases: Map<string, string[]> | null,
): CheckResult | null {
  const dups = duplicateRoles(owners, aliases);
  if (dups.size === 0) return null;
  const list = [...dups].map(([login, roles]) => `${login} (${roles.join(' and ')})`);
  return fail(
    `root OWNERS lists ${dups.size} ${dups.size === 1 ? 'person' : 'people'} in more than one role: ${list.join(', ')}; ${GUIDELINE}`,
    'Keep each person in one list: approvers review too, so remove them from reviewers; remove emeritus people from active lists.',
    [{ path: 'OWNERS' }],
  );
}

const GUIDELINE =
  'project guideline (Falco and Kubernetes-community OWNERS practice, not a Prow rule): each person holds one role';

export const ownersCheck = defineCheck({
  id: 'owners',
  title: 'OWNERS file',
  description:
    'The root OWNERS is a valid Prow OWNERS file: YAML, known keys only, filters not mixed with simple keys, aliases resolved through OWNERS_ALIASES, at least one approver; with `unique-roles`, nobody in more than one of approvers, reviewers, emeritus_approvers (case-insensitive).',
  params: [
    {
      name: 'unique-roles',
      type: 'boolean',
      default: true,
      description:
        'Also require each person to hold one role (the `owners-roles` check on its own; set false to require a valid OWNERS only).',
    },
  ],
  reads: ['tree', 'owners'],
  run(snapshot, params) {
    const p = withDefaults(ownersCheck.defaults, params);
    const loaded = loadRootOwners(snapshot);
    const evidence = [{ path: 'OWNERS' }];
    switch (loaded.state) {
      case 'empty-repository':
        return fail('repository is empty: no OWNERS file', 'Push an OWNERS file listing the approvers.');
      case 'unreadable':
        return error(`could not read OWNERS: ${loaded.message}`);
      case 'missing':
        return fail(loaded.message, 'Add an OWNERS file at the root with an approvers: list (Prow format).');
      case 'invalid': {
        const labelsOnly = loaded.owners?.empty === false && loaded.owners.keys.every((k) => k === 'labels');
        return fail(
          labelsOnly ? `${loaded.message}; it has only labels, no approvers` : loaded.message,
          'Fix the OWNERS file: approvers:/reviewers: lists of GitHub logins, only the keys Prow knows.',
          evidence,
        );
      }
      case 'ok':
        break;
    }
    const { owners, aliases, aliasesNote } = loaded;
    const approvers = expandNames(owners.roles.approvers ?? [], aliases);
    if (approvers.length === 0) {
      const reason =
        owners.keys.length > 0 && owners.keys.every((k) => k === 'labels')
          ? 'has only labels'
          : 'lists no approvers';
      return fail(
        `root OWNERS ${reason}: nobody can approve changes`,
        'Add an approvers: list with the maintainers.',
        evidence,
      );
    }
    if (booleanParam(p, 'unique-roles', true)) {
      const duplicates = duplicateRolesFailure(owners, aliases);
      if (duplicates) return duplicates;
    }
    const reviewers = expandNames(owners.roles.reviewers ?? [], aliases);
    const note = aliasesNote ? `; ${aliasesNote}` : '';
    return pass(
      `root OWNERS is valid: ${approvers.length} approver${approvers.length === 1 ? '' : 's'}, ${reviewers.length} reviewer${reviewers.length === 1 ? '' : 's'}${note}`,
      aliasesNote ? [...evidence, { path: 'OWNERS_ALIASES' }] : evidence,
    );
  },
});
