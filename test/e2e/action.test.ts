/**
 * End to end: runs the committed bundle (dist/index.js) as the Actions runner does — INPUT_* variables,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_API_URL — against the in-process fake GitHub serving the
 * demo organization, twice: the first run creates the tracking issue, the second updates the same one.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { loadFalcosecurityOrg } from '../fixtures/org-loader.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bundle = path.join(root, 'dist/index.js');
const TOKEN = 'ghs_e2eSecretToken0123456789';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** The runner's GITHUB_OUTPUT file format: `name<<DELIMITER\nvalue\nDELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      outputs[heredoc[1]] = value.join('\n');
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=');
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

function runAction(fake: FakeGitHub, workspace: string, inputs: Record<string, string>): Promise<RunResult> {
  const outputFile = path.join(workspace, `output-${Date.now()}-${Math.random()}`);
  const summaryFile = path.join(workspace, `summary-${Date.now()}-${Math.random()}`);
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  // What the runner passes: every input, with action.yml's defaults filled in.
  const defaults: Record<string, string> = {
    token: TOKEN,
    organization: '',
    config: '.github/tier-audit.yml',
    'issue-repository': '',
    'issue-title': '',
    'issue-label': 'tier-audit',
    'report-path': 'tier-audit-report.json',
    'dry-run': 'false',
    'github-api-url': fake.url,
    'fail-on': 'never',
    'close-when-compliant': 'true',
    'comment-on-change': 'false',
    'mention-owners': 'false',
    'badges-branch': '',
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: 'falcosecurity/evolution',
    GITHUB_REPOSITORY_OWNER: 'falcosecurity',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_API_URL: fake.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: inputs.__runId ?? '1001',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  };
  for (const [name, value] of Object.entries({ ...defaults, ...inputs })) {
    if (name.startsWith('__')) continue;
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return spawnNode([bundle], env, workspace).then((result) => ({
    ...result,
    outputs: parseOutputs(readFileSync(outputFile, 'utf8')),
    summary: readFileSync(summaryFile, 'utf8'),
  }));
}

function spawnNode(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // E2E_NODE: another Node binary to run the bundle with (e.g. Node 24, which runners will use).
    const child = spawn(process.env.E2E_NODE || process.execPath, args, { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `KEY="value"` lines of a .env file (comments and blank lines skipped), as the local runner reads them. */
function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_][A-Za-z0-9_-]*)=(?:"([^"]*)"|(.*))$/.exec(line.trim());
    if (match) values[match[1]] = match[2] ?? match[3];
  }
  return values;
}

/**
 * What GitHub's local runner (`npx @github/local-action . dist/index.js .env`) does with a bundle: loads
 * the .env into the environment, imports the entrypoint, then calls its exported run() (or not).
 */
