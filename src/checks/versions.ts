/**
 * Version tags: `v1.2.3`, `1.2.3`, `1.2` (with or without `v`), pre-releases (`-rc1`, `-alpha.2`),
 * build metadata (`+driver`), and monorepo prefixes (`plugins/x/v1.2.3`, `chart-1.2.3`,
 * `falco-rules-5.1.0`). Ordered by semantic-version precedence, never by creation date.
 */

export interface TagVersion {
  /** The tag as written. */
  tag: string;
  /** Component prefix (`plugins/k8saudit/`, `falco-rules-`, `` for plain tags). */
  prefix: string;
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`rc1` → ['rc1']; `alpha.2` → ['alpha', '2']); empty = a release. */
  prerelease: string[];
  /** Build metadata (`driver` in `10.2.0+driver`); empty string when none. */
  build: string;
}

const VERSION_RE =
  /^(?<prefix>(?:.*[/\-_@])?)[vV]?(?<major>0|[1-9]\d*)\.(?<minor>0|[1-9]\d*)(?:\.(?<patch>0|[1-9]\d*))?(?:-?(?<pre>(?:alpha|beta|rc|pre|preview|dev|a|b)[0-9A-Za-z.-]*)|-(?<pre2>[0-9A-Za-z][0-9A-Za-z.-]*))?(?:\+(?<build>[0-9A-Za-z][0-9A-Za-z.-]*))?$/;

/** Parses a tag name; null when it is not a version tag (`initial-db-load`, `db-202001211041`). */
export function parseVersionTag(tag: string): TagVersion | null {
  const m = VERSION_RE.exec(tag.trim());
  if (!m || !m.groups) return null;
  const g = m.groups;
  const pre = g.pre ?? g.pre2;
  return {
    tag,
    prefix: g.prefix ?? '',
    major: Number(g.major),
    minor: Number(g.minor),
    patch: g.patch === undefined ? 0 : Number(g.patch),
    prerelease: pre ? pre.split('.').filter((p) => p !== '') : [],
    build: g.build ?? '',
  };
}

export function isPrerelease(v: TagVersion): boolean {
  return v.prerelease.length > 0;
}

/** Component key: tags of one component are comparable (`plugins/x/` + build metadata). */
export function componentOf(v: TagVersion): string {
  return v.build ? `${v.prefix}*+${v.build}` : v.prefix;
}

function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return Number(a) - Number(b);
  if (an) return -1;
  if (bn) return 1;
  // `rc10` after `rc9`: compare the text part, then a trailing number numerically.
  const am = /^(.*?)(\d+)$/.exec(a);
  const bm = /^(.*?)(\d+)$/.exec(b);
  if (am && bm && am[1] === bm[1]) return Number(am[2]) - Number(bm[2]);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Semantic-version precedence (build metadata ignored). Negative when a < b. */
export function compareVersions(a: TagVersion, b: TagVersion): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  const ap = a.prerelease;
  const bp = b.prerelease;
  if (ap.length === 0 && bp.length === 0) return 0;
  if (ap.length === 0) return 1;
  if (bp.length === 0) return -1;
  for (let i = 0; i < Math.min(ap.length, bp.length); i++) {
    const c = compareIdentifiers(ap[i], bp[i]);
    if (c !== 0) return c;
  }
  return ap.length - bp.length;
}

/** Tags sorted newest version first (non-version tags dropped). */
export function sortByVersion(tags: string[]): TagVersion[] {
  return tags
    .map(parseVersionTag)
    .filter((v): v is TagVersion => v !== null)
    .sort((a, b) => compareVersions(b, a));
}
