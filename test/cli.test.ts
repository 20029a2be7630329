import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { cli, HELP, type CliIo } from '../src/cli.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';
import { DEMO_NOW, loadFalcosecurityOrg } from './fixtures/org-loader.js';

const TOKEN = 'ghp_cliSecretToken000000000000000000';

function io(cwd: string): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    cwd,
    stdout: (text: string) => void (captured.out += text),
    stderr: (text: string) => void (captured.err += text),
  };
  return captured;
}

describe('tier-audit command line', () => {
  let dir: string;
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('documents every option in --help', async () => {
    const term = io(dir);
    expect(await cli(['--help'], {}, term)).toBe(0);
    expect(term.out).toBe(`${HELP}\n`);
    for (const option of [
      '--org',
      '--config',
      '--issue-repository',
      '--api-url',
      '--now',
      '--dry-run',
      '--json',
      '--state-dir',
      '--full-audit-days',
      '--full-audit',
      '--badges-dir',
    ]) {
      expect(HELP).toContain(option);
    }
  });

  it('rejects a missing --org, an unknown option and a missing token with exit status 2', async () => {
    expect(await cli([], { GITHUB_TOKEN: TOKEN }, io(dir))).toBe(2);
    expect(await cli(['--org', 'x', '--bogus'], { GITHUB_TOKEN: TOKEN }, io(dir))).toBe(2);
    const term = io(dir);
    expect(await cli(['--org', 'x'], {}, term)).toBe(2);
    expect(term.err).toMatch(/GITHUB_TOKEN or GH_TOKEN/);
  });

  it('validate: accepts the falcosecurity example and reports file:line:column for a broken file', async () => {
    const ok = io(path.resolve('.'));
    expect(await cli(['validate', '--config', 'examples/falcosecurity.yml'], {}, ok)).toBe(0);
    expect(ok.out).toMatch(/valid/);
    writeFileSync(
      path.join(dir, 'bad.yml'),
      'tiers:\n  contrib:\n    requires: [readme]\n    extends: nowhere\n',
    );
    const bad = io(dir);
    expect(await cli(['validate', '--config', 'bad.yml'], {}, bad)).toBe(2);
    expect(bad.err).toMatch(/^bad\.yml:4:\d+: .*nowhere/m);
  });

  it('audits an organization: markdown on stdout, progress on stderr, JSON report, token never printed', async () => {
    const term = io(path.resolve('.'));
    const json = path.join(dir, 'report.json');
    const code = await cli(
      [
        '--org',
        'falcosecurity',
        '--config',
        'examples/falcosecurity.yml',
        '--api-url',
        fake.url,
        '--now',
        DEMO_NOW,
        '--json',
        json,
        '--badges-dir',
        path.join(dir, 'badges'),
      ],
      { GH_TOKEN: TOKEN },
      term,
    );
    expect(term.err).not.toMatch(/^error:/m);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    // --badges-dir: one shields.io endpoint file per repository and an index.
    const falco = report.repositories.find((r: { name: string }) => r.name === 'falco');
    expect(JSON.parse(readFileSync(path.join(dir, 'badges/repos/falco.json'), 'utf8'))).toMatchObject({
      schemaVersion: 1,
      label: 'tier',
      message: expect.stringContaining(falco.declaredTier),
    });
    expect(
      Object.keys(JSON.parse(readFileSync(path.join(dir, 'badges/index.json'), 'utf8')).repositories),
    ).toHaveLength(report.repositories.length);
    expect(report.generatedAt).toBe(new Date(DEMO_NOW).toISOString());
    expect(report.summary.repositories).toBe(report.repositories.length);
    expect(term.out).toContain('falcosecurity');
    expect(term.err).toMatch(/repositories visible/);
    expect(term.out + term.err).not.toContain(TOKEN);
  });

  it('exits 1 with --fail-on non-compliant when a declared repository fails its tier', async () => {
    const term = io(path.resolve('.'));
    const code = await cli(
      [
        '--org',
        'falcosecurity',
        '--config',
        'examples/falcosecurity.yml',
        '--api-url',
        fake.url,
        '--now',
        DEMO_NOW,
        '--fail-on',
        'non-compliant',
        '--quiet',
      ],
      { GITHUB_TOKEN: TOKEN },
      term,
    );
    expect(code).toBe(1);
    expect(term.err).toMatch(/error: \d+ repositories do not meet their declared tier/);
  });

  it('--state-dir: the second audit reads only what changed; --full-audit reads everything; a bad --full-audit-days is a usage error', async () => {
    const state = path.join(dir, 'state');
    const args = ['--org', 'falcosecurity', '--api-url', fake.url, '--now', DEMO_NOW, '--state-dir', state];
    const first = io(dir);
    expect(await cli(args, { GITHUB_TOKEN: TOKEN }, first)).toBe(0);
    expect(first.err).toMatch(/holds no facts for falcosecurity yet/);
    const second = io(dir);
    expect(await cli(args, { GITHUB_TOKEN: TOKEN }, second)).toBe(0);
    expect(second.err).toMatch(/Incremental audit: \d+ repositories stored/);
    expect(second.err).toMatch(/0 read from GitHub, \d+ unchanged from stored facts/);
    const withoutCoverage = (text: string) => text.replace(/^Coverage: .*$/m, '');
    expect(second.out).toMatch(/incremental audit: 0 read from GitHub, 49 unchanged/);
    expect(withoutCoverage(second.out)).toBe(withoutCoverage(first.out));
    const forced = io(dir);
    expect(await cli([...args, '--full-audit'], { GITHUB_TOKEN: TOKEN }, forced)).toBe(0);
    expect(forced.err).toMatch(/a full audit was asked for/);
    const bad = io(dir);
    expect(await cli([...args, '--full-audit-days', 'weekly'], { GITHUB_TOKEN: TOKEN }, bad)).toBe(2);
    expect(bad.err).toMatch(/--full-audit-days must be a whole number of days/);
  });
});

