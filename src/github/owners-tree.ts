/**
 * OWNERS files below the root, for the `owners-tree` check. The page query lists the folders two
 * levels below the root when the policy has `owners-tree` (`$nestedOwners`, src/github/queries.ts: tree
 * entries are plain lists, not connections, so no point); then `OwnersTexts` requests read the texts of the
 * files found, 100 a request (1 point each) filled across pages. Repositories the page
 * did not list (taken from stored facts, or a listing with an error) are listed here by `OwnersTrees`,
 * 25 repositories per request. A repository whose trees cannot be listed gets an `owners-tree` read
 * problem (its check answers `error`); nothing is dropped silently.
 */
import type { Logger } from '../log.js';
import type { RepoSnapshot } from '../snapshot.js';
import type { GitHubClient, GraphqlError } from './client.js';
import { RATE_LIMIT, treeLevels } from './queries.js';
import { OWNERS_TREE_DEPTH, mapBlob, nestedOwnersPaths } from './map.js';
import type { BlobFields, NestedEntryFields, RateLimitFields } from './queries.js';

export { OWNERS_TREE_DEPTH, nestedOwnersPaths } from './map.js';
export const TREES_PER_REQUEST = 25;
export const OWNERS_TEXTS_PER_REQUEST = 100;

/** `OwnersTrees` for `count` repositories: root, level-1 and level-2 tree entries (names and types). */
export function ownersTreesQuery(count: number): string {
  const vars = ['$owner: String!', ...Array.from({ length: count }, (_, i) => `$n${i}: String!`)];
  const repos = Array.from(
    { length: count },
    (_, i) =>
      `  r${i}: repository(owner: $owner, name: $n${i}) {\n    object(expression: "HEAD:") {\n      ... on Tree {\n${treeLevels(OWNERS_TREE_DEPTH, '        ')}\n      }\n    }\n  }`,
  ).join('\n');
  return `query OwnersTrees(${vars.join(', ')}) {\n  ${RATE_LIMIT}\n${repos}\n}`;
}

/** `OwnersTexts` for files given as [repository index, file index] pairs. */
export function ownersTextsQuery(files: { repo: number; file: number }[]): string {
  const byRepo = new Map<number, number[]>();
  for (const f of files) byRepo.set(f.repo, [...(byRepo.get(f.repo) ?? []), f.file]);
  const vars = ['$owner: String!'];
  const parts: string[] = [];
  for (const [repo, fileIndexes] of byRepo) {
    vars.push(`$n${repo}: String!`);
    const objects = fileIndexes
      .map((f) => {
        vars.push(`$e${repo}_${f}: String!`);
        return `    f${f}: object(expression: $e${repo}_${f}) {\n      ... on Blob {\n        text\n        isBinary\n        isTruncated\n        byteSize\n      }\n    }`;
      })
      .join('\n');
    parts.push(`  r${repo}: repository(owner: $owner, name: $n${repo}) {\n${objects}\n  }`);
  }
  return `query OwnersTexts(${vars.join(', ')}) {\n  ${RATE_LIMIT}\n${parts.join('\n')}\n}`;
}

type TreesData = { rateLimit: RateLimitFields | null } & Record<
  string,
  { object: { entries?: NestedEntryFields[] | null } | null } | null
>;
type TextsData = { rateLimit: RateLimitFields | null } & Record<
  string,
  Record<string, Partial<BlobFields> | null> | null
>;

export interface OwnersTreeCost {
  requests: number;
  points: number;
}

/**
 * Finds and reads the OWNERS files below the root of the snapshots handed to `queue` (non-empty ones),
 * setting `nestedOwners` and `files[path]`, or an `owners-tree` problem. A page read with `$nestedOwners`
 * already lists the folders (src/github/map.ts); the others are listed at once by `OwnersTrees`. The texts
 * are queued across pages and read OWNERS_TEXTS_PER_REQUEST files a request: `flush(false)` sends full
 * requests only, `flush(true)` everything; `pending(name)` says whether a repository still waits for
 * texts. Never throws.
 */
export class NestedOwnersReader {
  private readonly queued: { snapshot: RepoSnapshot; path: string }[] = [];
  /** Repository name → texts still to read. */
  private readonly remaining = new Map<string, number>();
  private readonly client: GitHubClient;
  private readonly log: Logger;
  private readonly cost: OwnersTreeCost;

  constructor(client: GitHubClient, log: Logger, cost: OwnersTreeCost) {
    this.client = client;
    this.log = log;
    this.cost = cost;
  }

