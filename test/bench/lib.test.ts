import {
  DEFAULT_FLAGS,
  baselineSizes,
  checkScaleTargets,
  checkTargets,
  parseBenchFlags,
  renderResults,
  renderScaleResults,
  routeKey,
  summarizeRequests,
  type AuditWorkerResult,
  type RequestStats,
  type SizeResult,
} from '../../bench/lib.js';

describe('parseBenchFlags', () => {
  it('uses the defaults without flags', () => {
    expect(parseBenchFlags([])).toEqual(DEFAULT_FLAGS);
  });

  it('reads sizes (sorted, deduplicated), latency, seed and both flag forms', () => {
    const flags = parseBenchFlags([
      '--sizes',
      '10000,1000,1000',
      '--latency-request-ms=20',
      '--latency-node-ms',
      '0.5',
      '--seed',
      '7',
      '--baseline-10k',
      '--no-results',
    ]);
    expect(flags.sizes).toEqual([1000, 10000]);
    expect(flags.latencyRequestMs).toBe(20);
    expect(flags.latencyNodeMs).toBe(0.5);
    expect(flags.seed).toBe(7);
    expect(flags.baseline10k).toBe(true);
    expect(flags.resultsFile).toBeNull();
  });

  it('--quick lowers sizes and latency, explicit flags still win', () => {
    const quick = parseBenchFlags(['--quick']);
    expect(quick.sizes).toEqual([200, 1000]);
    expect(quick.latencyRequestMs).toBeLessThan(DEFAULT_FLAGS.latencyRequestMs);
    expect(parseBenchFlags(['--quick', '--latency-request-ms', '40']).latencyRequestMs).toBe(40);
  });

  it('rejects unknown flags and bad values', () => {
    expect(() => parseBenchFlags(['--size', '10'])).toThrow(/unknown flag --size/);
    expect(() => parseBenchFlags(['--sizes', '10,abc'])).toThrow(/--sizes/);
    expect(() => parseBenchFlags(['--sizes', '1.5'])).toThrow(/whole/);
    expect(() => parseBenchFlags(['--latency-request-ms', '-1'])).toThrow(/≥ 0/);
    expect(() => parseBenchFlags(['--seed'])).toThrow(/needs a value/);
    expect(() => parseBenchFlags(['--quick=yes'])).toThrow(/no value/);
    expect(() => parseBenchFlags(['1000'])).toThrow(/unexpected/);
  });
});

describe('baselineSizes', () => {
  it('runs the baseline on 1,000, and on 10,000 only when asked', () => {
    expect(baselineSizes({ sizes: [1000, 10000], baseline10k: false })).toEqual([1000]);
    expect(baselineSizes({ sizes: [1000, 10000], baseline10k: true })).toEqual([1000, 10000]);
    expect(baselineSizes({ sizes: [200, 500], baseline10k: false })).toEqual([200]);
    expect(baselineSizes({ sizes: [10000], baseline10k: false })).toEqual([]);
  });
});

describe('routeKey and summarizeRequests', () => {
  it('groups GraphQL by operation and REST by route template', () => {
    expect(routeKey({ method: 'POST', path: '/graphql', operation: 'OrgRepositories' })).toBe(
      'GraphQL OrgRepositories',
    );
    expect(
      routeKey({ method: 'GET', path: '/repos/o/r/contents/.github/workflows/ci.yml', operation: null }),
    ).toBe('GET /repos/{owner}/{repo}/contents/{path}');
    expect(routeKey({ method: 'GET', path: '/repos/o/r/contents', operation: null })).toBe(
      'GET /repos/{owner}/{repo}/contents',
    );
    expect(routeKey({ method: 'GET', path: '/repos/o/r/tags', operation: null })).toBe(
      'GET /repos/{owner}/{repo}/tags',
    );
    expect(routeKey({ method: 'GET', path: '/orgs/acme/properties/values', operation: null })).toBe(
      'GET /orgs/{org}/properties/values',
    );
    expect(routeKey({ method: 'GET', path: '/rate_limit', operation: null })).toBe('GET /rate_limit');
  });

  it('counts requests, statuses and points per route', () => {
    const stats = summarizeRequests(
      [
        { method: 'POST', path: '/graphql', status: 200, operation: 'A', cost: 3 },
        { method: 'POST', path: '/graphql', status: 200, operation: 'A', cost: 3 },
        { method: 'GET', path: '/repos/o/r/contents/OWNERS', status: 404, operation: null, cost: null },
        { method: 'GET', path: '/repos/o/s/contents/README.md', status: 200, operation: null, cost: null },
      ],
      7,
    );
    expect(stats.requests).toBe(4);
    expect(stats.graphqlRequests).toBe(2);
    expect(stats.restRequests).toBe(2);
    expect(stats.points).toBe(7);
    expect(stats.byRoute['GraphQL A']).toEqual({ requests: 2, statuses: { '200': 2 }, points: 6 });
    expect(stats.byRoute['GET /repos/{owner}/{repo}/contents/{path}']).toEqual({
      requests: 2,
      statuses: { '404': 1, '200': 1 },
      points: 0,
    });
  });
});

