/**
 * The audit the demo and the README sample run: the sample organization, dry run, at the demo's clock,
 * with the tracking issue planned in falcosecurity/evolution (nothing is written).
 */
import type { AuditOptions } from '../src/audit.js';
import type { Policy } from '../src/config/types.js';
import { sampleAuditOptions } from '../test/fixtures/sample-audit.js';

export function demoAuditOptions(policy: Policy, reportFileName: string): AuditOptions {
  return sampleAuditOptions(policy, {
    issue: {
      owner: 'falcosecurity',
      repo: 'evolution',
      title: 'Tier audit: falcosecurity',
      label: 'tier-audit',
      closeWhenCompliant: true,
      commentOnChange: false,
      mentionOwners: false,
    },
    reportFileName,
  });
}
