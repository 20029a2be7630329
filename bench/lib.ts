/**
 * Pure helpers of the benchmark (no I/O, no clock): flag parsing, request-route keys, request statistics,
 * the targets and the tables. Tested in test/bench/lib.test.ts.
 */

export interface BenchFlags {
  sizes: number[];
  latencyRequestMs: number;
  latencyNodeMs: number;
  seed: number;
  quick: boolean;
  baseline10k: boolean;
  baselineConcurrency: number;
  /** Where the markdown table goes; null = do not write. */
  resultsFile: string | null;
  /** `--max-old-space-size` for the audit process (diagnostic); null = Node's default heap. */
  auditHeapMb: number | null;
  /** Latency per git object (tree, blob) looked up: what makes a heavy page take seconds. */
  latencyObjectMs: number;
  /** GitHub gives up on a query after this long (HTTP 502). */
  timeoutMs: number;
  /** Share of repositories pushed between the full read and the incremental nightly run. */
  pushedFraction: number;
  /** Sizes measured for memory and points only, with the latency scaled down to 0 (wall time would be absurd). */
  memorySizes: number[];
}

/** Defaults of a full run (see bench/README.md for why these values). */
export const DEFAULT_FLAGS: BenchFlags = {
  sizes: [1000, 10000],
  latencyRequestMs: 150,
  latencyNodeMs: 0.5,
  seed: 1,
  quick: false,
  baseline10k: false,
  baselineConcurrency: 10,
  resultsFile: 'bench/RESULTS.md',
  auditHeapMb: null,
  latencyObjectMs: 1.7,
  timeoutMs: 10_000,
  pushedFraction: 0.02,
  memorySizes: [20000, 100000],
};

/** `--quick`: a smoke run (sizes 200 and 1000, low latency). Explicit flags still win. */
export const QUICK_FLAGS: Pick<
  BenchFlags,
  'sizes' | 'latencyRequestMs' | 'latencyNodeMs' | 'latencyObjectMs' | 'memorySizes'
> = {
  sizes: [200, 1000],
  latencyRequestMs: 5,
  latencyNodeMs: 0.001,
  latencyObjectMs: 0.01,
  memorySizes: [2000],
};

