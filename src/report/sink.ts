/**
 * Where each repository's report goes once it is evaluated, so the audit's memory stays flat however large
 * the organization:
 *
 * - `compactRepository` keeps what the tracking issue, the job summary, the badges and `fail-on` read (the
 *   failures they show, waivers, a deprecated repository's notice, the registry scope), each distinct value
 *   once (`RecordPool`), and drops the rest (passing and not-applicable findings, failures of tiers far
 *   above the achieved one, the declarations, other registry fields);
 * - `JsonReportFile` streams each repository's full JSON to a spool file beside the report as it comes, and
 *   writes the report (schema version 1) at the end, byte for byte what `JSON.stringify(report, null, 2)`
 *   of the whole report would give, repositories in the report's order: the full report is never held in
 *   memory, nor its JSON string.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RegistryFieldValue } from '../config/types.js';
import type { AuditReport, Finding, RepositoryReport } from './model.js';

/** Keeps every repository's full report (tests, and the command line without `--json`). */
export interface RepositorySink {
  /** Takes a repository's finished report; returns the record the audit keeps in its place. */
  accept(report: RepositoryReport): RepositoryReport;
}

export const KEEP_FULL_REPORTS: RepositorySink = { accept: (report) => report };

/**
 * Whether a renderer reads this finding (src/report/sections.ts, state.ts): a waiver; the deprecation
 * notice; a required-level failure or error of a declaration, of the declared tier (`required`) or of a tier
 * up to the one above the achieved tier (what is missing for the next tier); a recommended failure at the
 * declared tier or below (advice). `rank` gives a tier's place in the policy (lowest 0; -1 for none).
 */
function readByRenderers(
  finding: Finding,
  repository: RepositoryReport,
  rank: (tier: string | null) => number,
): boolean {
  if (finding.outcome === 'waived' || finding.id === 'deprecation-notice') return true;
  if (finding.outcome !== 'fail' && finding.outcome !== 'error') return false;
  if (finding.level === 'recommended') {
    return finding.outcome === 'fail' && rank(finding.tier) <= rank(repository.declaredTier);
  }
  return (
    finding.required !== false ||
    finding.tier === 'declaration' ||
    rank(finding.tier) <= rank(repository.achievedTier) + 1
  );
}

/**
 * Values kept once however many records hold them: across repositories most findings are identical
 * (the same check failing the same way: 9,100 distinct among 77,600 kept on a generated organization of
 * 20,000 repositories), and so are remediations, approver lists and registry scopes. Shared values are
 * frozen: nothing may change one repository's finding through another's.
 */
export class RecordPool {
  private readonly strings = new Map<string, string>();
  private readonly values = new Map<string, unknown>();

  intern<T extends string | undefined | null>(value: T): T {
    if (typeof value !== 'string') return value;
    const known = this.strings.get(value);
    if (known !== undefined) return known as T;
    this.strings.set(value, value);
    return value;
  }

  /** The pooled copy of `value` (compared by its JSON), its strings interned. */
  share<T extends object>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.values.get(key);
    if (known !== undefined) return known as T;
    const copy = this.internDeep(value) as T;
    this.values.set(key, copy);
    return copy;
  }

  private internDeep(value: unknown): unknown {
    if (typeof value === 'string') return this.intern(value);
    if (Array.isArray(value)) return Object.freeze(value.map((item) => this.internDeep(item)));
    if (typeof value === 'object' && value !== null) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = this.internDeep(item);
      return Object.freeze(copy);
    }
    return value;
  }
}

/**
 * The compact record of a repository: its report with only the findings the issue, the job summary, the
 * badges and `fail-on` read (`readByRenderers`), pooled (`RecordPool`); its registry entry reduced to the
 * `scope` they show; its description only when it is undeclared (the only place it is shown); without
 * `declarations`. `tiers`: the policy's tier ids, lowest first. The full report is in the JSON file.
 *
 * Every record is one object literal with every key, in one order (absent ones `undefined`), so V8 gives
 * them all one hidden class: built by rest and spread, each record had a class of its own, which cost more
 * than the record itself.
 */
