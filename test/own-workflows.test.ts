/**
 * The repository's own workflows (.github/workflows) and the example: actionlint (`npm run lint:workflows`,
 * in .ci/run) checks their syntax and expressions; what it cannot see is checked here — `uses: ./` passes
 * only inputs action.yml declares, and third-party actions are pinned to full commit SHAs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
}

function workflows(): { file: string; steps: Step[] }[] {
  const dir = path.join(root, '.github/workflows');
  return readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .map((file) => {
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as {
        jobs: Record<string, { steps?: Step[] }>;
      };
      return { file, steps: Object.values(doc.jobs).flatMap((job) => job.steps ?? []) };
    });
}

test('the expected workflows exist', () => {
  expect(
    workflows()
      .map((w) => w.file)
      .sort(),
  ).toEqual(['check-dist.yml', 'ci.yml', 'codeql.yml', 'dogfood.yml', 'release.yml'].sort());
});

test('`uses: ./` passes only inputs that action.yml declares', () => {
  const action = parse(readFileSync(path.join(root, 'action.yml'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const local = workflows().flatMap(({ file, steps }) =>
    steps
      .filter((step) => step.uses === './')
      .map((step) => ({ file, inputs: Object.keys(step.with ?? {}) })),
  );
  expect(local.length).toBeGreaterThan(0);
  for (const { file, inputs } of local) {
    expect([file, inputs.filter((input) => !(input in action.inputs))]).toEqual([file, []]);
  }
});

test('actions from other repositories are pinned to a full commit SHA with its version in a comment', () => {
  for (const { file } of workflows()) {
    const text = readFileSync(path.join(root, '.github/workflows', file), 'utf8');
    for (const line of text.split('\n')) {
      const match = /^\s*(?:-\s+)?uses:\s*([^\s#]+)(.*)$/.exec(line);
      if (!match || match[1].startsWith('./')) continue;
      expect([file, line.trim(), /@[0-9a-f]{40}$/.test(match[1]) && /#\s*v\d/.test(match[2])]).toEqual([
        file,
        line.trim(),
        true,
      ]);
    }
  }
});
