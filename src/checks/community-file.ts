/** `security-policy` and `contributing`: a community health file in the repository or inherited from the org. */
import { defineCheck } from './define.js';
import type { CheckDefinition } from './types.js';
import { blobUrl, findEntries, nameIs } from './files.js';
import { fail, pass } from './util.js';

const EXTENSIONS = ['', '.md', '.rst', '.txt'];

export function communityFileCheck(options: {
  id: string;
  title: string;
  /** `SECURITY` or `CONTRIBUTING`. */
  base: string;
  what: string;
  remediation: string;
}): CheckDefinition {
  const { id, base, what } = options;
  const matches = nameIs(base, EXTENSIONS);
  const display = `${base}.md`;
  return defineCheck({
    id,
    title: options.title,
    description: `${display} (any case; .md, .rst, .txt or no extension) in the root, .github/ or docs/, or inherited from the organization's community repository (.github) as GitHub does.`,
    reads: ['tree', 'community-files'],
    run(snapshot, _params, ctx) {
      if (snapshot.empty) {
        // Nothing to inherit for: GitHub shows no community profile for a repository without commits.
        return fail(`repository is empty: no ${display}`, options.remediation);
      }
      const own = findEntries(snapshot, matches, ['.github', 'root', 'docs']);
      if (own.length) {
        return pass(
          `${what} ${own[0].path} in the repository`,
          own.map((e) => ({ path: e.path })),
        );
      }
      const org = ctx.org;
      const orgRepo = `${org.login}/${org.communityRepository}`;
      if (org.communityFiles !== null) {
        const inherited = org.communityFiles.find((path) => {
          const parts = path.split('/');
          const dir = parts.length === 1 ? '' : parts.slice(0, -1).join('/').toLowerCase();
          return (
            (dir === '' || dir === '.github' || dir === 'docs') &&
            matches(parts[parts.length - 1].toLowerCase())
          );
        });
        if (inherited) {
          const url = blobUrl(org.webUrl, org.login, org.communityRepository, inherited);
          return pass(
            `no ${display} in the repository; inherited from the organization's ${orgRepo} repository (${inherited}), as GitHub shows it`,
            [{ url, detail: `${orgRepo}: ${inherited}` }],
          );
        }
      }
      // When the organization's repository could not be read, the evaluator reports this as unknown.
      return fail(
        `no ${display} in the root, .github/ or docs/, and none in the organization's ${orgRepo} repository`,
        options.remediation,
      );
    },
  });
}

export const securityPolicyCheck = communityFileCheck({
  id: 'security-policy',
  title: 'Security policy',
  base: 'SECURITY',
  what: 'security policy',
  remediation:
    'Add SECURITY.md (root or .github/) saying how to report a vulnerability, or one for the whole organization in its .github repository.',
});

export const contributingCheck = communityFileCheck({
  id: 'contributing',
  title: 'Contributing guide',
  base: 'CONTRIBUTING',
  what: 'contributing guide',
  remediation:
    'Add CONTRIBUTING.md (root, .github/ or docs/) explaining how to contribute, or one for the whole organization in its .github repository.',
});
