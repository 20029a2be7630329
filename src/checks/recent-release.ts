import { defineCheck } from './define.js';
import type { RepoSnapshot } from '../snapshot.js';
import { booleanParam, cutoff, dayOf, error, fail, isoDay, numberParam, pass, withDefaults } from './util.js';
import { compareVersions, componentOf, isPrerelease, parseVersionTag, type TagVersion } from './versions.js';

export interface ReleaseCandidate {
  /** Tag name (a release's tag). */
  tag: string;
  version: TagVersion | null;
  /** ISO date: release publication, else tag date. */
  date: string | null;
  kind: 'release' | 'tag';
  url?: string;
}

/**
 * The newest release of a snapshot: per component (tag prefix + build metadata), the highest version
 * (semantic-version order, not creation order); across components, the most recently dated one.
 * Releases (non-draft) carry their publication date; version tags their tag date.
 */
export function newestRelease(snapshot: RepoSnapshot, includePrereleases: boolean): ReleaseCandidate | null {
  const byTag = new Map<string, ReleaseCandidate>();
  for (const release of snapshot.releases) {
    if (release.isDraft) continue;
    const version = parseVersionTag(release.tagName);
    const pre = release.isPrerelease || (version !== null && isPrerelease(version));
    if (pre && !includePrereleases) continue;
    byTag.set(release.tagName, {
      tag: release.tagName,
      version,
      date: release.publishedAt ?? release.createdAt,
      kind: 'release',
      url: release.url,
    });
  }
  for (const tag of snapshot.tags) {
    if (byTag.has(tag.name)) continue;
    const version = parseVersionTag(tag.name);
    if (version === null) continue;
    if (isPrerelease(version) && !includePrereleases) continue;
    // A tag whose release is a draft or an excluded pre-release is not a release either.
    const release = snapshot.releases.find((r) => r.tagName === tag.name);
    if (release && (release.isDraft || (release.isPrerelease && !includePrereleases))) continue;
    byTag.set(tag.name, { tag: tag.name, version, date: tag.date, kind: 'tag' });
  }
  const heads = new Map<string, ReleaseCandidate>();
  for (const c of byTag.values()) {
    const key = c.version ? `v:${componentOf(c.version)}` : `r:${c.tag}`;
    const current = heads.get(key);
    if (!current || better(c, current)) heads.set(key, c);
  }
  let newest: ReleaseCandidate | null = null;
  for (const c of heads.values()) {
    if (newest === null || time(c) > time(newest)) newest = c;
  }
  return newest;
}

function better(a: ReleaseCandidate, b: ReleaseCandidate): boolean {
  if (a.version && b.version) {
    const c = compareVersions(a.version, b.version);
    if (c !== 0) return c > 0;
    return a.kind === 'release' && b.kind !== 'release';
  }
  return time(a) > time(b);
}

function time(c: ReleaseCandidate): number {
  const t = c.date ? Date.parse(c.date) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

export const recentReleaseCheck = defineCheck({
  id: 'recent-release',
  title: 'Recent release',
  description:
    'The newest release (non-draft) or version tag is younger than `max-age-days` at the audit date. Tags are ordered by version (semver, with or without v, monorepo prefixes such as plugins/x/v1.2.3 or chart-1.2.3); pre-releases are ignored unless `include-prereleases`.',
  params: [
    {
      name: 'max-age-days',
      type: 'integer',
      minimum: 1,
      default: 180,
      description: 'The newest release must be at most this many days old at the audit date.',
    },
    {
      name: 'include-prereleases',
      type: 'boolean',
      default: false,
      description: 'Count pre-releases (`-rc1`, GitHub pre-release flag) as releases.',
    },
  ],
  reads: ['releases', 'tags'],
  run(snapshot, params, ctx) {
    const p = withDefaults(recentReleaseCheck.defaults, params);
    const maxAge = numberParam(p, 'max-age-days', 180);
    const includePre = booleanParam(p, 'include-prereleases', false);
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail(
        'repository is empty: no release',
        'Publish a first release (a version tag v0.1.0 and a GitHub release).',
      );
    }
    const newest = newestRelease(snapshot, includePre);
    const since = cutoff(ctx.now, maxAge);
    const window = `within ${maxAge} days of ${dayOf(ctx.now)} (since ${dayOf(since)})`;
    if (newest === null) {
      const pre = includePre ? '' : ' (pre-releases and drafts not counted)';
      return fail(
        `no release and no version tag${pre}`,
        'Publish a release: tag a version (v1.2.3) and create a GitHub release for it.',
      );
    }
    const what =
      newest.kind === 'release'
        ? `newest release ${newest.tag}, published ${newest.date ? isoDay(newest.date) : 'on an unknown date'}`
        : `newest version tag ${newest.tag}, tagged ${newest.date ? isoDay(newest.date) : 'on an unknown date'}`;
    const evidence = [{ ...(newest.url ? { url: newest.url } : {}), detail: what }];
    if (newest.date === null || Number.isNaN(Date.parse(newest.date))) {
      return error(`${what}: cannot tell its age`, evidence);
    }
    if (Date.parse(newest.date) >= since.getTime()) return pass(`${what}; ${window}`, evidence);
    const partial =
      snapshot.tagsTruncated || snapshot.releasesTruncated
        ? ' (only the most recent tags/releases were collected)'
        : '';
    return fail(
      `${what}; none ${window}${partial}`,
      `Cut a release: tag a new version and publish it (at least every ${maxAge} days).`,
      evidence,
    );
  },
});
