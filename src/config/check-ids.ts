/** The check ids a policy may name: the keys of `CHECKS` (src/checks/index.ts), the only list of them. */
import type { CheckDefinition } from '../checks/types.js';

/** Evaluated by the evaluator itself (it compares declarations); never in `CHECKS`. */
export const DECLARATION_CHECK_ID = 'declaration-consistent';
/** Implemented in `CHECKS`; applied to every declared repository without being listed in a tier. */
export const NOT_ARCHIVED_CHECK_ID = 'not-archived';
/** Requirements every declared repository gets on top of its tier's (finding tier `declaration`). */
export const BUILTIN_REQUIREMENTS: readonly string[] = [NOT_ARCHIVED_CHECK_ID, DECLARATION_CHECK_ID];

/** Every id a policy may use (tier requirements, waivers): `checks`' keys plus the evaluator's own. */
export function knownCheckIds(checks: ReadonlyMap<string, CheckDefinition>): string[] {
  const ids = [...checks.keys()];
  if (!ids.includes(DECLARATION_CHECK_ID)) ids.push(DECLARATION_CHECK_ID);
  return ids;
}
