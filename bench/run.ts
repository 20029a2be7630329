/**
 * `npm run bench`: the scale benchmark. For each size, a synthetic organization is served by the fake
 * GitHub in a child process (bench/fake-server.ts) with GitHub-like latency; the real audit runs in
 * another child process (bench/audit-worker.ts); on 1,000 repositories (and 10,000 with --baseline-10k)
 * a straightforward REST crawl (bench/rest-baseline.ts) runs against the same fake for comparison.
 * Prints the table and PASS/FAIL per target (exit 1 on a FAIL), and writes it to bench/RESULTS.md.
 *
 * Flags: --sizes 1000,10000  --latency-request-ms 150  --latency-node-ms 0.05  --seed 1  --quick
 *        --baseline-10k  --baseline-concurrency 10  --results FILE | --no-results
 *        --audit-heap-mb N (diagnostic: run the audit with --max-old-space-size=N)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { asciiOnly } from '../scripts/ascii-bundle.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  baselineSizes,
  checkScaleTargets,
  checkTargets,
  formatSeconds,
  parseBenchFlags,
  renderResults,
  renderRoutes,
  renderScaleResults,
  type AuditWorkerResult,
  type BaselineWorkerResult,
  type BenchFlags,
  type RequestStats,
  type SizeResult,
} from './lib.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const ORG = 'bench-org';
/** No child may run longer than this (the 100,000-repository memory run alone takes over 20 minutes on 2 cores). */
const CHILD_TIMEOUT_MS = 60 * 60_000;

const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  }
}
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

/**
 * The audit as users run it: bench/audit-worker.ts bundled by ncc (the bundler of dist/) into one file
 * run by plain `node`, so no TypeScript loader is in the measured time and memory. Bundled once per run.
 */
const bundled = new Map<string, string>();

async function bundle(script: string): Promise<string> {
  const done = bundled.get(script);
  if (done) return done;
  const started = performance.now();
  const { default: ncc } = await import('@vercel/ncc');
  const { code } = await ncc(path.join(here, script), { quiet: true, sourceMap: false });
  // As `npm run build` does to dist/ (scripts/ascii-bundle.ts).
  const ascii = asciiOnly(code, script);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-bench-bundle-'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const file = path.join(dir, 'index.js');
  writeFileSync(file, ascii);
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  progress(`${script} bundled with ncc in ${formatSeconds(performance.now() - started)}`);
  bundled.set(script, file);
  return file;
}

/**
 * `node --import tsx SCRIPT ARGS` (same as `tsx SCRIPT ARGS`, one process, so its RSS is its own), or
 * `node BUNDLE ARGS` for a script bundled by `bundle`.
 */
