/**
 * `dependency-updates`: automated dependency updates are configured — Dependabot version updates
 * (`.github/dependabot.yml` or `.yaml`, read in the page query and parsed with bounds) or a Renovate
 * configuration file at one of the locations Renovate reads (root or `.github/`).
 */
import { isMap, isSeq, parseDocument } from 'yaml';
import type { RepoSnapshot } from '../snapshot.js';
import { readText } from './files.js';
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import { describeProblems, error, fail, pass, problemsFor, stringListParam, withDefaults } from './util.js';

/** Dependabot's configuration paths (GitHub reads exactly these). */
export const DEPENDABOT_PATHS = ['.github/dependabot.yml', '.github/dependabot.yaml'] as const;

/** Renovate's configuration files (docs.renovatebot.com/configuration-options), where the page lists them. */
export const RENOVATE_PATHS = [
  'renovate.json',
  'renovate.json5',
  '.github/renovate.json',
  '.github/renovate.json5',
  '.renovaterc',
  '.renovaterc.json',
  '.renovaterc.json5',
] as const;

/** A dependabot.yml larger than this is not parsed (GitHub's own limit is far below). */
export const DEPENDABOT_MAX_CHARS = 256 * 1024;

export type DependabotConfig =
  | { kind: 'ok'; version: unknown; updates: { ecosystem: string; directories: string[] }[] }
  | { kind: 'invalid'; reason: string };

/** Reads `version` and `updates[].package-ecosystem` / `directory` / `directories`; bounded, never throws. */
export function parseDependabot(text: string): DependabotConfig {
  if (text.length > DEPENDABOT_MAX_CHARS) {
    return { kind: 'invalid', reason: `too large to parse (${text.length} characters)` };
  }
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  } catch (err) {
    return { kind: 'invalid', reason: `not valid YAML (${(err as Error).message.split('\n')[0]})` };
  }
  if (doc.errors.length)
    return { kind: 'invalid', reason: `not valid YAML (${doc.errors[0].message.split('\n')[0]})` };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    return { kind: 'invalid', reason: `not usable (${(err as Error).message.split('\n')[0]})` };
  }
  if (!isMap(doc.contents) || value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'invalid', reason: 'not a mapping with `version` and `updates`' };
  }
  const root = value as Record<string, unknown>;
  const updatesNode = doc.get('updates');
  if (!isSeq(updatesNode) || !Array.isArray(root.updates)) {
    return { kind: 'invalid', reason: 'has no `updates` list' };
  }
  const updates: { ecosystem: string; directories: string[] }[] = [];
  for (const item of root.updates as unknown[]) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    const u = item as Record<string, unknown>;
    const ecosystem = u['package-ecosystem'];
    if (typeof ecosystem !== 'string' || ecosystem.trim() === '') continue;
    const directories = [
      ...(typeof u.directory === 'string' ? [u.directory] : []),
      ...(Array.isArray(u.directories)
        ? u.directories.filter((d): d is string => typeof d === 'string')
        : []),
    ];
    updates.push({ ecosystem: ecosystem.trim(), directories });
  }
  return { kind: 'ok', version: root.version, updates };
}

function present(snapshot: RepoSnapshot, path: string): boolean {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const entries = dir === '' ? snapshot.rootEntries : dir === '.github' ? snapshot.githubEntries : null;
  return (
    path in snapshot.files ||
    (entries ?? []).some((e) => e.path === path && (e.type === 'blob' || e.type === 'symlink'))
  );
}

