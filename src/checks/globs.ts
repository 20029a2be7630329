/**
 * GitHub Actions filter patterns (`branches`, `tags`, `paths` and their `-ignore` variants), as
 * documented in "Filter pattern cheat sheet":
 * - `*` any characters except `/`; `**` any characters;
 * - `?` zero or one of the preceding character; `+` one or more of the preceding character;
 * - `[]` one character listed or in a range (`a-z`, `A-Z`, `0-9`);
 * - `!` at the start negates; later patterns override earlier ones (order matters);
 * - `\` escapes the next character. Every other character (including `.`) is literal.
 */

const cache = new Map<string, RegExp>();

/** The regular expression for one pattern (without its leading `!`). */
export function globToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
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
  const re = new RegExp(`^${atoms.join('')}$`);
  cache.set(pattern, re);
  return re;
}

function isQuantified(atom: string): boolean {
  return atom.endsWith(')?') || atom.endsWith(')+') || atom === '.*' || atom === '[^/]*';
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether one pattern (no `!`) matches the whole value. */
export function globMatch(pattern: string, value: string): boolean {
  return globToRegExp(pattern).test(value);
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
