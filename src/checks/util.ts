/** Small helpers shared by the checks: results, parameters, dates, read problems. */
import type { ReadProblem, RepoSnapshot } from '../snapshot.js';
import type { CheckParams, CheckResult, Evidence } from './types.js';

export function pass(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'pass', message, evidence };
}

export function fail(message: string, remediation: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'fail', message, remediation, evidence };
}

export function notApplicable(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'not-applicable', message, evidence };
}

export function error(message: string, evidence: Evidence[] = []): CheckResult {
  return { outcome: 'error', message, evidence };
}

/** `2026-02-01` for an ISO date (UTC); the raw text when it does not parse. */
export function isoDay(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 10);
}

export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const DAY_MS = 86_400_000;

/** `now` minus `days` days (the oldest instant still inside the window). */
export function cutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}

/**
 * Read problems that concern any of `parts` (exact part names, compared case-insensitively) or a
 * path under one of `pathPrefixes` (e.g. `.github/workflows/`).
 */
export function problemsFor(
  snapshot: RepoSnapshot,
  parts: string[],
  pathPrefixes: string[] = [],
): ReadProblem[] {
  const wanted = new Set(parts.map((p) => p.toLowerCase()));
  return snapshot.problems.filter((p) => {
    const part = p.part.toLowerCase();
    return wanted.has(part) || pathPrefixes.some((prefix) => part.startsWith(prefix.toLowerCase()));
  });
}

/** "could not read tree (timeout); could not read OWNERS (…)" */
export function describeProblems(problems: ReadProblem[]): string {
  return problems.map((p) => `could not read ${p.part} (${p.message})`).join('; ');
}

/** Plain-text list for messages: `a, b and 3 more`. */
export function listText(items: string[], max = 5): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

// ---------------------------------------------------------------- parameters

/** Defaults merged with the given parameters (the evaluator may already have merged them). */
export function withDefaults(defaults: CheckParams, params: CheckParams | undefined): CheckParams {
  return { ...defaults, ...(params ?? {}) };
}

export function numberParam(params: CheckParams, name: string, fallback: number): number {
  const v = params[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function booleanParam(params: CheckParams, name: string, fallback: boolean): boolean {
  const v = params[name];
  return typeof v === 'boolean' ? v : fallback;
}

export function stringListParam(params: CheckParams, name: string): string[] {
  const v = params[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