export const dependencyUpdatesCheck = defineCheck({
  id: 'dependency-updates',
  title: 'Dependency updates',
  description:
    'Automated dependency updates are configured: `.github/dependabot.yml` (or `.yaml`) with at least one `updates` entry (its ecosystems are the evidence; `ecosystems` lists ecosystems it must cover, e.g. github-actions), or a Renovate configuration file (renovate.json, renovate.json5, .renovaterc, .renovaterc.json, .renovaterc.json5 at the root or renovate.json(5) in .github/).',
  params: [
    {
      name: 'ecosystems',
      type: 'string-list',
      default: [],
      description:
        'Dependabot ecosystems (`package-ecosystem`) the configuration must cover, e.g. `github-actions` (a Renovate configuration covers every manager it detects).',
    },
  ],
  reads: ['tree'],
  run(snapshot, params) {
    const p = withDefaults(dependencyUpdatesCheck.defaults, params);
    const required = stringListParam(p, 'ecosystems').map((e) => e.toLowerCase());
    const remediation = (missing?: string[]) =>
      missing && missing.length
        ? `Add an \`updates\` entry for ${missing.join(', ')} to .github/dependabot.yml (package-ecosystem, directory: "/", schedule: { interval: weekly }).`
        : 'Add .github/dependabot.yml: `version: 2` and `updates:` with one entry per ecosystem (e.g. package-ecosystem: github-actions, directory: "/", schedule: { interval: weekly }), or a renovate.json.';
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail('repository is empty: no dependency update configuration', remediation());
    }
    const renovate = RENOVATE_PATHS.filter((path) => present(snapshot, path));
    const dependabot = DEPENDABOT_PATHS.filter((path) => present(snapshot, path));
    const evidence: Evidence[] = [];
    const problems: string[] = [];
    const covered = new Set<string>();
    let dependabotOk = false;
    for (const path of dependabot) {
      const read = readText(snapshot, path);
      if (read.kind !== 'text') {
        problems.push(read.kind === 'missing' ? `${path} was not read` : `${path} ${read.reason}`);
        continue;
      }
      const config = parseDependabot(read.text);
      if (config.kind === 'invalid') {
        problems.push(`${path} is ${config.reason}`);
        continue;
      }
      if (config.version !== 2) {
        problems.push(
          `${path} says version ${JSON.stringify(config.version) ?? '(none)'}; Dependabot reads only version: 2`,
        );
        continue;
      }
      if (config.updates.length === 0) {
        problems.push(`${path} has no update entry with a package-ecosystem`);
        continue;
      }
      dependabotOk = true;
      const ecosystems = [...new Set(config.updates.map((u) => u.ecosystem))];
      for (const e of ecosystems) covered.add(e.toLowerCase());
      evidence.push({ path, detail: `Dependabot: ${ecosystems.join(', ')}` });
    }
    for (const path of renovate) evidence.push({ path, detail: 'Renovate (all managers it detects)' });
    if (renovate.length) {
      return pass(
        `${renovate[0]} configures Renovate${dependabotOk ? ` and ${evidence[0].path ?? 'dependabot.yml'} Dependabot (${[...covered].join(', ')})` : ''}`,
        evidence,
      );
    }
    if (dependabotOk) {
      const missing = required.filter((e) => !covered.has(e));
      if (missing.length) {
        return fail(
          `${evidence[0].path} updates ${[...covered].join(', ')} but not ${missing.join(', ')}`,
          remediation(missing),
          evidence,
        );
      }
      return pass(`${evidence[0].path} updates ${[...covered].join(', ')}`, evidence);
    }
    const readProblems = problemsFor(snapshot, ['tree', '.github', 'dependabot']);
    const unread = dependabot.filter((path) => readText(snapshot, path).kind !== 'text');
    if (unread.length || readProblems.length) {
      return error(
        [
          ...problems.filter((x) => unread.some((u) => x.startsWith(u))),
          ...(readProblems.length ? [describeProblems(readProblems)] : []),
        ].join('; ') || 'could not read the dependency update configuration',
        unread.map((path) => ({ path, detail: 'could not read' })),
      );
    }
    if (problems.length) {
      return fail(
        `dependency updates are not configured: ${problems.join('; ')}`,
        remediation(),
        dependabot.map((path) => ({ path })),
      );
    }
    return fail(
      'no .github/dependabot.yml and no Renovate configuration (renovate.json, .renovaterc…)',
      remediation(),
    );
  },
});
