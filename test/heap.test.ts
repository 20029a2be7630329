import { startHeapPacer, withHeapPacer } from '../src/heap.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('heap pacer', () => {
  it('runs a full collection when the heap grows past its budget, and on settle()', async () => {
    const pacer = startHeapPacer({ budgetMb: 1, intervalMs: 5, liveShare: 0 });
    expect(pacer).not.toBeNull();
    if (!pacer) return;
    try {
      // About 16 MB held across a few pacer ticks: the heap grows well past the 1 MB budget.
      let held: string[][] | null = Array.from({ length: 64 }, (_, i) =>
        Array.from({ length: 4096 }, (_, j) => `${i}-${j}-${'x'.repeat(32)}`),
      );
      // A busy machine may delay the pacer's ticks: wait for one (at most 5 s).
      for (let waited = 0; pacer.stats.collections === 0 && waited < 5000; waited += 20) await sleep(20);
      expect(held.length).toBe(64);
      held = null;
      expect(pacer.stats.collections).toBeGreaterThan(0);
      expect(pacer.stats.peakUsedMb).toBeGreaterThan(0);
      const before = pacer.stats.collections;
      pacer.settle();
      expect(pacer.stats.collections).toBe(before + 1);
    } finally {
      pacer.stop();
    }
  });

  it('leaves a heap that does not grow alone', async () => {
    const pacer = startHeapPacer({ budgetMb: 64, intervalMs: 5 });
    if (!pacer) throw new Error('no pacer');
    try {
      await sleep(30);
      expect(pacer.stats.collections).toBe(0);
    } finally {
      pacer.stop();
    }
  });
});

describe('withHeapPacer', () => {
  it('gives the audit a pacer and logs what it did, when the audit succeeds and when it fails', async () => {
    const lines: string[] = [];
    const log = { info: (message: string) => void lines.push(message) };
    await expect(withHeapPacer(log, async (heap) => (heap ? 'paced' : 'unpaced'))).resolves.toBe('paced');
    await expect(
      withHeapPacer(log, async () => {
        throw new Error('the audit failed');
      }),
    ).rejects.toThrow('the audit failed');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^Memory: \d+ paced garbage collection\(s\), [\d.]+ s; /);
  });
});
