import { describe, expect, it } from '@jest/globals';
import { layoutSections, measureChars } from '../../src/report/layout.js';
import { Rows } from '../../src/report/rows.js';

describe('Rows', () => {
  it('renders a row when asked, in order, and refuses rows that are not there', () => {
    const rendered: number[] = [];
    const rows = Rows.mapped([10, 20, 30], (n) => (rendered.push(n), `row ${n}`));
    expect(rendered).toEqual([]);
    expect(rows.length).toBe(3);
    expect(rows.at(1)).toBe('row 20');
    expect(rows.slice(1)).toEqual(['row 20', 'row 30']);
    expect(rows.slice()).toEqual(['row 10', 'row 20', 'row 30']);
    expect(() => rows.at(3)).toThrow(RangeError);
    expect(() => rows.at(-1)).toThrow(RangeError);
    expect(Rows.none.length).toBe(0);
  });

  it('concatenates', () => {
    const rows = Rows.concat(
      Rows.of(['a', 'b']),
      Rows.none,
      Rows.mapped([1], (n) => `n${n}`),
    );
    expect(rows.length).toBe(3);
    expect(rows.slice()).toEqual(['a', 'b', 'n1']);
  });

  it('measures no further than the limit it is given', () => {
    let renders = 0;
    const rows = Rows.mapped(
      Array.from({ length: 1000 }, (_, i) => i),
      () => (renders++, 'x'.repeat(9)),
    );
    expect(rows.measureUpTo(Number.POSITIVE_INFINITY, measureChars)).toBe(10_000);
    renders = 0;
    const measured = rows.measureUpTo(95, measureChars);
    expect(measured).toBeGreaterThan(95);
    expect(renders).toBe(10);
  });
});

describe('layoutSections with rows rendered as they are laid out', () => {
  it('renders the rows that fit, not every row of a long section', () => {
    let renders = 0;
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const rows = Rows.mapped(items, (i) => (renders++, `- row ${i} ${'·'.repeat(40)}`));
    const layout = layoutSections([{ key: 'long', title: 'Long', fold: true, rows }], {
      firstBudget: 20_000,
      nextBudget: 20_000,
      continuedNote: () => 'continued',
      measure: measureChars,
      maxParts: 1,
    });
    const shown = layout.parts[0].split('\n').filter((line) => line.startsWith('- row ')).length;
    expect(shown).toBeGreaterThan(300);
    expect(layout.overflowRows).toBe(items.length - shown);
    // Each shown row is rendered once to be measured, plus the one that did not fit and the whole-section probe.
    expect(renders).toBeLessThan(3 * shown);
  });
});
