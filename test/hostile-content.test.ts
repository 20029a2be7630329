/**
 * Hostile content in the files the audit reads (workflows, OWNERS, OWNERS_ALIASES, the registry):
 * the audit completes quickly, only the repository holding the file is affected, with a clear
 * message, and other repositories are evaluated as usual.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { runAudit } from '../src/audit.js';
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import type { Policy } from '../src/config/types.js';
import { createGitHubClient } from '../src/github/client.js';
import { memoryLogger } from '../src/log.js';
import { ConfigError } from '../src/policy-source.js';
import type { AuditReport } from '../src/report/model.js';
import type { FakeFile, FakeRepo } from './fake-github/model.js';
import { startFakeGitHub, type FakeGitHub } from './fake-github/server.js';
import { aliasBomb } from './fixtures/hostile.js';

const NOW = new Date('2026-06-01T00:00:00Z');

function repo(name: string, files: Record<string, FakeFile>): FakeRepo {
  return {
    name,
    topics: ['tier-repository'],
    commitDate: '2026-05-01T00:00:00Z',
    license: { spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
    files: {
      'README.md': `# ${name}\n`,
      OWNERS: 'approvers:\n  - alice\n  - bob\n',
      '.github/workflows/ci.yml':
        'on:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n',
      ...files,
    },
    releases: [{ tagName: 'v1.0.0', publishedAt: '2026-05-01T00:00:00Z' }],
    tags: [{ name: 'v1.0.0', date: '2026-05-01T00:00:00Z' }],
  };
}

let fake: FakeGitHub | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function audit(repos: FakeRepo[], policy: Policy = DEFAULT_POLICY) {
  fake = await startFakeGitHub({ orgs: [{ login: 'hostile', repos }] });
  const log = memoryLogger();
  const client = createGitHubClient({ token: 'test-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
  const started = performance.now();
  const outcome = await runAudit(
    {
      organization: 'hostile',
      policy,
      now: NOW,
      dryRun: true,
      issue: null,
      run: { id: null, url: null },
      reportFileName: 'report.json',
    },
    { client, log },
  );
  return { report: outcome.report, log, ms: performance.now() - started };
}

function finding(report: AuditReport, repository: string, check: string) {
  const found = report.repositories.find((r) => r.name === repository);
  return found?.checks.find((c) => c.id === check);
}

describe('YAML alias bombs', () => {
  it.each([7, 9])(
    'a 9^%i billion-laughs workflow: the audit completes at once, only that repository errs',
    async (levels) => {
      const bomb = `${aliasBomb(levels)}on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n`;
      const { report, ms } = await audit([
        repo('bombed', { '.github/workflows/ci.yml': bomb }),
        repo('healthy', {}),
      ]);
      expect(ms).toBeLessThan(10_000);
      const bombed = finding(report, 'bombed', 'build-pipeline');
      expect(bombed?.outcome).toBe('error');
      expect(bombed?.message).toContain('.github/workflows/ci.yml');
      expect(bombed?.message).toMatch(/alias/);
      expect(finding(report, 'healthy', 'build-pipeline')?.outcome).toBe('pass');
      const healthy = report.repositories.find((r) => r.name === 'healthy')!;
      expect(healthy.checks.filter((c) => c.outcome === 'error')).toEqual([]);
      expect(finding(report, 'bombed', 'owners')?.outcome).toBe('pass');
      expect(report.errors).toEqual([]);
    },
  );
});

describe('hostile OWNERS and OWNERS_ALIASES', () => {
  it.each([
    ['an alias bomb', aliasBomb(9), /root OWNERS was not read: it expands to more than \d+ YAML nodes/],
    [
      'absurd nesting',
      `approvers:\n  ${'- '.repeat(20_000)}x\n`,
      /root OWNERS was not read: it nests collections more than 100 levels deep/,
    ],
    [
      'absurd size',
      `approvers:\n${'  - alice\n'.repeat(200_000)}`,
      /root OWNERS was not read: it is \d+ bytes, larger than/,
    ],
  ])(
    '%s in OWNERS: owners and maintainers are error (not fail) for that repository only',
    async (_kind, text, message) => {
      const { report, ms } = await audit([repo('hostile-owners', { OWNERS: text }), repo('healthy', {})]);
      expect(ms).toBeLessThan(10_000);
      for (const check of ['owners', 'maintainers']) {
        const found = finding(report, 'hostile-owners', check);
        expect([check, found?.outcome]).toEqual([check, 'error']);
        expect(found?.message).toMatch(message);
      }
      expect(finding(report, 'healthy', 'owners')?.outcome).toBe('pass');
      expect(finding(report, 'hostile-owners', 'readme')?.outcome).toBe(
        finding(report, 'healthy', 'readme')?.outcome,
      );
    },
  );

  it('an alias bomb in OWNERS_ALIASES: error, aliases cannot be resolved', async () => {
    const { report } = await audit([repo('hostile-aliases', { OWNERS_ALIASES: aliasBomb(9) })]);
    const found = finding(report, 'hostile-aliases', 'owners');
    expect(found?.outcome).toBe('error');
    expect(found?.message).toMatch(/OWNERS_ALIASES was not read: it expands to more than \d+ YAML nodes/);
  });
});

describe('a registry that cannot be read as a registry', () => {
  const registryPolicy = (path: string): Policy => ({
    ...DEFAULT_POLICY,
    registry: { repository: 'evolution', path, field: 'status', ref: null },
  });
  /** falco is declared in the registry only (no tier topic). */
  const org = (registry: Record<string, FakeFile>) => [
    { ...repo('evolution', registry), topics: [] },
    { ...repo('falco', {}), topics: [] },
  ];

  it('invalid YAML: a warning and an audit error, and registry-only repositories are error, never undeclared', async () => {
    const { report, log } = await audit(
      org({ 'repositories.yaml': '- name: falco\n  status: [Stable\n- name: libs\n' }),
      registryPolicy('repositories.yaml'),
    );
    const warnings = log.lines.filter((l) => l.level === 'warning').map((l) => l.message);
    expect(warnings).toEqual([
      expect.stringMatching(/registry hostile\/evolution\/repositories\.yaml:\d+:\d+ is not valid YAML/),
    ]);
    expect(report.errors).toEqual([
      { repository: null, message: expect.stringMatching(/is not valid YAML/) },
    ]);
    const falco = report.repositories.find((r) => r.name === 'falco')!;
    expect(falco.status).toBe('error');
    expect(report.summary.undeclared).toBe(0);
  });

  it('an alias bomb as the registry: refused at once, same as unreadable', async () => {
    const { report, ms } = await audit(
      org({ 'repositories.yaml': aliasBomb(9) }),
      registryPolicy('repositories.yaml'),
    );
    expect(ms).toBeLessThan(10_000);
    expect(report.errors[0].message).toMatch(/was not read: it expands to more than/);
    expect(report.repositories.find((r) => r.name === 'falco')!.status).toBe('error');
  });

  it('registry.path naming a directory is a configuration error: clear message, nothing written', async () => {
    fake = await startFakeGitHub({
      orgs: [
        { login: 'hostile', repos: org({ 'docs/repositories.yaml': '- name: falco\n  status: Stable\n' }) },
      ],
    });
    const log = memoryLogger();
    const client = createGitHubClient({ token: 'test-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
    const run = runAudit(
      {
        organization: 'hostile',
        policy: registryPolicy('docs'),
        now: NOW,
        dryRun: false,
        issue: {
          owner: 'hostile',
          repo: 'evolution',
          title: 'Tier audit',
          label: 'tier-audit',
          closeWhenCompliant: true,
          commentOnChange: false,
          mentionOwners: false,
        },
        run: { id: null, url: null },
        reportFileName: 'report.json',
      },
      { client, log },
    );
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toThrow(
      /registry\.path 'docs' in hostile\/evolution is a directory, not a file/,
    );
    expect(fake.issues.list('hostile', 'evolution')).toEqual([]);
    expect(fake.requests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual([]);
  });
});
