/**
 * Snapshot builders for the check tests. `fromFalco(name)` builds a RepoSnapshot from the real
 * falcosecurity data copied into test/fixtures/checks/falcosecurity-repos.json (OWNERS verbatim,
 * README heads, tag names and dates, root and .github paths); workflow files are written back as
 * YAML from the recorded facts (name, triggers, push filters, `uses:`), see `workflowYaml`.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckContext, CheckParams, CheckResult } from '../../src/checks/types.js';
import { getCheck } from '../../src/checks/index.js';
import { runCheck as runEvaluatorCheck } from '../../src/evaluate/run-check.js';
import type { FileContent, OrgContext, RepoSnapshot, TreeEntry } from '../../src/snapshot.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES = join(here, '..', 'fixtures', 'checks');

export interface FalcoWorkflowFacts {
  path: string;
  name: string | null;
  triggers: string[];
  push: { branches: string[]; 'branches-ignore': string[]; tags: string[]; 'tags-ignore': string[] } | null;
  uses: string[];
  parse_warning: string | null;
}

export interface FalcoRepo {
  default_branch: string;
  newest_commit_date: string;
  root_paths: string[];
  root_symlinks: string[];
  github_paths: string[];
  owners_files: { path: string; text: string }[];
  readme_path: string | null;
  readme_head: string | null;
  presence_paths: Record<string, string[]>;
  tags_recent: { name: string; date: string }[];
  tags_total: number;
  workflows: FalcoWorkflowFacts[];
  evolution_status: string | null;
}

export const FALCO: Record<string, FalcoRepo> = JSON.parse(
  readFileSync(join(FIXTURES, 'falcosecurity-repos.json'), 'utf8'),
) as Record<string, FalcoRepo>;

export function fixtureText(relative: string): string {
  return readFileSync(join(FIXTURES, relative), 'utf8');
}

export function text(t: string): FileContent {
  return { kind: 'text', text: t, byteSize: Buffer.byteLength(t) };
}

function entry(path: string, type: TreeEntry['type'] = 'blob'): TreeEntry {
  const clean = path.replace(/\/$/, '');
  return { name: clean.split('/').pop() ?? clean, path: clean, type };
}

/** A minimal non-empty repository; override anything. */
export function snapshot(overrides: Partial<RepoSnapshot> = {}): RepoSnapshot {
  const name = overrides.name ?? 'demo';
  return {
    owner: 'falcosecurity',
    name,
    nameWithOwner: `falcosecurity/${name}`,
    url: `https://github.com/falcosecurity/${name}`,
    description: null,
    archived: false,
    fork: false,
    private: false,
    template: false,
    empty: false,
    defaultBranch: 'main',
    lastCommitDate: '2026-08-01T10:00:00Z',
    pushedAt: '2026-08-01T10:00:00Z',
    topics: [],
    license: null,
    rootEntries: [],
    githubEntries: null,
    docsEntries: null,
    files: {},
    releases: [],
    tags: [],
    releasesTruncated: false,
    tagsTruncated: false,
    customProperties: {},
    problems: [],
    ...overrides,
  };
}

/** An empty repository (no commits, no default branch), as GitHub reports one. */
export function emptySnapshot(name = 'empty'): RepoSnapshot {
  return snapshot({
    name,
    empty: true,
    defaultBranch: null,
    lastCommitDate: null,
    rootEntries: null,
    files: {},
  });
}

/** Root entries from paths (`dir/` = directory). */
export function rootEntries(paths: string[], symlinks: string[] = []): TreeEntry[] {
  return paths.map((p) => entry(p, p.endsWith('/') ? 'tree' : symlinks.includes(p) ? 'symlink' : 'blob'));
}

/** Adds files (and their tree entries) to a snapshot. */
export function withFiles(base: RepoSnapshot, files: Record<string, string | FileContent>): RepoSnapshot {
  const s: RepoSnapshot = { ...base, files: { ...base.files }, rootEntries: [...(base.rootEntries ?? [])] };
  for (const [path, content] of Object.entries(files)) {
    s.files[path] = typeof content === 'string' ? text(content) : content;
    if (!path.includes('/')) {
      if (!s.rootEntries!.some((e) => e.path === path)) s.rootEntries!.push(entry(path));
    } else if (path.startsWith('.github/')) {
      s.githubEntries = [...(s.githubEntries ?? []), entry(path)];
      if (!s.rootEntries!.some((e) => e.path === '.github')) s.rootEntries!.push(entry('.github', 'tree'));
    } else if (path.startsWith('docs/')) {
      s.docsEntries = [...(s.docsEntries ?? []), entry(path)];
      if (!s.rootEntries!.some((e) => e.path === 'docs')) s.rootEntries!.push(entry('docs', 'tree'));
    }
  }
  return s;
}

const q = (s: string) => JSON.stringify(s);

