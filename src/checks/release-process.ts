import { defineCheck } from './define.js';
import { findEntries, nameIs } from './files.js';
import { fail, pass } from './util.js';

const ROOT_NAMES = [
  nameIs('RELEASE', ['', '.md', '.rst', '.txt', '.adoc']),
  nameIs('RELEASING', ['', '.md', '.rst', '.txt', '.adoc']),
];

export const releaseProcessCheck = defineCheck({
  id: 'release-process',
  title: 'Release process',
  description:
    'A documented release process: RELEASE.md or RELEASING.md at the root (any case), or docs/release* or docs/releasing* (file or folder).',
  reads: ['tree'],
  run(snapshot) {
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail(
        'repository is empty: no release process documented',
        'Add RELEASE.md describing how releases are made.',
      );
    }
    const found = [
      ...findEntries(snapshot, (n) => ROOT_NAMES.some((m) => m(n)), ['root']),
      ...findEntries(snapshot, (n) => /^releas(e|ing)/.test(n), ['docs'], true),
    ];
    if (found.length)
      return pass(
        `release process documented in ${found[0].path}`,
        found.map((e) => ({ path: e.path })),
      );
    return fail(
      'no release process documented (no RELEASE.md or RELEASING.md at the root, nothing named release* in docs/)',
      'Add RELEASE.md describing how a release is cut, versioned and published.',
    );
  },
});
