/**
 * The state of the last audit, stored in the tracking issue itself (no other storage): a compact, versioned,
 * hidden block `<!-- tier-audit:state v1 HASH k/n PAYLOAD -->` where PAYLOAD is base64(brotli(JSON)).
 * Brotli (quality 11, built into node:zlib) rather than gzip: about 30% smaller on 5,000 repositories
 * (25 kB instead of 35 kB of base64), which keeps the whole state in the issue body up to ~4,000 repositories.
 * Large organizations split the payload into n chunks (chunk 1 in the body, the rest in continuation
 * comments); HASH (of the whole payload) ties the chunks of one write together, so a partial write is
 * detected instead of decoded wrongly.
 *
 * The state holds only findings (no time, no run id), so an unchanged rerun produces the same blocks.
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, constants as zlibConstants } from 'node:zlib';
import type { AuditReport, RepositoryStatus } from './model.js';
import { headlineCounts } from './summary.js';

export interface RepoState {
  status: RepositoryStatus;
  declared: string | null;
  achieved: string | null;
  /** Ids of the required checks that fail (outcome `fail`, waivers applied), sorted. */
  failing: string[];
  /**
   * When each failing check was first seen failing (`YYYY-MM-DD`), by check id; null when it was already
   * failing when the state began (its baseline): "failing since before <baseline>".
   */
  since: Record<string, string | null>;
  /**
   * This audit could not evaluate the repository (rate limit, unreadable, error): its findings are the
   * previous audit's, carried forward, so that they are neither fixed nor newly failing.
   */
  carried?: boolean;
}

/** Counts of one audit, for the trend. */
export interface HistoryEntry {
  /** ISO time of the audit, to the minute (`2026-08-21T06:00Z`). */
  at: string;
  compliant: number;
  nonCompliant: number;
  undeclared: number;
  deprecated: number;
  skipped: number;
  errored: number;
}

/** Audits kept in the history (the trend chart). */
export const HISTORY_LENGTH = 90;

export interface PreviousState {
  version: 2;
  organization: string;
  /** Date (`YYYY-MM-DD`) of the first audit this state remembers: findings older than it are "since before". */
  baseline: string;
  /** By repository name (inside the organization). */
  repositories: Record<string, RepoState>;
  /** The last audits, oldest first (at most HISTORY_LENGTH), this one included. */
  history: HistoryEntry[];
}

export interface CheckChange {
  repository: string;
  check: string;
  /** The repository's declared tier now (new failures) or before (fixed ones). */
  declaredTier: string | null;
}

export interface TierChange {
  repository: string;
  from: string | null;
  to: string | null;
}

export interface Changes {
  /** No previous state could be read: nothing is "new" (first audit, or the state was lost). */
  firstAudit: boolean;
  /** Requirements that fail now and did not before (in declared repositories, new repositories included). */
  newFailures: CheckChange[];
  /** Requirements that failed before and no longer fail (or whose repository is gone). */
  fixed: CheckChange[];
  declaredTierChanges: TierChange[];
  achievedTierChanges: TierChange[];
  added: string[];
  removed: string[];
}

const STATUS_CODES: Record<RepositoryStatus, string> = {
  compliant: 'c',
  'non-compliant': 'n',
  undeclared: 'u',
  skipped: 's',
  error: 'e',
};
const STATUS_BY_CODE = new Map(
  Object.entries(STATUS_CODES).map(([status, c]) => [c, status as RepositoryStatus]),
);

/** `YYYY-MM-DD` of an ISO time. */
export function dayOf(iso: string): string {
  return iso.slice(0, 10);
}

/** Required checks that fail, as the state records them (advice and informational findings excluded). */
function failingChecks(repository: AuditReport['repositories'][number]): string[] {
  return [
    ...new Set(
      repository.checks
        .filter((c) => c.outcome === 'fail' && c.required !== false && c.level !== 'recommended')
        .map((c) => c.id),
    ),
  ].sort(compare);
}

