import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { WorkflowTemplate } from '@actions/workflow-parser';
import YAML from 'yaml';
import { MATRICES, synthesizeWorkflow } from '../../scripts/import-falcosecurity.js';
import type { FakeRepo } from '../fake-github/model.js';
import { loadFalcosecurityOrg } from '../fixtures/org-loader.js';
import { loadFacts, type RecordedWorkflow } from './facts.js';

const org = loadFalcosecurityOrg();
const facts = loadFacts();
const byName = new Map(org.repos.map((r) => [r.name, r]));

async function parse(
  name: string,
  content: string,
): Promise<{ errors: string[]; template: WorkflowTemplate | null }> {
  const result = parseWorkflow({ name, content }, new NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (errors.length > 0 || !result.value) return { errors, template: null };
  const template = await convertWorkflowTemplate(result.context, result.value);
  return { errors: (template.errors ?? []).map((e) => e.Message), template };
}

function usesOf(template: WorkflowTemplate): string[] {
  const refs: string[] = [];
  for (const job of template.jobs) {
    if (job.type === 'reusableWorkflowJob') refs.push(job.ref.value);
    else for (const step of job.steps) if ('uses' in step) refs.push(step.uses.value);
  }
  return [...new Set(refs)];
}

function workflowText(repo: FakeRepo, path: string): string {
  const file = repo.files?.[path];
  if (typeof file !== 'string') throw new Error(`${repo.name}: ${path} missing or not text`);
  return file;
}

const cases: [string, RecordedWorkflow][] = Object.entries(facts.repos).flatMap(([repo, workflows]) =>
  workflows.map((wf): [string, RecordedWorkflow] => [repo, wf]),
);

describe('synthesized workflows read back to the recorded facts', () => {
  test('facts cover many workflows, and every fixture workflow is in the facts', () => {
    expect(cases.length).toBeGreaterThan(150);
    for (const repo of org.repos) {
      const recorded = new Set((facts.repos[repo.name] ?? []).map((wf) => wf.path));
      const inFixture = Object.keys(repo.files ?? {}).filter((p) =>
        /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p),
      );
      expect(inFixture.sort()).toEqual([...recorded].sort());
    }
  });

  test.each(cases)('%s %#', async (repoName, wf) => {
    const repo = byName.get(repoName) as FakeRepo;
    const { errors, template } = await parse(wf.path, workflowText(repo, wf.path));
    expect(errors).toEqual([]);
    if (!template) throw new Error('no template');
    expect(Object.keys(template.events)).toEqual(wf.triggers);
    if (wf.push) {
      const push = template.events.push ?? {};
      expect({
        branches: push.branches ?? [],
        'branches-ignore': push['branches-ignore'] ?? [],
        tags: push.tags ?? [],
        'tags-ignore': push['tags-ignore'] ?? [],
      }).toEqual(wf.push);
    } else {
      expect(template.events.push).toBeUndefined();
    }
    expect(usesOf(template)).toEqual(wf.uses);
    const name = (YAML.parse(workflowText(repo, wf.path)) as { name?: unknown }).name;
    expect(name ?? null).toBe(wf.name);
  });

  test('committed fixtures are what the importer synthesizes from the facts', () => {
    for (const [repoName, wf] of cases) {
      const repo = byName.get(repoName) as FakeRepo;
      const synthesized = synthesizeWorkflow(
        {
          ...wf,
          file: wf.path.replace(/^.*\//, ''),
          parse_error: null,
          parse_warning: wf.parse_warning ?? null,
        },
        repo.defaultBranch ?? 'main',
        MATRICES[repoName]?.[wf.path],
      );
      expect(`${repoName}:${wf.path}\n${workflowText(repo, wf.path)}`).toBe(
        `${repoName}:${wf.path}\n${synthesized}`,
      );
    }
  });
});

describe("falco's bump-libs.yaml keeps the recorded TAB", () => {
  const path = '.github/workflows/bump-libs.yaml';
  const text = workflowText(byName.get('falco') as FakeRepo, path);
  const warning = facts.repos.falco.find((wf) => wf.path === path)?.parse_warning ?? '';

  test('the TAB sits at the recorded line and column', () => {
    const [, line, column] = /line (\d+), column (\d+)/.exec(warning) ?? [];
    expect(line).toBe('66');
    const lineText = text.split('\n')[Number(line) - 1];
    expect(lineText.indexOf('\t') + 1).toBe(Number(column));
    expect(lineText).toMatch(/^ +run: /);
    expect(text.split('\t')).toHaveLength(2);
  });

  test("GitHub's parser accepts it; the run script keeps the TAB", async () => {
    const { errors, template } = await parse(path, text);
    expect(errors).toEqual([]);
    const runs = (template?.jobs ?? []).flatMap((job) =>
      job.type === 'job' ? job.steps.flatMap((s) => ('run' in s ? [s.run.toDisplayString()] : [])) : [],
    );
    // The script is an expression (it interpolates an input); its literal part keeps the TAB.
    expect(runs.some((run) => run.includes('bump-libs        \tLIBS_VERSION='))).toBe(true);
  });

  test('the yaml package (YAML 1.2) reads it even in strict mode; only a YAML 1.1 reader objects', () => {
    const doc = YAML.parseDocument(text, { strict: true, prettyErrors: true });
    expect(doc.errors).toEqual([]);
    // Replacing the TAB with a space (what the extractor did) yields the same structure.
    expect(Object.keys(YAML.parse(text.replace('\t', ' ')) as object)).toEqual(
      Object.keys(doc.toJS() as object),
    );
  });
});
