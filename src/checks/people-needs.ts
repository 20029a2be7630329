/**
 * What the people stage must verify for a policy (from each check's `people` declaration and its
 * parameters at every tier), and which logins of one repository it must verify. Pure.
 */
import type { Policy } from '../config/types.js';
import { NO_PEOPLE_NEEDS, type PeopleNeeds } from '../people.js';
import type { RepoSnapshot } from '../snapshot.js';
import { CHECKS } from './index.js';
import { expandNames, loadRootOwners, parseOwnersAliases, parseOwnersFile } from './owners-file.js';
import { readText } from './files.js';
import type { CheckDefinition } from './types.js';

/** Every requirement of the policy, at every tier where it is listed. */
function policyRequirements(policy: Policy): { check: string; params: Record<string, unknown> }[] {
  return policy.tiers.flatMap((tier) => [...tier.requires, ...tier.recommends]);
}

export function peopleNeeds(
  policy: Policy,
  checks: ReadonlyMap<string, CheckDefinition> = CHECKS,
): PeopleNeeds {
  const needs: PeopleNeeds = { ...NO_PEOPLE_NEEDS, activityWindows: [], teams: [] };
  for (const requirement of policyRequirements(policy)) {
    const definition = checks.get(requirement.check);
    if (!definition?.people) continue;
    const wanted = definition.people({ ...definition.defaults, ...requirement.params });
    needs.membership ||= wanted.membership ?? false;
    needs.collaborators ||= wanted.collaborators ?? false;
    needs.nestedOwners ||= wanted.nestedOwners ?? false;
    needs.activityWindows.push(...(wanted.activityWindows ?? []));
    needs.teams.push(...(wanted.teams ?? []));
  }
  needs.activityWindows = [...new Set(needs.activityWindows)].sort((a, b) => a - b);
  needs.teams = [...new Set(needs.teams.map((t) => t.toLowerCase()))];
  return needs;
}

/**
 * The logins of one repository the stage verifies: the root approvers (aliases expanded, emeritus
 * excluded, since they never count) and, when the nested OWNERS are read, their approvers.
 */
export function loginsToVerify(snapshot: RepoSnapshot, needs: PeopleNeeds): string[] {
  if (!needs.membership && needs.activityWindows.length === 0) return [];
  const logins = new Set<string>();
  let aliases: Map<string, string[]> | null = null;
  try {
    const loaded = loadRootOwners(snapshot);
    if (loaded.state === 'ok') {
      aliases = loaded.aliases;
      const emeritus = new Set(expandNames(loaded.owners.roles.emeritus_approvers ?? [], aliases));
      for (const login of expandNames(loaded.owners.roles.approvers ?? [], aliases))
        if (!emeritus.has(login)) logins.add(login);
    }
  } catch {
    // An OWNERS the checks cannot load names nobody to verify.
  }
  if (needs.nestedOwners && snapshot.nestedOwners) {
    if (aliases === null) {
      const text = readText(snapshot, 'OWNERS_ALIASES');
      if (text.kind === 'text') aliases = parseOwnersAliases(text.text).aliases;
    }
    for (const path of snapshot.nestedOwners.paths) {
      const text = readText(snapshot, path);
      if (text.kind !== 'text') continue;
      for (const login of expandNames(parseOwnersFile(text.text).roles.approvers ?? [], aliases))
        logins.add(login);
    }
  }
  return [...logins];
}
