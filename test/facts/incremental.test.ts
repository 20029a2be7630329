/**
 * Incremental audits through the whole pipeline (runAudit) on the sample organization, with the facts in
 * a directory: the second audit of an unchanged organization reads no heavy page; what changed (a push, a
 * new repository, a release published from an existing tag) is read by id, a rename is not; the results
 * equal a full read of the same state; a missing, corrupt or other-version store means a full read with a
 * notice, never a failed audit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAudit, type AuditOptions } from '../../src/audit.js';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import { parsePolicy } from '../../src/config/load.js';
import type { Policy } from '../../src/config/types.js';
import { FileFactsStore, factsFileBase } from '../../src/facts/store.js';
import { createGitHubClient } from '../../src/github/client.js';
import { memoryLogger } from '../../src/log.js';
import type { AuditReport } from '../../src/report/model.js';
import type { FakeOrg } from '../fake-github/model.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { DEMO_NOW, loadFalcosecurityOrg } from '../fixtures/org-loader.js';

const HEAVY = ['OrgRepositories', 'RepositoriesById'];

let fake: FakeGitHub;
let org: FakeOrg;
let dir: string;

beforeEach(async () => {
  org = loadFalcosecurityOrg();
  fake = await startFakeGitHub({ orgs: [org] });
  dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-facts-'));
});
afterEach(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  report: AuditReport;
  log: ReturnType<typeof memoryLogger>;
  /** Requests of this audit only, by GraphQL operation. */
  operations: string[];
}

