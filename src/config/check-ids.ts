/**
 * The check ids a policy may name. The real list is the keys of `CHECKS` (src/checks/index.ts);
 * `PLANNED_CHECK_IDS` is only the fallback used while that map is still empty, so configs can be
 * validated before every check has landed. Keep this the only copy of the list.
 */
import type { CheckDefinition } from '../checks/types.js';

/** Evaluated by the evaluator itself (it compares declarations); never in `CHECKS`. */
export const DECLARATION_CHECK_ID = 'declaration-consistent';
/** Implemented in `CHECKS`; applied to every declared repository without being listed in a tier. */
export const NOT_ARCHIVED_CHECK_ID = 'not-archived';
/** Requirements every declared repository gets on top of its tier's (finding tier `declaration`). */
export const BUILTIN_REQUIREMENTS: readonly string[] = [NOT_ARCHIVED_CHECK_ID, DECLARATION_CHECK_ID];

/** Fallback while `CHECKS` is empty (see the file comment). */
export const PLANNED_CHECK_IDS: readonly string[] = [
  'readme',
  'license',
  'owners',
  'maintainers',
  'build-pipeline',
  'release-pipeline',
  'recent-release',
  'security-policy',
  'contributing',
  'release-process',
  'activity',
  NOT_ARCHIVED_CHECK_ID,
  DECLARATION_CHECK_ID,
];

/** Every id a policy may use (tier requirements, waivers): `checks`' keys plus the evaluator's own. */
export function knownCheckIds(checks: ReadonlyMap<string, CheckDefinition>): string[] {
  if (checks.size === 0) return [...PLANNED_CHECK_IDS];
  const ids = [...checks.keys()];
  if (!ids.includes(DECLARATION_CHECK_ID)) ids.push(DECLARATION_CHECK_ID);
  return ids;
}
