/**
 * One-off converter: turns the falcosecurity data snapshot (real facts, see its INDEX.md) into the
 * committed demo organization under test/fixtures/falcosecurity/ (one FakeRepo JSON per repository,
 * plus facts.json, the recorded workflow facts the tests compare against).
 *
 *   npx tsx scripts/import-falcosecurity.ts /work/shared/data/falcosecurity
 *
 * Deterministic: the same input always yields byte-identical output. What is real and what is
 * modelled is documented in test/fixtures/falcosecurity/NOTES.md.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import type {
  FakeFile,
  FakeRelease,
  FakeRepo,
  FakeTag,
  FakeTimelineIssue,
} from '../test/fake-github/model.js';

// ---------------------------------------------------------------------------------------------
// Input shapes (the snapshot's JSON, see INDEX.md)

interface PushFilters {
  branches: string[];
  'branches-ignore': string[];
  tags: string[];
  'tags-ignore': string[];
}

export interface WorkflowFacts {
  file: string;
  path: string;
  name: string | null;
  triggers: string[];
  push: PushFilters | null;
  uses: string[];
  parse_error: string | null;
  parse_warning: string | null;
}

interface SnapshotRepo {
  name: string;
  default_branch: string;
  newest_commit_date: string;
  evolution: { declared: boolean; scope: string | null; status: string | null; description: string | null };
  root_paths: string[];
  root_symlinks: string[];
  submodules: string[];
  github_paths: string[];
  owners_files: { path: string; text: string }[];
  workflows: WorkflowFacts[];
  readme_path: string | null;
  readme_head: string | null;
  presence_paths: Record<string, string[]>;
  tags_total: number;
  tags_recent: { name: string; annotated: boolean; creatordate: string; commit_date: string }[];
  archival: { looks_archived_or_deprecated: boolean };
}

interface RegistryEntry {
  name: string;
  scope: string;
  status?: string;
  description: string;
}

interface Declared {
  source: { commit: string; commit_date: string };
  repositories: RegistryEntry[];
}

// ---------------------------------------------------------------------------------------------
// Modelling decisions (documented in NOTES.md)

/** INDEX.md caveats: undeclared repos that are most likely archived on GitHub. */
const ARCHIVED_PER_INDEX = [
  'advocacy',
  'client-py',
  'client-rs',
  'cloud-native-security-hub',
  'libsinsp',
  'pdig',
];
// katacoda-scenarios is the one INDEX.md names that is modelled NOT archived yet: it carries a
// `tier-deprecated` topic but no deprecation notice in its README (drift `deprecated-not-archived`).

/** Realistic topics on a few repositories; two `tier-…` topics exercise declaration drift. */
const TOPICS: Record<string, string[]> = {
  falco: ['falco', 'runtime-security', 'ebpf', 'kubernetes', 'cloud-native', 'security'],
  falcosidekick: ['falco', 'alerting', 'webhook', 'kubernetes'],
  charts: ['helm', 'helm-charts', 'kubernetes', 'falco'],
  plugins: ['falco', 'plugins', 'cloudtrail', 'k8saudit'],
  /** Agrees with the registry (Stable). */
  falcoctl: ['falco', 'cli', 'oci', 'tier-stable'],
  /** DISAGREES with the registry (Incubating): declaration drift. */
  'falco-talon': ['falco', 'response-engine', 'tier-sandbox'],
  /** Archived, yet its old topic still declares it Incubating: `not-archived` fails (drift `archived-declared-active`). */
  'client-py': ['falco', 'python', 'grpc', 'tier-incubating'],
  /** Retired but not archived: declared deprecated by topic, without a README notice. */
  'katacoda-scenarios': ['falco', 'tutorial', 'tier-deprecated'],
};

/** The marker that starts the note, in a modelled repository's description, on what is modelled. */
export const MODELLED_MARKER = '[demo: modelled, not real:';

/**
 * What the demo models in one repository rather than copies from the snapshot (so the demo's output and
 * the repository's description say which anomalies are not real); null when nothing is.
 */