export function compactRepository(
  report: RepositoryReport,
  tiers: readonly string[],
  pool: RecordPool = new RecordPool(),
): RepositoryReport {
  const rank = (tier: string | null) => {
    if (tier === null) return -1;
    const index = tiers.indexOf(tier);
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  const registry = report.registry;
  // Every key of the report, optional ones included: a key added to the report must be decided here.
  const record: RepositoryReport = {
    nameWithOwner: report.nameWithOwner,
    name: report.name,
    url: report.url,
    description: report.status === 'undeclared' ? report.description : null,
    archived: report.archived,
    fork: report.fork,
    private: report.private,
    declaredTier: report.declaredTier,
    declaredAs: pool.intern(report.declaredAs),
    declarationSource: report.declarationSource,
    declarations: undefined,
    achievedTier: report.achievedTier,
    noTierReason: pool.intern(report.noTierReason),
    status: report.status,
    checks: report.checks
      .filter((finding) => readByRenderers(finding, report, rank))
      .map((finding) => pool.share(finding)),
    skipReason: pool.intern(report.skipReason),
    error: pool.intern(report.error),
    registry:
      registry === undefined
        ? undefined
        : pool.share<Record<string, RegistryFieldValue>>(
            registry.scope === undefined ? {} : { scope: registry.scope },
          ),
    defaultBranch: pool.intern(report.defaultBranch),
    approvers: report.approvers === undefined ? undefined : pool.share(report.approvers),
  } satisfies Record<keyof RepositoryReport, unknown>;
  return record;
}

/** Bytes buffered before a write to disk. */
const CHUNK = 1 << 20;

/** `JSON.stringify(value, null, 2)` as it appears nested `depth` levels deep (JSON strings hold no raw newline). */
function nestedJson(value: unknown, depth: number): string {
  const pad = ' '.repeat(depth * 2);
  return pad + JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`);
}

/** The key of the repositories in the report's JSON: a top-level key, two spaces in, on a line of its own. */
const REPOSITORIES_KEY = '\n  "repositories": []';

/**
 * The JSON report, written repository by repository (see the file comment). `redact` is applied to every
 * piece of text written (the token must never reach the file).
 */
export class JsonReportFile implements RepositorySink {
  private readonly spoolPath: string;
  private spool: number | null = null;
  private spoolBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Where each kept record's JSON lies in the spool: its index in `offsets` and `lengths`. */
  private readonly located = new Map<RepositoryReport, number>();
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];

  private readonly pool = new RecordPool();

  /** `tiers`: the policy's tier ids, lowest first (for `compactRepository`). */
  constructor(
    readonly path: string,
    private readonly tiers: readonly string[],
    private readonly redact: (text: string) => string = (text) => text,
  ) {
    this.spoolPath = `${path}.${process.pid}.repositories.tmp`;
  }

  accept(report: RepositoryReport): RepositoryReport {
    const bytes = Buffer.from(this.redact(nestedJson(report, 2)), 'utf8');
    const record = compactRepository(report, this.tiers, this.pool);
    this.located.set(record, this.offsets.length);
    this.offsets.push(this.spoolBytes + this.pendingBytes);
    this.lengths.push(bytes.length);
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= CHUNK) this.flush();
    return record;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    if (this.spool === null) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.spool = openSync(this.spoolPath, 'w+');
    }
    const buffer = Buffer.concat(this.pending);
    let written = 0;
    while (written < buffer.length)
      written += writeSync(this.spool, buffer, written, buffer.length - written);
    this.spoolBytes += buffer.length;
    this.pending = [];
    this.pendingBytes = 0;
  }

  /**
   * Writes the report: `report.repositories` are the records `accept` returned, in the report's order; each
   * is replaced by its full JSON. The file appears complete or not at all (written aside, then renamed).
   */
  write(report: AuditReport): void {
    this.flush();
    const outline = this.redact(JSON.stringify({ ...report, repositories: [] }, null, 2));
    const at = outline.indexOf(REPOSITORIES_KEY);
    if (at < 0) throw new Error('the report has no repositories key');
    const head = outline.slice(0, at + REPOSITORIES_KEY.length - 1);
    const tail = outline.slice(at + REPOSITORIES_KEY.length - 1);
    const temporary = `${this.path}.${process.pid}.tmp`;
    mkdirSync(dirname(this.path), { recursive: true });
    const out = openSync(temporary, 'w');
    try {
      let buffer = Buffer.alloc(CHUNK);
      let used = 0;
      const drain = () => {
        let written = 0;
        while (written < used) written += writeSync(out, buffer, written, used - written);
        used = 0;
      };
      const put = (bytes: Buffer) => {
        if (used + bytes.length > buffer.length) drain();
        if (bytes.length > buffer.length) {
          let written = 0;
          while (written < bytes.length) written += writeSync(out, bytes, written, bytes.length - written);
          return;
        }
        bytes.copy(buffer, used);
        used += bytes.length;
      };
      const repositories = report.repositories;
      put(Buffer.from(head, 'utf8'));
      repositories.forEach((record, i) => {
        const index = this.located.get(record);
        if (index === undefined) throw new Error(`no JSON was recorded for ${record.nameWithOwner}`);
        const where = { offset: this.offsets[index], length: this.lengths[index] };
        put(Buffer.from(i === 0 ? '\n' : ',\n', 'utf8'));
        if (used + where.length > buffer.length) drain();
        if (where.length > buffer.length) buffer = Buffer.alloc(where.length);
        let read = 0;
        while (read < where.length) {
          const n = readSync(this.spool!, buffer, used + read, where.length - read, where.offset + read);
          if (n === 0) throw new Error('the spooled report ended early');
          read += n;
        }
        used += where.length;
      });
      if (repositories.length > 0) put(Buffer.from('\n  ', 'utf8'));
      put(Buffer.from(`${tail}\n`, 'utf8'));
      drain();
    } catch (error) {
      closeSync(out);
      rmSync(temporary, { force: true });
      throw error;
    }
    closeSync(out);
    renameSync(temporary, this.path);
  }

  /** Removes the spool (after `write`, or when the audit ends without a report). */
  close(): void {
    if (this.spool !== null) {
      try {
        closeSync(this.spool);
      } catch {
        // already closed
      }
      this.spool = null;
    }
    this.pending = [];
    this.pendingBytes = 0;
    rmSync(this.spoolPath, { force: true });
  }
}
