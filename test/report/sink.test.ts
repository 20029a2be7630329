/**
 * The JSON report streamed repository by repository (src/report/sink.ts): the file is exactly the whole
 * report's JSON, the audit keeps compact records only, and the issue, the job summary and the badges read
 * from those records what they read from full reports.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import AjvModule from 'ajv';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import path from 'node:path';
import { runAudit, type AuditOptions } from '../../src/audit.js';
import { parsePolicy } from '../../src/config/load.js';
import { createGitHubClient } from '../../src/github/client.js';
import { memoryLogger } from '../../src/log.js';
import type { AuditReport, RepositoryReport } from '../../src/report/model.js';
import { compactRepository, JsonReportFile, RecordPool } from '../../src/report/sink.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { DEMO_NOW, loadFalcosecurityOrg } from '../fixtures/org-loader.js';
import { generateOrg } from '../fixtures/synthetic.js';
import { largeReport, sampleReport } from './fixtures.js';

const Ajv = AjvModule.default;

const tiersOf = (report: AuditReport) => (report.policy?.tiers ?? []).map((tier) => tier.id);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-sink-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Streams `report` through a JsonReportFile (accepting the repositories in `order`) and reads the file back. */
function streamed(
  report: AuditReport,
  file: string,
  order: RepositoryReport[] = report.repositories,
): string {
  const sink = new JsonReportFile(file, tiersOf(report));
  const records = new Map(order.map((repository) => [repository, sink.accept(repository)]));
  try {
    sink.write({ ...report, repositories: report.repositories.map((r) => records.get(r)!) });
  } finally {
    sink.close();
  }
  return readFileSync(file, 'utf8');
}