function stats(requests: number, points: number): RequestStats {
  return { requests, graphqlRequests: requests, restRequests: 0, points, byRoute: {} };
}

function audit(overrides: Partial<AuditWorkerResult> = {}): AuditWorkerResult {
  return {
    wallMs: 50_000,
    maxRssKb: 300 * 1024,
    heapUsedMb: 100,
    visibleRepositories: 10000,
    evaluatedRepositories: 10000,
    notEvaluated: 0,
    errors: [],
    warnings: 0,
    collectorRequests: 101,
    collectorPoints: 301,
    compliant: 1,
    nonCompliant: 2,
    mode: 'full',
    readFromGitHub: 10000,
    fromStoredFacts: 0,
    writes: 1,
    ...overrides,
  };
}

const baselineRun: SizeResult = {
  size: 1000,
  generateMs: 1,
  audit: audit({ visibleRepositories: 1000, evaluatedRepositories: 1000 }),
  fake: stats(21, 31),
  baseline: {
    worker: {
      wallMs: 1000,
      maxRssKb: 1000,
      repositories: 1000,
      requests: 14000,
      statuses: {},
      concurrency: 10,
    },
    fake: stats(14000, 0),
  },
};

describe('checkTargets', () => {
  it('passes within every limit', () => {
    const target: SizeResult = {
      size: 10000,
      generateMs: 1,
      audit: audit(),
      fake: stats(300, 300),
      baseline: null,
    };
    const checks = checkTargets(target, baselineRun);
    expect(checks.map((c) => c.pass)).toEqual([true, true, true, true, true]);
  });

  it('fails each limit when it is exceeded', () => {
    const target: SizeResult = {
      size: 10000,
      generateMs: 1,
      audit: audit({ maxRssKb: 512 * 1024, evaluatedRepositories: 9990, notEvaluated: 10 }),
      fake: stats(301, 302),
      baseline: null,
    };
    const byName = (part: string) => checkTargets(target, baselineRun).find((c) => c.name.includes(part));
    expect(byName('GraphQL points')?.pass).toBe(false);
    expect(byName('requests per 100')?.pass).toBe(false);
    expect(byName('peak RSS')?.pass).toBe(false);
    expect(byName('accounted')?.pass).toBe(false);
  });

  it('counts the extra reads apart: the pages within 3 per 100, the extra reads within 1 point per 25 repositories that need them', () => {
    const withExtras = (points: number, requests: number, repositories: number): SizeResult => ({
      size: 10000,
      generateMs: 1,
      audit: audit({ extraReadRepositories: repositories }),
      fake: {
        ...stats(300 + requests, 300 + points),
        byRoute: { 'GraphQL RepositoryExtras': { requests, statuses: { '200': requests }, points } },
      },
      baseline: null,
    });
    const byName = (result: SizeResult, part: string) =>
      checkTargets(result, baselineRun).find((c) => c.name.includes(part));
    // 3,300 repositories need them: at most 132 points.
    const within = withExtras(132, 132, 3300);
    expect(byName(within, 'GraphQL points per 100')?.pass).toBe(true);
    expect(byName(within, 'requests per 100')?.pass).toBe(true);
    expect(byName(within, 'extra reads (branch')).toMatchObject({
      pass: true,
      measured: '132 points for 3300 repositories',
    });
    expect(byName(withExtras(133, 133, 3300), 'extra reads (branch')?.pass).toBe(false);
    // Without extra reads the check is not listed.
    expect(
      byName({ ...within, fake: stats(300, 300), audit: audit() }, 'extra reads (branch'),
    ).toBeUndefined();
  });

  it('compares per-repository request rates with the baseline (20× limit)', () => {
    // Baseline: 14 requests per repository. 10,000 × 14 / 20 = 7,000 requests is exactly 20×.
    const at = (requests: number) =>
      checkTargets(
        { size: 10000, generateMs: 1, audit: audit(), fake: stats(requests, 1), baseline: null },
        baselineRun,
      ).find((c) => c.name.includes('REST baseline'));
    expect(at(7000)?.pass).toBe(true);
    expect(at(7001)?.pass).toBe(false);
    expect(
      checkTargets({ ...baselineRun, baseline: null }, null).find((c) => c.name.includes('REST baseline'))
        ?.pass,
    ).toBe(false);
  });

  it('renders the tables with PASS / FAIL', () => {
    const target: SizeResult = {
      size: 10000,
      generateMs: 1,
      audit: audit(),
      fake: stats(400, 300),
      baseline: null,
    };
    const markdown = renderResults([baselineRun, target], checkTargets(target, baselineRun));
    expect(markdown).toContain('| 10000 | 400 |');
    expect(markdown).toMatch(/requests per 100 repositories.*\| FAIL \|/);
    expect(markdown).toMatch(/GraphQL points per 100 repositories.*\| PASS \|/);
    expect(markdown).toContain('### REST baseline');
  });
});

