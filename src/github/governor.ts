/**
 * Keeps the audit within GitHub's documented secondary rate limits, adaptively
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits):
 *
 * - at most 100 concurrent requests (REST and GraphQL together);
 * - at most 2,000 secondary points a minute for GraphQL and 900 for REST (a query or a GET is 1 point,
 *   a mutation or a POST/PATCH/PUT/DELETE 5);
 * - at most 60 seconds of GraphQL server time per 60 seconds of real time (measured here as response time).
 *
 * Every request goes through `run`: it starts only when one more request fits every budget over the last
 * 60 seconds (with a margin below GitHub's figures), counting what is still in flight. Concurrency starts
 * small and grows by one after as many clean answers as requests allowed at once; a secondary limit or
 * a timed-out answer (502/504) halves it. A sequential caller is never slowed unless a budget is spent:
 * with ~4 s heavy pages, one request at a time could otherwise use the whole GraphQL time budget.
 */

export interface GovernorLimits {
  /** Highest concurrency the governor may reach (GitHub allows 100). */
  maxConcurrent: number;
  /** Concurrency to start with. */
  initialConcurrent: number;
  /** GraphQL response time allowed per window, in ms (GitHub: 60,000 per 60 s). */
  graphqlResponseMs: number;
  /** GraphQL secondary points per window (GitHub: 2,000 per minute). */
  graphqlPoints: number;
  /** REST secondary points per window (GitHub: 900 per minute). */
  restPoints: number;
  /** The window, in ms (GitHub: one minute). */
  windowMs: number;
}

/** GitHub's figures with a margin: the budgets are shared with anything else using the same token. */
export const DEFAULT_LIMITS: GovernorLimits = {
  maxConcurrent: 16,
  initialConcurrent: 4,
  graphqlResponseMs: 50_000,
  graphqlPoints: 1_800,
  restPoints: 800,
  windowMs: 60_000,
};

export type RequestKind = 'graphql' | 'rest';

/** How a request ended, for the adaptive concurrency. */
export type RequestEnding = 'ok' | 'limited' | 'failed';

export interface GovernorClock {
  now(): number;
}

interface Spent {
  at: number;
  kind: RequestKind;
  points: number;
  responseMs: number;
}

interface Flight {
  kind: RequestKind;
  points: number;
  startedAt: number;
}

export interface GovernorStats {
  /** Most requests in flight at once. */
  peakConcurrent: number;
  /** Time requests waited for a budget, in ms (summed over requests). */
  waitedMs: number;
  /** Current allowed concurrency. */
  concurrency: number;
  /** Times the concurrency was halved (secondary limit or timeout). */
  backoffs: number;
}

export class RequestGovernor {
  private readonly limits: GovernorLimits;
  private readonly spent: Spent[] = [];
  private readonly flights = new Set<Flight>();
  private concurrency: number;
  private cleanStreak = 0;
  private wakers: (() => void)[] = [];
  readonly stats: GovernorStats;

  constructor(
    limits: Partial<GovernorLimits> = {},
    private readonly clock: GovernorClock = Date,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.concurrency = Math.min(this.limits.initialConcurrent, this.limits.maxConcurrent);
    this.stats = { peakConcurrent: 0, waitedMs: 0, concurrency: this.concurrency, backoffs: 0 };
  }

  /** Secondary points of one request: 1 for a query or a read, 5 for a mutation or a write. */
  static pointsOf(kind: RequestKind, methodOrDocument: string): number {
    if (kind === 'graphql') return /^\s*mutation\b/.test(methodOrDocument) ? 5 : 1;
    return /^(GET|HEAD|OPTIONS)$/i.test(methodOrDocument) ? 1 : 5;
  }

  /**
   * Runs `request` when it fits the budgets; `ending` classifies its outcome (default: `ok` when it
   * resolves, `failed` when it throws).
   */
  async run<T>(
    kind: RequestKind,
    points: number,
    request: () => Promise<T>,
    ending?: (outcome: { value?: T; error?: unknown }) => RequestEnding,
  ): Promise<T> {
    const flight = await this.acquire(kind, points);
    let end: RequestEnding = 'failed';
    try {
      const value = await request();
      end = ending ? ending({ value }) : 'ok';
      return value;
    } catch (error) {
      end = ending ? ending({ error }) : 'failed';
      throw error;
    } finally {
      this.release(flight, end);
    }
  }

  /** A secondary limit was met outside `run` (e.g. reported by a retry layer): back off. */
  limited(): void {
    this.concurrency = Math.max(1, Math.floor(this.concurrency / 2));
    this.cleanStreak = 0;
    this.stats.backoffs++;
    this.stats.concurrency = this.concurrency;
  }

  private async acquire(kind: RequestKind, points: number): Promise<Flight> {
    const started = this.clock.now();
    for (;;) {
      const wait = this.waitFor(kind, points);
      if (wait === 0) break;
      await this.sleepOrWake(wait);
    }
    const flight: Flight = { kind, points, startedAt: this.clock.now() };
    this.flights.add(flight);
    this.stats.waitedMs += flight.startedAt - started;
    this.stats.peakConcurrent = Math.max(this.stats.peakConcurrent, this.flights.size);
    return flight;
  }

  private release(flight: Flight, ending: RequestEnding): void {
    this.flights.delete(flight);
    const now = this.clock.now();
    this.spent.push({
      at: now,
      kind: flight.kind,
      points: flight.points,
      responseMs: flight.kind === 'graphql' ? now - flight.startedAt : 0,
    });
    if (ending === 'limited') this.limited();
    else if (ending === 'ok' && ++this.cleanStreak >= this.concurrency) {
      this.cleanStreak = 0;
      this.concurrency = Math.min(this.limits.maxConcurrent, this.concurrency + 1);
      this.stats.concurrency = this.concurrency;
    }
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }

  /** 0 when a request of this kind fits now; otherwise how long to wait before looking again (ms). */
  private waitFor(kind: RequestKind, points: number): number {
    const now = this.clock.now();
    const { windowMs } = this.limits;
    while (this.spent.length > 0 && this.spent[0].at <= now - windowMs) this.spent.shift();
    // A waker comes when a flight ends; the fallback timer covers budgets freed only by time.
    if (this.flights.size >= this.concurrency) return windowMs;
    const oldest = this.spent[0];
    const untilOldestLeaves = oldest ? oldest.at + windowMs - now + 1 : 0;
    let usedPoints = 0;
    let usedMs = 0;
    for (const item of this.spent) {
      if (item.kind !== kind) continue;
      usedPoints += item.points;
      usedMs += item.responseMs;
    }
    for (const flight of this.flights) {
      if (flight.kind !== kind) continue;
      usedPoints += flight.points;
      // A request in flight counts what it has used so far.
      if (kind === 'graphql') usedMs += now - flight.startedAt;
    }
    const pointBudget = kind === 'graphql' ? this.limits.graphqlPoints : this.limits.restPoints;
    // An empty window always lets one request through, whatever its size.
    const idle = this.flights.size === 0 && this.spent.length === 0;
    if (!idle && usedPoints + points > pointBudget) return Math.max(1, untilOldestLeaves);
    if (kind === 'graphql' && !idle && usedMs >= this.limits.graphqlResponseMs)
      return Math.max(1, Math.min(untilOldestLeaves, 1_000));
    return 0;
  }

  /** Resolves when a flight ends or after `ms`, whichever comes first; leaves no timer behind. */
  private sleepOrWake(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.push(finish);
    });
  }
}
