/**
 * The rows of a report section, rendered when they are laid out rather than all at once.
 *
 * An issue body and a job summary show a few thousand rows at most, but the sections of a large
 * organization have hundreds of thousands (one per failing finding, one per repository): rendered whole,
 * they were the largest thing the audit held (about 40 MB at 20,000 repositories, most of it never shown).
 * A `Rows` renders row `i` when asked, so the layout holds only what fits.
 */
export class Rows {
  /** No rows. */
  static readonly none = new Rows(0, () => '');

  /** Rows already rendered (short sections, and rows that depend on the ones before them). */
  static of(rows: readonly string[]): Rows {
    return new Rows(rows.length, (index) => rows[index]);
  }

  /** One row per item, rendered by `render` when asked. */
  static mapped<T>(items: readonly T[], render: (item: T) => string): Rows {
    return new Rows(items.length, (index) => render(items[index]));
  }

  /** The rows of each, one after the other. */
  static concat(...parts: Rows[]): Rows {
    const length = parts.reduce((sum, part) => sum + part.length, 0);
    return new Rows(length, (index) => {
      let at = index;
      for (const part of parts) {
        if (at < part.length) return part.at(at);
        at -= part.length;
      }
      throw new RangeError(`row ${index} of ${length}`);
    });
  }

  private constructor(
    readonly length: number,
    private readonly render: (index: number) => string,
  ) {}

  /** Row `index` (0-based), rendered now. */
  at(index: number): string {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new RangeError(`row ${index} of ${this.length}`);
    }
    return this.render(index);
  }

  /** Rows `from` to `to` (excluded), rendered now. */
  slice(from = 0, to = this.length): string[] {
    const rows: string[] = [];
    for (let index = Math.max(0, from); index < Math.min(to, this.length); index++)
      rows.push(this.render(index));
    return rows;
  }

  /**
   * The size of the rows, one per line (each row's `measure` plus its newline), rendering no more than needed
   * to tell whether it exceeds `limit`: past it, the sum so far (some value above `limit`) is returned.
   */
  measureUpTo(limit: number, measure: (value: string) => number): number {
    let used = 0;
    for (let index = 0; index < this.length && used <= limit; index++)
      used += measure(this.render(index)) + 1;
    return used;
  }
}