export function modelledAnomalies(repo: {
  name: string;
  archived: boolean;
  topics: string[];
  unidentifiedLicense: boolean;
  /** Official-tier data the demo models (job matrix, branch rules, issue timeline). */
  official?: string[];
}): string | null {
  const notes: string[] = [];
  if (repo.archived)
    notes.push('archived flag (the snapshot shows none; inferred from INDEX.md or the README)');
  const tierTopics = repo.topics.filter((topic) => topic.startsWith('tier-'));
  if (tierTopics.length) notes.push(`topic ${tierTopics.join(', ')}`);
  if (repo.unidentifiedLicense) notes.push('license GitHub cannot identify');
  if (repo.official?.length) notes.push(repo.official.join(', '));
  return notes.length ? notes.join('; ') : null;
}

function describe(base: string | null | undefined, modelled: string | null): string | null {
  if (modelled === null) return base ?? null;
  return `${base ? `${base} ` : ''}${MODELLED_MARKER} ${modelled}]`;
}

/**
 * Job matrices (modelled: the snapshot keeps no workflow text). The first job with steps of the named
 * workflow gets this `strategy.matrix` (and `runs-on`), as the real pipelines build and test on several
 * architectures or platforms.
 */
export const MATRICES: Record<
  string,
  Record<string, { matrix: Record<string, string[]>; runsOn?: string }>
> = {
  falco: { '.github/workflows/reusable_build_packages.yaml': { matrix: { arch: ['x86_64', 'aarch64'] } } },
  libs: {
    '.github/workflows/ci.yml': {
      matrix: { os: ['ubuntu-22.04', 'ubuntu-22.04-arm', 'macos-14', 'windows-2022'] },
      runsOn: '${{ matrix.os }}',
    },
  },
  falcoctl: { '.github/workflows/integration.yaml': { matrix: { goarch: ['amd64', 'arm64'] } } },
};

/**
 * Branch protection of the default branch (modelled; not in the snapshot). Prow's branchprotector
 * writes classic rules: most Stable repositories require a reviewed pull request; falco-website's rule
 * requires status checks only; falcoctl also has an organization ruleset.
 */
