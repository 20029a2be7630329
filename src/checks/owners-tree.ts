import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import { expandNames, parseOwnersAliases, parseOwnersFile } from './owners-file.js';
import { readText } from './files.js';
import { describeProblems, error, fail, listText, notApplicable, pass, problemsFor } from './util.js';
import {
  describeGrouped,
  describeStanding,
  standingOf,
  type Standing,
  type Verifications,
} from './verify-people.js';

/** Keys that hold people, so a file with nothing else but emeritus lists gives nobody a role. */
const ACTIVE_ROLES = ['approvers', 'reviewers', 'required_reviewers'];

const VERIFY: Verifications = { member: true, activeWithinDays: null };

export const ownersTreeCheck = defineCheck({
  id: 'owners-tree',
  title: 'OWNERS below the root',
  description:
    'Every OWNERS file in the folders below the root (two levels deep) is useful to Prow: not empty, valid (known keys only), not only labels or only emeritus entries, and its approvers (aliases expanded from the root OWNERS_ALIASES) are GitHub accounts that are members of the organization. Approvers that could not be verified are reported, not failed.',
  reads: ['owners', 'owners-tree'],
  people: () => ({ nestedOwners: true, membership: true, collaborators: true }),
  run(snapshot, _params, ctx) {
    if (snapshot.empty || snapshot.defaultBranch === null)
      return notApplicable('repository is empty: no OWNERS files');
    const problems = problemsFor(snapshot, ['owners-tree']);
    if (problems.length) return error(describeProblems(problems));
    const nested = snapshot.nestedOwners;
    if (!nested) return error('the OWNERS files below the root were not read by this audit');
    if (nested.paths.length === 0) {
      return pass(`no OWNERS files below the root (searched ${nested.depth} folder levels)`);
    }
    let aliases: Map<string, string[]> | null = null;
    const aliasesText = readText(snapshot, 'OWNERS_ALIASES');
    if (aliasesText.kind === 'text') {
      const parsed = parseOwnersAliases(aliasesText.text);
      if (parsed.errors.length === 0) aliases = parsed.aliases;
    }

    const broken: Evidence[] = [];
    const unverified: Evidence[] = [];
    const doubtful = new Map<string, Standing>();
    const fine: string[] = [];
    for (const path of nested.paths) {
      const read = readText(snapshot, path);
      if (read.kind !== 'text') {
        broken.push({ path, detail: read.kind === 'missing' ? 'was not read' : read.reason });
        continue;
      }
      const owners = parseOwnersFile(read.text);
      const issues: string[] = [];
      if (owners.empty || read.text.trim() === '') issues.push('is empty');
      else {
        issues.push(...owners.errors);
        const roles = Object.entries(owners.roles).filter(([, names]) => names.length > 0);
        const hasActive = roles.some(([role]) => ACTIVE_ROLES.includes(role));
        if (!hasActive && owners.errors.length === 0) {
          if (roles.length === 0 && owners.labels.length > 0)
            issues.push('has only labels: no approvers or reviewers, approval falls to the parent folders');
          else if (roles.length > 0) issues.push('has only emeritus entries: nobody active owns this folder');
          else issues.push('names nobody');
        }
      }
      const approvers = expandNames(owners.roles.approvers ?? [], aliases);
      const standings = approvers.map((login) =>
        standingOf(login, ctx.people, VERIFY, ctx.now, snapshot.name),
      );
      for (const s of standings.filter((s) => s.counts === 'no')) issues.push(describeStanding(s));
      const unknown = standings.filter((s) => s.counts === 'unknown');
      for (const s of unknown) doubtful.set(s.login, s);
      if (issues.length) broken.push({ path, detail: issues.join('; ') });
      else if (unknown.length)
        unverified.push({
          path,
          detail: `approvers not verified: ${unknown.map((s) => s.login).join(', ')}`,
        });
      else fine.push(path);
    }
    const describe = (items: Evidence[]) => items.map((e) => `${e.path} ${e.detail}`).join('; ');
    const evidence = [...broken, ...unverified, ...fine.map((path) => ({ path }))];
    const total = nested.paths.length;
    const files = (n: number) => `${n} OWNERS file${n === 1 ? '' : 's'}`;
    const unknownText = doubtful.size
      ? `approvers not verified: ${describeGrouped([...doubtful.values()])}`
      : '';
    if (broken.length) {
      return fail(
        `${broken.length} of ${total} OWNERS file${total === 1 ? '' : 's'} below the root ${broken.length === 1 ? 'needs' : 'need'} attention: ${describe(broken)}${unknownText ? `; ${unknownText}` : ''}`,
        'Give each OWNERS file at least one approver who is an organization member (or delete it), move former owners to emeritus_approvers: beside active ones, and keep only the keys Prow knows.',
        evidence,
      );
    }
    if (unverified.length) {
      return error(
        `${files(total)} below the root, ${unverified.length} with approvers that could not be verified (${unverified.map((e) => e.path).join(', ')}): ${describeGrouped([...doubtful.values()])}`,
        evidence,
      );
    }
    return pass(
      `${files(total)} below the root, each with verified approvers or reviewers: ${listText(fine, 6)}`,
      evidence,
    );
  },
});
