/**
 * The official-tier checks read from workflows: code-scanning, release-provenance, test-matrix.
 * Real-data cases are named after the falcosecurity repository; modelled ones say so.
 */
import { FALCO, fromFalco, runCheck, snapshot, text, withFiles } from './helpers.js';
import { parseWorkflowText } from '../../src/checks/workflows.js';

const STEPS = '    steps:\n      - run: make test\n';

function dropWorkflow(name: string, path: string) {
  const s = fromFalco(name);
  delete s.files[path];
  s.githubEntries = (s.githubEntries ?? []).filter((e) => e.path !== path);
  return s;
}

describe('code-scanning', () => {
  it.each(['falco', 'falco-operator', 'falcoctl', 'k8s-metacollector', 'plugin-sdk-go', 'plugins'])(
    '%s: a CodeQL workflow runs on push or pull_request for the default branch (falcosecurity/%s)',
    (name) => {
      const r = runCheck('code-scanning', fromFalco(name));
      expect(r.outcome).toBe('pass');
      expect(r.message).toMatch(/CodeQL \(job [^:]+: github\/codeql-action\/(init|analyze|autobuild)\)/);
      expect(r.evidence![0].path).toMatch(/^\.github\/workflows\/codeql/);
    },
  );

  it('the six CodeQL repositories are the only ones passing in the real data', () => {
    const passing = Object.keys(FALCO).filter(
      (name) => runCheck('code-scanning', fromFalco(name)).outcome === 'pass',
    );
    expect(passing.sort()).toEqual(
      ['falco', 'falco-operator', 'falcoctl', 'k8s-metacollector', 'plugin-sdk-go', 'plugins'].sort(),
    );
  });

  it('falco without codeql.yaml: its Scorecard workflow (push to master) still counts (falcosecurity/falco)', () => {
    const r = runCheck('code-scanning', dropWorkflow('falco', '.github/workflows/codeql.yaml'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^\.github\/workflows\/scorecard\.yaml: OpenSSF Scorecard .*push to master/);
  });

  it('rules: golangci-lint and yamllint only, no analyser: fails with the CodeQL starter as remediation (falcosecurity/rules)', () => {
    const r = runCheck('code-scanning', fromFalco('rules'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /no workflow running on push or pull_request for main uses a known static analyser \(6 workflows checked\)/,
    );
    expect(r.remediation).toMatch(/CodeQL starter workflow.*github\/codeql-action\/init/);
  });

  it('falco-talon: the policy adds golangci-lint as an analyser (`analysers`) (falcosecurity/falco-talon)', () => {
    expect(runCheck('code-scanning', fromFalco('falco-talon')).outcome).toBe('fail');
    const r = runCheck('code-scanning', fromFalco('falco-talon'), {
      analysers: ['golangci/golangci-lint-action'],
    });
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/golangci\/golangci-lint-action/);
  });

  it('a CodeQL workflow that runs only on a schedule fails and says where it runs (modelled)', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/codeql.yml': `on:\n  schedule:\n    - cron: '0 3 * * 1'\njobs:\n  analyze:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: github/codeql-action/init@v3\n      - uses: github/codeql-action/analyze@v3\n`,
    });
    const r = runCheck('code-scanning', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/codeql\.yml: CodeQL .*but only on schedule/);
  });

  it('a reusable workflow called by the CI counts through its caller (modelled)', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on:\n  pull_request:\n    branches: [main]\njobs:\n  scan:\n    uses: ./.github/workflows/scan.yml\n`,
      '.github/workflows/scan.yml': `on:\n  workflow_call:\njobs:\n  semgrep:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: semgrep/semgrep-action@v1\n`,
    });
    const r = runCheck('code-scanning', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/scan\.yml: Semgrep .*called by \.github\/workflows\/ci\.yml/);
  });

  it('an unreadable workflow is an error, not a failure', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/ci.yml': { kind: 'truncated', byteSize: 900_000 },
    });
    expect(runCheck('code-scanning', s).outcome).toBe('error');
  });

  it('rejects an unknown parameter and a non-list analysers', () => {
    const check = () => import('../../src/checks/code-scanning.js');
    return check().then(({ codeScanningCheck }) => {
      expect(codeScanningCheck.validateParams({ analyzers: [] })[0]).toMatch(/unknown parameter "analyzers"/);
      expect(codeScanningCheck.validateParams({ analysers: 'x' })[0]).toMatch(/list of non-empty strings/);
    });
  });
});

describe('release-provenance', () => {
  it('falcoctl: the release workflow calls the SLSA generators (falcosecurity/falcoctl)', () => {
    const r = runCheck('release-provenance', fromFalco('falcoctl'));
    expect(r.outcome).toBe('pass');
    const release = r.evidence!.find((e) => e.path === '.github/workflows/release.yaml')!;
    expect(release.detail).toMatch(
      /SLSA generator \(job [^:]+: slsa-framework\/slsa-github-generator\/\.github\/workflows\/generator_generic_slsa3\.yml\)/,
    );
  });

  it('falco: actions/attest-build-provenance and cosign (falcosecurity/falco)', () => {
    const r = runCheck('release-provenance', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    const details = r.evidence!.map((e) => e.detail).join(' | ');
    expect(details).toMatch(/artifact attestation \(job [^:]+: actions\/attest-build-provenance\)/);
    expect(details).toMatch(/cosign \(job [^:]+: sigstore\/cosign-installer\)/);
  });

  it('the eleven repositories with SLSA generators or cosign pass in the real data', () => {
    const passing = Object.keys(FALCO).filter(
      (name) => runCheck('release-provenance', fromFalco(name)).outcome === 'pass',
    );
    expect(passing).toHaveLength(11);
    expect(passing).toEqual(expect.arrayContaining(['charts', 'rules', 'falcosidekick', 'peribolos-syncer']));
  });

  it('driverkit: publishes with a release workflow but neither signs nor attests (falcosecurity/driverkit)', () => {
    const r = runCheck('release-provenance', fromFalco('driverkit'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/publishes .*but no workflow signs or attests/);
    expect(r.remediation).toMatch(/actions\/attest-build-provenance/);
    expect(r.evidence!.some((e) => e.path?.startsWith('.github/workflows/'))).toBe(true);
  });

  it('evolution: publishes no artifacts, so the check does not apply (falcosecurity/evolution)', () => {
    const r = runCheck('release-provenance', fromFalco('evolution'));
    expect(r.outcome).toBe('not-applicable');
    expect(r.message).toMatch(/publishes no artifacts/);
  });

  it('a release without any workflow still needs provenance (modelled)', () => {
    const s = snapshot({
      releases: [
        {
          tagName: 'v1.0.0',
          name: 'v1.0.0',
          publishedAt: '2026-08-01T00:00:00Z',
          createdAt: '2026-08-01T00:00:00Z',
          isPrerelease: false,
          isDraft: false,
          url: 'https://github.com/falcosecurity/demo/releases/tag/v1.0.0',
        },
      ],
    });
    const r = runCheck('release-provenance', s);
    expect(r.outcome).toBe('fail');
    expect(r.evidence).toContainEqual({
      url: 'https://github.com/falcosecurity/demo/releases/tag/v1.0.0',
      detail: 'release v1.0.0',
    });
  });

  it('`cosign sign` in a run step counts; `tools` adds an action (modelled)', () => {
    const base = `on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n`;
    const signed = withFiles(snapshot(), {
      '.github/workflows/release.yml': `${base}      - run: |\n          goreleaser release\n          cosign sign --yes ghcr.io/x/y@sha256:abc\n`,
    });
    expect(runCheck('release-provenance', signed).message).toMatch(/cosign \(job release runs it\)/);
    const custom = withFiles(snapshot(), {
      '.github/workflows/release.yml': `${base}      - uses: my-org/notary-sign@v2\n`,
    });
    expect(runCheck('release-provenance', custom).outcome).toBe('fail');
    expect(runCheck('release-provenance', custom, { tools: ['my-org/notary-sign'] }).outcome).toBe('pass');
  });
});

describe('test-matrix', () => {
  it('the workflow model keeps strategy.matrix and runs-on as GitHub parses them', () => {
    const wf = parseWorkflowText(
      '.github/workflows/ci.yml',
      `on: push\njobs:\n  test:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n        go: ['1.22', 1.23]\n        arch: \${{ fromJSON(needs.a.outputs.x) }}\n        include:\n          - os: windows-latest\n            go: 1.23\n        exclude:\n          - os: macos-latest\n${STEPS}  dyn:\n    runs-on: [self-hosted, arm64]\n    strategy:\n      matrix: \${{ fromJSON(needs.a.outputs.m) }}\n${STEPS}`,
    );
    expect(wf.valid).toBe(true);
    expect(wf.jobs[0].runsOn).toEqual(['${{ matrix.os }}']);
    expect(wf.jobs[0].matrix).toEqual({
      axes: { os: ['ubuntu-latest', 'macos-latest'], go: ['1.22', '1.23'] },
      dynamicAxes: ['arch'],
      include: [{ os: 'windows-latest', go: '1.23' }],
      excludeCount: 1,
    });
    expect(wf.jobs[1].runsOn).toEqual(['self-hosted', 'arm64']);
    expect(wf.jobs[1].matrix?.expression).toBe('${{ fromJSON(needs.a.outputs.m) }}');
  });

  it('falco as recorded: the captured workflows show no matrix (the snapshot has none), so it fails (falcosecurity/falco)', () => {
    const r = runCheck('test-matrix', fromFalco('falco'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/runs on one platform only \(ubuntu-latest\)/);
    expect(r.remediation).toMatch(/strategy: \{ matrix: \{ os:/);
  });

  it('falco with a modelled arch matrix in reusable_build_packages.yaml, called by master.yaml (modelled on falcosecurity/falco)', () => {
    const s = fromFalco('falco');
    s.files['.github/workflows/reusable_build_packages.yaml'] = text(
      `on:\n  workflow_call:\njobs:\n  build:\n    runs-on: \${{ matrix.runner }}\n    strategy:\n      matrix:\n        runner: [ubuntu-22.04, ubuntu-22.04-arm]\n${STEPS}`,
    );
    const r = runCheck('test-matrix', s);
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(
      /reusable_build_packages\.yaml: job build: matrix runner: ubuntu-22\.04, ubuntu-22\.04-arm \(called by \.github\/workflows\/(ci\.yml|master\.yaml)\)/,
    );
  });

  it('a matrix over language versions passes; a matrix over something else does not (modelled)', () => {
    const go = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        go-version: ['1.23', '1.24']\n${STEPS}`,
    });
    expect(runCheck('test-matrix', go).message).toMatch(/matrix go-version: 1\.23, 1\.24/);
    const shards = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        shard: [1, 2, 3]\n${STEPS}`,
    });
    expect(runCheck('test-matrix', shards).outcome).toBe('fail');
    expect(runCheck('test-matrix', shards, { axes: ['shard'] }).outcome).toBe('pass');
  });

  it('include-only matrices and jobs on different runners count; min-combinations tightens (modelled)', () => {
    const include = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on: [push]\njobs:\n  test:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n        include:\n          - os: ubuntu-latest\n          - os: macos-latest\n${STEPS}`,
    });
    expect(runCheck('test-matrix', include).outcome).toBe('pass');
    expect(runCheck('test-matrix', include, { 'min-combinations': 3 }).outcome).toBe('fail');
    const runners = withFiles(snapshot(), {
      '.github/workflows/ci.yml': `on: [pull_request]\njobs:\n  amd64:\n    runs-on: ubuntu-24.04\n${STEPS}  arm64:\n    runs-on: ubuntu-24.04-arm\n${STEPS}`,
    });
    const r = runCheck('test-matrix', runners);
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/2 different runners: ubuntu-24\.04 .*ubuntu-24\.04-arm/);
  });

  it('a matrix in a workflow that never runs for the default branch does not count (modelled)', () => {
    const s = withFiles(snapshot(), {
      '.github/workflows/nightly.yml': `on:\n  schedule:\n    - cron: '0 0 * * *'\njobs:\n  test:\n    runs-on: \${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, macos-latest]\n${STEPS}`,
    });
    const r = runCheck('test-matrix', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/no workflow runs on push or pull_request for main/);
  });
});