function numberFlag(name: string, value: string | undefined, min: number): number {
  if (value === undefined) throw new Error(`${name} needs a value`);
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, got "${value}"`);
  return n;
}

/** Parses the command line of bench/run.ts. Throws an Error with a usage message on a bad flag. */
export function parseBenchFlags(argv: string[]): BenchFlags {
  const seen = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (['--quick', '--baseline-10k', '--no-results'].includes(name)) {
      if (eq > 0) throw new Error(`${name} takes no value`);
      seen.set(name, true);
      continue;
    }
    if (
      ![
        '--sizes',
        '--latency-request-ms',
        '--latency-node-ms',
        '--seed',
        '--baseline-concurrency',
        '--results',
        '--audit-heap-mb',
        '--latency-object-ms',
        '--timeout-ms',
        '--pushed',
        '--memory-sizes',
      ].includes(name)
    ) {
      throw new Error(`unknown flag ${name}`);
    }
    const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    seen.set(name, value);
  }
  const text = (name: string) => {
    const value = seen.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  const quick = seen.has('--quick');
  const flags: BenchFlags = { ...DEFAULT_FLAGS, ...(quick ? QUICK_FLAGS : {}), quick };
  if (seen.has('--sizes')) {
    const sizes = (text('--sizes') ?? '').split(',').map((part) => part.trim());
    flags.sizes = sizes.map((size) => {
      const n = numberFlag('--sizes', size, 1);
      if (!Number.isInteger(n)) throw new Error(`--sizes must be whole numbers, got "${size}"`);
      return n;
    });
    flags.sizes = [...new Set(flags.sizes)].sort((a, b) => a - b);
  }
  if (seen.has('--latency-request-ms'))
    flags.latencyRequestMs = numberFlag('--latency-request-ms', text('--latency-request-ms'), 0);
  if (seen.has('--latency-node-ms'))
    flags.latencyNodeMs = numberFlag('--latency-node-ms', text('--latency-node-ms'), 0);
  if (seen.has('--seed')) {
    flags.seed = numberFlag('--seed', text('--seed'), 0);
    if (!Number.isInteger(flags.seed)) throw new Error('--seed must be a whole number');
  }
  if (seen.has('--baseline-concurrency')) {
    flags.baselineConcurrency = numberFlag('--baseline-concurrency', text('--baseline-concurrency'), 1);
    if (!Number.isInteger(flags.baselineConcurrency))
      throw new Error('--baseline-concurrency must be a whole number');
  }
  if (seen.has('--audit-heap-mb')) {
    flags.auditHeapMb = numberFlag('--audit-heap-mb', text('--audit-heap-mb'), 16);
    if (!Number.isInteger(flags.auditHeapMb)) throw new Error('--audit-heap-mb must be a whole number');
  }
  if (seen.has('--latency-object-ms'))
    flags.latencyObjectMs = numberFlag('--latency-object-ms', text('--latency-object-ms'), 0);
  if (seen.has('--timeout-ms')) flags.timeoutMs = numberFlag('--timeout-ms', text('--timeout-ms'), 0);
  if (seen.has('--pushed')) {
    flags.pushedFraction = numberFlag('--pushed', text('--pushed'), 0);
    if (flags.pushedFraction > 1) throw new Error('--pushed is a fraction between 0 and 1');
  }
  if (seen.has('--memory-sizes')) {
    const sizes = (text('--memory-sizes') ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean);
    flags.memorySizes = sizes.map((size) => {
      const n = numberFlag('--memory-sizes', size, 1);
      if (!Number.isInteger(n)) throw new Error(`--memory-sizes must be whole numbers, got "${size}"`);
      return n;
    });
  }
  flags.baseline10k = seen.has('--baseline-10k');
  if (seen.has('--results')) flags.resultsFile = text('--results') ?? null;
  if (seen.has('--no-results')) flags.resultsFile = null;
  return flags;
}

/**
 * The sizes the REST baseline runs on: 1,000 (or, without 1,000, the smallest size when it is below
 * 1,000: the baseline is slow), plus 10,000 with --baseline-10k.
 */
export function baselineSizes(flags: Pick<BenchFlags, 'sizes' | 'baseline10k'>): number[] {
  const sizes = new Set<number>();
  const smallest = flags.sizes.length > 0 ? Math.min(...flags.sizes) : null;
  if (flags.sizes.includes(1000)) sizes.add(1000);
  else if (smallest !== null && smallest < 1000) sizes.add(smallest);
  if (flags.baseline10k && flags.sizes.includes(10000)) sizes.add(10000);
  return [...sizes].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Request statistics

/** What the fake records per request (a subset of test/fake-github RequestRecord). */
export interface RecordLike {
  method: string;
  path: string;
  status: number;
  operation: string | null;
  cost: number | null;
}

/**
 * A route template for a request: GraphQL by operation name, REST with owner/repository/path replaced,
 * so counters group by kind of request (`GET /repos/{owner}/{repo}/contents/{path}`).
 */
export function routeKey(record: Pick<RecordLike, 'method' | 'path' | 'operation'>): string {
  if (record.path === '/graphql') return `GraphQL ${record.operation ?? '(anonymous)'}`;
  const segments = record.path.split('/').filter(Boolean);
  let template: string[];
  if (segments[0] === 'repos' && segments.length >= 3) {
    template = ['repos', '{owner}', '{repo}'];
    if (segments.length > 3) {
      template.push(segments[3]);
      if (segments.length > 4) template.push(segments[3] === 'contents' ? '{path}' : '{…}');
    }
  } else if ((segments[0] === 'orgs' || segments[0] === 'users') && segments.length >= 2) {
    template = [segments[0], '{org}', ...segments.slice(2)];
  } else {
    template = segments;
  }
  return `${record.method} /${template.join('/')}`;
}

export interface RouteStats {
  requests: number;
  /** Responses by HTTP status (e.g. {"200": 900, "404": 100}). */
  statuses: Record<string, number>;
  points: number;
}

export interface RequestStats {
  requests: number;
  graphqlRequests: number;
  restRequests: number;
  /** GraphQL points charged by the fake (GitHub's algorithm). */
  points: number;
  byRoute: Record<string, RouteStats>;
}

/** Sums request records; `points` is given separately (the fake also charges refused queries). */
export function summarizeRequests(records: readonly RecordLike[], points: number): RequestStats {
  const byRoute: Record<string, RouteStats> = {};
  let graphqlRequests = 0;
  for (const record of records) {
    if (record.path === '/graphql') graphqlRequests++;
    const key = routeKey(record);
    const route = (byRoute[key] ??= { requests: 0, statuses: {}, points: 0 });
    route.requests++;
    const status = String(record.status);
    route.statuses[status] = (route.statuses[status] ?? 0) + 1;
    route.points += record.cost ?? 0;
  }
  return {
    requests: records.length,
    graphqlRequests,
    restRequests: records.length - graphqlRequests,
    points,
    byRoute,
  };
}

// ---------------------------------------------------------------------------------------------
// Results and targets

/** What bench/audit-worker.ts prints (one JSON object on stdout). */
export interface AuditWorkerResult {
  wallMs: number;
  /** `process.resourceUsage().maxRSS` in kilobytes. */
  maxRssKb: number;
  heapUsedMb: number;
  visibleRepositories: number;
  evaluatedRepositories: number;
  notEvaluated: number;
  errors: string[];
  warnings: number;
  /** The collector's own account (report.coverage). */
  collectorRequests: number;
  collectorPoints: number | null;
  compliant: number | null;
  nonCompliant: number | null;
  /** Incremental audits: the kind of run and where the repositories came from. */
  mode: 'full' | 'incremental';
  readFromGitHub: number;
  fromStoredFacts: number;
  /** Write requests made publishing the tracking issue (0 when not publishing). */
  writes: number;
  /** Size of the JSON report the audit streamed to disk (absent in results of older runs). */
  reportBytes?: number;
  /** Repositories whose tier asked for the extra reads (branch rules, issues), read in this run. */
  extraReadRepositories?: number;
  /** Full collections run by the heap pacer (src/heap.ts) and their time (absent in older results). */
  pacedCollections?: number;
  pacedCollectionMs?: number;
}

/** What bench/rest-baseline.ts prints. */
export interface BaselineWorkerResult {
  wallMs: number;
  maxRssKb: number;
  repositories: number;
  requests: number;
  /** Responses by status as the baseline saw them. */
  statuses: Record<string, number>;
  concurrency: number;
}

export interface SizeResult {
  size: number;
  generateMs: number;
  /** The full read (the first audit, no stored facts). */
  audit: AuditWorkerResult;
  fake: RequestStats;
  baseline: { worker: BaselineWorkerResult; fake: RequestStats } | null;
  /** The nightly run after it: `pushed` repositories changed, the rest from the stored facts. */
  incremental?: { audit: AuditWorkerResult; fake: RequestStats; pushed: number } | null;
  /** Measured with the latency scaled down to 0 (memory and points; the wall time is not GitHub's). */
  scaledLatency?: boolean;
}

/** The route of the extra reads (src/github/extras.ts). */
const EXTRAS_ROUTE = 'GraphQL RepositoryExtras';

/** One App installation token's hourly budget (GitHub: 5,000 points; up to 12,500 for large installations). */
export const APP_HOURLY_POINTS = 5000;

/** Peak RSS limits of the full run (MB) by size. */
export const MEMORY_LIMITS_MB: Record<number, number> = { 20000: 250, 100000: 400 };

/**
 * The scale targets of issue #13: the incremental nightly run of `target` reads at most 1.2 points per 100
 * repositories and takes at most a quarter of the full run's time; for each memory size, the full run's
 * peak RSS stays under its limit and, at 100,000, its points fit one App token's hourly budget.
 */
export function checkScaleTargets(target: SizeResult, memory: SizeResult[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const n = target.size;
  const inc = target.incremental;
  if (inc) {
    const points = perHundred(inc.fake.points, n);
    checks.push({
      name: `incremental nightly run: GraphQL points per 100 repositories (${n}, ${inc.pushed} pushed)`,
      measured: String(round(points)),
      limit: '≤ 1.2',
      pass: points <= 1.2,
    });
    const ratio = inc.audit.wallMs / target.audit.wallMs;
    checks.push({
      name: `incremental nightly run: wall time against the full read (${n})`,
      measured: `${formatSeconds(inc.audit.wallMs)} / ${formatSeconds(target.audit.wallMs)} = ${round(ratio, 3)}`,
      limit: '≤ 0.25',
      pass: ratio <= 0.25,
    });
    checks.push({
      name: `incremental nightly run: repositories read from GitHub / from stored facts (${n})`,
      measured: `${inc.audit.readFromGitHub} / ${inc.audit.fromStoredFacts}`,
      limit: `${inc.pushed} / ${n - inc.pushed}, all accounted for`,
      pass:
        inc.audit.mode === 'incremental' &&
        inc.audit.readFromGitHub + inc.audit.fromStoredFacts + inc.audit.notEvaluated === n &&
        inc.audit.notEvaluated === 0,
    });
  } else {
    checks.push({ name: 'incremental nightly run', measured: 'not run', limit: 'run', pass: false });
  }
  for (const result of memory) {
    const limit = MEMORY_LIMITS_MB[result.size];
    const rssMb = result.audit.maxRssKb / 1024;
    if (limit !== undefined) {
      checks.push({
        name: `peak RSS of the full run (${result.size})`,
        measured: `${round(rssMb, 1)} MB`,
        limit: `< ${limit} MB`,
        pass: rssMb < limit,
      });
    }
    if (result.size >= 100000) {
      checks.push({
        name: `full run fits one App token's hourly budget (${result.size})`,
        measured: `${result.fake.points} points`,
        limit: `≤ ${APP_HOURLY_POINTS}`,
        pass: result.fake.points <= APP_HOURLY_POINTS,
      });
    }
  }
  return checks;
}

