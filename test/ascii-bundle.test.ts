import { describe, expect, it } from '@jest/globals';
import vm from 'node:vm';
import { asciiOnly } from '../scripts/ascii-bundle.js';

describe('asciiOnly', () => {
  it('escapes every character outside ASCII, and the code means the same', () => {
    const source = [
      "const a = 'café — ok…';",
      'const b = `${a} → ✅ 🔴`;',
      'const c = /[’“”]|🔴/u.test("x’y") && /[–—]/.test("a—b");',
      '// a comment with ≥ and ∞',
      'result = [a, b, c, "🔴".length];',
    ].join('\n');
    const escaped = asciiOnly(source);
    expect([...escaped].every((char) => char.charCodeAt(0) < 0x80)).toBe(true);
    const run = (code: string) => {
      const context: { result?: unknown } = {};
      vm.runInNewContext(code, context);
      return context.result;
    };
    expect(run(escaped)).toEqual(run(source));
    expect(run(escaped)).toEqual(['café — ok…', 'café — ok… → ✅ 🔴', true, 2]);
  });

  it('refuses a non-ASCII character after a backslash', () => {
    expect(() => asciiOnly("const a = '\\’';", 'x.js')).toThrow(
      /x\.js:1: a non-ASCII character follows a backslash/,
    );
  });
});
