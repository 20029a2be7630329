import type { CheckDefinition } from './types.js';

/** Every check, by id. Each lives in its own file beside this one. */
export const CHECKS: ReadonlyMap<string, CheckDefinition> = new Map<string, CheckDefinition>([]);

export function getCheck(id: string): CheckDefinition | undefined {
  return CHECKS.get(id);
}