  private async call<T>(document: string, variables: Record<string, unknown>) {
    this.cost.requests++;
    const result = await this.client.graphql<T>(document, variables);
    const rate = (result.data as { rateLimit?: RateLimitFields | null } | null)?.rateLimit;
    if (rate) this.cost.points += rate.cost;
    return result;
  }

  /** Whether a queued repository still waits for the texts of its OWNERS below the root. */
  pending(name: string): boolean {
    return this.remaining.has(name);
  }

  /** Lists the folders of the snapshots that lack them, and queues the texts they do not hold yet. */
  async queue(snapshots: RepoSnapshot[]): Promise<void> {
    const readable = snapshots.filter((s) => !s.empty && s.defaultBranch !== null);
    // Repositories taken from stored facts, or read by a page without the folders, are listed here.
    const unlisted = readable.filter((s) => s.nestedOwners === undefined);
    const problem = (snapshot: RepoSnapshot, message: string) =>
      snapshot.problems.push({ part: 'owners-tree', message });
    for (let start = 0; start < unlisted.length; start += TREES_PER_REQUEST) {
      const batch = unlisted.slice(start, start + TREES_PER_REQUEST);
      let trees: TreesData | null = null;
      let errors: GraphqlError[] = [];
      try {
        const variables: Record<string, unknown> = { owner: batch[0].owner };
        batch.forEach((s, i) => (variables[`n${i}`] = s.name));
        const result = await this.call<TreesData>(ownersTreesQuery(batch.length), variables);
        trees = result.data;
        errors = result.errors;
      } catch (error) {
        const message = `the folders below the root could not be listed: ${(error as Error).message}`;
        this.log.warning(`${batch.length} repositories: ${message}`);
        for (const s of batch) problem(s, message);
        continue;
      }
      batch.forEach((s, i) => {
        const node = trees?.[`r${i}`] ?? null;
        const entries = node?.object?.entries;
        if (!node || !Array.isArray(entries)) {
          const why = errors.find((e) => e.path?.[0] === `r${i}`)?.message ?? 'no tree returned';
          problem(s, `the folders below the root could not be listed: ${why}`);
          return;
        }
        s.nestedOwners = { paths: nestedOwnersPaths(entries), depth: OWNERS_TREE_DEPTH };
      });
    }
    // Texts not held yet (stored facts may hold them).
    for (const snapshot of readable) {
      const paths = (snapshot.nestedOwners?.paths ?? []).filter((path) => !(path in snapshot.files));
      if (paths.length === 0 || this.remaining.has(snapshot.name)) continue;
      this.remaining.set(snapshot.name, paths.length);
      for (const path of paths) this.queued.push({ snapshot, path });
    }
  }

  /** Reads queued texts (full requests only, or all); returns the snapshots whose texts are now all read. */
  async flush(all: boolean): Promise<RepoSnapshot[]> {
    const done: RepoSnapshot[] = [];
    while (this.queued.length >= OWNERS_TEXTS_PER_REQUEST || (all && this.queued.length > 0)) {
      const chunk = this.queued.splice(0, OWNERS_TEXTS_PER_REQUEST);
      const repos: RepoSnapshot[] = [];
      const files = chunk.map(({ snapshot, path }) => {
        let repo = repos.indexOf(snapshot);
        if (repo === -1) repo = repos.push(snapshot) - 1;
        return { repo, file: 0, path };
      });
      const counts = new Map<number, number>();
      for (const f of files) {
        f.file = counts.get(f.repo) ?? 0;
        counts.set(f.repo, f.file + 1);
      }
      const variables: Record<string, unknown> = { owner: repos[0].owner };
      for (const f of files) {
        variables[`n${f.repo}`] = repos[f.repo].name;
        variables[`e${f.repo}_${f.file}`] = `HEAD:${f.path}`;
      }
      let texts: TextsData | null = null;
      let why = 'no content returned';
      try {
        const result = await this.call<TextsData>(ownersTextsQuery(files), variables);
        texts = result.data;
        why = result.errors[0]?.message ?? why;
      } catch (error) {
        why = (error as Error).message;
      }
      for (const f of files) {
        const snapshot = repos[f.repo];
        const content = mapBlob(texts?.[`r${f.repo}`]?.[`f${f.file}`]);
        snapshot.files[f.path] = content ?? { kind: 'unread', reason: why };
        const left = (this.remaining.get(snapshot.name) ?? 1) - 1;
        if (left > 0) this.remaining.set(snapshot.name, left);
        else {
          this.remaining.delete(snapshot.name);
          done.push(snapshot);
        }
      }
    }
    return done;
  }
}