describe('tier-audit command line, tried as a new user would', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('validate FILE validates FILE', async () => {
    writeFileSync(path.join(dir, 'policy.yml'), 'tiers:\n  contrib:\n    requires: [readme]\n');
    const term = io(dir);
    expect(await cli(['validate', 'policy.yml'], {}, term)).toBe(0);
    expect(term.out).toBe('policy.yml: valid (contrib)\n');
    expect(term.err).toBe('');
    writeFileSync(path.join(dir, 'broken.yml'), 'tiers:\n  contrib:\n    requires: [nonsense]\n');
    const bad = io(dir);
    expect(await cli(['validate', 'broken.yml'], {}, bad)).toBe(2);
    expect(bad.err).toMatch(/^broken\.yml:3:\d+/);
    const both = io(dir);
    expect(await cli(['validate', 'policy.yml', '--config', 'broken.yml'], {}, both)).toBe(2);
    expect(both.err).toMatch(/error: give the policy file once/);
  });

  it('--help states the exit codes validate and the audit really use', async () => {
    expect(HELP).toMatch(
      /tier-audit validate \[FILE\]\s+check a policy file \(exit 2 with file:line:column errors\)/,
    );
    expect(HELP).toMatch(
      /Exit status: 0 success, 1 audit failed by --fail-on or an error, 2 usage or invalid policy/,
    );
  });

  it('validate without a file and without the default file: says the built-in policy is in force and validates it', async () => {
    const term = io(dir);
    expect(await cli(['validate'], {}, term)).toBe(0);
    expect(term.out).toMatch(
      /^No policy file given and \.github\/tier-audit\.yml does not exist: the audit uses the built-in policy \(Falco scope\)\.\nbuilt-in policy: valid \(contrib < repository < official\)\n$/,
    );
  });

  it('validate without a file validates the default file when it exists', async () => {
    mkdirSync(path.join(dir, '.github'));
    writeFileSync(path.join(dir, '.github/tier-audit.yml'), 'tiers:\n  contrib:\n    requires: [readme]\n');
    const term = io(dir);
    expect(await cli(['validate'], {}, term)).toBe(0);
    expect(term.out).toBe('.github/tier-audit.yml: valid (contrib)\n');
  });

  it('validate warns about an expired waiver', async () => {
    writeFileSync(
      path.join(dir, 'policy.yml'),
      'tiers:\n  contrib:\n    requires: [readme]\nwaivers:\n  - repository: falco\n    check: readme\n    reason: old\n    expires: 2020-01-31\n',
    );
    const term = io(dir);
    expect(await cli(['validate', 'policy.yml'], {}, term)).toBe(0);
    expect(term.err).toMatch(/^warning: policy\.yml:\d+:\d+: .*waiver for .*falco.* expired on 2020-01-31/m);
  });

  it('--fail-on always: a usage error naming --fail-on, exit 2', async () => {
    const term = io(dir);
    expect(await cli(['--org', 'x', '--fail-on', 'always'], { GITHUB_TOKEN: TOKEN }, term)).toBe(2);
    expect(term.err).toMatch(
      /^error: --fail-on must be one of never, non-compliant, regression; got "always"/,
    );
    expect(term.err).not.toMatch(/Input fail-on/);
  });

  it('--app-private-key FILE that cannot be read: a usage error naming the option and the file, exit 2, before any request', async () => {
    const term = io(dir);
    // Nothing listens on port 9: a request would end in a connection error, not this message.
    const code = await cli(
      [
        '--org',
        'falcosecurity',
        '--app-id',
        '12',
        '--app-private-key',
        'missing.pem',
        '--api-url',
        'http://127.0.0.1:9',
      ],
      {},
      term,
    );
    expect(code).toBe(2);
    expect(term.err).toMatch(/--app-private-key: cannot read .*missing\.pem/);
    expect(term.err).not.toMatch(/^Policy:|could not connect/m);
  });

  it('--api-url notaurl: a clear message, exit 2', async () => {
    const term = io(dir);
    expect(await cli(['--org', 'x', '--api-url', 'notaurl'], { GITHUB_TOKEN: TOKEN }, term)).toBe(2);
    expect(term.err).toMatch(
      /^error: --api-url must be an http\(s\) URL such as https:\/\/api\.github\.com.*got "notaurl"/m,
    );
  });

  it('a refused connection is a connection error naming the URL, not HTTP 500', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const term = io(dir);
    const url = `http://127.0.0.1:${port}`;
    // Declarations by topic only: no REST call (custom properties) before the GraphQL one.
    writeFileSync(path.join(dir, 'policy.yml'), 'declarations: [topic]\n');
    const argv = ['--org', 'x', '--api-url', url, '--config', 'policy.yml', '--quiet'];
    expect(await cli(argv, { GITHUB_TOKEN: TOKEN }, term)).toBe(1);
    expect(term.err).not.toMatch(/HTTP 500/);
    expect(term.err).toMatch(new RegExp(`error: .*could not connect to ${url}/graphql.*ECONNREFUSED`));
  });

  it.each([
    [['--bogus'], /^error: unknown option --bogus\n/],
    [['--org'], /^error: --org needs a value\n/],
    [['-x'], /^error: unknown option -x\n/],
  ])('%j: a clear tier-audit message with the usage, exit 2', async (argv, message) => {
    const term = io(dir);
    expect(await cli(argv, { GITHUB_TOKEN: TOKEN }, term)).toBe(2);
    expect(term.err).toMatch(message);
    expect(term.err).toContain('Usage:');
    expect(term.err).not.toMatch(/To specify a positional argument/);
  });
});
