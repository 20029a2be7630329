import { describe, expect, it } from '@jest/globals';
import { isGlob, matchesGlob } from '../../src/config/glob.js';

describe('policy name globs (include/exclude, waivers)', () => {
  it('* is any run of characters, ? one character; whole name, case-insensitive', () => {
    expect(matchesGlob('falco', 'falco')).toBe(true);
    expect(matchesGlob('Falco', 'fal*')).toBe(true);
    expect(matchesGlob('falcoctl', 'fal*')).toBe(true);
    expect(matchesGlob('xfalco', 'fal*')).toBe(false);
    expect(matchesGlob('plugin-sdk-go', '*-sdk-*')).toBe(true);
    expect(matchesGlob('falco', 'falc?')).toBe(true);
    expect(matchesGlob('falc', 'falc?')).toBe(false);
    expect(matchesGlob('', '*')).toBe(true);
    expect(matchesGlob('a/b', '*')).toBe(true);
  });

  it('every other character is literal (regular-expression syntax means nothing)', () => {
    expect(matchesGlob('a.b', 'a.b')).toBe(true);
    expect(matchesGlob('axb', 'a.b')).toBe(false);
    expect(matchesGlob('a+b', 'a+b')).toBe(true);
    expect(matchesGlob('aab', 'a+b')).toBe(false);
    expect(matchesGlob('[x]', '[x]')).toBe(true);
    expect(matchesGlob('x', '[x]')).toBe(false);
    expect(matchesGlob('a\\b', 'a\\b')).toBe(true);
    expect(matchesGlob('(a|b)', '(a|b)')).toBe(true);
  });

  it('is glob only with * or ?', () => {
    expect(isGlob('falco-*')).toBe(true);
    expect(isGlob('falc?')).toBe(true);
    expect(isGlob('falco')).toBe(false);
  });

  it('matches in linear time: *a*a*a*a*a*a*a*a*a*a*a*a*b against 100 a returns at once', () => {
    const glob = `${'*a'.repeat(12)}*b`;
    const name = 'a'.repeat(100);
    // A backtracking matcher would never return (the test's time limit fails it).
    expect(matchesGlob(name, glob)).toBe(false);
    expect(matchesGlob(`${name}b`, glob)).toBe(true);
    expect(matchesGlob('a'.repeat(5000), `${'*a'.repeat(200)}*b`)).toBe(false);
  });
});
