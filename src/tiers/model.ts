/** Queries over a policy's tiers: order, cumulative requirements, value → tier mapping. */
import type { Policy, Requirement, TierDefinition } from '../config/types.js';

export type SpecialStatus = 'deprecated' | 'special';

/**
 * A requirement's identity: its check and the tier listing it. Findings, waivers and the report's
 * `checks[]` entries are keyed by it (a check listed at several tiers is several requirements).
 */
export interface RequirementIdentity {
  check: string;
  tier: string;
}

/** `maintainers@official`: the key of a requirement in maps and sets. */
export function requirementKey(requirement: RequirementIdentity): string {
  return `${requirement.check}@${requirement.tier}`;
}

/** A requirement with the tier that lists it (the lowest tier requiring that check). */
export interface TierRequirement extends Requirement, RequirementIdentity {}

/** Position of a tier in the policy (lowest = 0); -1 when unknown. */
export function tierRank(policy: Policy, tierId: string | null): number {
  if (tierId === null) return -1;
  return policy.tiers.findIndex((tier) => tier.id === tierId);
}

/** The tier and every tier it extends, lowest first. */
export function tierChain(policy: Policy, tierId: string): TierDefinition[] {
  const chain: TierDefinition[] = [];
  let current = policy.tiers.find((tier) => tier.id === tierId);
  while (current && !chain.includes(current)) {
    chain.unshift(current);
    const parent = current.extends;
    current = parent === null ? undefined : policy.tiers.find((tier) => tier.id === parent);
  }
  return chain;
}

/** Every requirement of `tierId`, inherited ones included, lowest tier first; one per check. */
export function cumulativeTierRequirements(policy: Policy, tierId: string): TierRequirement[] {
  const result: TierRequirement[] = [];
  for (const tier of tierChain(policy, tierId)) {
    for (const requirement of tier.requires) {
      if (!result.some((existing) => existing.check === requirement.check)) {
        result.push({ ...requirement, tier: tier.id });
      }
    }
  }
  return result;
}

/** Every requirement of every tier, each attributed to the lowest tier requiring it. */
export function allTierRequirements(policy: Policy): TierRequirement[] {
  const result: TierRequirement[] = [];
  for (const tier of policy.tiers) {
    for (const requirement of tier.requires) {
      if (!result.some((existing) => existing.check === requirement.check)) {
        result.push({ ...requirement, tier: tier.id });
      }
    }
  }
  return result;
}

/**
 * What a declared value means: a tier (by id or alias, case-insensitive, surrounding spaces ignored),
 * a special status (`deprecated`, `special`), or nothing (unknown value).
 */
export function interpretValue(
  policy: Policy,
  value: string,
): { tier: string | null; special: SpecialStatus | null } {
  const lower = value.trim().toLowerCase();
  const tier = policy.tiers.find((candidate) => candidate.id === lower || candidate.aliases.includes(lower));
  if (tier) return { tier: tier.id, special: null };
  if (lower === 'deprecated') return { tier: null, special: 'deprecated' };
  if (lower === 'special') return { tier: null, special: 'special' };
  return { tier: null, special: null };
}

/** `contrib (sandbox), repository (incubating), …` for messages. */
export function describeTierValues(policy: Policy): string {
  return policy.tiers
    .map((tier) => (tier.aliases.length ? `${tier.id} (${tier.aliases.join(', ')})` : tier.id))
    .concat('deprecated')
    .join(', ');
}
