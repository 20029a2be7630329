/**
 * Keeps the audit's memory flat on large organizations.
 *
 * An audit allocates a lot and keeps little: each page of 100 repositories is parsed, evaluated,
 * streamed to the report and the facts store, and dropped (about 2 KB per repository stays, for the
 * issue and the summary). Left alone, V8 answers that allocation rate by growing its heap lazily, to
 * several times what is live (an audit of 20,000 repositories peaked at about 400 MB of RSS with about
 * 50 MB live). An action cannot pass Node flags (`--max-old-space-size`) to the runner's `node`, so the
 * pacer bounds the garbage instead: it watches the heap and runs a full collection whenever it has
 * grown by `budget` since the last one, and the pipeline asks for one between stages (`settle`), before
 * it builds the report. The cost is CPU time, counted in `stats` and logged; at GitHub's pace it is a few
 * percent of the run.
 *
 * The collector is reached through V8's `--expose-gc`, set at run time (`v8.setFlagsFromString`) and read
 * from a fresh context; when that is not possible the pacer is `null` and the audit runs as before.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Logger } from './log.js';

export interface HeapPacerStats {
  /** Full collections run by the pacer. */
  collections: number;
  /** Time spent in them. */
  ms: number;
  /** Largest heap seen in use (MB), garbage included. */
  peakUsedMb: number;
}

export interface HeapPacer {
  /** A full collection now: between stages, before a large synchronous build. */
  settle(): void;
  stop(): void;
  readonly stats: HeapPacerStats;
}

export interface HeapPacerOptions {
  /** Garbage allowed to pile up between collections (MB). */
  budgetMb?: number;
  /** How often the heap is looked at (ms); the check costs microseconds. */
  intervalMs?: number;
  /** The budget grows to this share of what is live when that is more (default a quarter). */
  liveShare?: number;
}

const MB = 1024 * 1024;

/** The collector function, or null when V8 does not give it. */
function exposedGc(): (() => void) | null {
  const existing = (globalThis as { gc?: unknown }).gc;
  if (typeof existing === 'function') return existing as () => void;
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc: unknown = vm.runInNewContext('gc');
    return typeof gc === 'function' ? (gc as () => void) : null;
  } catch {
    return null;
  }
}

export function startHeapPacer(options: HeapPacerOptions = {}): HeapPacer | null {
  const gc = exposedGc();
  if (!gc) return null;
  const budget = (options.budgetMb ?? 16) * MB;
  const liveShare = options.liveShare ?? 0.25;
  const stats: HeapPacerStats = { collections: 0, ms: 0, peakUsedMb: 0 };
  const used = () => v8.getHeapStatistics().used_heap_size;
  let live = used();
  const collect = () => {
    const started = performance.now();
    gc();
    stats.ms += performance.now() - started;
    stats.collections++;
    live = used();
  };
  const timer = setInterval(() => {
    const now = used();
    stats.peakUsedMb = Math.max(stats.peakUsedMb, Math.round(now / MB));
    if (now > live + Math.max(budget, live * liveShare)) collect();
  }, options.intervalMs ?? 100);
  timer.unref();
  return { settle: collect, stop: () => clearInterval(timer), stats };
}

/** The log line that says what the pacer did. */
export function memoryLine(stats: HeapPacerStats): string {
  return `Memory: ${stats.collections} paced garbage collection(s), ${(stats.ms / 1000).toFixed(1)} s; heap in use at most ${stats.peakUsedMb} MB; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
}

/**
 * Runs `audit` with a pacer (null when V8 gives no collector), stops the pacer however the audit ends, and
 * logs what it did (`memoryLine`) when `log` is given: the one wiring of the action, the CLI and the bench.
 */
export async function withHeapPacer<T>(
  log: Pick<Logger, 'info'> | null,
  audit: (heap: HeapPacer | null) => Promise<T>,
): Promise<T> {
  const heap = startHeapPacer();
  try {
    return await audit(heap);
  } finally {
    heap?.stop();
    if (heap && log) log.info(memoryLine(heap.stats));
  }
}