/** A workflow YAML written from the recorded facts of a falcosecurity workflow. */
export function workflowYaml(w: FalcoWorkflowFacts): string {
  const out: string[] = [];
  if (w.name !== null) out.push(`name: ${q(w.name)}`);
  out.push('on:');
  for (const t of w.triggers) {
    if (t === 'push' && w.push) {
      const filters = (['branches', 'branches-ignore', 'tags', 'tags-ignore'] as const).filter(
        (k) => w.push![k].length,
      );
      if (filters.length === 0) out.push('  push:');
      else {
        out.push('  push:');
        for (const k of filters) out.push(`    ${k}: [${w.push[k].map(q).join(', ')}]`);
      }
    } else if (t === 'schedule') out.push('  schedule:', "    - cron: '0 6 * * 1'");
    else if (t === 'workflow_run')
      out.push('  workflow_run:', '    workflows: ["CI"]', '    types: [completed]');
    else out.push(`  ${t}:`);
  }
  out.push('jobs:');
  const reusable = w.uses.filter((u) => u.includes('.github/workflows/'));
  const actions = w.uses.filter((u) => !u.includes('.github/workflows/'));
  reusable.forEach((u, i) => out.push(`  call-${i}:`, `    uses: ${q(u)}`));
  out.push('  build:', '    runs-on: ubuntu-latest', '    steps:');
  for (const u of actions) out.push(`      - uses: ${q(u)}`);
  out.push('      - run: make');
  return out.join('\n') + '\n';
}

/** Modelled text for the real `.github/dependabot.yml` paths (the snapshot has no file texts). */
export const MODELLED_DEPENDABOT =
  '# (modelled)\nversion: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n';

/** A RepoSnapshot built from the real data of one falcosecurity repository. */
export function fromFalco(name: string, overrides: Partial<RepoSnapshot> = {}): RepoSnapshot {
  const d = FALCO[name];
  if (!d) throw new Error(`no falcosecurity data for ${name}`);
  const files: Record<string, FileContent> = {};
  for (const o of d.owners_files) files[o.path] = text(o.text);
  if (d.readme_path && d.readme_head !== null) files[d.readme_path] = text(d.readme_head);
  for (const w of d.workflows) files[w.path] = text(workflowYaml(w));
  // The path of dependabot.yml is real; its text was not captured: modelled with one ecosystem.
  for (const p of d.github_paths) {
    if (/^\.github\/dependabot\.ya?ml$/.test(p)) files[p] = text(MODELLED_DEPENDABOT);
  }
  const docsPaths = Object.values(d.presence_paths)
    .flat()
    .filter((p) => p.startsWith('docs/') && p !== 'docs/');
  const hasDocs = d.root_paths.includes('docs/');
  const s = snapshot({
    name,
    defaultBranch: d.default_branch,
    lastCommitDate: d.newest_commit_date,
    license: d.root_paths.some((p) => /^(license|copying)/i.test(p))
      ? { spdxId: 'Apache-2.0', name: 'Apache License 2.0' }
      : null,
    rootEntries: rootEntries(d.root_paths, d.root_symlinks),
    githubEntries: d.root_paths.includes('.github/') ? d.github_paths.map((p) => entry(p)) : null,
    docsEntries: hasDocs ? docsPaths.map((p) => entry(p)) : null,
    files,
    tags: d.tags_recent.map((t) => ({ name: t.name, date: t.date })),
    tagsTruncated: d.tags_total > d.tags_recent.length,
    // The OWNERS the audit finds below the root (two folder levels), as the owners-tree read gives them.
    nestedOwners: {
      paths: d.owners_files
        .map((o) => o.path)
        .filter((p) => p.endsWith('/OWNERS') && p.split('/').length <= 3)
        .sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b)),
      depth: 2,
    },
    ...overrides,
  });
  return s;
}

export const ORG: OrgContext = {
  login: 'falcosecurity',
  webUrl: 'https://github.com',
  communityFiles: [],
  communityRepository: '.github',
};

export const NOW = new Date('2026-08-21T00:00:00Z');

export function ctx(org: Partial<OrgContext> = {}, now: Date = NOW): CheckContext {
  return { now, org: { ...ORG, ...org } };
}

/** Runs a check by id with its defaults merged under `params`, as the evaluator does (read problems → error). */
export function runCheck(
  id: string,
  s: RepoSnapshot,
  params: CheckParams = {},
  c: CheckContext = ctx(),
): CheckResult {
  const check = getCheck(id);
  if (!check) throw new Error(`unknown check ${id}`);
  expect(check.validateParams(params)).toEqual([]);
  const result = runEvaluatorCheck(check, s, params, c);
  expectWellFormed(result);
  return result;
}

/** Every result: one line, remediation on fail, no relative dates, no markdown. */
export function expectWellFormed(result: CheckResult): void {
  expect(['pass', 'fail', 'not-applicable', 'error']).toContain(result.outcome);
  expect(result.message.length).toBeGreaterThan(0);
  expect(result.message).not.toMatch(/\n/);
  expect(result.message).not.toMatch(/\bdays ago\b/);
  if (result.outcome === 'fail') {
    expect(result.remediation).toBeTruthy();
    expect(result.remediation).not.toMatch(/\n/);
  }
}