/** The full read and the incremental nightly run side by side, and the memory sizes. */
export function renderScaleResults(results: SizeResult[], memory: SizeResult[]): string {
  const row = (label: string, size: number, audit: AuditWorkerResult, fake: RequestStats) => [
    size,
    label,
    fake.requests,
    `${fake.graphqlRequests} / ${fake.restRequests}`,
    fake.points,
    round(perHundred(fake.points, size)),
    formatSeconds(audit.wallMs),
    `${round(audit.maxRssKb / 1024, 1)} MB`,
    audit.pacedCollections === undefined
      ? '—'
      : `${audit.pacedCollections} (${formatSeconds(audit.pacedCollectionMs ?? 0)})`,
    `${audit.readFromGitHub} / ${audit.fromStoredFacts}`,
    audit.writes,
    audit.reportBytes === undefined ? '—' : `${round(audit.reportBytes / 1024 / 1024, 1)} MB`,
  ];
  const header = [
    'repositories',
    'run',
    'requests',
    'GraphQL / REST',
    'GraphQL points',
    'points / 100 repos',
    'wall time',
    'peak RSS',
    'paced GCs (time)',
    'read / from stored facts',
    'issue writes',
    'JSON report (streamed)',
  ];
  const rows: (string | number)[][] = [];
  for (const r of results) {
    rows.push(row('full read', r.size, r.audit, r.fake));
    if (r.incremental)
      rows.push(
        row(`incremental (${r.incremental.pushed} pushed)`, r.size, r.incremental.audit, r.incremental.fake),
      );
  }
  const parts = [
    '### Full read and incremental nightly run (whole run, publishing included)',
    '',
    table(header, rows),
  ];
  if (memory.length > 0) {
    parts.push(
      '',
      '### Memory and points at scale (latency scaled down to 0: the wall time is CPU only, not GitHub’s)',
      '',
      table(
        header,
        memory.map((r) => row('full read', r.size, r.audit, r.fake)),
      ),
    );
  }
  return parts.join('\n');
}

