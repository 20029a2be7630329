/**
 * The action entry (src/main.ts) when publishing fails: the JSON report and the job summary are
 * written before anything is published, the step fails with a clear message, and the token never
 * appears in any line the action prints, even when GitHub echoes it back in an error body.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../src/main.js';
import type { FakeRepo } from './fake-github/model.js';
import { startFakeGitHub, type FakeGitHub, type Fault } from './fake-github/server.js';

const TOKEN = 'ghs_mainTestSecretToken0123456789';
/** A token without GitHub's prefixes: only its exact value can redact it. */
const PLAIN_TOKEN = 'plain-secret-value-4711';

const REPOS: FakeRepo[] = [
  {
    name: 'falco',
    topics: ['tier-contrib'],
    commitDate: '2026-05-01T00:00:00Z',
    license: { spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
    files: { 'README.md': '# falco\n' },
  },
];

let fake: FakeGitHub;
let workspace: string;
/** @actions/core remembers the job-summary path it first used: one file for every test. */
const summaryFile = path.join(os.tmpdir(), `tier-audit-main-summary-${process.pid}.md`);
beforeAll(() => writeFileSync(summaryFile, ''));
afterAll(() => rmSync(summaryFile, { force: true }));
let printed: string[];
const savedEnv = { ...process.env };

beforeEach(async () => {
  fake = await startFakeGitHub({ orgs: [{ login: 'hostile', repos: REPOS }] });
  workspace = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-main-'));
  printed = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
});

afterEach(async () => {
  jest.restoreAllMocks();
  process.env = { ...savedEnv };
  process.exitCode = undefined;
  rmSync(workspace, { recursive: true, force: true });
  await fake.close();
});

async function runAction(token: string, faults: Fault[], inputs: Record<string, string> = {}) {
  const outputFile = path.join(workspace, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');
  const all: Record<string, string> = {
    token,
    organization: 'hostile',
    config: '.github/tier-audit.yml',
    'issue-repository': 'hostile/audit',
    'issue-title': '',
    'issue-label': 'tier-audit',
    'report-path': 'tier-audit-report.json',
    'dry-run': 'false',
    'github-api-url': fake.url,
    'fail-on': 'never',
    'close-when-compliant': 'true',
    'comment-on-change': 'false',
    'mention-owners': 'false',
    ...inputs,
  };
  for (const [name, value] of Object.entries(all)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  process.env.GITHUB_WORKSPACE = workspace;
  process.env.GITHUB_STEP_SUMMARY = summaryFile;
  process.env.GITHUB_OUTPUT = outputFile;
  process.env.GITHUB_REPOSITORY = 'hostile/audit';
  for (const fault of faults) fake.faults.push(fault);
  await run(process.env);
  const reportFile = path.join(workspace, 'tier-audit-report.json');
  return {
    exitCode: process.exitCode,
    lines: printed.join('').split('\n'),
    report: existsSync(reportFile)
      ? (JSON.parse(readFileSync(reportFile, 'utf8')) as { summary: unknown })
      : null,
    summary: readFileSync(summaryFile, 'utf8'),
    outputs: readFileSync(outputFile, 'utf8'),
  };
}

const ISSUES = /^\/repos\/hostile\/audit\/issues$/;
const echo = (status: number, token: string) => ({
  status,
  body: {
    message: status === 401 ? `Bad credentials for token ${token}` : 'Validation Failed',
    errors: [
      { resource: 'Issue', field: 'title', code: 'invalid', message: `token ${token} is not allowed here` },
    ],
  },
});

describe('publish faults through the action entry', () => {
  it.each<[string, Fault]>([
    ['403 (no issues: write)', { match: { path: ISSUES, method: 'POST' }, response: 403 }],
    ['410 (issues disabled)', { match: { path: ISSUES, method: 'GET' }, response: 410 }],
    ['422 (validation)', { match: { path: ISSUES, method: 'POST' }, response: 422 }],
    [
      'secondary rate limit exhausted',
      {
        match: { path: ISSUES, method: 'POST' },
        times: 10,
        response: {
          status: 403,
          headers: { 'retry-after': '3600' },
          body: {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
        },
      },
    ],
  ])('%s: the report and the job summary are written, then the step fails', async (_name, fault) => {
    const result = await runAction(TOKEN, [fault]);
    expect(result.report).not.toBeNull();
    expect(result.report?.summary).toMatchObject({ repositories: 1 });
    expect(result.summary).toContain('hostile');
    expect(result.outputs).toContain('report-path');
    expect(result.exitCode).toBe(1);
    expect(result.lines.filter((line) => line.startsWith('::error::'))).toHaveLength(1);
    expect(fake.faults.pending === 0 || fault.times === 10).toBe(true);
  });
});

describe('the token never appears in output', () => {
  it.each([
    ['401', TOKEN],
    ['422', TOKEN],
    ['401', PLAIN_TOKEN],
    ['422', PLAIN_TOKEN],
  ])('GitHub echoes the token in a %s body while publishing (%s)', async (status, token) => {
    const result = await runAction(token, [
      { match: { path: ISSUES, method: 'POST' }, response: echo(Number(status), token) },
    ]);
    expect(result.exitCode).toBe(1);
    const errors = result.lines.filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`HTTP ${status}`));
    expect(result.lines.filter((line) => line.includes(token) && !line.startsWith('::add-mask::'))).toEqual(
      [],
    );
    expect(result.summary).not.toContain(token);
    // The runner masks it too.
    expect(result.lines).toContain(`::add-mask::${token}`);
  });
});
