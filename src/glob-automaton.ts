/**
 * Glob matching in linear time. A glob compiles to a list of steps, each consuming characters that
 * pass one test: exactly one (`one`), zero or one (`optional`) or any number (`any`). Matching runs
 * the steps as a nondeterministic automaton over the whole value, keeping the set of steps reached
 * after each character: time O(value length × steps), whatever the pattern — no backtracking, so
 * `*a*a*a*a*a*a*a*a*a*a*a*a*b` against a long run of `a` answers at once (a regular expression
 * built from the same glob backtracks for ever).
 *
 * Characters are UTF-16 code units, as in a JavaScript regular expression without the `u` flag.
 * The two glob dialects (policy names in `config/glob.ts`, workflow filters in `checks/globs.ts`)
 * compile to these steps; this file knows nothing of their syntax.
 */

/** Whether one character (a UTF-16 code unit) may be consumed. */
export type CharTest = (code: number) => boolean;

export interface GlobStep {
  test: CharTest;
  repeat: 'one' | 'optional' | 'any';
}

export class GlobAutomaton {
  private readonly steps: readonly GlobStep[];

  constructor(steps: readonly GlobStep[]) {
    // Adjacent `any` steps with the same test are one step (`**` in a policy glob, `***`…).
    const merged: GlobStep[] = [];
    for (const step of steps) {
      const last = merged[merged.length - 1];
      if (step.repeat === 'any' && last?.repeat === 'any' && last.test === step.test) continue;
      merged.push(step);
    }
    this.steps = merged;
  }

  /** Whether the steps consume the whole value. */
  matches(value: string): boolean {
    const { steps } = this;
    const n = steps.length;
    let current = new Uint8Array(n + 1);
    let next = new Uint8Array(n + 1);
    current[0] = 1;
    this.close(current);
    for (let k = 0; k < value.length; k++) {
      const code = value.charCodeAt(k);
      next.fill(0);
      let alive = false;
      for (let i = 0; i < n; i++) {
        if (current[i] === 0) continue;
        const step = steps[i];
        if (!step.test(code)) continue;
        next[step.repeat === 'any' ? i : i + 1] = 1;
        alive = true;
      }
      if (!alive) return false;
      this.close(next);
      [current, next] = [next, current];
    }
    return current[n] === 1;
  }

  /** Adds the steps reachable without consuming: past every `optional` or `any` step reached. */
  private close(states: Uint8Array): void {
    for (let i = 0; i < this.steps.length; i++) {
      if (states[i] === 1 && this.steps[i].repeat !== 'one') states[i + 1] = 1;
    }
  }
}

/** A bounded memo of compiled globs (patterns come from repository content: the map must not grow without end). */
export class GlobCache {
  private readonly entries = new Map<string, GlobAutomaton>();

  constructor(
    private readonly compile: (pattern: string) => GlobAutomaton,
    private readonly maxEntries = 1000,
  ) {}

  get(pattern: string): GlobAutomaton {
    let automaton = this.entries.get(pattern);
    if (automaton === undefined) {
      automaton = this.compile(pattern);
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(pattern, automaton);
    }
    return automaton;
  }
}

export const anyCharacter: CharTest = () => true;

/** The character test of a literal code unit, optionally ignoring case as `/…/i` does (without `u`). */
export function literal(code: number, ignoreCase = false): CharTest {
  if (!ignoreCase) return (c) => c === code;
  const folded = canonicalize(code);
  return (c) => c === code || canonicalize(c) === folded;
}

/** ECMAScript's Canonicalize for a case-insensitive, non-unicode regular expression. */
function canonicalize(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const result = upper.charCodeAt(0);
  if (code >= 128 && result < 128) return code;
  return result;
}
