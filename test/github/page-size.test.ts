import { HOLD_PAGES, PageSizer } from '../../src/github/page-size.js';

describe('PageSizer', () => {
  it('halves on failure, holds the smaller size, then doubles; a new failure holds twice as long', () => {
    const sizer = new PageSizer(100);
    expect(sizer.shrink()).toBe(50);
    for (let i = 0; i < HOLD_PAGES; i++) {
      sizer.succeeded();
      expect(sizer.size).toBe(50);
    }
    sizer.succeeded();
    expect(sizer.size).toBe(100);
    expect(sizer.shrink()).toBe(50);
    for (let i = 0; i < 2 * HOLD_PAGES; i++) sizer.succeeded();
    expect(sizer.size).toBe(50);
    sizer.succeeded();
    expect(sizer.size).toBe(100);
    sizer.succeeded();
    expect(sizer.size).toBe(100);
  });

  it('never goes below 1', () => {
    const sizer = new PageSizer(2);
    expect(sizer.shrink()).toBe(1);
    expect(sizer.shrink()).toBe(1);
  });
});
