import { describe, expect, it } from '@jest/globals';
import AjvModule from 'ajv';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { AuditReport } from '../../src/report/model.js';
import { largeReport, sampleReport } from './fixtures.js';

const Ajv = AjvModule.default;

async function validator() {
  const schema = JSON.parse(await fs.readFile(path.resolve('schemas/report.schema.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: true });
  // ajv-formats is not a dependency: a minimal RFC 3339 date-time check.
  ajv.addFormat(
    'date-time',
    (value: string) =>
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
      !Number.isNaN(Date.parse(value)),
  );
  return ajv.compile(schema);
}

/** What the report looks like on disk: JSON, not objects. */
function asJson(report: AuditReport): unknown {
  return JSON.parse(JSON.stringify(report));
}

describe('schemas/report.schema.json', () => {
  it('accepts generated reports', async () => {
    const validate = await validator();
    for (const report of [
      sampleReport(),
      largeReport(50),
      sampleReport({ run: { id: null, url: null }, drift: [] }),
    ]) {
      const ok = validate(asJson(report));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('rejects reports that break the contract', async () => {
    const validate = await validator();
    const broken: [string, (report: Record<string, unknown>) => void][] = [
      ['wrong schema version', (r) => (r.schemaVersion = 2)],
      ['missing summary', (r) => delete r.summary],
      ['bad time', (r) => (r.generatedAt = 'yesterday')],
      ['bad status', (r) => ((r.repositories as Record<string, unknown>[])[0].status = 'fine')],
      [
        'bad outcome',
        (r) => ((r.repositories as { checks: Record<string, unknown>[] }[])[1].checks[0].outcome = 'ok'),
      ],
      ['bad drift kind', (r) => ((r.drift as Record<string, unknown>[])[0].kind = 'other')],
      ['negative count', (r) => ((r.summary as Record<string, unknown>).compliant = -1)],
      [
        'bad waiver date',
        (r) => {
          const libs = (
            r.repositories as { name: string; checks: { waiver?: { expires: string } }[] }[]
          ).find((x) => x.name === 'libs')!;
          libs.checks.find((c) => c.waiver)!.waiver!.expires = 'next month';
        },
      ],
    ];
    for (const [label, mutate] of broken) {
      const report = asJson(sampleReport()) as Record<string, unknown>;
      mutate(report);
      expect([label, validate(report)]).toEqual([label, false]);
    }
  });
});

describe('schemas/report.schema.json: policy v2 additions (schema version 1)', () => {
  it('accepts level per check entry, a check at two tiers, registry fields and the no-tier reason', async () => {
    const validate = await validator();
    const report = sampleReport();
    const repository = report.repositories[0];
    repository.registry = { scope: 'Core', status: 'Stable' };
    repository.achievedTier = null;
    repository.noTierReason = 'contrib requires readme (fails)';
    repository.checks = [
      { id: 'maintainers', tier: 'repository', level: 'required', outcome: 'pass', message: '2 approvers' },
      {
        id: 'maintainers',
        tier: 'official',
        level: 'required',
        outcome: 'fail',
        message: '2 of 3',
        remediation: 'x',
      },
      {
        id: 'activity',
        tier: 'contrib',
        level: 'recommended',
        outcome: 'fail',
        message: 'idle',
        remediation: 'y',
      },
    ];
    const ok = validate(asJson(report));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    repository.checks[0].level = 'optional' as never;
    expect(validate(asJson(report))).toBe(false);
  });
});