describe('JsonReportFile', () => {
  it('writes byte for byte the JSON of the whole report, in the report’s order whatever the order of arrival', () => {
    for (const [i, report] of [
      sampleReport(),
      largeReport(300),
      { ...sampleReport(), repositories: [] },
    ].entries()) {
      const file = path.join(dir, `report-${i}.json`);
      const arrival = [...report.repositories].reverse();
      expect(streamed(report, file, arrival)).toBe(`${JSON.stringify(report, null, 2)}\n`);
    }
    // Nothing left beside the report: no spool, no temporary file.
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('redacts every piece it writes, and leaves no file when it is closed without writing', () => {
    const report = sampleReport();
    report.repositories[0].description = 'leaked ghs_secret0000 here';
    report.errors = [{ repository: null, message: 'token ghs_secret0000 refused' }];
    const file = path.join(dir, 'redacted.json');
    const sink = new JsonReportFile(file, tiersOf(report), (text) =>
      text.split('ghs_secret0000').join('***'),
    );
    const records = report.repositories.map((repository) => sink.accept(repository));
    sink.write({ ...report, repositories: records });
    sink.close();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('ghs_secret0000');
    expect(text).toContain('leaked *** here');
    expect(text).toContain('token *** refused');

    const abandoned = new JsonReportFile(path.join(dir, 'abandoned.json'), []);
    for (const repository of largeReport(200).repositories) abandoned.accept(repository);
    abandoned.close();
    expect(readdirSync(dir).filter((name) => name.startsWith('abandoned'))).toEqual([]);
  });
});

describe('compactRepository', () => {
  it('keeps what needs attention at the tiers that matter, drops passing findings and the declarations', () => {
    const report = largeReport(50);
    const tiers = tiersOf(report);
    let dropped = 0;
    for (const repository of report.repositories) {
      const record = compactRepository(repository, tiers);
      expect(record.declarations).toBeUndefined();
      for (const finding of record.checks) {
        expect(repository.checks).toContainEqual(finding);
        expect(
          ['pass', 'not-applicable'].includes(finding.outcome) && finding.id !== 'deprecation-notice',
        ).toBe(false);
      }
      for (const finding of repository.checks) {
        const kept = record.checks.some((f) => f.id === finding.id && f.tier === finding.tier);
        if (finding.outcome === 'waived' || (finding.required && finding.outcome === 'fail'))
          expect(kept).toBe(true);
        if (!kept) dropped++;
      }
      const { checks: _a, declarations: _b, registry, description, ...rest } = repository;
      const { checks: _c, registry: shownRegistry, description: shownDescription, ...kept } = record;
      void [_a, _b, _c];
      expect(kept).toEqual(rest);
      expect(shownRegistry).toEqual(
        registry === undefined ? undefined : registry.scope === undefined ? {} : { scope: registry.scope },
      );
      expect(shownDescription).toBe(repository.status === 'undeclared' ? description : null);
    }
    expect(dropped).toBeGreaterThan(0);
  });

  it('builds every record with one hidden class, whatever the report it comes from', () => {
    // Records built by rest and spread each got a hidden class of their own (one map and descriptor array per
    // repository: 12 MB at 20,000 repositories in a heap snapshot of the bench's audit). V8 tells whether two
    // objects share one through its natives syntax, switched on here for this test's own function only.
    v8.setFlagsFromString('--allow-natives-syntax');
    const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    v8.setFlagsFromString('--no-allow-natives-syntax');
    const report = largeReport(100);
    const tiers = tiersOf(report);
    const pool = new RecordPool();
    const records = report.repositories.map((repository) => compactRepository(repository, tiers, pool));
    expect(records.filter((record) => !sameMap(record, records[0]))).toEqual([]);
    const undeclared = compactRepository(
      { ...report.repositories[0], status: 'undeclared', noTierReason: 'none', registry: undefined },
      tiers,
      pool,
    );
    expect(sameMap(undeclared, records[0])).toBe(true);
  });

  it('drops advice of tiers above the declared one, and failures beyond the next tier to achieve', () => {
    const tiers = ['contrib', 'repository', 'official'];
    const repository: RepositoryReport = {
      ...sampleReport().repositories[0],
      declaredTier: 'contrib',
      achievedTier: 'contrib',
      checks: [
        {
          id: 'activity',
          tier: 'contrib',
          level: 'recommended',
          outcome: 'fail',
          message: 'idle',
          required: false,
        },
        {
          id: 'code-scanning',
          tier: 'official',
          level: 'recommended',
          outcome: 'fail',
          message: 'no',
          required: false,
        },
        {
          id: 'readme',
          tier: 'contrib',
          level: 'required',
          outcome: 'fail',
          message: 'none',
          required: true,
        },
        {
          id: 'owners',
          tier: 'repository',
          level: 'required',
          outcome: 'fail',
          message: 'none',
          required: false,
        },
        {
          id: 'release-process',
          tier: 'official',
          level: 'required',
          outcome: 'fail',
          message: 'x',
          required: false,
        },
        { id: 'license', tier: 'contrib', level: 'required', outcome: 'pass', message: 'ok', required: true },
      ],
    };
    expect(compactRepository(repository, tiers).checks.map((f) => f.id)).toEqual([
      'activity',
      'readme',
      'owners',
    ]);
  });
});

describe('an audit with a JSON report file', () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({
      orgs: [loadFalcosecurityOrg(), generateOrg({ login: 'synthetic', repositories: 400, seed: 3 })],
    });
  });
  afterAll(() => fake.close());

  const policy = (() => {
    const parsed = parsePolicy(
      readFileSync(new URL('../../examples/falcosecurity.yml', import.meta.url), 'utf8'),
      'examples/falcosecurity.yml',
    );
    if (!parsed.ok) throw new Error('examples/falcosecurity.yml must be valid');
    return parsed.policy;
  })();

  async function audit(organization: string, jsonReport: AuditOptions['jsonReport']) {
    const log = memoryLogger();
    const client = createGitHubClient({ token: 'ghs_sinkTest', apiUrl: fake.url, log, minRetryDelayMs: 1 });
    return runAudit(
      {
        organization,
        policy,
        now: new Date(DEMO_NOW),
        dryRun: true,
        issue: {
          owner: organization,
          repo: '.github',
          title: 'Tier audit',
          label: 'tier-audit',
          closeWhenCompliant: true,
          commentOnChange: false,
          mentionOwners: true,
        },
        run: { id: null, url: null },
        reportFileName: 'report.json',
        jsonReport,
        badges: { branch: null },
      },
      { client, log },
    );
  }

  it.each(['falcosecurity', 'synthetic'])(
    '%s: the file is the full report (valid against the schema), and issue, summary and badges are unchanged',
    async (organization) => {
      const full = await audit(organization, null);
      const file = path.join(dir, organization, 'report.json');
      const compact = await audit(organization, { path: file });

      const text = readFileSync(file, 'utf8');
      expect(text).toBe(`${JSON.stringify(full.report, null, 2)}\n`);
      const schema = JSON.parse(readFileSync('schemas/report.schema.json', 'utf8')) as object;
      const ajv = new Ajv({ allErrors: true, strict: true });
      ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
      const validate = ajv.compile(schema);
      expect(validate(JSON.parse(text))).toBe(true);
      expect(existsSync(`${file}.${process.pid}.repositories.tmp`)).toBe(false);

      // What the audit kept: compact records, far smaller than the reports.
      expect(compact.report.repositories).toEqual(
        full.report.repositories.map((r) => compactRepository(r, tiersOf(full.report))),
      );
      const keptBytes = JSON.stringify(compact.report.repositories).length;
      expect(keptBytes).toBeLessThan(text.length / 4);

      // …and what is rendered from them is what full reports render.
      expect(compact.publish?.body).toBe(full.publish?.body);
      expect(compact.publish?.continuations).toEqual(full.publish?.continuations);
      expect(compact.publish?.state).toEqual(full.publish?.state);
      expect(compact.summaryMarkdown).toBe(full.summaryMarkdown);
      expect(compact.badges?.files).toEqual(full.badges?.files);
      expect(compact.report.summary).toEqual(full.report.summary);
    },
  );
});
