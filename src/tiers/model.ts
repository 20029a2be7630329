/** Queries over a policy's tiers: order, cumulative requirements, value → tier mapping. */
import type { Policy, Requirement, RequirementLevel, TierDefinition } from '../config/types.js';

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

/** A requirement as listed at one tier: its identity (check + tier), level, parameters and selectors. */
export interface TierRequirement extends Requirement, RequirementIdentity {
  level: RequirementLevel;
}

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

/** The entries a tier lists itself (required first, then recommended). */
export function ownRequirements(tier: TierDefinition): TierRequirement[] {
  return [
    ...tier.requires.map((entry) => ({ ...entry, tier: tier.id, level: 'required' as const })),
    ...tier.recommends.map((entry) => ({ ...entry, tier: tier.id, level: 'recommended' as const })),
  ];
}

/**
 * The entries in force at `tierId`: for each check listed at that tier or a tier it extends, the entry
 * of the nearest tier at or below it (its parameters, selectors and level). Lowest tier first.
 */
export function inForceRequirements(policy: Policy, tierId: string): TierRequirement[] {
  const byCheck = new Map<string, TierRequirement>();
  for (const tier of tierChain(policy, tierId)) {
    for (const entry of ownRequirements(tier)) byCheck.set(entry.check, entry);
  }
  return [...byCheck.values()];
}

/** In-force required entries at `tierId` (the v1 "cumulative requirements"). */
export function cumulativeTierRequirements(policy: Policy, tierId: string): TierRequirement[] {
  return inForceRequirements(policy, tierId).filter((entry) => entry.level === 'required');
}

/**
 * The requirements a repository declared at `tierId` must meet: the in-force required entries of that
 * tier and of every tier it extends, by identity (`requirementKey`).
 */
export function requiredThrough(policy: Policy, tierId: string): Set<string> {
  const keys = new Set<string>();
  for (const tier of tierChain(policy, tierId)) {
    for (const entry of cumulativeTierRequirements(policy, tier.id)) keys.add(requirementKey(entry));
  }
  return keys;
}

/** Every entry of every tier, each its own requirement (a check listed at two tiers is two), lowest tier first. */
export function allTierRequirements(policy: Policy): TierRequirement[] {
  return policy.tiers.flatMap(ownRequirements);
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