export interface TargetCheck {
  name: string;
  measured: string;
  limit: string;
  pass: boolean;
}

const round = (value: number, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function perHundred(count: number, repositories: number): number {
  return repositories > 0 ? (count * 100) / repositories : 0;
}

/**
 * The targets, checked on `target` (the 10,000 run, or the largest size of a smaller run): ≤ 3 GraphQL
 * points and ≤ 3 requests per 100 repositories, peak RSS < 512 MB, every repository read, and ≥ 20× fewer
 * requests per repository than the REST baseline (per-repository rates, the baseline may have run on a
 * smaller organization).
 */
export function checkTargets(target: SizeResult, baseline: SizeResult | null): TargetCheck[] {
  const n = target.size;
  const checks: TargetCheck[] = [];
  // The extra reads of the official tier's checks have their own documented bound (README "Extra
  // reads"): at most 1 point per 25 repositories that need them. The pages keep theirs.
  const extras = target.fake.byRoute[EXTRAS_ROUTE] ?? { requests: 0, points: 0 };
  const points = perHundred(target.fake.points - extras.points, n);
  checks.push({
    name: `GraphQL points per 100 repositories, extra reads apart (${n})`,
    measured: String(round(points)),
    limit: '≤ 3',
    pass: points <= 3,
  });
  const requests = perHundred(target.fake.requests - extras.requests, n);
  checks.push({
    name: `requests per 100 repositories (${n}, GraphQL + REST, extra reads apart)`,
    measured: String(round(requests)),
    limit: '≤ 3',
    pass: requests <= 3,
  });
  const needing = target.audit.extraReadRepositories ?? 0;
  if (extras.requests > 0 || needing > 0) {
    const limit = Math.ceil(needing / 25);
    checks.push({
      name: `extra reads (branch rules, issues) (${n})`,
      measured: `${extras.points} points for ${needing} repositories`,
      limit: `≤ ${limit} (1 per 25)`,
      pass: extras.points <= limit,
    });
  }
  const rssMb = target.audit.maxRssKb / 1024;
  checks.push({
    name: `peak RSS of the audit process (${n})`,
    measured: `${round(rssMb, 1)} MB`,
    limit: '< 512 MB',
    pass: rssMb < 512,
  });
  const read = target.audit.evaluatedRepositories + target.audit.notEvaluated;
  checks.push({
    name: `repositories accounted for (${n})`,
    measured: `${target.audit.visibleRepositories} visible, ${target.audit.evaluatedRepositories} read, ${target.audit.notEvaluated} not evaluated`,
    limit: `${n} visible, all read`,
    pass: target.audit.visibleRepositories === n && read === n && target.audit.notEvaluated === 0,
  });
  if (baseline?.baseline) {
    const auditRate = target.fake.requests / n;
    const baselineRate = baseline.baseline.fake.requests / baseline.size;
    const factor = auditRate > 0 ? baselineRate / auditRate : Number.POSITIVE_INFINITY;
    checks.push({
      name: `fewer requests than the REST baseline (audit ${n} vs baseline ${baseline.size}, per repository)`,
      measured: `${round(factor, 1)}× (${round(auditRate, 4)} vs ${round(baselineRate, 2)} requests per repository)`,
      limit: '≥ 20×',
      pass: factor >= 20,
    });
  } else {
    checks.push({
      name: 'fewer requests than the REST baseline',
      measured: 'no baseline run',
      limit: '≥ 20×',
      pass: false,
    });
  }
  return checks;
}

function cell(value: string | number): string {
  return String(value).replace(/\|/g, '\\|');
}

function table(header: string[], rows: (string | number)[][]): string {
  return [
    `| ${header.map(cell).join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function formatSeconds(ms: number): string {
  return `${round(ms / 1000, 1)} s`;
}

/** The measurements as markdown (used for the console too). */
export function renderResults(results: SizeResult[], checks: TargetCheck[]): string {
  const auditRows = results.map((r) => [
    r.size,
    r.fake.requests,
    `${r.fake.graphqlRequests} / ${r.fake.restRequests}`,
    r.fake.points,
    round(perHundred(r.fake.requests, r.size)),
    round(perHundred(r.fake.points, r.size)),
    formatSeconds(r.audit.wallMs),
    `${round(r.audit.maxRssKb / 1024, 1)} MB`,
    round(r.size / (r.audit.wallMs / 1000), 1),
  ]);
  const parts = [
    '### tier-audit (GraphQL collector, whole pipeline)',
    '',
    table(
      [
        'repositories',
        'requests',
        'GraphQL / REST',
        'GraphQL points',
        'requests / 100 repos',
        'points / 100 repos',
        'wall time',
        'peak RSS',
        'repos / s',
      ],
      auditRows,
    ),
  ];
  const withBaseline = results.filter((r) => r.baseline);
  if (withBaseline.length > 0) {
    parts.push(
      '',
      '### REST baseline (one contents request per file per repository)',
      '',
      table(
        [
          'repositories',
          'requests',
          'requests / repo',
          '404 answers',
          'wall time',
          'peak RSS',
          'repos / s',
          'concurrency',
        ],
        withBaseline.map((r) => {
          const b = r.baseline as NonNullable<SizeResult['baseline']>;
          const notFound = Object.values(b.fake.byRoute).reduce(
            (sum, route) => sum + (route.statuses['404'] ?? 0),
            0,
          );
          return [
            r.size,
            b.fake.requests,
            round(b.fake.requests / r.size, 2),
            notFound,
            formatSeconds(b.worker.wallMs),
            `${round(b.worker.maxRssKb / 1024, 1)} MB`,
            round(r.size / (b.worker.wallMs / 1000), 1),
            b.worker.concurrency,
          ];
        }),
      ),
    );
  }
  parts.push(
    '',
    '### Targets',
    '',
    table(
      ['target', 'measured', 'limit', 'result'],
      checks.map((c) => [c.name, c.measured, c.limit, c.pass ? 'PASS' : 'FAIL']),
    ),
  );
  return parts.join('\n');
}

/** Requests per route, for the report (largest first). */
export function renderRoutes(title: string, stats: RequestStats): string {
  const rows = Object.entries(stats.byRoute)
    .sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1))
    .map(([route, s]) => [
      route,
      s.requests,
      Object.entries(s.statuses)
        .map(([status, count]) => `${status}×${count}`)
        .join(' '),
      s.points,
    ]);
  return [`#### ${title}`, '', table(['route', 'requests', 'statuses', 'points'], rows)].join('\n');
}
