/**
 * The facts store: what an earlier audit read about each repository (its `RepoSnapshot`, never its
 * outcomes), so a nightly audit reads from GitHub only what changed and evaluates the rest from these
 * facts, under today's policy and clock.
 *
 * `FactsStore` is the interface; `FileFactsStore` keeps one organization's facts in a directory (the
 * command line's `--state-dir`, the tests, and the working copy behind the Actions cache adapter):
 *
 *   ORG.facts.ndjson   one line per repository: STAMP-JSON, a tab, FACTS-JSON (JSON never holds a raw tab)
 *   ORG.facts.json     { format, factsVersion, organization, writtenAt, lastFullAuditAt, repositories,
 *                        bytes, sha256 } — written last, so a half-written store never validates
 *
 * Loading streams the lines once (checksum and index of stamps, offsets and lengths; the facts are not
 * parsed) and reads a repository's facts from disk when asked: memory is the index, not the facts.
 * A missing, corrupt or other-version store is a `notice` and a full read, never a failed audit.
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { RepoSnapshot } from '../snapshot.js';
import { FACTS_VERSION } from './version.js';

/** What tells whether a repository changed since its facts were read (from the listing or the read). */
export interface FactsStamp {
  /** GitHub's node id: stable across renames. */
  id: string;
  pushedAt: string | null;
  /** The default branch's head commit. */
  headOid: string | null;
  /** Tag of GitHub's latest release (a release published from an existing tag changes no push). */
  latestRelease: string | null;
}

export function sameStamp(a: FactsStamp, b: FactsStamp): boolean {
  return (
    a.id === b.id &&
    a.pushedAt === b.pushedAt &&
    a.headOid === b.headOid &&
    a.latestRelease === b.latestRelease
  );
}

/** The facts of an earlier audit, opened for reading. */
export interface CachedFacts {
  readonly repositories: number;
  /** When the last complete full read was (ISO-8601), null when unknown. */
  readonly lastFullAuditAt: string | null;
  readonly writtenAt: string | null;
  stamp(id: string): FactsStamp | undefined;
  /** The stored snapshot; null when its entry cannot be read (then the repository is read again). */
  facts(id: string): RepoSnapshot | null;
  close(): void;
}

/** The facts of this audit, written as repositories are collected. */
export interface FactsWriter {
  /** Facts read from GitHub in this audit. */
  put(stamp: FactsStamp, snapshot: RepoSnapshot): void;
  /** Facts reused from the earlier audit (copied as stored). */
  keep(id: string): void;
  /** Makes the new facts the store's; `fullRead`: this audit read every repository from GitHub. */
  commit(outcome: { now: Date; fullRead: boolean }): Promise<void>;
  /** Drops what was written (the store keeps its earlier facts). */
  abort(): Promise<void>;
}

export type LoadedFacts = { cache: CachedFacts; notice: null } | { cache: null; notice: string };

export interface FactsStore {
  /** Where the facts live, for messages. */
  readonly description: string;
  /** Never throws: a missing or unusable store is a notice. */
  load(organization: string): Promise<LoadedFacts>;
  /** Starts the facts of this audit; `previous` (the loaded facts, if any) backs `keep`. */
  begin(organization: string, previous: CachedFacts | null): Promise<FactsWriter>;
}

const FORMAT = 'tier-audit-facts';

interface Meta {
  format: string;
  factsVersion: number;
  organization: string;
  writtenAt: string;
  lastFullAuditAt: string | null;
  repositories: number;
  bytes: number;
  sha256: string;
}

interface IndexEntry {
  stamp: FactsStamp;
  /** Byte offset of the facts JSON and its length. */
  offset: number;
  length: number;
  /** Offset and length of the whole line (for `keep`). */
  lineOffset: number;
  lineLength: number;
}

/** A file name for an organization login (logins are [A-Za-z0-9-]; anything else is replaced). */
export function factsFileBase(organization: string): string {
  return `${organization.toLowerCase().replace(/[^a-z0-9._-]/g, '_')}.facts`;
}

function isStamp(value: unknown): value is FactsStamp {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const optionalString = (x: unknown) => x === null || typeof x === 'string';
  return (
    typeof v.id === 'string' &&
    optionalString(v.pushedAt) &&
    optionalString(v.headOid) &&
    optionalString(v.latestRelease)
  );
}

function isMeta(value: unknown): value is Meta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.format === FORMAT &&
    typeof v.factsVersion === 'number' &&
    typeof v.organization === 'string' &&
    typeof v.writtenAt === 'string' &&
    (v.lastFullAuditAt === null || typeof v.lastFullAuditAt === 'string') &&
    typeof v.repositories === 'number' &&
    typeof v.bytes === 'number' &&
    typeof v.sha256 === 'string'
  );
}

