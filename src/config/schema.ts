/**
 * JSON Schema (draft-07) of the policy file, generated from the check definitions:
 * `policySchema(CHECKS)` lists every check id and its parameters (for editors: completion and
 * validation of `.github/tier-audit.yml`); `schemas/config.schema.json` is that object written out
 * (`renderConfigSchema`, a test keeps them equal). The loader validates the file's structure with
 * `policySchema()` and check ids and parameters with the check definitions themselves (the same specs),
 * so its messages name the known checks and parameters.
 * `x-error` is our own annotation: the message shown when that node fails validation.
 */
import { CHECKS } from '../checks/index.js';
import { paramsSchema } from '../checks/define.js';
import type { CheckDefinition } from '../checks/types.js';
import { DECLARATION_CHECK_ID } from './check-ids.js';

/** Selector keys (`when`, `unless`, `include-when`, `exclude-when`), in documentation order. */
export const SELECTOR_KEYS = ['names', 'topics', 'files', 'language', 'visibility', 'registry'] as const;

const oneOrMany = (description: string) => ({
  type: ['string', 'array'],
  description,
  minLength: 1,
  items: { type: 'string', minLength: 1 },
  'x-error': 'must be a string or a list of strings',
});

/** Facts selecting repositories: keys combine with AND, list values with OR, case-insensitively. */
export const SELECTOR_SCHEMA = {
  type: 'object',
  description:
    'Selects repositories by facts. Keys combine with AND; a list of values matches any of them (OR); comparisons are case-insensitive.',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    names: oneOrMany('Repository name globs (`*`, `?`).'),
    topics: oneOrMany('Repository topics: at least one of them.'),
    files: oneOrMany(
      'Entries at the repository root (files or folders, e.g. `netlify.toml`): at least one of them.',
    ),
    language: oneOrMany('Primary language as GitHub detects it (e.g. `Go`, `C++`).'),
    visibility: oneOrMany('`public`, `private` or `internal`.'),
    registry: {
      type: 'object',
      description:
        'Fields of the repository’s registry entry: `{FIELD: value | [values]}` (e.g. `{scope: Infra}` for falcosecurity/evolution).',
      minProperties: 1,
      additionalProperties: {
        type: ['string', 'number', 'boolean', 'array'],
        items: { type: ['string', 'number', 'boolean'] },
        'x-error': 'must be a value or a list of values',
      },
    },
  },
};

function checkIdsOf(checks: ReadonlyMap<string, CheckDefinition>): string[] {
  return [...checks.keys()].filter((id) => id !== DECLARATION_CHECK_ID);
}