async function audit(
  options: {
    now?: string;
    store?: boolean;
    fullAudit?: boolean;
    fullAuditDays?: number;
    policy?: Policy;
  } = {},
): Promise<Run> {
  const log = memoryLogger();
  const client = createGitHubClient({ token: 'facts-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
  const before = fake.requests.length;
  const auditOptions: AuditOptions = {
    organization: 'falcosecurity',
    policy: options.policy ?? DEFAULT_POLICY,
    now: new Date(options.now ?? DEMO_NOW),
    dryRun: true,
    issue: null,
    run: { id: null, url: null },
    reportFileName: 'report.json',
    facts:
      options.store === false
        ? null
        : {
            store: new FileFactsStore(dir),
            fullAudit: options.fullAudit ?? false,
            fullAuditDays: options.fullAuditDays ?? 7,
          },
  };
  const outcome = await runAudit(auditOptions, { client, log });
  const requests = fake.requests.slice(before);
  return {
    report: outcome.report,
    log,
    operations: requests.map((r) => r.operation ?? `${r.method} ${r.path}`),
  };
}

const count = (run: Run, operation: string) => run.operations.filter((o) => o === operation).length;
const heavy = (run: Run) => run.operations.filter((o) => HEAVY.includes(o));
const logText = (run: Run) => run.log.lines.map((l) => `${l.level}: ${l.message}`).join('\n');

describe('incremental audits', () => {
  it('reads no heavy page when nothing changed, and gives the same report', async () => {
    const first = await audit();
    expect(first.report.coverage).toMatchObject({
      mode: 'full',
      readFromGitHub: org.repos.length,
      fromStoredFacts: 0,
    });
    expect(first.report.coverage?.factsNotice).toMatch(/holds no facts for falcosecurity yet/);
    expect(count(first, 'OrgRepositories')).toBeGreaterThan(0);
    // The built-in policy recommends the branch-rule and issue-response checks at official.
    expect(count(first, 'RepositoryExtras')).toBeGreaterThan(0);

    const second = await audit();
    expect(heavy(second)).toEqual([]);
    // Branch rules and issue timelines are facts too: stored with the rest, read again on a push or a
    // full read (every full-audit-days), not every night.
    expect(count(second, 'RepositoryExtras')).toBe(0);
    expect(count(second, 'OrgRepositoryListing')).toBe(1);
    // README follow-ups are facts too: not repeated.
    expect(count(second, 'RepositoryFile')).toBe(0);
    expect(second.operations.filter((o) => o.startsWith('GET')).length).toBe(
      count(first, 'GET /orgs/falcosecurity/properties/values'),
    );
    expect(second.report.coverage).toMatchObject({
      mode: 'incremental',
      readFromGitHub: 0,
      fromStoredFacts: org.repos.length,
    });
    expect(second.report.coverage?.factsNotice).toBeUndefined();
    expect(second.report.repositories).toEqual(first.report.repositories);
    expect(second.report.summary).toEqual(first.report.summary);
    expect(second.report.drift).toEqual(first.report.drift);
    expect(fake.invalidQueries).toEqual([]);
  });

  it('reads what changed (push, new repository, release from an existing tag), not a rename; same report as a full read', async () => {
    await audit();
    const byName = (name: string) => org.repos.find((r) => r.name === name)!;
    const pushed = org.repos[3];
    pushed.commitDate = '2026-08-20T10:00:00Z';
    pushed.pushedAt = '2026-08-20T10:00:00Z';
    pushed.files = { ...pushed.files, OWNERS: 'approvers:\n  - someone-new\n' };
    const renamed = org.repos[5];
    const oldName = renamed.name;
    renamed.name = `${oldName}-renamed`;
    const released = org.repos.find(
      (r) => (r.tags ?? []).length > 0 && (r.releases ?? []).length === 0 && r !== renamed && r !== pushed,
    )!;
    released.releases = [
      ...(released.releases ?? []),
      {
        tagName: released.tags![0].name,
        publishedAt: '2026-08-19T00:00:00Z',
        createdAt: '2026-08-19T00:00:00Z',
      },
    ];
    const deleted = org.repos[7].name;
    org.repos = org.repos.filter((r) => r.name !== deleted);
    fake.orgs[0].repos = org.repos;
    org.repos.push({ name: 'brand-new', files: { 'README.md': '# new\n' } });

    const incremental = await audit();
    expect(count(incremental, 'OrgRepositories')).toBe(0);
    expect(count(incremental, 'RepositoriesById')).toBe(1);
    expect(incremental.report.coverage).toMatchObject({
      mode: 'incremental',
      readFromGitHub: 3,
      fromStoredFacts: org.repos.length - 3,
    });
    expect(logText(incremental)).toMatch(
      /read from GitHub: .*2 changed.*1 new or not stored|1 new or not stored.*2 changed/,
    );
    const names = incremental.report.repositories.map((r) => r.name);
    expect(names).toContain(`${oldName}-renamed`);
    expect(names).not.toContain(oldName);
    expect(names).not.toContain(deleted);
    expect(names).toContain('brand-new');
    expect(byName(pushed.name)).toBeDefined();

    const full = await audit({ store: false });
    expect(count(full, 'RepositoriesById')).toBe(0);
    expect(incremental.report.repositories).toEqual(full.report.repositories);
    expect(incremental.report.summary).toEqual(full.report.summary);
    expect(fake.invalidQueries).toEqual([]);
  });

  it('a policy that needs facts the store lacks reads them for the repositories concerned, and stores them', async () => {
    await audit();
    const parsed = parsePolicy(
      'tiers:\n  contrib:\n    requires: [readme]\n  repository:\n    extends: contrib\n    requires: [owners-tree]\n',
      'policy.yml',
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed));
    const policy = parsed.policy;
    const needing = await audit({ policy });
    // No heavy page: only the OWNERS trees the stored facts lack.
    expect(heavy(needing)).toEqual([]);
    expect(count(needing, 'OwnersTrees')).toBeGreaterThan(0);
    const full = await audit({ store: false, policy });
    expect(needing.report.repositories).toEqual(full.report.repositories);
    // Stored with the rest: the next night reads neither pages nor trees.
    const next = await audit({ policy });
    expect(heavy(next)).toEqual([]);
    expect(count(next, 'OwnersTrees')).toBe(0);
    expect(next.report.repositories).toEqual(full.report.repositories);
  });

  it('reads everything every full-audit-days, and when asked to', async () => {
    await audit();
    const later = await audit({ now: '2026-08-27T00:00:00Z' });
    expect(later.report.coverage?.mode).toBe('incremental');
    const week = await audit({ now: '2026-08-28T00:00:00Z' });
    expect(week.report.coverage).toMatchObject({ mode: 'full', fromStoredFacts: 0 });
    expect(week.report.coverage?.factsNotice).toMatch(/7 or more days old/);
    expect(count(week, 'OrgRepositories')).toBeGreaterThan(0);
    // The full read restarts the week.
    const after = await audit({ now: '2026-08-29T00:00:00Z' });
    expect(after.report.coverage?.mode).toBe('incremental');
    const forced = await audit({ now: '2026-08-29T00:00:00Z', fullAudit: true });
    expect(forced.report.coverage).toMatchObject({
      mode: 'full',
      factsNotice: expect.stringMatching(/a full audit was asked for/),
    });
  });

  describe('a store that cannot be used means a full read with a notice, never a failed audit', () => {
    const files = () => {
      const base = path.join(dir, factsFileBase('falcosecurity'));
      return { data: `${base}.ndjson`, meta: `${base}.json` };
    };
    const cases: [string, () => void, RegExp][] = [
      [
        'a truncated data file',
        () => {
          const { data } = files();
          const text = readFileSync(data);
          writeFileSync(data, text.subarray(0, Math.floor(text.length / 2)));
        },
        /is corrupt \(.*does not match its checksum\)/,
      ],
      [
        'a garbled facts line',
        () => {
          const { data } = files();
          writeFileSync(data, readFileSync(data, 'utf8').replace('"nameWithOwner"', '"nameWith\u0000'));
        },
        /is corrupt/,
      ],
      [
        'a description that is not JSON',
        () => writeFileSync(files().meta, '{ not json'),
        /is corrupt \(.*is not JSON\)/,
      ],
      ['a missing data file', () => rmSync(files().data), /is corrupt/],
      [
        'facts of another version',
        () => {
          const { meta } = files();
          const value = JSON.parse(readFileSync(meta, 'utf8')) as Record<string, unknown>;
          writeFileSync(meta, JSON.stringify({ ...value, factsVersion: 0 }));
        },
        /holds facts of version 0, this version of tier-audit reads version \d+/,
      ],
    ];
    it.each(cases)('%s', async (_name, damage, notice) => {
      const first = await audit();
      damage();
      const run = await audit();
      expect(run.report.coverage).toMatchObject({
        mode: 'full',
        fromStoredFacts: 0,
        readFromGitHub: org.repos.length,
      });
      expect(run.report.coverage?.factsNotice).toMatch(notice);
      expect(run.log.lines.some((l) => l.level === 'warning' && notice.test(l.message))).toBe(true);
      expect(run.report.repositories).toEqual(first.report.repositories);
      // The full read stored fresh facts: the next audit is incremental again.
      const next = await audit();
      expect(next.report.coverage).toMatchObject({ mode: 'incremental', readFromGitHub: 0 });
    });
  });
});