/** Required checks that could not be checked this time. */
function erroredChecks(repository: AuditReport['repositories'][number]): Set<string> {
  return new Set(
    repository.checks
      .filter((c) => c.outcome === 'error' && c.required !== false && c.level !== 'recommended')
      .map((c) => c.id),
  );
}

/**
 * The state this audit leaves: findings per repository with the date each was first seen, the history of
 * counts. A repository that could not be evaluated keeps its previous findings (`carried`), and a check
 * that could not be checked keeps its previous failure: neither is fixed nor newly failing.
 */
export function stateFromReport(report: AuditReport, previous: PreviousState | null = null): PreviousState {
  const today = dayOf(report.generatedAt);
  const repositories: Record<string, RepoState> = {};
  const before = (name: string) =>
    previous && Object.hasOwn(previous.repositories, name) ? previous.repositories[name] : undefined;
  for (const repository of [...report.repositories].sort((a, b) => compare(a.name, b.name))) {
    const old = before(repository.name);
    if (repository.status === 'error' && old) {
      repositories[repository.name] = { ...old, status: 'error', carried: true };
      continue;
    }
    const failing = new Set(failingChecks(repository));
    if (old)
      for (const check of erroredChecks(repository)) if (old.failing.includes(check)) failing.add(check);
    const since: Record<string, string | null> = {};
    const sorted = [...failing].sort(compare);
    for (const check of sorted) {
      if (old && old.failing.includes(check)) since[check] = old.since[check] ?? null;
      else since[check] = previous ? today : null;
    }
    repositories[repository.name] = {
      status: repository.status,
      declared: repository.declaredTier,
      achieved: repository.achievedTier,
      failing: sorted,
      since,
    };
  }
  const counts = headlineCounts(report.repositories);
  const entry: HistoryEntry = {
    at: `${report.generatedAt.slice(0, 16)}Z`,
    compliant: counts.compliant,
    nonCompliant: counts.nonCompliant,
    undeclared: counts.undeclared,
    deprecated: counts.deprecated,
    skipped: counts.skipped,
    errored: counts.errored,
  };
  const history = [...(previous?.history ?? []).filter((h) => h.at < entry.at), entry].slice(-HISTORY_LENGTH);
  return {
    version: 2,
    organization: report.organization,
    baseline: previous?.baseline ?? today,
    repositories,
    history,
  };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function computeChanges(previous: PreviousState | null, current: PreviousState): Changes {
  const changes: Changes = {
    firstAudit: previous === null,
    newFailures: [],
    fixed: [],
    declaredTierChanges: [],
    achievedTierChanges: [],
    added: [],
    removed: [],
  };
  if (!previous) return changes;
  const names = [
    ...new Set([...Object.keys(previous.repositories), ...Object.keys(current.repositories)]),
  ].sort(compare);
  for (const name of names) {
    const before = Object.hasOwn(previous.repositories, name) ? previous.repositories[name] : undefined;
    const after = Object.hasOwn(current.repositories, name) ? current.repositories[name] : undefined;
    if (!before && after) changes.added.push(name);
    if (before && !after) changes.removed.push(name);
    const failingBefore = new Set(before?.failing ?? []);
    const failingAfter = new Set(after?.failing ?? []);
    if (after?.declared) {
      for (const check of after.failing) {
        if (!failingBefore.has(check))
          changes.newFailures.push({ repository: name, check, declaredTier: after.declared });
      }
    }
    if (before) {
      for (const check of before.failing) {
        if (!failingAfter.has(check))
          changes.fixed.push({ repository: name, check, declaredTier: before.declared });
      }
    }
    if (before && after) {
      if (before.declared !== after.declared) {
        changes.declaredTierChanges.push({ repository: name, from: before.declared, to: after.declared });
      }
      if (before.achieved !== after.achieved) {
        changes.achievedTierChanges.push({ repository: name, from: before.achieved, to: after.achieved });
      }
    }
  }
  return changes;
}

export function hasChanges(changes: Changes): boolean {
  return (
    changes.newFailures.length +
      changes.fixed.length +
      changes.declaredTierChanges.length +
      changes.achievedTierChanges.length +
      changes.added.length +
      changes.removed.length >
    0
  );
}

/**
 * Compact wire form (version 2): check ids, tier ids and dates interned into tables, statuses as one letter.
 * Version 1 (no dates) is still read: its findings are "since before" the first audit that reads it.
 */
interface WireStateV2 {
  v: 2;
  o: string;
  /** Baseline date. */
  b: string;
  t: string[];
  k: string[];
  /** Dates (`YYYY-MM-DD`). */
  d: string[];
  /** [name, status letter, declared index or -1, achieved index or -1, failing check indexes,
   *  first-seen date index per failing check (-1 = before the baseline), carried (1) or not (0)] */
  r: [string, string, number, number, number[], number[], number][];
}

function intern(table: string[], index: Map<string, number>, value: string | null): number {
  if (value === null) return -1;
  let at = index.get(value);
  if (at === undefined) {
    at = table.length;
    table.push(value);
    index.set(value, at);
  }
  return at;
}

const BROTLI = {
  params: {
    [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
    [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
  },
};

/**
 * Largest decompressed state accepted, in bytes. Measured (test/report/state.test.ts): 10,000 failing
 * repositories with 1–2 failing requirements each and distinct first-seen dates inflate to 0.45 MB of JSON
 * (23 kB of base64); every repository failing six requirements would be about 1.3 MB. 8 MB leaves six times
 * that. A forged block that inflates beyond it is refused at once, without
 * inflating the rest.
 */
export const MAX_STATE_BYTES = 8 * 1024 * 1024;
/** Most repositories a state may hold (entries beyond are refused as forged). */
export const MAX_STATE_REPOSITORIES = 200_000;
/** Most parts a state may be split into. */
export const MAX_STATE_PARTS = 64;

export function encodeStatePayload(state: PreviousState): string {
  const tiers: string[] = [];
  const tierIndex = new Map<string, number>();
  const checks: string[] = [];
  const checkIndex = new Map<string, number>();
  const dates: string[] = [];
  const dateIndex = new Map<string, number>();
  const wire: WireStateV2 = {
    v: 2,
    o: state.organization,
    b: state.baseline,
    t: tiers,
    k: checks,
    d: dates,
    r: [],
  };
  for (const name of Object.keys(state.repositories).sort(compare)) {
    const repo = state.repositories[name];
    wire.r.push([
      name,
      STATUS_CODES[repo.status],
      intern(tiers, tierIndex, repo.declared),
      intern(tiers, tierIndex, repo.achieved),
      repo.failing.map((check) => intern(checks, checkIndex, check)),
      repo.failing.map((check) => intern(dates, dateIndex, repo.since[check] ?? null)),
      repo.carried ? 1 : 0,
    ]);
  }
  return brotliCompressSync(Buffer.from(JSON.stringify(wire), 'utf8'), BROTLI).toString('base64');
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isIndex = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= -1;

/** Inflates a payload, refusing more than MAX_STATE_BYTES. */
function inflate(payload: string): string {
  try {
    return brotliDecompressSync(Buffer.from(payload, 'base64'), {
      maxOutputLength: MAX_STATE_BYTES,
    }).toString('utf8');
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Error(
        `it inflates beyond ${MAX_STATE_BYTES / 1024 / 1024} MB (the state of a large organization is far smaller)`,
      );
    throw new Error('it is not a compressed state');
  }
}

/** Decodes a payload; throws with a reason when it is not a valid state (version 1 or 2). */
export function decodeStatePayload(payload: string, baselineForV1 = '1970-01-01'): PreviousState {
  let wire: unknown;
  try {
    wire = JSON.parse(inflate(payload));
  } catch (error) {
    if (error instanceof SyntaxError) throw new Error('it is not JSON');
    throw error;
  }
  if (!wire || typeof wire !== 'object' || Array.isArray(wire)) throw new Error('it is not a state object');
  const w = wire as Record<string, unknown>;
  if ((w.v !== 1 && w.v !== 2) || typeof w.o !== 'string' || !Array.isArray(w.t) || !Array.isArray(w.k))
    throw new Error('not a version 1 or 2 state');
  if (!Array.isArray(w.r)) throw new Error('state without repositories');
  if (w.r.length > MAX_STATE_REPOSITORIES)
    throw new Error(`more than ${MAX_STATE_REPOSITORIES} repositories`);
  const dates = w.v === 2 ? w.d : [];
  if (!Array.isArray(dates) || !dates.every((d) => typeof d === 'string' && DATE.test(d)))
    throw new Error('bad date table');
  if (w.v === 2 && (typeof w.b !== 'string' || !DATE.test(w.b))) throw new Error('bad baseline date');
  const tables = { t: w.t as unknown[], k: w.k as unknown[], d: dates as string[] };
  const lookup = (table: unknown[], index: unknown, what: string): string | null => {
    if (index === -1) return null;
    const value = isIndex(index) ? table[index] : undefined;
    if (typeof value !== 'string') throw new Error(`bad ${what} index ${String(index).slice(0, 20)}`);
    return value;
  };
  const repositories: Record<string, RepoState> = Object.create(null) as Record<string, RepoState>;
  for (const entry of w.r) {
    if (!Array.isArray(entry)) throw new Error('malformed repository entry');
    const [name, code, declared, achieved, failing, since, carried] = entry as unknown[];
    const status = typeof code === 'string' ? STATUS_BY_CODE.get(code) : undefined;
    if (
      typeof name !== 'string' ||
      name.length > 200 ||
      !status ||
      !Array.isArray(failing) ||
      failing.length > 1000
    )
      throw new Error('malformed repository entry');
    if (w.v === 2 && (!Array.isArray(since) || since.length !== failing.length))
      throw new Error('malformed repository entry');
    const checks = failing.map((index) => lookup(tables.k, index, 'check') ?? '');
    if (checks.some((check) => check === '')) throw new Error('bad check index');
    const firstSeen: Record<string, string | null> = {};
    checks.forEach((check, i) => {
      firstSeen[check] = w.v === 2 ? lookup(tables.d, (since as unknown[])[i], 'date') : null;
    });
    repositories[name] = {
      status,
      declared: lookup(tables.t, declared, 'tier'),
      achieved: lookup(tables.t, achieved, 'tier'),
      failing: checks,
      since: firstSeen,
      ...(carried === 1 ? { carried: true } : {}),
    };
  }
  return {
    version: 2,
    organization: w.o,
    baseline: w.v === 2 ? (w.b as string) : baselineForV1,
    repositories: { ...repositories },
    history: [],
  };
}

const STATE_BLOCK = /^<!-- tier-audit:state v(\d+) ([0-9a-f]{12}) (\d+)\/(\d+) ([A-Za-z0-9+/=]*) -->$/gm;
const HISTORY_BLOCK = /^<!-- tier-audit:history v1 ([A-Za-z0-9_-]{0,20000}) -->$/m;

/** The state as hidden blocks of at most `chunkChars` characters of payload each (at least one block). */
export function stateBlocks(state: PreviousState, chunkChars: number): string[] {
  const payload = encodeStatePayload(state);
  const hash = createHash('sha256').update(payload).digest('hex').slice(0, 12);
  const size = Math.max(1000, Math.floor(chunkChars));
  const chunks: string[] = [];
  for (let at = 0; at < payload.length; at += size) chunks.push(payload.slice(at, at + size));
  if (chunks.length === 0) chunks.push('');
  return chunks.map((chunk, i) => `<!-- tier-audit:state v2 ${hash} ${i + 1}/${chunks.length} ${chunk} -->`);
}

/**
 * The history of counts as a hidden block of the body (apart from the findings, which stay byte-identical
 * on an unchanged rerun, so that their chunks in comments need no write).
 */
export function historyBlock(history: readonly HistoryEntry[]): string {
  const rows = history.map((h) => [
    h.at,
    h.compliant,
    h.nonCompliant,
    h.undeclared,
    h.deprecated,
    h.skipped,
    h.errored,
  ]);
  return `<!-- tier-audit:history v1 ${Buffer.from(JSON.stringify(rows), 'utf8').toString('base64url')} -->`;
}

const HISTORY_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$/;

/** Reads the history block back; an invalid one is an empty history. */
export function readHistory(body: string): HistoryEntry[] {
  const match = HISTORY_BLOCK.exec(body);
  if (!match) return [];
  try {
    const rows: unknown = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8'));
    if (!Array.isArray(rows)) return [];
    const history: HistoryEntry[] = [];
    for (const row of rows.slice(-HISTORY_LENGTH)) {
      if (!Array.isArray(row) || row.length !== 7 || typeof row[0] !== 'string' || !HISTORY_AT.test(row[0]))
        return [];
      const counts = row.slice(1);
      if (!counts.every((n) => Number.isSafeInteger(n) && n >= 0)) return [];
      const [compliant, nonCompliant, undeclared, deprecated, skipped, errored] = counts as number[];
      history.push({ at: row[0], compliant, nonCompliant, undeclared, deprecated, skipped, errored });
    }
    return history;
  } catch {
    return [];
  }
}

/** Characters a state block adds around its payload chunk. */
export const STATE_BLOCK_OVERHEAD = '<!-- tier-audit:state v2 0123456789ab 999/999  -->'.length;

/**
 * Reads the state back from the issue body (which holds chunk 1 and names the hash, and the history) and the
 * texts of the comments the action owns. Returns the state, or null and why it could not be read: an invalid
 * state is treated as absent (the audit becomes a new baseline).
 */
export function readState(
  body: string,
  comments: readonly string[],
  options: { auditedAt?: string } = {},
): { state: PreviousState | null; problem: string | null } {
  const inBody = [...body.matchAll(STATE_BLOCK)];
  if (inBody.length === 0) return { state: null, problem: 'the issue holds no state block' };
  const first = inBody[0];
  const version = first[1];
  if (version !== '1' && version !== '2')
    return { state: null, problem: `state format v${version} is not supported` };
  const hash = first[2];
  const total = Number(first[4]);
  if (!Number.isSafeInteger(total) || total < 1 || total > MAX_STATE_PARTS)
    return { state: null, problem: `the state claims ${first[4].slice(0, 10)} parts` };
  const parts = new Map<number, string>();
  for (const source of [body, ...comments]) {
    for (const match of source.matchAll(STATE_BLOCK)) {
      if (match[1] === version && match[2] === hash && Number(match[4]) === total)
        parts.set(Number(match[3]), match[5]);
    }
  }
  let payload = '';
  for (let i = 1; i <= total; i++) {
    const part = parts.get(i);
    if (part === undefined) {
      return {
        state: null,
        problem: `state part ${i} of ${total} is missing (an earlier run was interrupted?)`,
      };
    }
    payload += part;
  }
  if (createHash('sha256').update(payload).digest('hex').slice(0, 12) !== hash) {
    return { state: null, problem: 'the state does not match its hash' };
  }
  try {
    const audited = dayOf(options.auditedAt ?? '');
    const state = decodeStatePayload(payload, DATE.test(audited) ? audited : '1970-01-01');
    state.history = readHistory(body);
    return { state, problem: null };
  } catch (error) {
    return {
      state: null,
      problem: `the state could not be decoded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