/** One entry of `requires` / `recommends`: `id`, `{id: {params}}` or `{check, with, when, unless}`. */
function requirementSchema(checks: ReadonlyMap<string, CheckDefinition> | null) {
  const ids = checks ? checkIdsOf(checks) : [];
  const longForm = {
    type: 'object',
    required: ['check'],
    additionalProperties: false,
    'x-error': 'must be {check, with, when, unless}',
    properties: {
      check: checks
        ? { type: 'string', enum: ids, description: 'The check id.' }
        : { type: 'string', minLength: 1, description: 'The check id.' },
      with: { type: ['object', 'null'], description: 'Parameters of the check (merged over its defaults).' },
      when: { $ref: '#/definitions/selector' },
      unless: { $ref: '#/definitions/selector' },
    },
    ...(checks
      ? {
          allOf: [...checks.values()]
            .filter((check) => check.id !== DECLARATION_CHECK_ID)
            .map((check) => ({
              if: { properties: { check: { const: check.id } } },
              then: { properties: { with: { $ref: `#/definitions/params-${check.id}` } } },
            })),
        }
      : {}),
  };
  const shortForm = {
    type: 'object',
    minProperties: 1,
    maxProperties: 1,
    'x-error': 'must be a check id or a one-key map {check-id: {parameters}}',
    ...(checks
      ? {
          additionalProperties: false,
          properties: Object.fromEntries(
            [...checks.values()]
              .filter((check) => check.id !== DECLARATION_CHECK_ID)
              .map((check) => [check.id, { $ref: `#/definitions/params-${check.id}` }]),
          ),
        }
      : { additionalProperties: { type: ['object', 'null'], description: 'Parameters of the check.' } }),
  };
  return {
    type: ['string', 'object'],
    description: checks
      ? `A check id, \`{check-id: {parameters}}\`, or \`{check, with, when, unless}\`. Checks: ${ids.join(', ')}.`
      : 'A check id, `{check-id: {parameters}}`, or `{check, with, when, unless}`.',
    ...(checks ? { examples: ids } : {}),
    'x-error': 'must be a check id or a one-key map {check-id: {parameters}}',
    if: { type: 'string' },
    then: checks ? { type: 'string', enum: ids } : { type: 'string', minLength: 1 },
    else: {
      if: { type: 'object', required: ['check'], properties: { check: {} } },
      then: longForm,
      else: shortForm,
    },
  };
}

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
  additionalProperties: {
    type: ['string', 'number', 'boolean', 'null'],
    description: 'Any other field, kept and usable in `registry:` selectors.',
  },
  properties: {
    name: { type: 'string', minLength: 1, description: 'Repository name inside the organization.' },
    status: {
      type: ['string', 'null'],
      description:
        'Declared tier: a tier id or alias (case-insensitive, e.g. `Stable`), `Deprecated`, or absent/null for Special.',
    },
    scope: {
      type: ['string', 'null'],
      description:
        'Scope (e.g. `Core`, `Ecosystem`, `Infra`, `Special`): shown in the report, usable in selectors.',
    },
    description: { type: ['string', 'null'], description: 'Informational.' },
  },
};

/** The policy schema; with `checks`, it lists their ids and parameters (the editor schema). */
export function policySchema(checks: ReadonlyMap<string, CheckDefinition> | null = null) {
  const requirements = (level: string, what: string) => ({
    type: 'array',
    description: `${what} Each entry: a check id, \`{check-id: {parameter: value}}\`, or the long form \`{check, with, when, unless}\`. A check is listed once per tier; at each tier the entry of the nearest tier at or below it is in force (its parameters and level: ${level}).`,
    items: { $ref: '#/definitions/requirement' },
  });
  const paramDefinitions = checks
    ? Object.fromEntries(
        [...checks.values()]
          .filter((check) => check.id !== DECLARATION_CHECK_ID)
          .map((check) => [`params-${check.id}`, paramsSchema(check)]),
      )
    : {};
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/tier-audit/tier-audit/schemas/config.schema.json',
    title: 'tier-audit policy',
    description:
      'Policy for tier-audit (`.github/tier-audit.yml`): which support tiers exist, what each requires, where repositories declare their tier, and which repositories are audited. Every key is optional; omitted keys take the built-in Falco defaults.',
    type: 'object',
    definitions: {
      selector: SELECTOR_SCHEMA,
      requirement: requirementSchema(checks),
      ...paramDefinitions,
    },
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
            requires: requirements(
              'required',
              'Checks required at this tier (and, unless listed again, above it): they decide status and achieved tier.',
            ),
            recommends: requirements(
              'recommended',
              'Checks recommended at this tier: reported as advice; they never change status or achieved tier.',
            ),
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
          required: ['repository'],
          properties: {
            repository: {
              type: 'string',
              minLength: 1,
              description: 'Repository name, or a name glob (`*`, `?`).',
            },
            check: { type: 'string', minLength: 1, description: 'The waived check id (or use `checks`).' },
            checks: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', minLength: 1 },
              description: 'Several waived check ids: one waiver, one reason.',
            },
            tier: {
              type: 'string',
              minLength: 1,
              description: 'Waive the check only as a requirement of this tier (default: at every tier).',
            },
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
      'include-when': { $ref: '#/definitions/selector' },
      'exclude-when': { $ref: '#/definitions/selector' },
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
  };
}

/** The editor schema: every check with its parameters. `schemas/config.schema.json` is this. */
export const CONFIG_SCHEMA = policySchema(CHECKS);

/** `schemas/config.schema.json` as written (for `npm run docs` and the staleness test). */
export function renderConfigSchema(): string {
  return `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
}
