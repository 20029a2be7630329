/**
 * Simple name globs: `*` (any run of characters), `?` (one character); case-insensitive, whole name.
 * Every other character is literal. Matched in linear time (`glob-automaton.ts`): a policy or waiver
 * glob can never make the audit backtrack.
 */
import { anyCharacter, GlobAutomaton, GlobCache, literal, type GlobStep } from '../glob-automaton.js';

function compileNameGlob(glob: string): GlobAutomaton {
  const steps: GlobStep[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') steps.push({ test: anyCharacter, repeat: 'any' });
    else if (char === '?') steps.push({ test: anyCharacter, repeat: 'one' });
    else steps.push({ test: literal(glob.charCodeAt(i), true), repeat: 'one' });
  }
  return new GlobAutomaton(steps);
}

const compiled = new GlobCache(compileNameGlob);

export function matchesGlob(name: string, glob: string): boolean {
  return compiled.get(glob).matches(name);
}

export function isGlob(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
