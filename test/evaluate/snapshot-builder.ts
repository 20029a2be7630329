/** Test helpers: RepoSnapshots and scripted check definitions for the tier-model tests. */
import type { CheckDefinition, CheckOutcome, CheckParams } from '../../src/checks/types.js';
import type { OrgContext, RepoSnapshot } from '../../src/snapshot.js';
import { snapshot as baseSnapshot } from '../checks/helpers.js';

export const ORG: OrgContext = {
  login: 'falcosecurity',
  webUrl: 'https://github.com',
  communityFiles: ['SECURITY.md', 'CONTRIBUTING.md'],
  communityRepository: '.github',
};

export function snapshot(name: string, overrides: Partial<RepoSnapshot> = {}, readme?: string): RepoSnapshot {
  return baseSnapshot({
    name,
    license: { spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
    ...(readme === undefined
      ? {}
      : {
          rootEntries: [{ name: 'README.md', path: 'README.md', type: 'blob' }],
          files: { 'README.md': { kind: 'text', text: readme, byteSize: readme.length } },
        }),
    ...overrides,
  });
}

/**
 * Check definitions whose outcome per repository is scripted: `script[checkId][repoName]` is the
 * outcome (`throw` makes `run` throw); anything not scripted passes. Every call is recorded.
 */
export function scriptedChecks(
  ids: string[],
  script: Record<string, Record<string, CheckOutcome | 'throw'>> = {},
  defaults: Record<string, CheckParams> = {},
): { checks: Map<string, CheckDefinition>; calls: { check: string; repo: string; params: CheckParams }[] } {
  const calls: { check: string; repo: string; params: CheckParams }[] = [];
  const checks = new Map<string, CheckDefinition>();
  for (const id of ids) {
    checks.set(id, {
      id,
      title: id,
      description: `test check ${id}`,
      params: Object.entries(defaults[id] ?? {}).map(([name, value]) => ({
        name,
        type: typeof value === 'boolean' ? 'boolean' : typeof value === 'number' ? 'integer' : 'string-list',
        default: value as boolean | number | string[],
        description: `test parameter ${name}`,
      })),
      reads: [],
      defaults: defaults[id] ?? {},
      validateParams: (params) =>
        Object.entries(params)
          .filter(([, value]) => typeof value === 'number' && value < 0)
          .map(([key]) => `'${key}' must not be negative`),
      run(repo, params) {
        calls.push({ check: id, repo: repo.name, params });
        const outcome = script[id]?.[repo.name] ?? (id === 'not-archived' && repo.archived ? 'fail' : 'pass');
        if (outcome === 'throw') throw new Error(`${id} exploded on ${repo.name}`);
        return outcome === 'fail'
          ? { outcome, message: `${id} failed for ${repo.name}`, remediation: `fix ${id}` }
          : { outcome, message: `${id}: ${outcome} for ${repo.name}` };
      },
    });
  }
  return { checks, calls };
}

/** The check ids of the built-in Falco policy, plus not-archived. */
export const FALCO_CHECK_IDS = [
  'readme',
  'license',
  'activity',
  'owners',
  'maintainers',
  'build-pipeline',
  'release-pipeline',
  'recent-release',
  'security-policy',
  'contributing',
  'release-process',
  'not-archived',
];
