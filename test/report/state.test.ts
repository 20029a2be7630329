import { describe, expect, it } from '@jest/globals';
import {
  computeChanges,
  decodeStatePayload,
  encodeStatePayload,
  hasChanges,
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
import { largeReport, sampleReport, sampleRepositories } from './fixtures.js';

describe('state', () => {
  it('round-trips through the compact payload', () => {
    const state = stateFromReport(sampleReport());
    expect(decodeStatePayload(encodeStatePayload(state))).toEqual(state);
    expect(state.repositories.falcoctl).toEqual({
      status: 'non-compliant',
      declared: 'official',
      achieved: 'repository',
      failing: ['release-process'],
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
    expect(read.state).toEqual(state);
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
    expect(readState(block.replace('state v1', 'state v2'), []).problem).toMatch(/v2 is not supported/);
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
    };
    current.repositories.falcoctl = {
      ...current.repositories.falcoctl,
      status: 'compliant',
      achieved: 'official',
      failing: [],
    };
    current.repositories.pigeon = { ...current.repositories.pigeon, declared: 'contrib' };
    delete current.repositories.pdig;
    current.repositories['falco-lsp'] = {
      status: 'non-compliant',
      declared: 'repository',
      achieved: 'contrib',
      failing: ['ci'],
    };
    current.repositories['new-undeclared'] = {
      status: 'undeclared',
      declared: null,
      achieved: null,
      failing: ['license'],
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