function spawnTs(script: string, args: string[], nodeFlags: string[] = []): ChildProcess {
  const entry = bundled.get(script);
  const argv = entry ? [entry] : ['--import', 'tsx', path.join(here, script)];
  const child = spawn(process.execPath, [...nodeFlags, ...argv, ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  children.add(child);
  const timer = setTimeout(() => {
    progress(`${script} ran longer than ${CHILD_TIMEOUT_MS / 60_000} minutes: killing it`);
    child.kill('SIGKILL');
  }, CHILD_TIMEOUT_MS);
  timer.unref();
  child.on('exit', () => {
    clearTimeout(timer);
    children.delete(child);
  });
  child.stderr?.on('data', (chunk: Buffer) =>
    process.stderr.write(`[${path.basename(script, '.ts')}] ${chunk}`),
  );
  return child;
}

/** Runs a worker to its end; its last stdout line is its JSON result. */
function runWorker<T>(script: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawnTs(script, args, nodeFlags);
    child.stdin?.end();
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) {
        reject(new Error(`${script} exited with ${signal ?? code}`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no JSON result (stdout: ${JSON.stringify(out.slice(-500))})`));
      }
    });
  });
}

interface FakeHandle {
  url: string;
  statsUrl: string;
  generateMs: number;
  stop(): Promise<void>;
}

function startFake(size: number, flags: BenchFlags, scaled = false): Promise<FakeHandle> {
  return new Promise((resolve, reject) => {
    const child = spawnTs('fake-server.ts', [
      '--repos',
      String(size),
      '--seed',
      String(flags.seed),
      '--org',
      ORG,
      '--latency-request-ms',
      String(scaled ? 0 : flags.latencyRequestMs),
      '--latency-node-ms',
      String(scaled ? 0 : flags.latencyNodeMs),
      '--latency-object-ms',
      String(scaled ? 0 : flags.latencyObjectMs),
      '--timeout-ms',
      String(flags.timeoutMs),
    ]);
    let out = '';
    let ready = false;
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!ready) reject(new Error(`fake-server exited with ${code} before printing its URL`));
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (ready || newline < 0) return;
      ready = true;
      const info = JSON.parse(out.slice(0, newline)) as { url: string; statsUrl: string; generateMs: number };
      resolve({
        url: info.url,
        statsUrl: info.statsUrl,
        generateMs: info.generateMs,
        stop: async () => {
          child.stdin?.end();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        },
      });
    });
  });
}

async function fetchStats(fake: FakeHandle): Promise<RequestStats> {
  const response = await fetch(`${fake.statsUrl}/stats`);
  if (!response.ok) throw new Error(`stats route answered ${response.status}`);
  return (await response.json()) as RequestStats;
}

async function resetStats(fake: FakeHandle): Promise<void> {
  const response = await fetch(`${fake.statsUrl}/reset`, { method: 'POST' });
  await response.text();
}

async function push(fake: FakeHandle, fraction: number): Promise<number> {
  const response = await fetch(`${fake.statsUrl}/push?fraction=${fraction}`, { method: 'POST' });
  return ((await response.json()) as { pushed: number }).pushed;
}

/**
 * One size: the full read (no stored facts, the tracking issue published), then — unless `scaled` — the
 * nightly run after `pushedFraction` of the repositories were pushed, with the facts the first run stored;
 * and the REST baseline when asked.
 */
async function measure(
  size: number,
  flags: BenchFlags,
  withBaseline: boolean,
  scaled = false,
): Promise<SizeResult> {
  progress(
    scaled
      ? `${size} repositories: starting the fake (latency scaled down to 0: memory and points only)`
      : `${size} repositories: starting the fake (latency ${flags.latencyRequestMs} ms + ${flags.latencyNodeMs} ms/node + ${flags.latencyObjectMs} ms/git object, ${flags.timeoutMs} ms timeout)`,
  );
  const fake = await startFake(size, flags, scaled);
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-bench-facts-'));
  try {
    progress(`${size}: organization generated in ${formatSeconds(fake.generateMs)}; running the full audit`);
    const heap = flags.auditHeapMb ? [`--max-old-space-size=${flags.auditHeapMb}`] : [];
    // Every size publishes the tracking issue, memory sizes included: a whole run is reading, evaluating and
    // publishing (the issue is its body and a few comments at any size; the state is compressed).
    const auditArgs = ['--url', fake.url, '--org', ORG, '--state-dir', stateDir, '--publish'];
    const audit = await runWorker<AuditWorkerResult>('audit-worker.ts', auditArgs, heap);
    const auditStats = await fetchStats(fake);
    progress(
      `${size}: full audit ${formatSeconds(audit.wallMs)}, ${auditStats.requests} requests, ${auditStats.points} points, peak RSS ${(audit.maxRssKb / 1024).toFixed(1)} MB`,
    );
    for (const error of audit.errors) progress(`${size}: audit error: ${error}`);
    let incremental: SizeResult['incremental'] = null;
    if (!scaled) {
      await resetStats(fake);
      const pushed = await push(fake, flags.pushedFraction);
      progress(`${size}: ${pushed} repositories pushed; running the incremental nightly audit`);
      const next = await runWorker<AuditWorkerResult>('audit-worker.ts', auditArgs, heap);
      const nextStats = await fetchStats(fake);
      progress(
        `${size}: incremental audit ${formatSeconds(next.wallMs)}, ${nextStats.requests} requests, ${nextStats.points} points, ${next.readFromGitHub} read / ${next.fromStoredFacts} from stored facts`,
      );
      incremental = { audit: next, fake: nextStats, pushed };
    }
    let baseline: SizeResult['baseline'] = null;
    if (withBaseline) {
      await resetStats(fake);
      progress(`${size}: running the REST baseline (concurrency ${flags.baselineConcurrency})`);
      const worker = await runWorker<BaselineWorkerResult>('rest-baseline.ts', [
        '--url',
        fake.url,
        '--org',
        ORG,
        '--concurrency',
        String(flags.baselineConcurrency),
      ]);
      const stats = await fetchStats(fake);
      progress(`${size}: baseline ${formatSeconds(worker.wallMs)}, ${stats.requests} requests`);
      baseline = { worker, fake: stats };
    }
    return {
      size,
      generateMs: fake.generateMs,
      audit,
      fake: auditStats,
      baseline,
      incremental,
      scaledLatency: scaled,
    };
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
    await fake.stop();
  }
}

function machineFacts(flags: BenchFlags, totalMs: number): string {
  const cpus = os.cpus();
  return [
    `- Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} cores (${cpus[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')} (the machine may be shared)`,
    `- Fake GitHub latency: ${flags.latencyRequestMs} ms per request + ${flags.latencyNodeMs} ms per connection node returned + ${flags.latencyObjectMs} ms per git object (tree, blob) looked up, ${flags.timeoutMs} ms timeout (then HTTP 502); synthetic organizations (test/fixtures/synthetic.ts), seed ${flags.seed}`,
    `- Audit: \`runAudit\` with the built-in policy plus the org's \`evolution/repositories.yaml\` registry, the tracking issue published (in the fake), facts stored in a directory (\`--state-dir\`), \`now\` pinned to 2026-08-21; nightly run: ${flags.pushedFraction * 100} % of the repositories pushed; REST baseline concurrency ${flags.baselineConcurrency}`,
    `- Memory sizes (${flags.memorySizes.join(', ') || 'none'}): full read only, facts stored, the tracking issue published, latency scaled down to 0 (at GitHub's pace 100,000 repositories take over an hour: the wall time there is CPU only)`,
    `- Audit process heap: ${flags.auditHeapMb ? `limited with --max-old-space-size=${flags.auditHeapMb} (diagnostic run)` : "Node's default"}`,
    `- Each of fake server, audit and baseline runs in its own process; requests and GraphQL points are counted by the fake (GitHub's cost algorithm)`,
    `- Whole benchmark: ${formatSeconds(totalMs)}${flags.quick ? ' (--quick: smoke run, figures are indicative only)' : ''}`,
  ].join('\n');
}

async function main(): Promise<number> {
  let flags: BenchFlags;
  try {
    flags = parseBenchFlags(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(
      `error: ${(error as Error).message}\nusage: npm run bench -- [--sizes 1000,10000] [--latency-request-ms 150] [--latency-node-ms 0.05] [--seed 1] [--quick] [--baseline-10k] [--baseline-concurrency 10] [--results FILE | --no-results] [--audit-heap-mb N] [--latency-object-ms 1.7] [--timeout-ms 10000] [--pushed 0.02] [--memory-sizes 20000,100000]\n`,
    );
    return 2;
  }
  const started = performance.now();
  await bundle('audit-worker.ts');
  const withBaseline = new Set(baselineSizes(flags));
  const results: SizeResult[] = [];
  for (const size of flags.sizes) results.push(await measure(size, flags, withBaseline.has(size)));

  const target = results.find((r) => r.size === 10000) ?? results[results.length - 1];
  const baseline =
    results.find((r) => r.baseline && r.size === 1000) ?? results.find((r) => r.baseline) ?? null;
  const memory: SizeResult[] = [];
  for (const size of flags.memorySizes) memory.push(await measure(size, flags, false, true));
  const checks = [...checkTargets(target, baseline), ...checkScaleTargets(target, memory)];
  const totalMs = performance.now() - started;

  const tables = `${renderScaleResults(results, memory)}\n\n${renderResults(results, checks)}`;
  const note =
    target.size === 10000
      ? ''
      : `\n\nTargets are defined for 10,000 repositories; this run checked them on ${target.size}.`;
  process.stdout.write(`\n${tables}${note}\n\n`);
  for (const check of checks)
    process.stdout.write(
      `${check.pass ? 'PASS' : 'FAIL'}  ${check.name}: ${check.measured} (${check.limit})\n`,
    );

  if (flags.resultsFile) {
    const routes = [renderRoutes(`Requests of the full audit, ${target.size} repositories`, target.fake)];
    if (target.incremental)
      routes.push(
        renderRoutes(
          `Requests of the incremental nightly audit, ${target.size} repositories`,
          target.incremental.fake,
        ),
      );
    if (baseline?.baseline)
      routes.push(
        renderRoutes(`Requests of the REST baseline, ${baseline.size} repositories`, baseline.baseline.fake),
      );
    const markdown = [
      '# Benchmark results',
      '',
      'Generated by `npm run bench` (bench/run.ts). Do not edit by hand.',
      '',
      machineFacts(flags, totalMs),
      '',
      tables + note,
      '',
      '### Requests by route',
      '',
      routes.join('\n\n'),
      '',
    ].join('\n');
    const file = path.resolve(root, flags.resultsFile);
    // Formatted as the repository's format check expects, so the file can be committed as written.
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(file)) ?? {};
    writeFileSync(file, await prettier.format(markdown, { ...options, filepath: file }));
    progress(`results written to ${path.relative(root, file)}`);
  }
  return checks.every((check) => check.pass) ? 0 : 1;
}

main().then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    killAll();
    process.exit(1);
  },
);
