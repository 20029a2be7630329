import { emptySnapshot, FALCO, fixtureText, fromFalco, runCheck, snapshot, withFiles } from './helpers.js';

const JOB = 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';

describe('build-pipeline', () => {
  it('falco: master.yaml pushes on master, with the real-shape bump-libs.yaml (TAB) among the workflows (falcosecurity/falco)', () => {
    const s = fromFalco('falco');
    s.files['.github/workflows/bump-libs.yaml'] = {
      kind: 'text',
      text: fixtureText('workflows/falco-bump-libs.yaml'),
      byteSize: 1,
    };
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).not.toMatch(/rejected/); // the TAB file is accepted, as by GitHub
    const paths = r.evidence!.map((e) => e.path);
    expect(paths).toContain('.github/workflows/master.yaml');
    expect(paths).toContain('.github/workflows/ci.yml');
    expect(paths).not.toContain('.github/workflows/bump-libs.yaml');
    expect(paths).not.toContain('.github/workflows/release.yaml');
  });

  it('falco: ci.yml counts through its reusable workflows, which do not count by themselves (falcosecurity/falco)', () => {
    const s = fromFalco('falco');
    const ci = runCheck('build-pipeline', s).evidence!.find((e) => e.path === '.github/workflows/ci.yml')!;
    expect(ci.detail).toMatch(
      /pull_request into master; calls \.github\/workflows\/reusable_fetch_version\.yaml/,
    );
    // keep only the workflow_call workflows: no build
    for (const path of Object.keys(s.files))
      if (path.startsWith('.github/workflows/') && !path.includes('reusable_')) delete s.files[path];
    s.githubEntries = s.githubEntries!.filter(
      (e) => !e.path.startsWith('.github/workflows/') || e.path.includes('reusable_'),
    );
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/reusable_build_dev\.yaml: only workflow_call/);
  });

  it('flycheck-falco-rules: CI pushes on master and release/** while the default branch is main (falcosecurity/flycheck-falco-rules)', () => {
    const facts = FALCO['flycheck-falco-rules'].workflows[0];
    expect(facts.push!.branches).toEqual(['master', 'release/**']);
    // The data records no pull_request filter; Falco's CI files give pull_request the same branches (modelled).
    const s = withFiles(snapshot({ defaultBranch: 'main' }), {
      '.github/workflows/ci.yml': `on:\n  pull_request:\n    branches: [master, "release/**"]\n  push:\n    branches: [master, "release/**"]\n  workflow_dispatch:\n${JOB}`,
    });
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/no workflow runs on push or pull_request for main/);
    expect(r.message).toMatch(/push only on branches master, release\/\*\*/);
    expect(r.remediation).toMatch(/name main/);
  });

  it('flycheck-falco-rules as recorded: the unfiltered pull_request trigger still builds PRs into main (falcosecurity/flycheck-falco-rules)', () => {
    const r = runCheck('build-pipeline', fromFalco('flycheck-falco-rules'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/pull_request into main/);
    expect(r.message).not.toMatch(/push to main/);
  });

  it('peribolos-syncer: push branches ["*"] includes main (falcosecurity/peribolos-syncer)', () => {
    const r = runCheck('build-pipeline', fromFalco('peribolos-syncer'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/integration\.yaml runs on push to main/);
  });

  it('falco-actions: only workflow_dispatch and pull_request, the PR trigger counts (falcosecurity/falco-actions)', () => {
    expect(runCheck('build-pipeline', fromFalco('falco-actions')).message).toMatch(
      /test-live-mode\.yaml runs on pull_request into main/,
    );
  });

  it('advocacy: no workflows fails (falcosecurity/advocacy)', () => {
    const r = runCheck('build-pipeline', fromFalco('advocacy'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^no workflow in \.github\/workflows\//);
  });

  it('a push trigger with only tag filters is not a build (modelled on falcosecurity/client-go release.yml)', () => {
    const facts = FALCO['client-go'].workflows.find((w) => w.path.endsWith('release.yml'))!;
    const s = withFiles(snapshot({ defaultBranch: 'master' }), {
      '.github/workflows/release.yml': `on:\n  push:\n    tags: [${JSON.stringify(facts.push!.tags[0])}]\n${JOB}`,
    });
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/push only for tags v\[0-9\]\+/);
  });

  it('a workflow GitHub rejects never counts and is named as rejected', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on:\n  push:\n    branches: [main]\n    branches-ignore: [wip]\n${JOB}`,
    });
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /rejected by GitHub: \.github\/workflows\/ci\.yml: you may only define one of branches and branches-ignore/,
    );
  });

  it('an unreadable workflow and no other build is an error; with another build it passes', () => {
    const bin = withFiles(snapshot(), { '.github/workflows/ci.yml': { kind: 'binary', byteSize: 10 } });
    const r = runCheck('build-pipeline', bin);
    expect(r.outcome).toBe('error');
    expect(r.message).toMatch(/could not read \.github\/workflows\/ci\.yml \(binary content\)/);
    const both = withFiles(bin, { '.github/workflows/test.yml': `on: [push]\n${JOB}` });
    expect(runCheck('build-pipeline', both).outcome).toBe('pass');
  });

  it('a workflows read problem with nothing passing is an error', () => {
    const s = snapshot({ problems: [{ part: 'workflows', message: 'tree too large' }] });
    expect(runCheck('build-pipeline', s).outcome).toBe('error');
  });

  it('files that are not .yml/.yaml are ignored and named', () => {
    const s = withFiles(snapshot(), { '.github/workflows/ci.yml.disabled': `on: push\n${JOB}` });
    const r = runCheck('build-pipeline', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/ignored \(not \.yml\/\.yaml\): \.github\/workflows\/ci\.yml\.disabled/);
  });

  it('merge_group and pull_request_target count; empty repository fails', () => {
    const mg = withFiles(snapshot(), { '.github/workflows/q.yml': `on: merge_group\n${JOB}` });
    expect(runCheck('build-pipeline', mg).outcome).toBe('pass');
    expect(runCheck('build-pipeline', fromFalco('charts')).outcome).toBe('pass'); // pull_request + pull_request_target
    expect(runCheck('build-pipeline', emptySnapshot()).outcome).toBe('fail');
  });
});

describe('release-pipeline', () => {
  it('falco: release.yaml is triggered by release (falcosecurity/falco)', () => {
    const r = runCheck('release-pipeline', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^\.github\/workflows\/release\.yaml: triggered by release/);
  });

  it('client-go: release.yml runs on tags v[0-9]+.[0-9]+.[0-9]+ (falcosecurity/client-go)', () => {
    const r = runCheck('release-pipeline', fromFalco('client-go'));
    expect(r.message).toBe('.github/workflows/release.yml: triggered by pushing tags v[0-9]+.[0-9]+.[0-9]+');
  });

  it('charts: chart-releaser on push to master counts by its tool (falcosecurity/charts)', () => {
    const r = runCheck('release-pipeline', fromFalco('charts'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/uses helm\/chart-releaser-action@\w+ \(chart-releaser\)/);
  });

  it('plugin-sdk-rs: docs, PR and semver-check workflows only fails (falcosecurity/plugin-sdk-rs)', () => {
    const r = runCheck('release-pipeline', fromFalco('plugin-sdk-rs'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/\(3 workflows checked\)/);
  });

  it('tools found in run: scripts: goreleaser, semantic-release, cr upload; extra tools by parameter', () => {
    const wf = (run: string) =>
      withFiles(snapshot(), {
        '.github/workflows/r.yml': `on: workflow_dispatch\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${JSON.stringify(run)}\n`,
      });
    expect(runCheck('release-pipeline', wf('goreleaser release --clean')).message).toMatch(/runs goreleaser/);
    expect(runCheck('release-pipeline', wf('npx semantic-release')).message).toMatch(/runs semantic-release/);
    expect(runCheck('release-pipeline', wf('cr upload --owner falcosecurity')).message).toMatch(
      /runs chart-releaser/,
    );
    expect(runCheck('release-pipeline', wf('./scripts/publish.sh')).outcome).toBe('fail');
    expect(
      runCheck('release-pipeline', wf('./scripts/publish.sh'), { tools: ['publish.sh'] }).message,
    ).toMatch(/runs publish\.sh/);
    // whole words only: `release` is not found inside `publish-release`
    expect(runCheck('release-pipeline', wf('make publish-release'), { tools: ['release'] }).outcome).toBe(
      'fail',
    );
    expect(
      runCheck('release-pipeline', wf('make publish-release'), { tools: ['publish-release'] }).outcome,
    ).toBe('pass');
  });

  it('falco-playground: a uses: tool given by parameter (rez0n/actions-github-release) matches its reference (falcosecurity/falco-playground)', () => {
    const s = fromFalco('falco-playground');
    delete s.files['.github/workflows/release.yaml'];
    s.githubEntries = s.githubEntries!.filter((e) => !e.path.endsWith('release.yaml'));
    expect(runCheck('release-pipeline', s).outcome).toBe('fail');
    const facts = FALCO['falco-playground'].workflows.find((w) => w.path.endsWith('release.yaml'))!;
    const withTool = withFiles(s, {
      '.github/workflows/publish.yaml': `on: workflow_dispatch\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${facts.uses[0]}\n`,
    });
    expect(runCheck('release-pipeline', withTool, { tools: ['rez0n/actions-github-release'] }).outcome).toBe(
      'pass',
    );
  });

  it('release-please by uses:, and an unreadable workflow gives error rather than fail', () => {
    const rp = withFiles(snapshot(), {
      '.github/workflows/rp.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  rp:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: googleapis/release-please-action@v4\n',
    });
    expect(runCheck('release-pipeline', rp).message).toMatch(/release-please/);
    const unread = withFiles(snapshot(), {
      '.github/workflows/release.yml': { kind: 'unread', reason: 'not fetched' },
    });
    expect(runCheck('release-pipeline', unread).outcome).toBe('error');
  });
});
