/**
 * GitHub Actions filter patterns (`branches`, `tags`, `paths` and their `-ignore` variants), as
 * documented in "Filter pattern cheat sheet":
 * - `*` any characters except `/`; `**` any characters;
 * - `?` zero or one of the preceding character; `+` one or more of the preceding character;
 * - `[]` one character listed or in a range (`a-z`, `A-Z`, `0-9`);
 * - `!` at the start negates; later patterns override earlier ones (order matters);
 * - `\` escapes the next character. Every other character (including `.`) is literal.
 */
import { GlobAutomaton, GlobCache, literal, type CharTest, type GlobStep } from '../glob-automaton.js';

/** What one pattern element consumes, and whether a `?` or `+` may still follow it. */
interface Atom {
  step: GlobStep;
  /** `*`, `**` and atoms already followed by `?` or `+` take no further quantifier. */
  quantifiable: boolean;
}

/** `.` in a regular expression without the `s` flag: anything but a line terminator. */
const notLineTerminator: CharTest = (c) => c !== 0x0a && c !== 0x0d && c !== 0x2028 && c !== 0x2029;
const notSlash: CharTest = (c) => c !== 0x2f;

/** The test of a `[…]` body (letters, digits and `-`): single characters and ranges such as `a-z`. */
function classTest(body: string): CharTest {
  const ranges: [number, number][] = [];
  let i = 0;
  while (i < body.length) {
    if (body[i + 1] === '-' && i + 2 < body.length) {
      ranges.push([body.charCodeAt(i), body.charCodeAt(i + 2)]);
      i += 3;
    } else {
      ranges.push([body.charCodeAt(i), body.charCodeAt(i)]);
      i += 1;
    }
  }
  return (c) => ranges.some(([low, high]) => c >= low && c <= high);
}

/** The automaton of one pattern (without its leading `!`). */
function compileFilterPattern(pattern: string): GlobAutomaton {
  const atoms: Atom[] = [];
  const one = (test: CharTest): Atom => ({ step: { test, repeat: 'one' }, quantifiable: true });
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    const last = atoms[atoms.length - 1];
    if (c === '\\' && i + 1 < pattern.length) {
      atoms.push(one(literal(pattern.charCodeAt(i + 1))));
      i += 2;
    } else if (c === '*') {
      const double = pattern[i + 1] === '*';
      atoms.push({
        step: { test: double ? notLineTerminator : notSlash, repeat: 'any' },
        quantifiable: false,
      });
      i += double ? 2 : 1;
    } else if ((c === '?' || c === '+') && last?.quantifiable) {
      if (c === '?')
        atoms[atoms.length - 1] = { step: { ...last.step, repeat: 'optional' }, quantifiable: false };
      else {
        last.quantifiable = false;
        atoms.push({ step: { test: last.step.test, repeat: 'any' }, quantifiable: false });
      }
      i += 1;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      const body = end > i + 1 ? pattern.slice(i + 1, end) : '';
      if (end > i + 1 && /^[A-Za-z0-9-]+$/.test(body)) {
        atoms.push(one(classTest(body)));
        i = end + 1;
      } else {
        atoms.push(one(literal(pattern.charCodeAt(i))));
        i += 1;
      }
    } else {
      atoms.push(one(literal(pattern.charCodeAt(i))));
      i += 1;
    }
  }
  return new GlobAutomaton(atoms.map((atom) => atom.step));
}

const cache = new GlobCache(compileFilterPattern);

/** Whether one pattern (no `!`) matches the whole value, in linear time (see `glob-automaton.ts`). */
export function globMatch(pattern: string, value: string): boolean {
  return cache.get(pattern).matches(value);
}

/**
 * Ordered evaluation of a pattern list with `!` negations: the last pattern that matches decides
 * (a positive pattern includes, a negated one excludes). Nothing matching = not included.
 */
export function matchesPatternList(patterns: string[], value: string): boolean {
  let included = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (globMatch(pattern, value)) included = !negated;
  }
  return included;
}

/**
 * Whether a ref passes an include list (`branches`/`tags`) or an ignore list (`*-ignore`). GitHub
 * rejects a workflow that sets both for one event; `include` wins here if both are given.
 * Undefined lists mean "no filter" (everything passes).
 */
export function refPasses(include: string[] | undefined, ignore: string[] | undefined, ref: string): boolean {
  if (include !== undefined) return matchesPatternList(include, ref);
  if (ignore !== undefined) return !matchesPatternList(ignore, ref);
  return true;
}
