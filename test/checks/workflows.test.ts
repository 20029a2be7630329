import {
  WorkflowParseCache,
  buildTriggersFor,
  parseWorkflowText,
  workflowParseCache,
  workflowSources,
} from '../../src/checks/workflows.js';
import { fixtureText, snapshot, withFiles } from './helpers.js';

const JOB = 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';

describe('workflows as GitHub reads them', () => {
  it('falco: bump-libs.yaml with a TAB at line 66 col 45 in a run: line is accepted, as GitHub does (falcosecurity/falco)', () => {
    const src = fixtureText('workflows/falco-bump-libs.yaml');
    const line66 = src.split('\n')[65];
    expect(line66.indexOf('\t')).toBe(44); // column 45, where strict YAML 1.1 parsers (PyYAML) fail
    const wf = parseWorkflowText('.github/workflows/bump-libs.yaml', src);
    expect(wf.errors).toEqual([]);
    expect(wf.valid).toBe(true);
    expect(wf.name).toBe('Bump Libs');
    expect(Object.keys(wf.events).sort()).toEqual(['schedule', 'workflow_dispatch']);
    const runs = wf.jobs.flatMap((j) => j.steps.map((s) => s.run ?? ''));
    expect(runs.some((r) => r.includes('\techo done'))).toBe(true);
  });

  it('a TAB used as indentation is rejected (GitHub rejects it too)', () => {
    const wf = parseWorkflowText('w.yml', 'on: push\njobs:\n  b:\n\truns-on: ubuntu-latest\n');
    expect(wf.valid).toBe(false);
    expect(wf.errors.join(' ')).toMatch(/Tabs are not allowed/);
  });

  it('YAML 1.2: on is a key (not the boolean true), quoted or not', () => {
    for (const on of ['on', '"on"', "'on'"]) {
      const wf = parseWorkflowText('w.yml', `${on}: [push, pull_request]\n${JOB}`);
      expect(wf.valid).toBe(true);
      expect(Object.keys(wf.events)).toEqual(['push', 'pull_request']);
    }
  });

  it('a top-level true: (what YAML 1.1 makes of on:) is rejected with a clear reason', () => {
    const wf = parseWorkflowText('w.yml', `true: push\n${JOB}`);
    expect(wf.valid).toBe(false);
    expect(wf.errors[0]).toMatch(/top-level key true is not a string/);
  });

  it('unknown events, unknown top-level keys and malformed YAML are rejected', () => {
    expect(parseWorkflowText('a.yml', `on: pushh\n${JOB}`).errors.join()).toMatch(/pushh/);
    expect(parseWorkflowText('b.yml', `on: push\nfoo: bar\n${JOB}`).errors.join()).toMatch(/foo/);
    expect(parseWorkflowText('c.yml', 'on: [push\njobs: {').valid).toBe(false);
    expect(parseWorkflowText('d.yml', '').valid).toBe(false);
  });

  it('branches together with branches-ignore for one event is rejected, as GitHub does', () => {
    const wf = parseWorkflowText(
      'w.yml',
      `on:\n  push:\n    branches: [main]\n    branches-ignore: [x]\n${JOB}`,
    );
    expect(wf.valid).toBe(false);
    expect(wf.errors.join()).toMatch(/only define one of branches and branches-ignore/);
  });

  it('flycheck-falco-rules: push on master and release/** does not run for main (falcosecurity/flycheck-falco-rules ci.yml)', () => {
    const wf = parseWorkflowText('ci.yml', `on:\n  push:\n    branches: [master, "release/**"]\n${JOB}`);
    const { matches, misses } = buildTriggersFor(wf, 'main');
    expect(matches).toEqual([]);
    expect(misses[0]).toMatch(/master, release\/\*\*/);
    expect(buildTriggersFor(wf, 'master').matches.map((m) => m.event)).toEqual(['push']);
  });

  it('pull_request branches filter the BASE branch; push with only tags is not a branch push', () => {
    const wf = parseWorkflowText(
      'w.yml',
      `on:\n  pull_request:\n    branches: [main]\n  push:\n    tags: ["v*"]\n${JOB}`,
    );
    expect(buildTriggersFor(wf, 'main').matches.map((m) => m.detail)).toEqual(['pull_request into main']);
    expect(buildTriggersFor(wf, 'develop').matches).toEqual([]);
  });

  it('expressions in run: keep their source text; reusable jobs keep their uses:', () => {
    const wf = parseWorkflowText(
      'w.yml',
      'on: push\njobs:\n  a:\n    uses: ./.github/workflows/r.yml\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: goreleaser release ${{ github.ref_name }}\n',
    );
    expect(wf.valid).toBe(true);
    expect(wf.jobs[0].uses).toBe('./.github/workflows/r.yml');
    expect(wf.jobs[1].steps[0].run).toContain('goreleaser release');
  });

  it('only top-level .yml/.yaml in .github/workflows are workflows; unread ones are reported, not dropped', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on: push\n${JOB}`,
      '.github/workflows/README.md': '# notes',
      '.github/workflows/sub/x.yml': `on: push\n${JOB}`,
      '.github/workflows/big.yaml': { kind: 'truncated', byteSize: 900000 },
    });
    const { sources, ignored } = workflowSources(s);
    expect(sources.map((x) => [x.path, x.state])).toEqual([
      ['.github/workflows/big.yaml', 'unusable'],
      ['.github/workflows/ci.yml', 'parsed'],
    ]);
    expect(ignored).toEqual(['.github/workflows/README.md']);
  });

  it('root keys that are not strings are found even when the YAML is malformed, and each is named', () => {
    const broken = parseWorkflowText('w.yml', `true: [push\n${JOB}`);
    expect(broken.valid).toBe(false);
    expect(broken.errors[0]).toMatch(/top-level key true is not a string/);
    const many = parseWorkflowText('w.yml', `1: a\nnull: b\nfalse: c\non: push\n${JOB}`);
    expect(many.errors.filter((e) => e.startsWith('top-level key'))).toEqual([
      'top-level key 1 is not a string (GitHub expects on:, jobs:, …)',
      'top-level key null is not a string (GitHub expects on:, jobs:, …)',
      'top-level key false is not a string (GitHub expects on:, jobs:, …)',
    ]);
    expect(parseWorkflowText('w.yml', `"true": push\non: push\n${JOB}`).errors.join()).not.toMatch(
      /top-level key/,
    );
  });
});

describe('workflow parse caching', () => {
  const CI = `name: CI\non:\n  push:\n    branches: [main]\n${JOB}`;

  it('the same workflow at the same path in two repositories is parsed once and shared', () => {
    const a = withFiles(snapshot({ name: 'a' }), { '.github/workflows/ci.yml': CI });
    const b = withFiles(snapshot({ name: 'b' }), { '.github/workflows/ci.yml': CI });
    expect(a.files['.github/workflows/ci.yml']).not.toBe(b.files['.github/workflows/ci.yml']);
    const misses = workflowParseCache.misses;
    const hits = workflowParseCache.hits;
    const [sa] = workflowSources(a).sources;
    const [sb] = workflowSources(b).sources;
    expect(sa.state === 'parsed' && sb.state === 'parsed').toBe(true);
    if (sa.state !== 'parsed' || sb.state !== 'parsed') return;
    expect(sb.workflow).toBe(sa.workflow);
    expect(workflowParseCache.misses - misses).toBeLessThanOrEqual(1);
    expect(workflowParseCache.hits - hits).toBeGreaterThanOrEqual(1);
    expect(sa.workflow).toEqual(parseWorkflowText('.github/workflows/ci.yml', CI));
  });

  it('the result depends on the path, so the same text at another path is its own entry', () => {
    const cache = new WorkflowParseCache();
    const ci = cache.parse('.github/workflows/ci.yml', CI);
    const build = cache.parse('.github/workflows/build.yml', CI);
    expect(build).not.toBe(ci);
    expect([ci.path, build.path]).toEqual(['.github/workflows/ci.yml', '.github/workflows/build.yml']);
    expect(cache.parse('.github/workflows/ci.yml', CI)).toBe(ci);
    expect([cache.size, cache.misses, cache.hits]).toEqual([2, 2, 1]);
    // The same file object at two paths (shared by reference) still gets each path's own parse.
    const s = withFiles(snapshot(), { '.github/workflows/ci.yml': CI });
    s.files['.github/workflows/build.yml'] = s.files['.github/workflows/ci.yml'];
    expect(
      workflowSources(s).sources.map((x) => (x.state === 'parsed' ? x.workflow.path : x.reason)),
    ).toEqual(['.github/workflows/build.yml', '.github/workflows/ci.yml']);
  });

  it('is bounded: least recently used entries go first, by count and by characters', () => {
    const cache = new WorkflowParseCache(2, 1_000_000);
    const texts = [1, 2, 3].map((i) => `name: W${i}\non: push\n${JOB}`);
    cache.parse('w.yml', texts[0]);
    cache.parse('w.yml', texts[1]);
    cache.parse('w.yml', texts[0]); // now W2 is the least recently used
    cache.parse('w.yml', texts[2]);
    expect(cache.size).toBe(2);
    const misses = cache.misses;
    cache.parse('w.yml', texts[0]);
    cache.parse('w.yml', texts[2]);
    expect(cache.misses).toBe(misses);
    cache.parse('w.yml', texts[1]);
    expect(cache.misses).toBe(misses + 1);

    // By characters (the key: path length, path, text): 1,600 hold sixteen entries of 100 characters, not seventeen.
    const byChars = new WorkflowParseCache(100, 1600);
    const sized = (i: number) => {
      const head = `name: W${i}\non: push\n${JOB}`;
      return `${head}#${'x'.repeat(100 - '5:w.yml'.length - head.length - 2)}\n`;
    };
    expect('5:w.yml'.length + sized(1).length).toBe(100);
    for (let i = 1; i <= 16; i++) byChars.parse('w.yml', sized(i));
    expect(byChars.size).toBe(16);
    byChars.parse('w.yml', sized(17));
    expect(byChars.size).toBe(16);
    const before = byChars.misses;
    byChars.parse('w.yml', sized(2)); // still there
    expect(byChars.misses).toBe(before);
    byChars.parse('w.yml', sized(1)); // the oldest, evicted by the 17th
    expect(byChars.misses).toBe(before + 1);
    // Larger than a 16th of the budget: parsed, not kept.
    const big = new WorkflowParseCache(100, 1600);
    big.parse('w.yml', `name: ${'x'.repeat(200)}\non: push\n${JOB}`);
    expect(big.size).toBe(0);
  });

  it('results are deeply frozen, so sharing them between repositories is safe', () => {
    const wf = parseWorkflowText('w.yml', `on:\n  push:\n    branches: [main]\n${JOB}`);
    expect(Object.isFrozen(wf)).toBe(true);
    expect(Object.isFrozen(wf.events.push.branches)).toBe(true);
    expect(Object.isFrozen(wf.jobs[0].steps[0])).toBe(true);
    expect(() => wf.errors.push('x')).toThrow(TypeError);
  });
});
