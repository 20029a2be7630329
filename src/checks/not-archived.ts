import { defineCheck } from './define.js';
import { fail, pass } from './util.js';

export const notArchivedCheck = defineCheck({
  id: 'not-archived',
  title: 'Not archived',
  description: 'The repository is not archived on GitHub (a declared tier promises maintenance).',
  reads: [],
  run(snapshot) {
    if (snapshot.archived) {
      return fail(
        `${snapshot.nameWithOwner} is archived on GitHub (read-only) but declared at a support tier`,
        'Unarchive the repository, or change its declaration to deprecated.',
      );
    }
    return pass(`${snapshot.nameWithOwner} is not archived`);
  },
});
