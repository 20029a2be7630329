import { describe, expect, it } from '@jest/globals';
import { LineCounter } from 'yaml';
import { parseBoundedDocument, parseBoundedYaml, YAML_LIMITS } from '../src/yaml-limits.js';
import { aliasBomb } from './fixtures/hostile.js';

function timed<T>(run: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = run();
  return { result, ms: performance.now() - started };
}

describe('YAML within limits', () => {
  it('reads ordinary documents, anchors and aliases included, as yaml.parse does', () => {
    const text =
      'defaults: &defaults\n  runs-on: ubuntu-latest\njobs:\n  a: *defaults\n  b:\n    <<: *defaults\n';
    expect(parseBoundedYaml(text, { merge: true })).toEqual({
      ok: true,
      value: {
        defaults: { 'runs-on': 'ubuntu-latest' },
        jobs: { a: { 'runs-on': 'ubuntu-latest' }, b: { 'runs-on': 'ubuntu-latest' } },
      },
    });
    const lineCounter = new LineCounter();
    const parsed = parseBoundedDocument('a: 1\nb: [2\n', { lineCounter });
    expect(parsed.ok && parsed.doc.errors.length).toBeGreaterThan(0);
    expect(lineCounter.linePos(5).line).toBe(2);
    expect(parseBoundedYaml('a: [1\n')).toMatchObject({ ok: false, syntaxError: expect.any(String) });
  });

  it.each([7, 9])('refuses a 9^%i billion-laughs document at once', (levels) => {
    const { result, ms } = timed(() => parseBoundedDocument(aliasBomb(levels)));
    expect(result).toEqual({
      ok: false,
      refused: expect.stringMatching(/expands to more than \d+ YAML nodes/),
    });
    expect(ms).toBeLessThan(1000);
    expect(parseBoundedYaml(aliasBomb(levels))).toMatchObject({ ok: false, refused: expect.any(String) });
  });

  it('an alias inside its own anchor (a cycle) counts once', () => {
    expect(parseBoundedDocument('a: &a [1, *a]\n').ok).toBe(true);
  });

  it.each([
    [
      'flow (told by the quick look at brackets)',
      100_000,
      (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`,
    ],
    ['flow', 500, (n: number) => `a: ${'['.repeat(n)}${']'.repeat(n)}\n`],
    [
      'block',
      1000,
      (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
    ],
    ['block sequence', 100_000, (n: number) => `${'- '.repeat(n)}x\n`],
  ])(
    'refuses %s nesting beyond the limit before building the document (no stack overflow)',
    (_kind, deep, make) => {
      expect(parseBoundedDocument(make(50)).ok).toBe(true);
      const { result, ms } = timed(() => parseBoundedDocument(make(deep)));
      expect(result).toEqual({
        ok: false,
        refused: expect.stringMatching(/nests collections more than 100 levels/),
      });
      expect(ms).toBeLessThan(5000);
    },
  );

  it('refuses nesting that only aliases make deep', () => {
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i < 200; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    expect(parseBoundedDocument(lines.join('\n'))).toEqual({
      ok: false,
      refused: expect.stringMatching(/levels deep once its aliases are expanded/),
    });
  });

  it('refuses a document larger than the size limit without parsing it', () => {
    const text = `a: "${'x'.repeat(YAML_LIMITS.maxBytes)}"\n`;
    expect(parseBoundedDocument(text)).toEqual({
      ok: false,
      refused: expect.stringMatching(/bytes, larger than/),
    });
  });
});
