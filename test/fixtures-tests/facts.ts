/** The recorded facts (test/fixtures/falcosecurity/facts.json), typed, for the fixture tests. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RecordedPush {
  branches: string[];
  'branches-ignore': string[];
  tags: string[];
  'tags-ignore': string[];
}

export interface RecordedWorkflow {
  path: string;
  name: string | null;
  triggers: string[];
  push: RecordedPush | null;
  uses: string[];
  parse_warning?: string;
}

export interface RecordedFacts {
  registryCommit: string;
  registry: { name: string; scope: string; status?: string; description: string }[];
  repos: Record<string, RecordedWorkflow[]>;
}

export function loadFacts(): RecordedFacts {
  const file = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    'fixtures',
    'falcosecurity',
    'facts.json',
  );
  return JSON.parse(readFileSync(file, 'utf8')) as RecordedFacts;
}
