/**
 * Runs one check, and is the one place where "could not read" becomes `error`: each check declares
 * the snapshot parts it reads (`CheckDefinition.reads`); when one of them could not be read and the
 * check would fail, the outcome is `error` (unknown), never `fail`. A check that throws is `error` too.
 */
import type {
  CheckContext,
  CheckDefinition,
  CheckParams,
  CheckResult,
  SnapshotPart,
} from '../checks/types.js';
import { isReadmeName } from '../readme-file.js';
import type { RepoSnapshot } from '../snapshot.js';

/** `problems[].part` names (lower-case) and path prefixes that belong to each snapshot part. */
const PROBLEM_PARTS: Record<SnapshotPart, { parts: string[]; prefixes: string[] }> = {
  tree: { parts: ['tree', '.github', 'docs'], prefixes: [] },
  owners: { parts: ['owners', 'owners_aliases'], prefixes: [] },
  readme: { parts: ['readme'], prefixes: [] },
  workflows: { parts: ['workflows'], prefixes: ['.github/workflows/'] },
  releases: { parts: ['releases'], prefixes: [] },
  tags: { parts: ['tags'], prefixes: [] },
  license: { parts: ['license'], prefixes: [] },
  history: { parts: ['default branch', 'history', 'commits', 'lastcommit', 'defaultbranch'], prefixes: [] },
  topics: { parts: ['topics'], prefixes: [] },
  'community-files': { parts: [], prefixes: [] },
  'owners-tree': { parts: ['owners-tree'], prefixes: [] },
};

/** Files whose content belongs to a part (an `unread` content is a read problem of that part). */
function fileBelongs(part: SnapshotPart, path: string): boolean {
  switch (part) {
    case 'owners':
      return path === 'OWNERS' || path === 'OWNERS_ALIASES';
    case 'readme':
      return !path.includes('/') && isReadmeName(path);
    case 'workflows':
      return path.toLowerCase().startsWith('.github/workflows/');
    case 'owners-tree':
      return path.endsWith('/OWNERS');
    default:
      return false;
  }
}

/** What could not be read among `reads`, in words (empty when everything was read). */
export function unreadParts(
  snapshot: RepoSnapshot,
  reads: readonly SnapshotPart[],
  ctx: CheckContext,
): string[] {
  const found: string[] = [];
  for (const part of reads) {
    const { parts, prefixes } = PROBLEM_PARTS[part];
    for (const problem of snapshot.problems) {
      const name = problem.part.toLowerCase();
      if (parts.includes(name) || prefixes.some((prefix) => name.startsWith(prefix))) {
        found.push(`could not read ${problem.part} (${problem.message})`);
      }
    }
    for (const [path, content] of Object.entries(snapshot.files)) {
      if (content.kind === 'unread' && fileBelongs(part, path)) {
        found.push(`could not read ${path} (${content.reason})`);
      }
    }
    if (
      part === 'tree' &&
      !snapshot.empty &&
      snapshot.defaultBranch !== null &&
      snapshot.rootEntries === null
    ) {
      found.push('could not read the root tree of the default branch');
    }
    if (part === 'community-files' && ctx.org.communityFiles === null) {
      found.push(
        `could not read the organization's ${ctx.org.login}/${ctx.org.communityRepository} repository, whose community files apply to every repository lacking its own`,
      );
    }
  }
  return [...new Set(found)];
}

export function runCheck(
  definition: CheckDefinition,
  snapshot: RepoSnapshot,
  params: CheckParams,
  ctx: CheckContext,
): CheckResult {
  let result: CheckResult;
  try {
    result = definition.run(snapshot, { ...definition.defaults, ...params }, ctx);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { outcome: 'error', message: `Check '${definition.id}' failed: ${message}` };
  }
  if (result.outcome !== 'fail') return result;
  const unread = unreadParts(snapshot, definition.reads, ctx);
  if (unread.length === 0) return result;
  const converted: CheckResult = {
    outcome: 'error',
    message: `${unread.join('; ')}: unknown rather than failing (what was read: ${result.message})`,
  };
  if (result.evidence !== undefined) converted.evidence = result.evidence;
  return converted;
}