const PROTECTION: Record<string, NonNullable<FakeRepo['protection']>> = {
  falco: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  libs: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  falcoctl: { rulesets: [{ name: 'org-default-branch', requiredApprovals: 1 }] },
  falcosidekick: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  plugins: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  rules: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  charts: { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  'plugin-sdk-go': { classic: { requiresApprovingReviews: true, requiredApprovingReviewCount: 1 } },
  'falco-website': { classic: { requiresApprovingReviews: false } },
};

/**
 * Issue timelines (modelled; the snapshot has no issues): per repository, the days from opening to the
 * first maintainer comment of its issues opened in the 90 days before the demo date (null = none yet).
 */
const ISSUE_RESPONSE_DAYS: Record<string, (number | null)[]> = {
  falco: [0.5, 1, 2, 1, 3, 0.2, 4, null],
  libs: [1, 2, 1, 5, 0.5, 2],
  falcoctl: [2, 3, 1, 6],
  falcosidekick: [1, 1, 2, 0.5, 3],
  rules: [3, 2, 8, 4],
  plugins: [20, 35, null, 40, 12, null],
  charts: [30, null, 25, 45, null],
  'plugin-sdk-go': [4, 9],
  'falco-website': [2, 6, 3],
  'deploy-kubernetes': [],
};

/** The one repository whose license GitHub cannot identify (a multi-party BSD-style text). */
const UNIDENTIFIED_LICENSE_REPO = 'elftoolchain';

/** Tag names that are pre-releases (no GitHub Release is modelled for them). */
const PRERELEASE = /(?:^|[-.+])(?:rc|alpha|beta|pre|dev)[.-]?\d*(?:$|[-.+])/i;

// ---------------------------------------------------------------------------------------------
// Helpers

/** GitHub reports dates in UTC with a `Z` and no milliseconds. */
function utc(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}

function addMinutes(iso: string, minutes: number): string {
  return utc(new Date(new Date(iso).getTime() + minutes * 60_000).toISOString());
}

/** A YAML scalar for a filter pattern or a name: plain when YAML reads it back as the same string. */
export function yamlScalar(value: string): string {
  const plainSafe = /^[A-Za-z0-9_./][A-Za-z0-9_./ ()*+@-]*$/.test(value) && !/ $/.test(value);
  if (plainSafe && !/^(true|false|yes|no|on|off|null|~|[0-9.+-]+)$/i.test(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function placeholder(filePath: string): string {
  const base = path.posix.basename(filePath).toLowerCase();
  const ext = path.posix.extname(base);
  const note = 'placeholder: this file exists in the real repository; its content was not captured';
  if (base === '.gitkeep') return '';
  if (ext === '.md' || ext === '.markdown') return `# ${path.posix.basename(filePath)}\n\n<!-- ${note} -->\n`;
  if (ext === '.json') return '{}\n';
  if (ext === '.rst' || ext === '.txt' || ext === '') return `${note}\n`;
  if (['.yml', '.yaml', '.toml', '.sh', '.cfg', '.conf', '.mk'].includes(ext) || base === 'makefile') {
    return `# ${note}\n`;
  }
  return `${note}\n`;
}

const APACHE_LICENSE =
  '\n                                 Apache License\n' +
  '                           Version 2.0, January 2004\n' +
  '                        http://www.apache.org/licenses/\n\n' +
  '   TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION\n\n' +
  '   (abridged in this fixture: the full text of the Apache License 2.0 follows in the real file)\n';

const UNIDENTIFIED_LICENSE =
  'Copyright (c) 2006-2011 Joseph Koshy\n' +
  'Copyright (c) 2008-2011 Kai Wang\n' +
  'All rights reserved.\n\n' +
  '(abridged in this fixture: several BSD-style notices from different authors follow, which is\n' +
  'why GitHub cannot identify a single license for this repository)\n';

// ---------------------------------------------------------------------------------------------
// Workflow synthesis: a YAML text that GitHub reads back to exactly the recorded facts.

function triggerBlock(trigger: string, wf: WorkflowFacts, defaultBranch: string, index: number): string[] {
  switch (trigger) {
    case 'push': {
      const push = wf.push;
      const keys = (['branches', 'branches-ignore', 'tags', 'tags-ignore'] as const).filter(
        (key) => (push?.[key].length ?? 0) > 0,
      );
      if (!push || keys.length === 0) return ['  push:'];
      const lines = ['  push:'];
      for (const key of keys) {
        lines.push(`    ${key}:`);
        for (const pattern of push[key]) lines.push(`      - ${yamlScalar(pattern)}`);
      }
      return lines;
    }
    case 'pull_request':
    case 'pull_request_target':
      return [`  ${trigger}:`, '    branches:', `      - ${yamlScalar(defaultBranch)}`];
    case 'schedule':
      return [
        '  schedule:',
        `    - cron: '${(index * 7 + 3) % 60} ${(index * 5 + 2) % 24} * * ${index % 7}'`,
      ];
    case 'workflow_dispatch':
      return ['  workflow_dispatch:'];
    case 'workflow_call':
      return ['  workflow_call:'];
    case 'release':
      return ['  release:', '    types:', '      - published'];
    case 'workflow_run':
      return ['  workflow_run:', '    workflows:', '      - CI', '    types:', '      - completed'];
    default:
      return [`  ${trigger}:`];
  }
}

function isReusableWorkflowRef(uses: string): boolean {
  return uses.includes('.github/workflows/') && /\.ya?ml(@|$)/.test(uses);
}

function jobId(ref: string, taken: Set<string>): string {
  const stem = ref
    .replace(/@.*$/, '')
    .replace(/^.*\//, '')
    .replace(/\.ya?ml$/, '')
    .replace(/[^A-Za-z0-9_-]/g, '-')
    .replace(/^[^A-Za-z_]+/, '');
  const base = stem || 'job';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Position of a TAB from a parse_warning such as `... (line 66, column 45)` (1-based). */
function tabPosition(warning: string | null): { line: number; column: number } | null {
  const match = warning ? /TAB|\\t|\t/.test(warning) && /line (\d+), column (\d+)/.exec(warning) : null;
  return match ? { line: Number(match[1]), column: Number(match[2]) } : null;
}

export function synthesizeWorkflow(
  wf: WorkflowFacts,
  defaultBranch: string,
  modelled?: { matrix: Record<string, string[]>; runsOn?: string },
): string {
  const lines: string[] = [];
  if (wf.name !== null) lines.push(`name: ${yamlScalar(wf.name)}`);
  lines.push('', 'on:');
  wf.triggers.forEach((trigger, index) => lines.push(...triggerBlock(trigger, wf, defaultBranch, index)));
  lines.push('', 'permissions:', '  contents: read', '', 'jobs:');

  // Jobs in the order of the recorded `uses:`: consecutive step actions share one job; each
  // reusable workflow is a job-level `uses:` of its own (as the real workflows do).
  const taken = new Set<string>();
  const groups: { kind: 'steps' | 'call'; refs: string[] }[] = [];
  for (const ref of wf.uses) {
    const kind = isReusableWorkflowRef(ref) ? 'call' : 'steps';
    const last = groups.at(-1);
    if (kind === 'steps' && last?.kind === 'steps') last.refs.push(ref);
    else groups.push({ kind, refs: [ref] });
  }
  const tab = tabPosition(wf.parse_warning);
  if (groups.length === 0 || tab) groups.push({ kind: 'steps', refs: [] });
  let previous: string | null = null;
  let matrixPlaced = false;
  groups.forEach((group, groupIndex) => {
    if (group.kind === 'call') {
      const id = jobId(group.refs[0], taken);
      lines.push(`  ${id}:`);
      if (previous) lines.push(`    needs: ${previous}`);
      lines.push(`    uses: ${yamlScalar(group.refs[0])}`);
      if (!group.refs[0].startsWith('./'))
        lines.push('    permissions:', '      contents: write', '      id-token: write');
      else lines.push('    secrets: inherit');
      previous = id;
      return;
    }
    const id = jobId(groupIndex === 0 ? (wf.name ?? 'build').toLowerCase() : `build-${groupIndex}`, taken);
    const matrix = modelled && !matrixPlaced ? modelled : null;
    lines.push(`  ${id}:`, `    runs-on: ${matrix?.runsOn ? `'${matrix.runsOn}'` : 'ubuntu-latest'}`);
    if (previous) lines.push(`    needs: ${previous}`);
    if (matrix) {
      matrixPlaced = true;
      lines.push('    # (modelled) the real job matrix was not captured', '    strategy:', '      matrix:');
      for (const [axis, values] of Object.entries(matrix.matrix)) {
        lines.push(`        ${axis}: [${values.map(yamlScalar).join(', ')}]`);
      }
    }
    lines.push('    steps:');
    for (const ref of group.refs) {
      const stepName = ref.replace(/@.*$/, '');
      lines.push(`      - name: ${yamlScalar(`Use ${stepName}`)}`, `        uses: ${yamlScalar(ref)}`);
    }
    const isLast = groupIndex === groups.length - 1;
    if (isLast && tab) {
      // Reproduce the recorded TAB: a plain `run:` scalar whose TAB sits exactly at the recorded
      // line and column. YAML 1.2 (GitHub's parser) accepts a TAB inside a plain scalar; a strict
      // YAML 1.1 reader (PyYAML, which produced the warning) does not.
      while (lines.length < tab.line - 3)
        lines.push('      # (modelled) the real steps of this script were not captured');
      lines.push('      - name: Update the libs version');
      lines.push('        shell: bash');
      const head = '        run: make -C build bump-libs';
      if (head.length >= tab.column) throw new Error(`cannot place the TAB at column ${tab.column}`);
      lines.push(
        `${head.padEnd(tab.column - 1, ' ')}\tLIBS_VERSION=\${{ github.event.inputs.version || 'master' }}`,
      );
    } else if (group.refs.length === 0) {
      lines.push('      - name: Run', `        run: echo ${yamlScalar(wf.name ?? wf.file)}`);
    }
    previous = id;
  });
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Repository conversion

function releasesFor(repo: SnapshotRepo): FakeRelease[] {
  const publishes = repo.workflows.some(
    (wf) => (wf.push?.tags.length ?? 0) > 0 || /release/i.test(wf.file) || wf.triggers.includes('release'),
  );
  if (!publishes) return [];
  return repo.tags_recent
    .filter((tag) => !PRERELEASE.test(tag.name))
    .map((tag) => {
      const createdAt = utc(tag.creatordate);
      return {
        tagName: tag.name,
        name: tag.name,
        createdAt,
        publishedAt: addMinutes(createdAt, 25),
        isPrerelease: false,
      };
    });
}

function convertRepo(repo: SnapshotRepo, registry: Map<string, RegistryEntry>): FakeRepo {
  const files: Record<string, FakeFile> = {};
  const defaultBranch = repo.default_branch;
  const symlinks: Record<string, string> = {};
  for (const link of repo.root_symlinks) {
    // falco's `rules` points into its rules submodule.
    symlinks[link] = repo.submodules.find((s) => s.endsWith('-rules'))
      ? 'submodules/falcosecurity-rules/rules'
      : link;
  }

  for (const owners of repo.owners_files) files[owners.path] = owners.text;
  if (repo.readme_path && repo.readme_head !== null) files[repo.readme_path] = repo.readme_head;
  for (const wf of repo.workflows) {
    files[wf.path] = synthesizeWorkflow(wf, defaultBranch, MATRICES[repo.name]?.[wf.path]);
  }
  // Dependabot's configuration: the path is real, its text is modelled from the repository's files.
  for (const p of repo.github_paths) {
    if (/^\.github\/dependabot\.ya?ml$/.test(p)) files[p] = dependabotYaml(repo);
  }
  for (const p of repo.github_paths) if (!(p in files)) files[p] = placeholder(p);
  const contentFor = (p: string): string =>
    /^(LICENSE|COPYING)/i.test(p)
      ? repo.name === UNIDENTIFIED_LICENSE_REPO
        ? UNIDENTIFIED_LICENSE
        : APACHE_LICENSE
      : placeholder(p);
  for (const paths of Object.values(repo.presence_paths)) {
    for (const p of paths) if (!p.endsWith('/') && !(p in files)) files[p] = contentFor(p);
  }
  // A couple of binary assets where the real repositories hold images.
  if (repo.root_paths.includes('brand/'))
    files['brand/primary-logo.png'] = { binary: true, byteSize: 48_213 };
  if (repo.name === 'falco-website') {
    files['static/img/falco-architecture.png'] = { binary: true, byteSize: 4_718_592 };
  }
  for (const entry of repo.root_paths) {
    if (repo.root_symlinks.includes(entry) || repo.submodules.includes(entry)) continue;
    if (entry.endsWith('/')) {
      const hasContent = Object.keys(files).some((p) => p.startsWith(entry));
      if (!hasContent) {
        const inner = entry === 'docs/' ? 'docs/index.md' : `${entry}.gitkeep`;
        files[inner] = placeholder(inner);
      }
      continue;
    }
    if (!(entry in files)) files[entry] = contentFor(entry);
  }

  const hasLicense = repo.root_paths.some((p) => /^(LICENSE|COPYING)/i.test(p));
  const entry = registry.get(repo.name);
  const archived = ARCHIVED_PER_INDEX.includes(repo.name) || repo.archival.looks_archived_or_deprecated;
  const tags: FakeTag[] = repo.tags_recent.map((tag) => ({
    name: tag.name,
    date: utc(tag.commit_date),
    ...(tag.annotated ? { annotated: true, taggerDate: utc(tag.creatordate) } : {}),
  }));
  const releases = releasesFor(repo);

  const sortedFiles: Record<string, FakeFile> = {};
  for (const key of Object.keys(files).sort()) sortedFiles[key] = files[key];

  const modelled = modelledOfficialData(repo.name);
  const out: FakeRepo = {
    name: repo.name,
    description: describe(
      entry?.description,
      modelledAnomalies({
        name: repo.name,
        archived,
        topics: TOPICS[repo.name] ?? [],
        unidentifiedLicense: repo.name === UNIDENTIFIED_LICENSE_REPO && hasLicense,
        official: modelled.labels,
      }),
    ),
    defaultBranch,
    commitDate: utc(repo.newest_commit_date),
    pushedAt: utc(repo.newest_commit_date),
    ...(archived ? { isArchived: true } : {}),
    ...(TOPICS[repo.name] ? { topics: TOPICS[repo.name] } : {}),
    license: !hasLicense
      ? null
      : repo.name === UNIDENTIFIED_LICENSE_REPO
        ? { spdxId: 'NOASSERTION', name: 'Other', key: 'other' }
        : { spdxId: 'Apache-2.0', name: 'Apache License 2.0', key: 'apache-2.0' },
    files: sortedFiles,
    ...(Object.keys(symlinks).length > 0 ? { symlinks } : {}),
    ...(repo.submodules.length > 0 ? { submodules: repo.submodules } : {}),
    ...(releases.length > 0 ? { releases } : {}),
    tags,
    ...(modelled.protection ? { protection: modelled.protection } : {}),
    ...(modelled.issues ? { issueTimeline: modelled.issues } : {}),
  };
  return out;
}

/** A dependabot.yml for the ecosystems the repository's root files show (modelled text, real path). */
function dependabotYaml(repo: SnapshotRepo): string {
  const has = (p: string) => repo.root_paths.includes(p);
  const ecosystems = ['github-actions'];
  if (has('go.mod')) ecosystems.push('gomod');
  if (has('package.json')) ecosystems.push('npm');
  if (has('Cargo.toml')) ecosystems.push('cargo');
  if (has('Dockerfile') || has('docker/')) ecosystems.push('docker');
  if (has('requirements.txt') || has('pyproject.toml')) ecosystems.push('pip');
  if (has('.gitmodules')) ecosystems.push('gitsubmodule');
  const lines = ['# (modelled) the real file exists; its text was not captured', 'version: 2', 'updates:'];
  for (const ecosystem of ecosystems) {
    lines.push(
      `  - package-ecosystem: ${ecosystem}`,
      '    directory: /',
      '    schedule:',
      '      interval: weekly',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The demo date (org-loader's DEMO_NOW): modelled issues fall in the 90 days before it. */
const DEMO_DATE = Date.parse('2026-08-21T00:00:00Z');

function modelledOfficialData(name: string): {
  labels: string[];
  protection?: FakeRepo['protection'];
  issues?: FakeTimelineIssue[];
} {
  const labels: string[] = [];
  if (MATRICES[name]) labels.push('job matrix');
  const protection = PROTECTION[name];
  if (protection) labels.push('branch rules');
  const days = ISSUE_RESPONSE_DAYS[name];
  let issues: FakeTimelineIssue[] | undefined;
  if (days) {
    labels.push('issue timeline');
    issues = days.map((response, i) => {
      const opened = DEMO_DATE - (5 + i * 9) * 86_400_000 - 3_600_000 * (i + 1);
      const iso = (t: number) => new Date(t).toISOString().replace(/\.000Z$/, 'Z');
      return {
        number: 1000 + days.length - i,
        author: `user-${name}-${i}`,
        association: 'NONE',
        createdAt: iso(opened),
        comments:
          response === null
            ? []
            : [
                {
                  author: 'maintainer',
                  association: 'MEMBER',
                  createdAt: iso(opened + response * 86_400_000),
                },
              ],
      };
    });
  }
  return { labels, ...(protection ? { protection } : {}), ...(issues ? { issues } : {}) };
}

/** evolution's `repositories.yaml`: a top-level list of name/scope/status/description. */
export function renderRepositoriesYaml(entries: RegistryEntry[]): string {
  const doc = entries.map((e) => ({
    name: e.name,
    scope: e.scope,
    ...(e.status !== undefined ? { status: e.status } : {}),
    description: e.description,
  }));
  return YAML.stringify(doc, { lineWidth: 0 });
}

function renderRepositoriesMd(entries: RegistryEntry[]): string {
  const lines = [
    '# Falco Repositories',
    '',
    '<!-- modelled: generated from repositories.yaml in the same way evolution does (`make`) -->',
    '',
  ];
  const scopes = [...new Set(entries.map((e) => e.scope))];
  for (const scope of scopes) {
    lines.push(`## ${scope} Scope`, '');
    for (const e of entries.filter((x) => x.scope === scope)) {
      lines.push(`### [${e.name}](https://github.com/falcosecurity/${e.name})`, '');
      if (e.status)
        lines.push(
          `![${e.status}](https://img.shields.io/badge/status-${e.status.toLowerCase()}-blue?style=flat-square)`,
          '',
        );
      lines.push(e.description, '');
    }
  }
  return `${lines.join('\n').replace(/\n+$/, '')}\n`;
}

function communityRepo(entry: RegistryEntry | undefined, commitDate: string): FakeRepo {
  const note =
    '<!-- modelled: the org-level default community health file (no snapshot of .github was captured) -->';
  return {
    name: '.github',
    description: describe(
      entry?.description,
      'the whole repository (not captured; community files modelled)',
    ),
    defaultBranch: 'main',
    commitDate,
    pushedAt: commitDate,
    license: null,
    files: {
      'CODE_OF_CONDUCT.md':
        `# Code of Conduct\n\n${note}\n\nThe Falco Project follows the ` +
        '[CNCF Code of Conduct](https://github.com/cncf/foundation/blob/main/code-of-conduct.md).\n',
      'CONTRIBUTING.md':
        `# Contributing to The Falco Project\n\n${note}\n\nSee the ` +
        '[contributing guide](https://github.com/falcosecurity/.github/blob/main/CONTRIBUTING.md) and sign off your commits (DCO).\n',
      'SECURITY.md':
        `# Security Policy\n\n${note}\n\nPlease report vulnerabilities privately to cncf-falco-maintainers@lists.cncf.io; ` +
        'see https://falco.org/docs/security/ for the disclosure process.\n',
      'profile/README.md': `# The Falco Project\n\n${note}\n\nFalco is a cloud native runtime security tool, a CNCF graduated project.\n`,
    },
    tags: [],
  };
}

// ---------------------------------------------------------------------------------------------

function main(): void {
  const source = process.argv[2];
  if (!source) {
    process.stderr.write(
      'usage: npx tsx scripts/import-falcosecurity.ts <folder of the falcosecurity snapshot>\n',
    );
    process.exit(2);
  }
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.join(root, 'test', 'fixtures', 'falcosecurity');
  const reposDir = path.join(outDir, 'repos');

  const declared = JSON.parse(readFileSync(path.join(source, 'declared.json'), 'utf8')) as Declared;
  const registry = new Map(declared.repositories.map((e) => [e.name, e]));
  const snapshots = readdirSync(source)
    .filter((f) => f.endsWith('.json') && f !== 'declared.json')
    .sort()
    .map((f) => JSON.parse(readFileSync(path.join(source, f), 'utf8')) as SnapshotRepo);

  const repos: FakeRepo[] = snapshots.map((s) => convertRepo(s, registry));

  const evolution = repos.find((r) => r.name === 'evolution');
  if (!evolution?.files) throw new Error('evolution is not in the snapshot');
  evolution.files['repositories.yaml'] = renderRepositoriesYaml(declared.repositories);
  evolution.files['REPOSITORIES.md'] = renderRepositoriesMd(declared.repositories);

  repos.push(communityRepo(registry.get('.github'), utc(declared.source.commit_date)));
  // prempti: declared but never captured; modelled as an empty repository (no commits, no branch).
  repos.push({
    name: 'prempti',
    description: describe(
      registry.get('prempti')?.description,
      'empty repository (not captured; modelled with no commits)',
    ),
    defaultBranch: null,
    tags: [],
  });

  rmSync(reposDir, { recursive: true, force: true });
  mkdirSync(reposDir, { recursive: true });
  for (const repo of repos) {
    writeFileSync(path.join(reposDir, `${repo.name}.json`), `${JSON.stringify(repo, null, 1)}\n`);
  }

  const facts = {
    source: 'falcosecurity data snapshot (workflows[] facts, copied verbatim)',
    registryCommit: declared.source.commit,
    /** evolution's repositories.yaml entries, verbatim. */
    registry: declared.repositories,
    repos: Object.fromEntries(
      snapshots
        .filter((s) => s.workflows.length > 0)
        .map((s) => [
          s.name,
          s.workflows.map((wf) => ({
            path: wf.path,
            name: wf.name,
            triggers: wf.triggers,
            push: wf.push,
            uses: wf.uses,
            ...(wf.parse_warning ? { parse_warning: wf.parse_warning } : {}),
          })),
        ]),
    ),
  };
  writeFileSync(path.join(outDir, 'facts.json'), `${JSON.stringify(facts, null, 1)}\n`);
  process.stderr.write(`wrote ${repos.length} repositories to ${path.relative(root, reposDir)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
