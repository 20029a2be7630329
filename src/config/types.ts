/** The policy in force for an audit: the validated, defaults-merged form of `.github/tier-audit.yml`. */

export type DeclarationSource = 'registry' | 'custom-property' | 'topic' | 'badge';

/** `required` entries decide status and achieved tier; `recommended` ones are advice only. */
export type RequirementLevel = 'required' | 'recommended';

/**
 * Selects repositories by facts (`when`, `unless`, `include-when`, `exclude-when`). Keys combine with
 * AND, the values of one key with OR; comparisons are case-insensitive. Values are kept as written.
 */
export interface Selector {
  /** Name globs. */
  names?: string[];
  topics?: string[];
  /** Root entry names (globs), e.g. `netlify.toml`. */
  files?: string[];
  /** Primary language. */
  language?: string[];
  /** `public`, `private`, `internal`. */
  visibility?: string[];
  /** Registry entry fields: `{scope: [Infra]}`. */
  registry?: Record<string, string[]>;
}

export interface Requirement {
  /** Check id, e.g. `maintainers`. */
  check: string;
  /** Parameters given in the policy (merged over the check's defaults at evaluation time). */
  params: Record<string, unknown>;
  /** Applies only to repositories this selects (absent = all). */
  when?: Selector;
  /** Not applicable to repositories this selects. */
  unless?: Selector;
}

export interface TierDefinition {
  /** Tier id, lower-case: `contrib`, `repository`, `official`. */
  id: string;
  /** Other names accepted in declarations, lower-case (`sandbox`, `incubating`, `stable`, `official`…). */
  aliases: string[];
  /** The tier this one builds on (cumulative requirements), or null for the lowest. */
  extends: string | null;
  /** This tier's own required entries (level `required`; inherited ones are not repeated). */
  requires: Requirement[];
  /** This tier's own recommended entries (level `recommended`: advice, never status). */
  recommends: Requirement[];
}

export type RegistryFieldValue = string | number | boolean | null;

export interface RegistryEntryInline {
  name: string;
  /** Raw tier/status value as written (case-insensitive; may be absent for Special entries). */
  status: string | null;
  /** Every other field of the entry as written (`scope`, `description`…), for selectors and the report. */
  fields?: Record<string, RegistryFieldValue>;
}

export interface RegistrySource {
  /** `name` (a repository of the audited org) or `owner/name`. */
  repository: string;
  path: string;
  /** The field holding the tier; `name` holds the repository name. */
  field: string;
  /** Git ref to read; null = default branch. */
  ref: string | null;
}

export interface Waiver {
  /** Repository name (or glob) inside the org. */
  repository: string;
  /** The waived check ids (`check` or `checks` in the file). */
  checks: string[];
  /** Waive only the requirement listed at this tier; null = at every tier. */
  tier: string | null;
  reason: string;
  /** YYYY-MM-DD, inclusive; null = no expiry. */
  expires: string | null;
}

export interface ScopeFilters {
  /** Name globs to include (empty = all). */
  include: string[];
  /** Name globs to exclude. */
  exclude: string[];
  includeTopics: string[];
  excludeTopics: string[];
  /** Audit archived repositories (they are still used for registry drift when false). */
  /** Audit only repositories these select (`include-when`). */
  includeWhen?: Selector;
  /** Skip repositories these select (`exclude-when`). */
  excludeWhen?: Selector;
  archived: boolean;
  forks: boolean;
  templates: boolean;
  private: boolean;
}

export interface Policy {
  registry: RegistrySource | null;
  /** Inline registry entries (`registry: {entries: [...]}` or `repositories:`), used with or instead of a file. */
  registryEntries: RegistryEntryInline[];
  /** Precedence order; first source that declares wins. */
  declarations: DeclarationSource[];
  /** Custom property name holding the tier. */
  customProperty: string;
  /** Topic prefix, e.g. `tier-` → topic `tier-official`. */
  topicPrefix: string;
  /** Ordered from lowest to highest. */
  tiers: TierDefinition[];
  waivers: Waiver[];
  filters: ScopeFilters;
  /** Name of the org repository holding default community files (GitHub: `.github`). */
  communityRepository: string;
}
