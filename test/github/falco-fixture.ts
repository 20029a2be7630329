/**
 * Real falcosecurity repositories (copied from the shared data snapshot into test/github/data) turned into
 * FakeRepos: root listing, `.github/` files, OWNERS text verbatim, README head, tags with their dates.
 * Workflow texts are not in the data (only facts), so each workflow gets a small YAML built from its facts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeRepo } from '../fake-github/model.js';

interface FalcoRepoJson {
  name: string;
  default_branch: string;
  newest_commit_date: string;
  root_paths: string[];
  github_paths: string[];
  owners_files: { path: string; text: string }[];
  workflows: { path: string; name: string | null; triggers: string[] }[];
  readme_path: string | null;
  readme_head: string | null;
  tags_recent: { name: string; annotated: boolean; creatordate: string; commit_date: string }[];
  presence_paths?: Record<string, string[] | string | null>;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function loadFalcoJson(name: string): FalcoRepoJson {
  return JSON.parse(readFileSync(path.join(here, 'data', `${name}.json`), 'utf8')) as FalcoRepoJson;
}

export function falcoRepo(name: string): FakeRepo {
  const data = loadFalcoJson(name);
  const files: Record<string, string> = {};
  for (const p of data.github_paths) files[p] = `# ${p}\n`;
  for (const entry of data.root_paths) {
    if (!entry.endsWith('/')) files[entry] = `${entry}\n`;
    else if (!Object.keys(files).some((f) => f.startsWith(entry))) files[`${entry}.keep`] = '';
  }
  for (const owners of data.owners_files) files[owners.path] = owners.text;
  if (data.readme_path && data.readme_head !== null) files[data.readme_path] = data.readme_head;
  for (const workflow of data.workflows) {
    files[workflow.path] =
      (workflow.name ? `name: ${JSON.stringify(workflow.name)}\n` : '') +
      `on: [${workflow.triggers.join(', ')}]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n`;
  }
  return {
    name: data.name,
    description: `falcosecurity/${data.name}`,
    defaultBranch: data.default_branch,
    commitDate: data.newest_commit_date,
    pushedAt: data.newest_commit_date,
    files,
    tags: data.tags_recent.map((t) => ({
      name: t.name,
      date: t.commit_date,
      annotated: t.annotated,
      taggerDate: t.annotated ? t.creatordate : undefined,
    })),
    license: files.LICENSE !== undefined ? { spdxId: 'Apache-2.0', name: 'Apache License 2.0' } : null,
  };
}
