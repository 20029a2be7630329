import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { RequestGovernor, type RequestKind } from '../../src/github/governor.js';

beforeEach(() => {
  jest.useFakeTimers({ now: Date.parse('2026-08-21T00:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Trace {
  start: number;
  end: number;
  kind: RequestKind;
}

/** `count` requests of `durationMs` each, issued by `workers` concurrent callers; returns their times. */
async function drive(
  governor: RequestGovernor,
  options: { count: number; durationMs: number; workers: number; kind?: RequestKind; until: number },
): Promise<Trace[]> {
  const kind = options.kind ?? 'graphql';
  const traces: Trace[] = [];
  let issued = 0;
  const worker = async () => {
    while (issued < options.count) {
      issued++;
      await governor.run(kind, 1, async () => {
        const start = Date.now();
        await sleep(options.durationMs);
        traces.push({ start, end: Date.now(), kind });
      });
    }
  };
  const all = Promise.all(Array.from({ length: options.workers }, worker));
  await jest.advanceTimersByTimeAsync(options.until);
  await all;
  return traces;
}

/** The most concurrent requests and the most GraphQL response time in any 60-second window. */
function measure(traces: Trace[]): { peak: number; worstWindowMs: number; worstWindowCount: number } {
  let peak = 0;
  for (const t of traces) {
    const overlapping = traces.filter((o) => o.start <= t.start && o.end > t.start).length;
    peak = Math.max(peak, overlapping);
  }
  let worstWindowMs = 0;
  let worstWindowCount = 0;
  for (const t of traces) {
    const from = t.start;
    const to = from + 60_000;
    let ms = 0;
    let count = 0;
    for (const o of traces) {
      const overlap = Math.min(o.end, to) - Math.max(o.start, from);
      if (overlap > 0) ms += overlap;
      if (o.start >= from && o.start < to) count++;
    }
    worstWindowMs = Math.max(worstWindowMs, ms);
    worstWindowCount = Math.max(worstWindowCount, count);
  }
  return { peak, worstWindowMs, worstWindowCount };
}

describe('RequestGovernor', () => {
  it('keeps heavy GraphQL pages within the response-time budget, even for a sequential caller', async () => {
    const governor = new RequestGovernor({ graphqlResponseMs: 50_000 });
    const traces = await drive(governor, { count: 60, durationMs: 4_000, workers: 1, until: 600_000 });
    expect(traces).toHaveLength(60);
    const { worstWindowMs } = measure(traces);
    // One 4 s request may start just below the budget: at most budget + one request.
    expect(worstWindowMs).toBeLessThanOrEqual(54_000);
    expect(worstWindowMs).toBeGreaterThan(40_000);
    expect(governor.stats.waitedMs).toBeGreaterThan(0);
  });

  it('lets light requests run concurrently up to the allowed concurrency, and grows it while answers are clean', async () => {
    const governor = new RequestGovernor({ initialConcurrent: 2, maxConcurrent: 6 });
    const traces = await drive(governor, { count: 200, durationMs: 100, workers: 20, until: 120_000 });
    expect(traces).toHaveLength(200);
    const { peak } = measure(traces);
    expect(peak).toBeGreaterThan(2);
    expect(peak).toBeLessThanOrEqual(6);
    expect(governor.stats.peakConcurrent).toBe(peak);
    expect(governor.stats.concurrency).toBe(6);
  });

  it('halves the concurrency on a secondary limit or a timeout, never below one', async () => {
    const governor = new RequestGovernor({ initialConcurrent: 8, maxConcurrent: 8 });
    const limited = () => 'limited' as const;
    const run = governor.run('graphql', 1, async () => undefined, limited);
    await jest.advanceTimersByTimeAsync(0);
    await run;
    expect(governor.stats.concurrency).toBe(4);
    for (let i = 0; i < 5; i++) governor.limited();
    expect(governor.stats.concurrency).toBe(1);
    expect(governor.stats.backoffs).toBe(6);
  });

  it('keeps secondary points per minute under the budget', async () => {
    const governor = new RequestGovernor({ restPoints: 50, initialConcurrent: 10, maxConcurrent: 10 });
    const traces = await drive(governor, {
      count: 120,
      durationMs: 10,
      workers: 10,
      kind: 'rest',
      until: 300_000,
    });
    expect(traces).toHaveLength(120);
    expect(measure(traces).worstWindowCount).toBeLessThanOrEqual(50);
  });

  it('counts a mutation or a write as five points', () => {
    expect(RequestGovernor.pointsOf('graphql', 'query OrgRepositories { x }')).toBe(1);
    expect(RequestGovernor.pointsOf('graphql', ' mutation AddComment { x }')).toBe(5);
    expect(RequestGovernor.pointsOf('rest', 'GET')).toBe(1);
    expect(RequestGovernor.pointsOf('rest', 'PATCH')).toBe(5);
  });

  it('passes errors through and still frees the slot', async () => {
    const governor = new RequestGovernor({ initialConcurrent: 1, maxConcurrent: 1 });
    const failing = governor.run('rest', 1, async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    const next = governor.run('rest', 1, async () => 'ok');
    await jest.advanceTimersByTimeAsync(0);
    await expect(next).resolves.toBe('ok');
  });
});
