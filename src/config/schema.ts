/**
 * JSON Schema (draft-07) of the policy file. `schemas/config.schema.json` is this object written out
 * (a test keeps them equal) so editors can validate and complete `.github/tier-audit.yml`.
 * `x-error` is our own annotation: the message shown when that node fails validation.
 */
import { CHECK_IDS } from '../checks/index.js';

const checkIdDescription = `A check id. Checks: ${CHECK_IDS.filter((id) => id !== 'declaration-consistent').join(', ')}.`;

const nameList = (description: string) => ({
  type: 'array',
  description,
  items: { type: 'string', minLength: 1 },
});

const registryEntry = {
  type: 'object',
  description:
    'One repository of an inline registry, in the falcosecurity/evolution format. An entry without `status` is a Special repository (not audited).',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, description: 'Repository name inside the organization.' },
    status: {
      type: ['string', 'null'],
      description:
        'Declared tier: a tier id or alias (case-insensitive, e.g. `Stable`), `Deprecated`, or absent/null for Special.',
    },
    scope: {
      type: ['string', 'null'],
      description: 'Informational (e.g. `Core`, `Ecosystem`, `Infra`, `Special`).',
    },
    description: { type: ['string', 'null'], description: 'Informational.' },
  },
};

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/tier-audit/tier-audit/schemas/config.schema.json',
  title: 'tier-audit policy',
  description:
    'Policy for tier-audit (`.github/tier-audit.yml`): which support tiers exist, what each requires, where repositories declare their tier, and which repositories are audited. Every key is optional; omitted keys take the built-in Falco defaults.',
  type: 'object',
  additionalProperties: false,
  properties: {
    registry: {
      type: 'object',
      description:
        'A registry file listing each repository and its tier (falcosecurity/evolution `repositories.yaml` style: a YAML list of `{name, status}`). Omit to use the other declaration sources only.',
      additionalProperties: false,
      properties: {
        repository: {
          type: 'string',
          minLength: 1,
          description:
            'Repository holding the registry: a repository of the audited organization, or `owner/name`.',
        },
        path: {
          type: 'string',
          minLength: 1,
          default: 'repositories.yaml',
          description: 'Path of the registry file in that repository. Default `repositories.yaml`.',
        },
        field: {
          type: 'string',
          minLength: 1,
          default: 'status',
          description:
            'The entry field holding the tier (`name` holds the repository name). Default `status`.',
        },
        ref: {
          type: ['string', 'null'],
          description: 'Branch, tag or commit to read the registry from. Default: the default branch.',
        },
        entries: {
          type: 'array',
          description: 'Inline registry entries, used with or instead of the file.',
          items: registryEntry,
        },
      },
    },
    repositories: {
      type: 'array',
      description:
        'Inline registry entries (same as `registry.entries`), for organizations without a registry file.',
      items: registryEntry,
    },
    declarations: {
      type: 'array',
      description:
        'Where a repository declares its tier, in precedence order (the first source that declares wins; the others are compared for consistency). Default `[registry, custom-property, topic, badge]`.',
      uniqueItems: true,
      items: {
        type: 'string',
        enum: ['registry', 'custom-property', 'topic', 'badge'],
        description:
          '`registry`: the registry file or inline entries; `custom-property`: an organization custom property; `topic`: a repository topic `<topic-prefix><tier>`; `badge`: a Falco status badge (`img.shields.io/badge/status-<tier>-<colour>`) in the README header (before the first `##` heading).',
      },
    },
    'custom-property': {
      type: 'string',
      minLength: 1,
      default: 'tier',
      description: 'Name of the organization custom property holding the tier. Default `tier`.',
    },
    'topic-prefix': {
      type: 'string',
      default: 'tier-',
      description:
        'Prefix of the topic declaring the tier: `tier-official` declares `official`. Default `tier-`.',
    },
    tiers: {
      type: 'object',
      description:
        'The tiers, lowest first, by id (lower-case). Requirements are cumulative along `extends`. Omit to use the built-in contrib < repository < official tiers.',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
      'x-error': 'must be a map of tier id to tier definition',
      additionalProperties: {
        type: 'object',
        description: 'One tier.',
        additionalProperties: false,
        properties: {
          description: { type: 'string', description: 'Informational.' },
          aliases: {
            type: 'array',
            description:
              'Other names accepted in declarations, case-insensitive (e.g. `sandbox`, `incubating`, `stable`).',
            items: { type: 'string', minLength: 1 },
          },
          extends: {
            type: ['string', 'null'],
            description:
              'The tier this one builds on: its requirements are included. Omit for the lowest tier.',
          },
          requires: {
            type: 'array',
            description:
              'This tier’s own checks: a check id, or a one-key map `{check-id: {parameter: value}}` to set parameters (merged over the check’s defaults).',
            items: {
              type: ['string', 'object'],
              description: checkIdDescription,
              examples: CHECK_IDS.filter((id) => id !== 'declaration-consistent'),
              minLength: 1,
              minProperties: 1,
              maxProperties: 1,
              additionalProperties: { type: ['object', 'null'], description: 'Parameters of the check.' },
              'x-error': 'must be a check id or a one-key map {check-id: {parameters}}',
            },
          },
        },
      },
    },
    waivers: {
      type: 'array',
      description:
        'Accepted exceptions: a waived requirement counts as met (and is listed as waived with its reason) until it expires.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['repository', 'check'],
        properties: {
          repository: {
            type: 'string',
            minLength: 1,
            description: 'Repository name, or a name glob (`*`, `?`).',
          },
          check: { type: 'string', minLength: 1, description: 'The waived check id.' },
          reason: { type: 'string', description: 'Why (required; shown in the report).' },
          expires: {
            type: ['string', 'null'],
            pattern: '^\\d{4}-\\d{2}-\\d{2}$',
            'x-error': 'must be a date YYYY-MM-DD',
            description: 'Last day the waiver applies (YYYY-MM-DD, inclusive). Omit for no expiry.',
          },
        },
      },
    },
    include: nameList(
      'Audit only repositories whose name matches one of these globs (`*`, `?`, case-insensitive).',
    ),
    exclude: nameList(
      'Do not audit repositories whose name matches one of these globs (reported as skipped).',
    ),
    'include-topics': nameList('Audit only repositories with at least one of these topics.'),
    'exclude-topics': nameList('Do not audit repositories with any of these topics.'),
    archived: {
      type: 'boolean',
      default: false,
      description:
        'Audit archived repositories. Default false: archived repositories are skipped unless declared at an active tier (then they fail `not-archived`).',
    },
    forks: { type: 'boolean', default: false, description: 'Audit forks. Default false.' },
    templates: {
      type: 'boolean',
      default: false,
      description: 'Audit template repositories. Default false.',
    },
    private: {
      type: 'boolean',
      default: true,
      description: 'Audit private (and internal) repositories. Default true.',
    },
    'community-repository': {
      type: 'string',
      minLength: 1,
      default: '.github',
      description:
        'The organization repository holding default community health files (SECURITY.md, CONTRIBUTING.md…), which GitHub applies to every repository lacking its own. Default `.github`.',
    },
  },
} as const;
