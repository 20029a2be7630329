/**
 * The one definition of "the README": which root files count as the repository's README and which
 * one wins when there are several. The collector (what to read), the declarations (the badge in its
 * header) and the `readme` check all use it, so they never disagree about whether there is one.
 */
import type { RepoSnapshot, TreeEntry } from './snapshot.js';

/** Extensions of a README GitHub renders as text, in order of preference (markdown first). */
export const README_EXTENSIONS: readonly string[] = [
  '.md',
  '.markdown',
  '.mdown',
  '.mkdn',
  '.mkd',
  '.rst',
  '.adoc',
  '.asciidoc',
  '.org',
  '.rdoc',
  '.textile',
  '.txt',
  '',
];

/** `README`, `README.md`, `readme.markdown`… (any case); not `README.png` nor `readme-old.md`. */
export function isReadmeName(name: string): boolean {
  const lower = name.toLowerCase();
  if (!lower.startsWith('readme')) return false;
  return README_EXTENSIONS.includes(lower.slice('readme'.length));
}

/** Lower ranks first: markdown, then the other markups, then plain text and no extension. */
export function readmeRank(name: string): number {
  const lower = name.toLowerCase();
  const index = README_EXTENSIONS.indexOf(lower.slice('readme'.length));
  return index === -1 ? README_EXTENSIONS.length : index;
}

/** README files and symlinks at the root, preferred first (an empty list when the tree is unknown). */
export function readmeEntries(snapshot: RepoSnapshot): TreeEntry[] {
  return (snapshot.rootEntries ?? [])
    .filter((entry) => entry.type !== 'tree' && entry.type !== 'commit' && isReadmeName(entry.name))
    .sort((a, b) => readmeRank(a.name) - readmeRank(b.name) || a.name.localeCompare(b.name));
}

/** Root README paths known to the snapshot: from the tree, and from the collected files. */
export function readmePaths(snapshot: RepoSnapshot): string[] {
  const paths = readmeEntries(snapshot).map((entry) => entry.path);
  for (const path of Object.keys(snapshot.files)) {
    if (!path.includes('/') && isReadmeName(path) && !paths.includes(path)) paths.push(path);
  }
  return paths.sort((a, b) => readmeRank(a) - readmeRank(b) || a.localeCompare(b));
}

/** The text of the preferred README that was read as text; null when none was. */
export function readmeText(snapshot: RepoSnapshot): string | null {
  for (const path of readmePaths(snapshot)) {
    const file = snapshot.files[path];
    if (file?.kind === 'text') return file.text;
  }
  return null;
}
