/**
 * The built-in policy: the Falco scope (falcosecurity/evolution REPOSITORIES.md), used when no policy
 * file exists. `examples/falcosecurity.yml` and the README example are this policy written out.
 */
import type { Policy, ScopeFilters } from './types.js';

export const DEFAULT_FILTERS: ScopeFilters = {
  include: [],
  exclude: [],
  includeTopics: [],
  excludeTopics: [],
  archived: false,
  forks: false,
  templates: false,
  private: true,
};

export const DEFAULT_POLICY: Policy = {
  registry: null,
  registryEntries: [],
  declarations: ['registry', 'custom-property', 'topic', 'badge'],
  customProperty: 'tier',
  topicPrefix: 'tier-',
  tiers: [
    {
      id: 'contrib',
      aliases: ['sandbox'],
      extends: null,
      requires: [
        { check: 'readme', params: {} },
        { check: 'license', params: {} },
      ],
      // "little to no activity during the time span of a year" is grounds to propose deprecation: advice.
      recommends: [{ check: 'activity', params: {} }],
    },
    {
      id: 'repository',
      aliases: ['incubating'],
      extends: 'contrib',
      requires: [
        { check: 'owners', params: {} },
        { check: 'maintainers', params: { min: 2 } },
        { check: 'build-pipeline', params: {} },
        { check: 'release-pipeline', params: {} },
      ],
      recommends: [],
    },
    {
      id: 'official',
      aliases: ['stable'],
      extends: 'repository',
      requires: [
        { check: 'recent-release', params: { 'max-age-days': 180 } },
        { check: 'security-policy', params: {} },
        { check: 'contributing', params: {} },
        { check: 'release-process', params: {} },
      ],
      // The official tier's promise ("attention to security, resilience and stability", timely support):
      // advice at this tier, never status.
      recommends: [
        { check: 'dependency-updates', params: {} },
        { check: 'code-scanning', params: {} },
        { check: 'release-provenance', params: {} },
        { check: 'test-matrix', params: {} },
        { check: 'default-branch-protected', params: {} },
        { check: 'issue-response', params: {} },
      ],
    },
  ],
  waivers: [],
  filters: DEFAULT_FILTERS,
  communityRepository: '.github',
};
