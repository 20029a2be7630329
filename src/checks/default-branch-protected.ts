/**
 * `default-branch-protected`: the default branch is protected by a ruleset or a classic branch
 * protection rule that requires a pull request (with at least `min-approvals` approvals). Read only
 * for repositories whose declared or candidate tier asks for it (github/extras.ts). Rulesets are
 * readable with read access; classic protection needs admin access: when it cannot be read and no
 * ruleset requires a pull request, the outcome is `error` naming the permission, never `fail`.
 */
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import { error, fail, notApplicable, numberParam, pass, withDefaults } from './util.js';

/** What the token needs to read classic branch protection. */
export const PROTECTION_PERMISSION =
  'admin access to the repository (GitHub App: "Administration: read"; fine-grained token: "Administration" read; classic token: repo scope and admin role)';

export const defaultBranchProtectedCheck = defineCheck({
  id: 'default-branch-protected',
  title: 'Default branch protected',
  description:
    'The default branch is protected by an active ruleset (repository or organization) or a classic branch protection rule that requires a pull request before merging, with at least `min-approvals` approving reviews. Rulesets are read with read access; classic protection needs admin access, and when it cannot be read (and no ruleset requires a pull request) the outcome is `error`, naming the permission. An extra read, made only where a tier asks for it.',
  params: [
    {
      name: 'min-approvals',
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Approving reviews the pull request rule must require.',
    },
  ],
  reads: [],
  extraReads: ['branch-protection'],
  run(snapshot, params, ctx) {
    const p = withDefaults(defaultBranchProtectedCheck.defaults, params);
    const min = numberParam(p, 'min-approvals', 0);
    const settings = `${snapshot.url}/settings/rules`;
    const remediation = (branch: string) =>
      `Add a branch ruleset targeting ${branch} with "Require a pull request before merging"${min > 0 ? ` and at least ${min} approval${min > 1 ? 's' : ''}` : ''} (Settings → Rules → Rulesets), or a classic branch protection rule.`;
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail('repository is empty: no default branch to protect', remediation('the default branch'));
    }
    const branch = snapshot.defaultBranch;
    const read = snapshot.branchProtection;
    if (read === undefined) {
      return notApplicable(
        'not read: neither the declared tier nor the next tier the repository could reach asks for it',
      );
    }
    if (read.state === 'error') return error(`could not read the protection of ${branch}: ${read.message}`);
    const protection = read.value;
    const evidence: Evidence[] = [];
    const enough = protection.pullRequestRules.filter((r) => r.requiredApprovals >= min);
    if (enough.length) {
      const r = enough[0];
      return pass(
        `ruleset ${r.ruleset ?? '(unnamed)'} requires a pull request into ${branch} with ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}`,
        enough.map((rule) => ({
          url: settings,
          detail: `ruleset ${rule.ruleset ?? '(unnamed)'}: pull request, ${rule.requiredApprovals} approval(s)`,
        })),
      );
    }
    const classic = protection.classic;
    if (classic?.requiresPullRequest && classic.requiredApprovals >= min) {
      return pass(
        `branch protection rule ${classic.pattern} requires a pull request into ${branch} with ${classic.requiredApprovals} approval${classic.requiredApprovals === 1 ? '' : 's'}`,
        [{ url: `${snapshot.url}/settings/branches`, detail: `branch protection rule ${classic.pattern}` }],
      );
    }
    for (const r of protection.pullRequestRules) {
      evidence.push({
        url: settings,
        detail: `ruleset ${r.ruleset ?? '(unnamed)'}: ${r.requiredApprovals} approval(s)`,
      });
    }
    if (classic) {
      evidence.push({
        url: `${snapshot.url}/settings/branches`,
        detail: `branch protection rule ${classic.pattern}: ${classic.requiresPullRequest ? `${classic.requiredApprovals} approval(s)` : 'no pull request required'}`,
      });
    }
    const evaluate = protection.evaluateOnly.length
      ? `; ruleset ${protection.evaluateOnly.join(', ')} only evaluates (not enforced)`
      : '';
    const tooFew = protection.pullRequestRules.length > 0 || classic?.requiresPullRequest === true;
    if (!tooFew && !protection.classicReadable) {
      return error(
        `no active ruleset requires a pull request into ${branch}${evaluate}, and the token cannot read its classic branch protection (permission ${protection.viewerPermission ?? 'unknown'}): it needs ${PROTECTION_PERMISSION}`,
        evidence,
      );
    }
    void ctx;
    if (tooFew) {
      return fail(
        `a pull request into ${branch} is required, but with fewer than ${min} approvals${evaluate}`,
        remediation(branch),
        evidence,
      );
    }
    return fail(
      `no ruleset or branch protection rule requires a pull request into ${branch}${evaluate}`,
      remediation(branch),
      evidence,
    );
  },
});
