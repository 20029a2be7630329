import type { CheckDefinition } from './types.js';
import { activityCheck } from './activity.js';
import { buildPipelineCheck } from './build-pipeline.js';
import { codeScanningCheck } from './code-scanning.js';
import { contributingCheck, securityPolicyCheck } from './community-file.js';
import { declarationConsistentCheck } from './declaration-consistent.js';
import { defaultBranchProtectedCheck } from './default-branch-protected.js';
import { dependencyUpdatesCheck } from './dependency-updates.js';
import { issueResponseCheck } from './issue-response.js';
import { licenseCheck } from './license.js';
import { maintainersCheck } from './maintainers.js';
import { notArchivedCheck } from './not-archived.js';
import { ownersCheck } from './owners.js';
import { ownersRolesCheck } from './owners-roles.js';
import { ownersTreeCheck } from './owners-tree.js';
import { coreApproversCheck } from './core-approvers.js';
import { readmeCheck } from './readme.js';
import { recentReleaseCheck } from './recent-release.js';
import { releasePipelineCheck } from './release-pipeline.js';
import { releaseProcessCheck } from './release-process.js';
import { releaseProvenanceCheck } from './release-provenance.js';
import { testMatrixCheck } from './test-matrix.js';

const ALL: CheckDefinition[] = [
  readmeCheck,
  licenseCheck,
  ownersCheck,
  ownersRolesCheck,
  maintainersCheck,
  ownersTreeCheck,
  coreApproversCheck,
  buildPipelineCheck,
  releasePipelineCheck,
  recentReleaseCheck,
  securityPolicyCheck,
  contributingCheck,
  releaseProcessCheck,
  activityCheck,
  notArchivedCheck,
  dependencyUpdatesCheck,
  codeScanningCheck,
  releaseProvenanceCheck,
  testMatrixCheck,
  defaultBranchProtectedCheck,
  issueResponseCheck,
  declarationConsistentCheck,
];

/** Every check, by id. Each lives in its own file beside this one. */
export const CHECKS: ReadonlyMap<string, CheckDefinition> = new Map<string, CheckDefinition>(
  ALL.map((c) => [c.id, c]),
);

/** Every check id, in documentation order (for the config loader). */
export const CHECK_IDS: readonly string[] = ALL.map((c) => c.id);

/** Evaluated by the evaluator from the declarations; its `run` here answers `not-applicable`. */
export const EVALUATOR_CHECK_IDS: readonly string[] = [declarationConsistentCheck.id];

export function getCheck(id: string): CheckDefinition | undefined {
  return CHECKS.get(id);
}