describe('checkScaleTargets', () => {
  const full: SizeResult = {
    size: 10000,
    generateMs: 1,
    audit: audit({ wallMs: 400_000 }),
    fake: stats(102, 202),
    baseline: null,
  };
  const nightly = (points: number, wallMs: number) => ({
    ...full,
    incremental: {
      audit: audit({ wallMs, mode: 'incremental', readFromGitHub: 200, fromStoredFacts: 9800 }),
      fake: stats(103, points),
      pushed: 200,
    },
  });
  const memory = (size: number, rssMb: number, points: number): SizeResult => ({
    size,
    generateMs: 1,
    audit: audit({ maxRssKb: rssMb * 1024 }),
    fake: stats(1, points),
    baseline: null,
    scaledLatency: true,
  });

  it('passes within the limits: 1.2 points per 100, a quarter of the time, memory, the App budget', () => {
    const checks = checkScaleTargets(nightly(120, 100_000), [
      memory(20000, 249, 402),
      memory(100000, 399, 2002),
    ]);
    expect(checks.map((c) => [c.name.split(' (')[0], c.pass])).toEqual([
      ['incremental nightly run: GraphQL points per 100 repositories', true],
      ['incremental nightly run: wall time against the full read', true],
      ['incremental nightly run: repositories read from GitHub / from stored facts', true],
      ['peak RSS of the full run', true],
      ['peak RSS of the full run', true],
      ["full run fits one App token's hourly budget", true],
    ]);
  });

  it('fails each limit when exceeded, and when no nightly run was measured', () => {
    const checks = checkScaleTargets(nightly(121, 100_001), [
      memory(20000, 250, 1),
      memory(100000, 400, 5001),
    ]);
    expect(checks.every((c) => !c.pass || c.name.includes('read from GitHub'))).toBe(true);
    expect(checkScaleTargets(full, [])).toEqual([expect.objectContaining({ pass: false })]);
    expect(renderScaleResults([nightly(120, 100_000)], [memory(100000, 399, 2002)])).toMatch(
      /incremental \(200 pushed\)[\s\S]*latency scaled down/,
    );
  });
});
