/**
 * One audit, in its own process, so its wall time and peak RSS are its own. bench/run.ts bundles it with
 * ncc, the action's bundler, and runs the bundle with plain `node`, as users run dist/ (no TypeScript
 * loader in the measured memory):
 *
 *   tsx bench/audit-worker.ts --url REST_BASE --org LOGIN [--now ISO] [--no-registry] [--state-dir DIR]
 *                             [--publish]
 *
 * Runs the real pipeline (`runAudit`: collect → resolve → evaluate → report, and with `--publish` the
 * tracking issue in LOGIN/.github; `--state-dir`: incremental audits with the facts in DIR) with the
 * built-in policy plus the org's `evolution/repositories.yaml` registry (as examples/falcosecurity.yml
 * does; `--no-registry` = the built-in policy exactly), and prints ONE JSON line on stdout
 * (AuditWorkerResult in bench/lib.ts). Progress goes nowhere; warnings are counted. As the action does
 * (`report-path`), the JSON report is streamed to a file (a temporary directory, removed at the end); its
 * size is part of the result.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAudit } from '../src/audit.js';
import { DEFAULT_POLICY } from '../src/config/defaults.js';
import type { Policy } from '../src/config/types.js';
import { FileFactsStore } from '../src/facts/store.js';
import { createGitHubClient } from '../src/github/client.js';
import { withHeapPacer, type HeapPacerStats } from '../src/heap.js';
import type { Logger } from '../src/log.js';
import type { AuditWorkerResult } from './lib.js';

/** The audit clock of the synthetic organizations (test/fixtures/org-loader.ts DEMO_NOW). */
const DEFAULT_NOW = '2026-08-21T00:00:00Z';

function flag(argv: string[], name: string, fallback?: string): string {
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1] !== undefined) return argv[i + 1];
  if (fallback === undefined) throw new Error(`${name} is required`);
  return fallback;
}

function evaluatedRepositoriesOf(report: { repositories: unknown[]; coverage?: { notEvaluated?: number } }) {
  return report.repositories.length - (report.coverage?.notEvaluated ?? 0);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const apiUrl = flag(argv, '--url');
  const organization = flag(argv, '--org');
  const now = new Date(flag(argv, '--now', DEFAULT_NOW));
  if (Number.isNaN(now.getTime())) throw new Error('--now must be an ISO-8601 date');
  const policy: Policy = argv.includes('--no-registry')
    ? DEFAULT_POLICY
    : {
        ...DEFAULT_POLICY,
        registry: { repository: 'evolution', path: 'repositories.yaml', field: 'status', ref: null },
      };

  let warnings = 0;
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warning: () => void warnings++,
    error: (message) => void process.stderr.write(`audit-worker: ${message}\n`),
  };
  const client = createGitHubClient({
    token: 'ghs_benchToken0000000000',
    apiUrl,
    log,
    retries: 2,
    minRetryDelayMs: 50,
  });

  const stateDirAt = argv.indexOf('--state-dir');
  const stateDir = stateDirAt >= 0 ? argv[stateDirAt + 1] : null;
  const publish = argv.includes('--publish');

  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-bench-report-'));
  const reportPath = path.join(reportDir, 'report.json');
  // As the action and the CLI do (src/main.ts, src/cli.ts); the log goes nowhere, the stats into the result.
  let paced = null as HeapPacerStats | null;
  const started = performance.now();
  const outcome = await withHeapPacer(null, (pacer) => {
    paced = pacer?.stats ?? null;
    return runAudit(
      {
        organization,
        policy,
        now,
        dryRun: !publish,
        issue: publish
          ? {
              owner: organization,
              repo: '.github',
              title: `Tier audit: ${organization}`,
              label: 'tier-audit',
              closeWhenCompliant: true,
              commentOnChange: false,
              mentionOwners: false,
            }
          : null,
        run: { id: null, url: null },
        reportFileName: 'report.json',
        jsonReport: { path: reportPath },
        facts: stateDir ? { store: new FileFactsStore(stateDir), fullAuditDays: 7, fullAudit: false } : null,
      },
      { client, log, heap: pacer },
    );
  });
  const wallMs = performance.now() - started;
  const reportBytes = statSync(reportPath).size;
  rmSync(reportDir, { recursive: true, force: true });
  const { report } = outcome;
  const notEvaluated = report.coverage?.notEvaluated ?? 0;
  const result: AuditWorkerResult = {
    wallMs,
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
    visibleRepositories: report.coverage?.visibleRepositories ?? 0,
    evaluatedRepositories: report.repositories.length - notEvaluated,
    notEvaluated,
    errors: report.errors
      .map((e) => (e.repository ? `${e.repository}: ${e.message}` : e.message))
      .slice(0, 20),
    warnings,
    collectorRequests: report.coverage?.requests ?? 0,
    collectorPoints: report.coverage?.graphqlPoints ?? null,
    compliant: report.summary.compliant,
    nonCompliant: report.summary.nonCompliant,
    mode: report.coverage?.mode ?? 'full',
    readFromGitHub: report.coverage?.readFromGitHub ?? evaluatedRepositoriesOf(report),
    fromStoredFacts: report.coverage?.fromStoredFacts ?? 0,
    writes: outcome.publish?.writes ?? 0,
    reportBytes,
    extraReadRepositories: report.coverage?.extraReads?.repositories ?? 0,
    pacedCollections: paced?.collections ?? 0,
    pacedCollectionMs: paced?.ms ?? 0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`audit-worker: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
