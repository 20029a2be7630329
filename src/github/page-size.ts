/**
 * The page size of a run, with hysteresis: a page GitHub could not answer in time is split, and the
 * smaller size is kept for a while before the collector tries a larger one again — doubling straight back
 * makes every other request a 10-second timeout when full pages are too heavy for GitHub at the moment.
 * Each failure after a recovery doubles how long the smaller size is kept.
 */
export const HOLD_PAGES = 8;
const MAX_HOLD_PAGES = 64;

export class PageSizer {
  private current: number;
  /** Successful pages still to go before growing. */
  private hold = 0;
  private nextHold = HOLD_PAGES;

  constructor(readonly max: number) {
    this.current = max;
  }

  get size(): number {
    return this.current;
  }

  /** The page at the current size failed: halve it and hold it. Returns the new size. */
  shrink(): number {
    this.current = Math.max(1, Math.ceil(this.current / 2));
    this.hold = this.nextHold;
    this.nextHold = Math.min(MAX_HOLD_PAGES, this.nextHold * 2);
    return this.current;
  }

  /** A page succeeded: grow (double) once the hold is over. */
  succeeded(): void {
    if (this.current >= this.max) return;
    if (this.hold > 0) {
      this.hold--;
      return;
    }
    this.current = Math.min(this.max, this.current * 2);
  }
}
