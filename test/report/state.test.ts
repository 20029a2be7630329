import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import {
  computeChanges,
  decodeStatePayload,
  encodeStatePayload,
  hasChanges,
  historyBlock,
  MAX_STATE_BYTES,
  readHistory,
  readState,
  stateBlocks,
  stateFromReport,
  type PreviousState,
} from '../../src/report/state.js';
import {
  isTrackingIssueOf,
  issueMarker,
  parseIssueMarker,
  writtenByNewerRun,
} from '../../src/report/markers.js';
import { summarize } from '../../src/report/summary.js';
import { fail, largeReport, sampleReport, sampleRepositories } from './fixtures.js';

describe('state', () => {
  it('round-trips through the compact payload', () => {
    const state = stateFromReport(sampleReport());
    expect(decodeStatePayload(encodeStatePayload(state))).toEqual({ ...state, history: [] });
    expect(state.repositories.falcoctl).toEqual({
      status: 'non-compliant',
      declared: 'official',
      achieved: 'repository',
      failing: ['release-process'],
      since: { 'release-process': null },
    });
    // errors and waivers are not failures
    expect(state.repositories.charts.failing).toEqual(['code-of-conduct']);
    expect(state.repositories.libs.failing).toEqual([]);
  });

  it('stays small for 5,000 repositories and splits into chunks that read back', () => {
    const state = stateFromReport(largeReport(5000));
    const payload = encodeStatePayload(state);
    expect(payload.length).toBeLessThan(60_000);
    const blocks = stateBlocks(state, 8_000);
    expect(blocks.length).toBeGreaterThan(1);
    for (const block of blocks) expect(block.length).toBeLessThanOrEqual(8_000 + 60);
    const body = `intro\n${blocks[0]}\n`;
    const read = readState(
      body,
      blocks
        .slice(1)
        .map((b) => `<!-- tier-audit:continuation 9 -->\n${b}\n`)
        .reverse(),
    );
    expect(read.problem).toBeNull();
    expect(read.state).toEqual({ ...state, history: [] });
  });

  it('detects a missing or foreign chunk instead of decoding garbage', () => {
    const state = stateFromReport(largeReport(3000));
    const blocks = stateBlocks(state, 5_000);
    const other = stateBlocks(stateFromReport(largeReport(2999)), 5_000);
    const missing = readState(blocks[0], blocks.slice(2));
    expect(missing.state).toBeNull();
    expect(missing.problem).toMatch(/part 2 of/);
    // chunk 2 from another write (different hash) does not count
    const mixed = readState(blocks[0], [other[1], ...blocks.slice(2)]);
    expect(mixed.state).toBeNull();
    expect(readState('no state here', []).problem).toMatch(/no state block/);
    const corrupt = blocks[0].replace(/ 1\/(\d+) ([A-Za-z0-9+/]{10})/, ' 1/$1 AAAAAAAAAA');
    expect(readState(corrupt, blocks.slice(1)).state).toBeNull();
  });

  it('ignores a future state version', () => {
    const [block] = stateBlocks(stateFromReport(sampleReport()), 50_000);
    expect(readState(block.replace('state v2', 'state v3'), []).problem).toMatch(/v3 is not supported/);
  });

  it('refuses a forged 200-byte block that inflates to 60 MB, at once (#11 break 5)', () => {
    // brotli of {"v":1,"o":"falcosecurity","t":[],"k":[],"r":[["a","c",-1,-1,[]], … ×3,000,000]}: 60,000,052 bytes
    const bomb =
      'z///f6gEym2pX37D6lIdC0OwKAgiFsEhx98uCDk3T0RLjyKxPw83sXFGrb4ViItH5uS0oBAdNft59/+RKfD//x9+CYA4LADQvf/n//8//BIAcVgAoHv/nzOHk/iluvpKksMCgOx+kwQ=';
    const block = `<!-- tier-audit:state v1 b455591c6189 1/1 ${bomb} -->`;
    expect(block.length).toBeLessThan(575);
    const started = Date.now();
    const read = readState(
      `${issueMarker({ organization: 'falcosecurity', runId: null, at: 'x' })}\n${block}\n`,
      [],
    );
    expect(read.state).toBeNull();
    expect(read.problem).toMatch(/inflates beyond 8 MB/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('treats a malformed state as absent, whatever it holds', () => {
    const forged = (wire: unknown) => {
      const payload = brotliCompressSync(Buffer.from(JSON.stringify(wire))).toString('base64');
      const hash = createHash('sha256').update(payload).digest('hex').slice(0, 12);
      return readState(`<!-- tier-audit:state v2 ${hash} 1/1 ${payload} -->`, []);
    };
    const good = {
      v: 2,
      o: 'o',
      b: '2026-08-01',
      t: ['x'],
      k: ['c'],
      d: ['2026-08-02'],
      r: [['a', 'n', 0, -1, [0], [0], 0]],
    };
    expect(forged(good).state?.repositories.a).toEqual({
      status: 'non-compliant',
      declared: 'x',
      achieved: null,
      failing: ['c'],
      since: { c: '2026-08-02' },
    });
    for (const bad of [
      null,
      [],
      'text',
      { ...good, r: 'no' },
      { ...good, b: 'yesterday' },
      { ...good, d: [7] },
      { ...good, r: [['a', 'n', 0, -1, [5], [0], 0]] },
      { ...good, r: [['a', 'n', 0, -1, [0], [], 0]] },
      { ...good, r: [['a', 'zz', 0, -1, [0], [0], 0]] },
      { ...good, r: [['a', 'n', 1.5, -1, [0], [0], 0]] },
      { ...good, r: [['a', 'n', '__proto__', -1, [0], [0], 0]] },
    ]) {
      const read = forged(bad);
      expect(read.state).toBeNull();
      expect(read.problem).toMatch(/could not be decoded/);
    }
    expect(readState('<!-- tier-audit:state v2 0123456789ab 1/99999 AAAA -->', []).problem).toMatch(
      /claims 99999 parts/,
    );
  });

  it('measures the state of 10,000 failing repositories far below the cap', () => {
    const previous = stateFromReport(largeReport(10_000));
    // distinct first-seen dates: the worst case for compression
    Object.values(previous.repositories).forEach((repo, i) => {
      for (const check of repo.failing)
        repo.since[check] =
          `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    });
    const payload = encodeStatePayload(previous);
    const inflated = brotliDecompressSync(Buffer.from(payload, 'base64')).length;
    expect(inflated).toBeLessThan(MAX_STATE_BYTES / 4);
    expect(payload.length).toBeLessThan(120_000);
    expect(decodeStatePayload(payload)).toEqual({ ...previous, history: [] });
  });

  it('reads a version 1 state: its findings are "since before" the audit that wrote it', () => {
    const v1 = { v: 1, o: 'o', t: ['x'], k: ['c'], r: [['a', 'n', 0, -1, [0]]] };
    const payload = brotliCompressSync(Buffer.from(JSON.stringify(v1))).toString('base64');
    const hash = createHash('sha256').update(payload).digest('hex').slice(0, 12);
    const read = readState(`<!-- tier-audit:state v1 ${hash} 1/1 ${payload} -->`, [], {
      auditedAt: '2026-08-20T06:00:00.000Z',
    });
    expect(read.state?.baseline).toBe('2026-08-20');
    expect(read.state?.repositories.a.since).toEqual({ c: null });
  });
});

describe('first seen, carried findings and history', () => {
  const on = (day: number, report = sampleReport()) => ({
    ...report,
    generatedAt: new Date(Date.UTC(2026, 7, day, 6)).toISOString(),
  });

  it('keeps the date a finding was first seen; findings of the first audit are "since before" its date', () => {
    const first = stateFromReport(on(21));
    expect(first.baseline).toBe('2026-08-21');
    expect(first.repositories.falcoctl.since).toEqual({ 'release-process': null });
    const report = on(22);
    report.repositories = report.repositories.map((r) =>
      r.name === 'falco'
        ? { ...r, status: 'non-compliant', checks: [fail('security-policy', 'official', 'none', 'add')] }
        : r,
    );
    const second = stateFromReport(report, first);
    expect(second.repositories.falco.since).toEqual({ 'security-policy': '2026-08-22' });
    expect(second.repositories.falcoctl.since).toEqual({ 'release-process': null });
    const third = stateFromReport(on(23, report), second);
    expect(third.repositories.falco.since).toEqual({ 'security-policy': '2026-08-22' });
    expect(third.baseline).toBe('2026-08-21');
  });

  it('a repository not evaluated (rate limit) or in error keeps its findings: neither fixed nor newly failing', () => {
    const first = stateFromReport(on(21));
    const limited = on(22);
    limited.repositories = limited.repositories.map((r) =>
      r.name === 'deploy-kubernetes' || r.name === 'falcoctl'
        ? { ...r, status: 'error', achievedTier: null, checks: [], error: 'not evaluated (rate limit)' }
        : r,
    );
    const second = stateFromReport(limited, first);
    expect(second.repositories['deploy-kubernetes']).toMatchObject({
      status: 'error',
      carried: true,
      failing: first.repositories['deploy-kubernetes'].failing,
    });
    const during = computeChanges(first, second);
    expect(during.fixed).toEqual([]);
    const full = stateFromReport(on(23), second);
    const after = computeChanges(second, full);
    expect(after.newFailures).toEqual([]);
    expect(after.fixed).toEqual([]);
    expect(full.repositories['deploy-kubernetes'].since).toEqual(
      first.repositories['deploy-kubernetes'].since,
    );
  });

  it('a check that could not be checked keeps its previous failure', () => {
    const first = stateFromReport(on(21));
    const report = on(22);
    report.repositories = report.repositories.map((r) =>
      r.name === 'falcoctl'
        ? {
            ...r,
            checks: r.checks.map((c) =>
              c.id === 'release-process' ? { ...c, outcome: 'error' as const } : c,
            ),
          }
        : r,
    );
    const second = stateFromReport(report, first);
    expect(second.repositories.falcoctl.failing).toEqual(['release-process']);
    expect(computeChanges(first, second).fixed).toEqual([]);
  });

  it('keeps the counts of the last 90 audits in a body block', () => {
    let state = stateFromReport(on(1));
    for (let i = 1; i < 120; i++) {
      const report = {
        ...sampleReport(),
        generatedAt: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString(),
      };
      state = stateFromReport(report, state);
    }
    expect(state.history).toHaveLength(90);
    expect(state.history.at(-1)).toEqual({
      at: '2026-04-30T00:00Z',
      compliant: 5,
      nonCompliant: 6,
      undeclared: 2,
      deprecated: 0,
      skipped: 1,
      errored: 1,
    });
    expect(readHistory(`x\n${historyBlock(state.history)}\n`)).toEqual(state.history);
    expect(readHistory('<!-- tier-audit:history v1 bm90IGpzb24 -->')).toEqual([]);
  });
});

describe('changes', () => {
  const base = (): PreviousState => stateFromReport(sampleReport());

  it('reports nothing on the first audit and on an unchanged rerun', () => {
    const first = computeChanges(null, base());
    expect(first.firstAudit).toBe(true);
    expect(hasChanges(first)).toBe(false);
    const again = computeChanges(base(), base());
    expect(again.firstAudit).toBe(false);
    expect(hasChanges(again)).toBe(false);
  });

  it('finds new failures, fixes, tier changes, added and removed repositories', () => {
    const previous = base();
    const current = base();
    current.repositories.falco = {
      ...current.repositories.falco,
      status: 'non-compliant',
      achieved: 'repository',
      failing: ['release-process'],
      since: { 'release-process': '2026-08-22' },
    };
    current.repositories.falcoctl = {
      ...current.repositories.falcoctl,
      status: 'compliant',
      achieved: 'official',
      failing: [],
      since: {},
    };
    current.repositories.pigeon = { ...current.repositories.pigeon, declared: 'contrib' };
    delete current.repositories.pdig;
    current.repositories['falco-lsp'] = {
      status: 'non-compliant',
      declared: 'repository',
      achieved: 'contrib',
      failing: ['ci'],
      since: { ci: '2026-08-22' },
    };
    current.repositories['new-undeclared'] = {
      status: 'undeclared',
      declared: null,
      achieved: null,
      failing: ['license'],
      since: { license: '2026-08-22' },
    };
    const changes = computeChanges(previous, current);
    expect(changes.newFailures).toEqual([
      { repository: 'falco', check: 'release-process', declaredTier: 'official' },
      { repository: 'falco-lsp', check: 'ci', declaredTier: 'repository' },
    ]);
    expect(changes.fixed).toEqual([
      { repository: 'falcoctl', check: 'release-process', declaredTier: 'official' },
    ]);
    expect(changes.achievedTierChanges).toEqual([
      { repository: 'falco', from: 'official', to: 'repository' },
      { repository: 'falcoctl', from: 'repository', to: 'official' },
    ]);
    expect(changes.declaredTierChanges).toEqual([
      { repository: 'pigeon', from: 'repository', to: 'contrib' },
    ]);
    expect(changes.added).toEqual(['falco-lsp', 'new-undeclared']);
    expect(changes.removed).toEqual(['pdig']);
  });

  it('counts the failures of a removed repository as fixed', () => {
    const previous = base();
    const current = base();
    delete current.repositories['deploy-kubernetes'];
    const changes = computeChanges(previous, current);
    expect(changes.fixed.map((c) => `${c.repository}:${c.check}`)).toEqual([
      'deploy-kubernetes:ci',
      'deploy-kubernetes:recent-release',
    ]);
    expect(changes.removed).toEqual(['deploy-kubernetes']);
  });
});

describe('markers', () => {
  it('round-trips and is matched on the first line only', () => {
    const marker = issueMarker({
      organization: 'falcosecurity',
      runId: '17030021234',
      at: '2026-08-21T06:00:00.000Z',
    });
    expect(parseIssueMarker(`${marker}\n## x`)).toEqual({
      organization: 'falcosecurity',
      runId: '17030021234',
      at: '2026-08-21T06:00:00.000Z',
    });
    expect(parseIssueMarker(`text\n${marker}`)).toBeNull();
    expect(isTrackingIssueOf(marker, 'FalcoSecurity')).toBe(true);
    expect(isTrackingIssueOf(marker, 'falco')).toBe(false);
    const odd = issueMarker({ organization: 'a --> b', runId: null, at: 'x' });
    expect(odd.indexOf('-->')).toBe(odd.length - 3);
    expect(parseIssueMarker(odd)?.organization).toBe('a --> b');
  });

  it('orders runs by time, then by numeric run id; a time after the clock is no newer run', () => {
    const at = (iso: string, runId: string | null = null) => ({ organization: 'o', runId, at: iso });
    const clock = new Date('2026-08-23T00:00:00Z');
    expect(writtenByNewerRun(at('2026-08-22T00:00:00Z'), at('2026-08-21T00:00:00Z'), clock)).toBe(true);
    expect(writtenByNewerRun(at('2026-08-20T00:00:00Z'), at('2026-08-21T00:00:00Z'), clock)).toBe(false);
    expect(
      writtenByNewerRun(at('2026-08-21T00:00:00Z', '200'), at('2026-08-21T00:00:00Z', '100'), clock),
    ).toBe(true);
    expect(
      writtenByNewerRun(at('2026-08-21T00:00:00Z', '100'), at('2026-08-21T00:00:00Z', '100'), clock),
    ).toBe(false);
    expect(writtenByNewerRun(at('garbage'), at('2026-08-21T00:00:00Z'), clock)).toBe(false);
    // edited markers: a time in the future, a lower run id with a later time, a huge run id from the past
    expect(writtenByNewerRun(at('2099-01-01T00:00:00Z'), at('2026-08-21T00:00:00Z'), clock)).toBe(false);
    expect(
      writtenByNewerRun(at('2026-08-22T00:00:00Z', '100'), at('2026-08-21T00:00:00Z', '200'), clock),
    ).toBe(false);
    expect(
      writtenByNewerRun(
        at('2026-08-20T00:00:00Z', '99999999999999'),
        at('2026-08-21T00:00:00Z', '200'),
        clock,
      ),
    ).toBe(false);
  });
});

describe('summarize', () => {
  it('counts every repository exactly once', () => {
    const summary = summarize(sampleRepositories());
    expect(summary).toEqual({
      repositories: 15,
      evaluated: 13,
      compliant: 5,
      nonCompliant: 6,
      undeclared: 2,
      skipped: 1,
      errored: 1,
      byTier: { official: 8, repository: 3, contrib: 1 },
    });
    expect(
      summary.compliant + summary.nonCompliant + summary.undeclared + summary.skipped + summary.errored,
    ).toBe(summary.repositories);
  });
});