function importBundle(env: NodeJS.ProcessEnv, cwd: string, callRun: boolean) {
  const script = [
    `const entry = await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
    `process.stdout.write('exports run: ' + typeof entry.run + '\\n');`,
    callRun ? 'await entry.run();' : '',
  ].join('\n');
  return spawnNode(['--input-type=module', '-e', script], env, cwd);
}

interface IssueJson {
  number: number;
  title: string;
  body: string;
  state: string;
  labels: { name: string }[];
}

async function listIssues(fake: FakeGitHub, repository: string): Promise<IssueJson[]> {
  const response = await fetch(`${fake.url}/repos/${repository}/issues?state=all&per_page=100`, {
    headers: { authorization: `token ${TOKEN}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as IssueJson[];
}

describe('the bundled action, run as the Actions runner runs it', () => {
  let fake: FakeGitHub;
  let workspace: string;

  beforeAll(async () => {
    fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
    workspace = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-e2e-'));
    // The policy falcosecurity would use: registry in evolution's repositories.yaml.
    mkdirSync(path.join(workspace, '.github'));
    writeFileSync(
      path.join(workspace, '.github/tier-audit.yml'),
      readFileSync(path.join(root, 'examples/falcosecurity.yml'), 'utf8'),
    );
  });
  afterAll(async () => {
    await fake.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('creates the tracking issue on the first run and updates the same issue on the second', async () => {
    const first = await runAction(fake, workspace, {});
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    // The token is registered as a secret (the runner masks it) and appears nowhere else.
    expect(first.stdout).toContain(`::add-mask::${TOKEN}`);
    expect(first.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    expect(first.stdout).toMatch(/49 repositories visible/);

    const issues = await listIssues(fake, 'falcosecurity/evolution');
    expect(issues).toHaveLength(1);
    const [issue] = issues;
    expect(issue.title).toBe('Tier audit: falcosecurity');
    expect(issue.labels.map((label) => label.name)).toContain('tier-audit');
    expect(issue.body).toContain('<!-- tier-audit:');
    expect(first.outputs['issue-number']).toBe(String(issue.number));
    expect(first.outputs['issue-url']).toMatch(new RegExp(`/issues/${issue.number}$`));

    // Outputs agree with the JSON report, and the report's invariants hold.
    const reportPath = first.outputs['report-path'];
    expect(path.isAbsolute(reportPath)).toBe(true);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.schemaVersion).toBe(1);
    expect(report.organization).toBe('falcosecurity');
    // The policy in the workspace is used: declarations come from evolution's registry.
    const falco = report.repositories.find((r: { name: string }) => r.name === 'falco');
    expect(falco).toMatchObject({
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
    });
    const s = report.summary;
    expect(Number(first.outputs.repositories)).toBe(s.repositories);
    expect(Number(first.outputs.compliant)).toBe(s.compliant);
    expect(Number(first.outputs['non-compliant'])).toBe(s.nonCompliant);
    expect(Number(first.outputs.undeclared)).toBe(s.undeclared);
    expect(Number(first.outputs.skipped)).toBe(s.skipped);
    expect(Number(first.outputs.errored)).toBe(s.errored);
    expect(s.repositories).toBe(s.compliant + s.nonCompliant + s.undeclared + s.skipped + s.errored);
    expect(s.repositories).toBe(report.repositories.length);
    expect(s.repositories).toBeGreaterThanOrEqual(30);
    expect(s.nonCompliant).toBeGreaterThan(0);

    // The job summary carries the report.
    expect(first.summary).toContain('falcosecurity');
    expect(first.summary.length).toBeGreaterThan(200);

    const second = await runAction(fake, workspace, { __runId: '1002' });
    expect(second.code).toBe(0);
    const after = await listIssues(fake, 'falcosecurity/evolution');
    expect(after).toHaveLength(1);
    expect(after[0].number).toBe(issue.number);
    expect(second.outputs['issue-number']).toBe(String(issue.number));
    expect(fake.invalidQueries).toEqual([]);
  });

  it('in a dry run with the built-in policy writes nothing and puts the issue body into the job summary', async () => {
    // No policy file in this workspace nor in the repository: the built-in Falco policy applies.
    const empty = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-e2e-empty-'));
    try {
      const before = fake.issues.writes;
      const dry = await runAction(fake, empty, {
        'dry-run': 'true',
        'issue-repository': 'falcosecurity/falco',
        'badges-branch': 'tier-badges',
      });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain('built-in policy');
      expect(fake.issues.writes).toBe(before);
      expect(await listIssues(fake, 'falcosecurity/falco')).toHaveLength(0);
      expect(dry.summary).toContain('<!-- tier-audit:');
      // Badges: written to the workspace, not committed.
      expect(fake.git.writes).toBe(0);
      const badge = JSON.parse(readFileSync(path.join(empty, 'tier-audit-badges/repos/falco.json'), 'utf8'));
      expect(badge).toMatchObject({ schemaVersion: 1, label: 'tier' });
      expect(readFileSync(path.join(empty, 'tier-audit-badges/index.json'), 'utf8')).toContain('"falco"');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('fails the step with the file, line and column when the policy file is broken, before any write', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-e2e-broken-'));
    try {
      const configDir = path.join(broken, '.github');
      mkdirSync(configDir, { recursive: true });
      writeFileSync(path.join(configDir, 'tier-audit.yml'), 'tiers:\n  contrib:\n    requires: [readmee]\n');
      const before = fake.issues.writes;
      const run = await runAction(fake, broken, {});
      expect(run.code).not.toBe(0);
      expect(run.stdout).toMatch(/::error::.*tier-audit\.yml:3:\d+/);
      expect(fake.issues.writes).toBe(before);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('imported as the local runner imports it, only exports run(); run() audits once with .env.example', async () => {
    const local = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-e2e-local-'));
    try {
      // .env.example as a user fills it in: a token and, here, the fake GitHub's URL.
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        ...parseDotenv(readFileSync(path.join(root, '.env.example'), 'utf8')),
        INPUT_TOKEN: TOKEN,
        'INPUT_GITHUB-API-URL': fake.url,
        GITHUB_WORKSPACE: local,
      };
      const requests = fake.requests.length;
      const imported = await importBundle(env, local, false);
      expect(imported.stderr).toBe('');
      expect(imported.stdout).toBe('exports run: function\n');
      expect(fake.requests.length).toBe(requests);

      const writes = fake.issues.writes;
      const ran = await importBundle(env, local, true);
      expect(ran.stderr).toBe('');
      expect(ran.code).toBe(0);
      expect(ran.stdout.match(/Collecting the repositories of falcosecurity/g)).toHaveLength(1);
      expect(ran.stdout).not.toContain('::error::');
      // .env.example runs in dry run: nothing written to GitHub, the report in the workspace.
      expect(fake.issues.writes).toBe(writes);
      const report = JSON.parse(readFileSync(path.join(local, 'tier-audit-report.json'), 'utf8'));
      expect(report.organization).toBe('falcosecurity');
    } finally {
      rmSync(local, { recursive: true, force: true });
    }
  });

  it('fails with a clear message naming the flag when fail-on is non-compliant', async () => {
    const run = await runAction(fake, workspace, { 'fail-on': 'non-compliant', 'dry-run': 'true' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /::error::\d+ repositories do not meet their declared tier \(fail-on: non-compliant\)/,
    );
  });
});