function looksLikeSnapshot(value: unknown): value is RepoSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    typeof v.nameWithOwner === 'string' &&
    typeof v.files === 'object' &&
    v.files !== null &&
    Array.isArray(v.problems) &&
    Array.isArray(v.tags) &&
    Array.isArray(v.releases)
  );
}

class FileCachedFacts implements CachedFacts {
  constructor(
    private readonly fd: number,
    private readonly index: Map<string, IndexEntry>,
    private readonly meta: Meta,
  ) {}

  get repositories(): number {
    return this.index.size;
  }
  get lastFullAuditAt(): string | null {
    return this.meta.lastFullAuditAt;
  }
  get writtenAt(): string | null {
    return this.meta.writtenAt;
  }

  stamp(id: string): FactsStamp | undefined {
    return this.index.get(id)?.stamp;
  }

  facts(id: string): RepoSnapshot | null {
    const entry = this.index.get(id);
    if (!entry) return null;
    try {
      const parsed: unknown = JSON.parse(this.bytes(entry.offset, entry.length).toString('utf8'));
      return looksLikeSnapshot(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  /** The stored line of `id` (newline included), for copying into the next store. */
  line(id: string): Buffer | null {
    const entry = this.index.get(id);
    return entry ? this.bytes(entry.lineOffset, entry.lineLength) : null;
  }

  private bytes(offset: number, length: number): Buffer {
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd, buffer, read, length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  }

  close(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}

/** Facts in a directory (see the file comment). */
export class FileFactsStore implements FactsStore {
  readonly description: string;

  constructor(private readonly dir: string) {
    this.description = `the facts store in ${dir}`;
  }

  private paths(organization: string): { data: string; meta: string } {
    const base = path.join(this.dir, factsFileBase(organization));
    return { data: `${base}.ndjson`, meta: `${base}.json` };
  }

  async load(organization: string): Promise<LoadedFacts> {
    const { data, meta: metaPath } = this.paths(organization);
    const unusable = (why: string): LoadedFacts => ({
      cache: null,
      notice: `${this.description} ${why}: every repository is read from GitHub`,
    });
    let metaText: string;
    try {
      metaText = await fs.readFile(metaPath, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return unusable(
        code === 'ENOENT'
          ? `holds no facts for ${organization} yet`
          : `could not be read (${code ?? (error as Error).message})`,
      );
    }
    let meta: unknown;
    try {
      meta = JSON.parse(metaText);
    } catch {
      return unusable(`is corrupt (${path.basename(metaPath)} is not JSON)`);
    }
    if (!isMeta(meta)) return unusable(`is corrupt (${path.basename(metaPath)} is not a facts description)`);
    if (meta.factsVersion !== FACTS_VERSION) {
      return unusable(
        `holds facts of version ${meta.factsVersion}, this version of tier-audit reads version ${FACTS_VERSION}`,
      );
    }
    if (meta.organization.toLowerCase() !== organization.toLowerCase()) {
      return unusable(`holds the facts of ${meta.organization}, not ${organization}`);
    }
    let fd: number;
    try {
      fd = openSync(data, 'r');
    } catch (error) {
      return unusable(
        `is corrupt (${path.basename(data)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      );
    }
    try {
      const index = await indexFacts(fd);
      if (index.bytes !== meta.bytes || index.sha256 !== meta.sha256) {
        closeSync(fd);
        return unusable(`is corrupt (${path.basename(data)} does not match its checksum)`);
      }
      if (index.problem || index.entries.size !== meta.repositories) {
        closeSync(fd);
        return unusable(
          `is corrupt (${index.problem ?? `${index.entries.size} entries, ${meta.repositories} expected`})`,
        );
      }
      return { cache: new FileCachedFacts(fd, index.entries, meta), notice: null };
    } catch (error) {
      closeSync(fd);
      return unusable(`could not be read (${(error as Error).message})`);
    }
  }

  async begin(organization: string, previous: CachedFacts | null): Promise<FactsWriter> {
    await fs.mkdir(this.dir, { recursive: true });
    const { data, meta } = this.paths(organization);
    const temporary = `${data}.${process.pid}.tmp`;
    return new FileFactsWriter(organization, temporary, data, meta, previous);
  }
}

/** One pass over the data file: checksum, and the index of stamps (facts are not parsed). */
async function indexFacts(
  fd: number,
): Promise<{ entries: Map<string, IndexEntry>; bytes: number; sha256: string; problem: string | null }> {
  const hash = createHash('sha256');
  const entries = new Map<string, IndexEntry>();
  const chunk = Buffer.alloc(1 << 20);
  let carry = Buffer.alloc(0);
  let position = 0;
  let problem: string | null = null;
  let lineNumber = 0;
  const handleLine = (line: Buffer, lineOffset: number) => {
    lineNumber++;
    if (problem) return;
    const tab = line.indexOf(9);
    if (tab < 0) {
      problem = `line ${lineNumber} has no facts`;
      return;
    }
    let stamp: unknown;
    try {
      stamp = JSON.parse(line.subarray(0, tab).toString('utf8'));
    } catch {
      problem = `line ${lineNumber} is not JSON`;
      return;
    }
    if (!isStamp(stamp)) {
      problem = `line ${lineNumber} has no stamp`;
      return;
    }
    entries.set(stamp.id, {
      stamp: {
        id: stamp.id,
        pushedAt: stamp.pushedAt,
        headOid: stamp.headOid,
        latestRelease: stamp.latestRelease,
      },
      offset: lineOffset + tab + 1,
      length: line.length - tab - 1,
      lineOffset,
      lineLength: line.length + 1,
    });
  };
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) break;
    const piece = chunk.subarray(0, n);
    hash.update(piece);
    const buffer = carry.length > 0 ? Buffer.concat([carry, piece]) : piece;
    const bufferStart = position - carry.length;
    let start = 0;
    for (let newline = buffer.indexOf(10, start); newline >= 0; newline = buffer.indexOf(10, start)) {
      handleLine(buffer.subarray(start, newline), bufferStart + start);
      start = newline + 1;
    }
    carry = Buffer.from(buffer.subarray(start));
    position += n;
    // Let the event loop breathe on large stores.
    if (lineNumber % 2000 === 0) await Promise.resolve();
  }
  if (carry.length > 0 && !problem) problem = 'the last line is incomplete';
  return { entries, bytes: position, sha256: hash.digest('hex'), problem };
}

/** Stored facts never carry what is read every run or what would make them wrong later. */
function storable(snapshot: RepoSnapshot): RepoSnapshot {
  // Custom properties are read every audit. Extra reads (branch protection, issues) are facts like the
  // rest: reused until the repository is pushed or the next full read (full-audit-days); one that
  // failed is not stored, so the next audit tries it again.
  const stored: RepoSnapshot = { ...snapshot, customProperties: {} };
  if (stored.branchProtection?.state !== 'read') delete stored.branchProtection;
  if (stored.issueResponses?.state !== 'read') delete stored.issueResponses;
  return stored;
}

class FileFactsWriter implements FactsWriter {
  private fd: number | null = null;
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private readonly written = new Set<string>();
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private failed: string | null = null;

  constructor(
    private readonly organization: string,
    private readonly temporary: string,
    private readonly data: string,
    private readonly metaPath: string,
    private readonly previous: CachedFacts | null,
  ) {}

  private append(line: Buffer): void {
    if (this.failed) return;
    this.hash.update(line);
    this.bytes += line.length;
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.failed || this.pending.length === 0) return;
    try {
      this.fd ??= openSync(this.temporary, 'w');
      const buffer = Buffer.concat(this.pending);
      let offset = 0;
      while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    } catch (error) {
      this.failed = (error as Error).message;
    }
    this.pending = [];
    this.pendingBytes = 0;
  }

  put(stamp: FactsStamp, snapshot: RepoSnapshot): void {
    if (this.written.has(stamp.id)) return;
    this.written.add(stamp.id);
    const stampJson = JSON.stringify({
      id: stamp.id,
      pushedAt: stamp.pushedAt,
      headOid: stamp.headOid,
      latestRelease: stamp.latestRelease,
    });
    this.append(Buffer.from(`${stampJson}\t${JSON.stringify(storable(snapshot))}\n`, 'utf8'));
  }

  keep(id: string): void {
    if (this.written.has(id) || !(this.previous instanceof FileCachedFacts)) return;
    const line = this.previous.line(id);
    if (!line) return;
    this.written.add(id);
    this.append(line);
  }

  async commit(outcome: { now: Date; fullRead: boolean }): Promise<void> {
    this.flush();
    if (this.failed) {
      await this.abort();
      throw new Error(`the facts could not be written: ${this.failed}`);
    }
    this.fd ??= openSync(this.temporary, 'w');
    closeSync(this.fd);
    this.fd = null;
    const meta: Meta = {
      format: FORMAT,
      factsVersion: FACTS_VERSION,
      organization: this.organization,
      writtenAt: outcome.now.toISOString(),
      lastFullAuditAt: outcome.fullRead
        ? outcome.now.toISOString()
        : (this.previous?.lastFullAuditAt ?? null),
      repositories: this.written.size,
      bytes: this.bytes,
      sha256: this.hash.digest('hex'),
    };
    // The old description goes first: between the two renames the store is "corrupt" (a full read), never
    // a new data file described by an old description.
    await fs.rm(this.metaPath, { force: true });
    await fs.rename(this.temporary, this.data);
    await fs.writeFile(this.metaPath, `${JSON.stringify(meta, null, 2)}\n`);
  }

  async abort(): Promise<void> {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // ignore
      }
      this.fd = null;
    }
    await fs.rm(this.temporary, { force: true });
  }
}
