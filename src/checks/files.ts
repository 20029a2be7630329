/** Finding files in the tree (root, `.github/`, `docs/`) case-insensitively and reading their text safely. */
import type { FileContent, RepoSnapshot, TreeEntry } from '../snapshot.js';

export type Location = 'root' | '.github' | 'docs';

/** Entries of one location; null when the directory is absent (or, for the root, the tree is unknown). */
export function entriesOf(snapshot: RepoSnapshot, location: Location): TreeEntry[] | null {
  switch (location) {
    case 'root':
      return snapshot.rootEntries;
    case '.github':
      return direct(snapshot.githubEntries, '.github/');
    case 'docs':
      return direct(snapshot.docsEntries, 'docs/');
  }
}

/** Keeps the direct children of a directory (the collector may list deeper entries too). */
function direct(entries: TreeEntry[] | null, prefix: string): TreeEntry[] | null {
  if (entries === null) return null;
  return entries.filter((e) => {
    const p = e.path.toLowerCase();
    return p.startsWith(prefix) && !p.slice(prefix.length).includes('/');
  });
}

/**
 * Entries whose name matches, searched in the given locations in that order (files and symlinks;
 * directories too when `includeDirectories`).
 */
export function findEntries(
  snapshot: RepoSnapshot,
  matches: (lowerName: string) => boolean,
  locations: Location[],
  includeDirectories = false,
): TreeEntry[] {
  const found: TreeEntry[] = [];
  for (const location of locations) {
    for (const entry of entriesOf(snapshot, location) ?? []) {
      const typeOk =
        entry.type === 'blob' || entry.type === 'symlink' || (includeDirectories && entry.type === 'tree');
      if (typeOk && matches(entry.name.toLowerCase())) found.push(entry);
    }
  }
  return found;
}

/** `base` with any of the extensions (`''` = none), compared case-insensitively. */
export function nameIs(base: string, extensions: string[]): (lowerName: string) => boolean {
  const names = new Set(extensions.map((ext) => `${base}${ext}`.toLowerCase()));
  return (lowerName) => names.has(lowerName);
}

export type TextRead =
  | { kind: 'text'; text: string; path: string }
  | { kind: 'missing' }
  /** Present but its text cannot be used: binary, truncated or not read. */
  | { kind: 'unusable'; path: string; reason: string; content: FileContent };

/** The content of `path` (exact, then case-insensitive match among the collected files). */
export function fileContent(
  snapshot: RepoSnapshot,
  path: string,
): { path: string; content: FileContent } | null {
  const exact = snapshot.files[path];
  if (exact !== undefined) return { path, content: exact };
  const lower = path.toLowerCase();
  for (const [p, content] of Object.entries(snapshot.files)) {
    if (p.toLowerCase() === lower) return { path: p, content };
  }
  return null;
}

/** Reads the text of `path`, saying why it cannot when it is binary, truncated or unread. */
export function readText(snapshot: RepoSnapshot, path: string): TextRead {
  const found = fileContent(snapshot, path);
  if (found === null) return { kind: 'missing' };
  const { content } = found;
  switch (content.kind) {
    case 'text':
      return { kind: 'text', text: content.text, path: found.path };
    case 'binary':
      return {
        kind: 'unusable',
        path: found.path,
        reason: `is a binary file (${content.byteSize} bytes)`,
        content,
      };
    case 'truncated':
      return {
        kind: 'unusable',
        path: found.path,
        reason: `is too large to read (${content.byteSize} bytes, truncated by GitHub)`,
        content,
      };
    case 'unread':
      return { kind: 'unusable', path: found.path, reason: `was not read (${content.reason})`, content };
  }
}

/** The repository-relative web URL of a file on the default branch (for org-level files). */
export function blobUrl(webUrl: string, owner: string, repo: string, path: string, ref = 'HEAD'): string {
  const base = webUrl.replace(/\/+$/, '');
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${base}/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/blob/${encodeURIComponent(ref)}/${encodedPath}`;
}
