import { defineCheck } from './define.js';
import { expandNames, loadRootOwners } from './owners-file.js';
import { error, fail, listText, numberParam, pass, withDefaults } from './util.js';

export const maintainersCheck = defineCheck({
  id: 'maintainers',
  title: 'Maintainers',
  description:
    'At least `min` distinct active approvers in the root OWNERS (emeritus do not count; aliases expanded; logins compared case-insensitively).',
  params: [
    {
      name: 'min',
      type: 'integer',
      minimum: 1,
      default: 2,
      description: 'The least number of distinct active approvers.',
    },
  ],
  reads: ['owners'],
  run(snapshot, params) {
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
