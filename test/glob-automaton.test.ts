/**
 * The linear-time glob matchers agree with the regular expressions they replace (copied here as the
 * reference) on many short random patterns and values, where backtracking costs nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { globMatch } from '../src/checks/globs.js';
import { matchesGlob } from '../src/config/glob.js';

function referenceNameGlob(glob: string): RegExp {
  let source = '';
  for (const char of glob) {
    if (char === '*') source += '.*';
    else if (char === '?') source += '.';
    else source += char.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function referenceFilterPattern(pattern: string): RegExp {
  const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const isQuantified = (atom: string) =>
    atom.endsWith(')?') || atom.endsWith(')+') || atom === '.*' || atom === '[^/]*';
  const atoms: string[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      atoms.push(escapeRe(pattern[i + 1]));
      i += 2;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        atoms.push('.*');
        i += 2;
      } else {
        atoms.push('[^/]*');
        i += 1;
      }
    } else if ((c === '?' || c === '+') && atoms.length > 0 && !isQuantified(atoms[atoms.length - 1])) {
      atoms[atoms.length - 1] = `(?:${atoms[atoms.length - 1]})${c}`;
      i += 1;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      const body = end > i + 1 ? pattern.slice(i + 1, end) : '';
      if (end > i + 1 && /^[A-Za-z0-9-]+$/.test(body)) {
        atoms.push(`[${body}]`);
        i = end + 1;
      } else {
        atoms.push(escapeRe(c));
        i += 1;
      }
    } else {
      atoms.push(escapeRe(c));
      i += 1;
    }
  }
  return new RegExp(`^${atoms.join('')}$`);
}

/** A deterministic pseudo-random generator (the same cases on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

function pick(next: () => number, alphabet: string[], max: number): string {
  let out = '';
  const length = Math.floor(next() * (max + 1));
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

describe('linear-time globs keep the semantics of the regular expressions they replace', () => {
  it('policy name globs (case-insensitive, * and ?)', () => {
    const next = random(7);
    const patternAlphabet = ['*', '?', 'a', 'B', '.', '-', '\\', '[', ']', '(', '+', 'é', 'É', '\n'];
    const valueAlphabet = ['a', 'A', 'b', '.', '-', '\\', '[', '+', '(', 'é', 'É', '\n', '/'];
    const disagreements: string[] = [];
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      const glob = pick(next, patternAlphabet, 6);
      const value = pick(next, valueAlphabet, 7);
      const expected = referenceNameGlob(glob).test(value);
      if (matchesGlob(value, glob) !== expected)
        disagreements.push(JSON.stringify({ glob, value, expected }));
      if (expected) matched++;
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(matched).toBeGreaterThan(500);
  });

  it('workflow filter patterns (*, **, ?, +, [ranges], \\ escapes)', () => {
    const next = random(11);
    const patternAlphabet = [
      '*',
      '**',
      '?',
      '+',
      'a',
      'b',
      '1',
      '.',
      '/',
      '\\',
      '[a-c]',
      '[0-9-]',
      '[',
      ']',
      '-',
    ];
    const valueAlphabet = ['a', 'b', 'c', '1', '.', '/', '-', '\\', '[', ']', '+', '?', '\n', 'A'];
    const disagreements: string[] = [];
    let matched = 0;
    for (let n = 0; n < 20000; n++) {
      const pattern = pick(next, patternAlphabet, 6);
      const value = pick(next, valueAlphabet, 7);
      let reference: RegExp;
      try {
        reference = referenceFilterPattern(pattern);
      } catch {
        continue; // `[b-a]`: the regular expression threw; the automaton's range matches nothing
      }
      const expected = reference.test(value);
      if (globMatch(pattern, value) !== expected)
        disagreements.push(JSON.stringify({ pattern, value, expected }));
      if (expected) matched++;
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    expect(matched).toBeGreaterThan(500);
  });
});
