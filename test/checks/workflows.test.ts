import { buildTriggersFor, parseWorkflowText, workflowSources } from '../../src/checks/workflows.js';
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
});
