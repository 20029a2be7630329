import { emptySnapshot, fromFalco, runCheck, snapshot, withFiles, ctx } from './helpers.js';
import type { Release } from '../../src/snapshot.js';

const release = (tagName: string, publishedAt: string | null, extra: Partial<Release> = {}): Release => ({
  tagName,
  name: tagName,
  publishedAt,
  createdAt: publishedAt ?? '2026-01-01T00:00:00Z',
  isPrerelease: false,
  isDraft: false,
  url: `https://github.com/falcosecurity/demo/releases/tag/${tagName}`,
  ...extra,
});

describe('recent-release (audit date 2026-08-21)', () => {
  it('falco: newest version tag 0.44.1, tagged 2026-06-10, passes (falcosecurity/falco)', () => {
    const r = runCheck('recent-release', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe(
      'newest version tag 0.44.1, tagged 2026-06-10; within 180 days of 2026-08-21 (since 2026-02-22)',
    );
  });

  it('falco-exporter: v0.8.7 tagged 2024-03-14 fails with absolute dates (falcosecurity/falco-exporter)', () => {
    const r = runCheck('recent-release', fromFalco('falco-exporter'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(
      /^newest version tag v0\.8\.7, tagged 2024-03-14; none within 180 days of 2026-08-21/,
    );
  });

  it('falco-operator: v0.4.1 beats v0.4.1-rc1; with pre-releases included it is still v0.4.1 (falcosecurity/falco-operator)', () => {
    expect(runCheck('recent-release', fromFalco('falco-operator')).message).toMatch(
      /newest version tag v0\.4\.1,/,
    );
    expect(
      runCheck('recent-release', fromFalco('falco-operator'), { 'include-prereleases': true }).message,
    ).toMatch(/newest version tag v0\.4\.1,/);
  });

  it('falco-talon: v0.3.0 (2025-02-05) is too old; a newer rc only counts with include-prereleases (modelled on falcosecurity/falco-talon)', () => {
    const s = fromFalco('falco-talon');
    expect(runCheck('recent-release', s).outcome).toBe('fail');
    s.tags = [{ name: 'v0.4.0-rc0', date: '2026-07-01T10:00:00+02:00' }, ...s.tags];
    expect(runCheck('recent-release', s).message).toMatch(/v0\.3\.0, tagged 2025-02-05/);
    const pre = runCheck('recent-release', s, { 'include-prereleases': true });
    expect(pre.outcome).toBe('pass');
    expect(pre.message).toMatch(/v0\.4\.0-rc0, tagged 2026-07-01/);
  });

  it('tags are ordered by version, not by creation order (modelled: a re-tagged old version created last)', () => {
    const s = snapshot({
      tags: [
        { name: 'v0.2.1', date: '2026-08-01T00:00:00Z' },
        { name: 'v0.3.0', date: '2026-07-01T00:00:00Z' },
      ],
    });
    expect(runCheck('recent-release', s).message).toMatch(/^newest version tag v0\.3\.0, tagged 2026-07-01/);
  });

  it('plugins: monorepo tags plugins/<name>/vX.Y.Z, newest component release 2026-06-19 (falcosecurity/plugins)', () => {
    const r = runCheck('recent-release', fromFalco('plugins'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toMatch(/^newest version tag plugins\/[\w-]+\/v\d+\.\d+\.\d+, tagged 2026-06-19/);
  });

  it('libs: libs 0.25.4 (2026-06-09) is newer than driver 10.2.0+driver (2026-05-19), compared per component (falcosecurity/libs)', () => {
    expect(runCheck('recent-release', fromFalco('libs')).message).toMatch(
      /^newest version tag 0\.25\.4, tagged 2026-06-09/,
    );
  });

  it('charts: chart-name-X.Y.Z tags, newest k8s-metacollector-0.3.1 (falcosecurity/charts)', () => {
    expect(runCheck('recent-release', fromFalco('charts')).message).toMatch(
      /^newest version tag k8s-metacollector-0\.3\.1, tagged 2026-07-18/,
    );
  });

  it('kernel-crawler: 0.18.0 tagged 2025-07-25 fails at 180 days, passes at 400 (falcosecurity/kernel-crawler)', () => {
    expect(runCheck('recent-release', fromFalco('kernel-crawler')).outcome).toBe('fail');
    expect(runCheck('recent-release', fromFalco('kernel-crawler'), { 'max-age-days': 400 }).outcome).toBe(
      'pass',
    );
  });

  it('GitHub releases: publication date and URL are used; drafts and pre-releases are skipped', () => {
    const s = snapshot({
      releases: [
        release('v1.3.0', null, { isDraft: true }),
        release('v1.3.0-rc1', '2026-08-10T00:00:00Z', { isPrerelease: true }),
        release('v1.2.0', '2026-02-01T12:00:00Z'),
      ],
      tags: [{ name: 'v1.2.0', date: '2026-01-30T00:00:00Z' }],
    });
    const r = runCheck('recent-release', s);
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/^newest release v1\.2\.0, published 2026-02-01/);
    expect(r.evidence![0].url).toBe('https://github.com/falcosecurity/demo/releases/tag/v1.2.0');
    expect(runCheck('recent-release', s, {}, ctx({}, new Date('2026-05-01T00:00:00Z'))).outcome).toBe('pass');
  });

  it('advocacy: no tags fails; cloud-native-security-hub: only non-version tags fails (falcosecurity/advocacy, cloud-native-security-hub)', () => {
    expect(runCheck('recent-release', fromFalco('advocacy')).message).toMatch(
      /^no release and no version tag/,
    );
    expect(runCheck('recent-release', fromFalco('cloud-native-security-hub')).outcome).toBe('fail');
  });

  it('tags that could not be read give an error, not a fail', () => {
    const s = snapshot({ problems: [{ part: 'tags', message: 'rate limited' }] });
    expect(runCheck('recent-release', s).outcome).toBe('error');
  });
});

describe('activity', () => {
  it('falco: last commit 2026-07-31 passes (falcosecurity/falco)', () => {
    const r = runCheck('activity', fromFalco('falco'));
    expect(r.outcome).toBe('pass');
    expect(r.message).toBe('last commit on master on 2026-07-31, within 365 days of 2026-08-21');
  });

  it('advocacy: last commit 2019-12-11 fails (falcosecurity/advocacy)', () => {
    const r = runCheck('activity', fromFalco('advocacy'));
    expect(r.outcome).toBe('fail');
    expect(r.message).toBe(
      'last commit on master on 2019-12-11: none since 2025-08-21 (365 days before 2026-08-21)',
    );
  });

  it('the window is inclusive at exactly max-idle-days', () => {
    const s = snapshot({ lastCommitDate: '2025-08-21T00:00:00Z' });
    expect(runCheck('activity', s).outcome).toBe('pass');
    expect(runCheck('activity', s, { 'max-idle-days': 364 }).outcome).toBe('fail');
  });

  it('empty repository fails; unknown last commit date is an error', () => {
    expect(runCheck('activity', emptySnapshot()).message).toMatch(/repository is empty/);
    expect(runCheck('activity', snapshot({ lastCommitDate: null })).outcome).toBe('error');
  });
});

describe('not-archived and declaration-consistent', () => {
  it('an archived repository fails with the remediation to unarchive or declare deprecated (modelled on falcosecurity/falco-exporter)', () => {
    const r = runCheck('not-archived', fromFalco('falco-exporter', { archived: true }));
    expect(r.outcome).toBe('fail');
    expect(r.message).toMatch(/falcosecurity\/falco-exporter is archived/);
    expect(r.remediation).toMatch(/deprecated/);
    expect(runCheck('not-archived', fromFalco('falco')).outcome).toBe('pass');
  });

  it('declaration-consistent is produced by the evaluator: run answers not-applicable', () => {
    expect(runCheck('declaration-consistent', fromFalco('falco')).outcome).toBe('not-applicable');
  });
});

describe('release-process', () => {
  it('charts: lower-case release.md passes (falcosecurity/charts)', () => {
    expect(runCheck('release-process', fromFalco('charts')).message).toBe(
      'release process documented in release.md',
    );
  });

  it('falco-operator: no RELEASE.md (docs/ has only contributing.md) fails (falcosecurity/falco-operator)', () => {
    expect(runCheck('release-process', fromFalco('falco-operator')).outcome).toBe('fail');
  });

  it('RELEASING.md at the root, docs/releasing.md or a docs/release/ folder pass (modelled)', () => {
    expect(runCheck('release-process', withFiles(snapshot(), { 'RELEASING.md': '# How' })).outcome).toBe(
      'pass',
    );
    expect(
      runCheck('release-process', withFiles(snapshot(), { 'docs/Releasing.md': '# How' })).message,
    ).toMatch(/docs\/Releasing\.md/);
    const folder = snapshot({ docsEntries: [{ name: 'release', path: 'docs/release', type: 'tree' }] });
    expect(runCheck('release-process', folder).outcome).toBe('pass');
  });
});
