/**
 * The Git data REST routes of the fake GitHub (refs, commits, trees with inline contents), enough for a
 * branch of generated files: `GET git/ref/heads/{branch}`, `GET git/commits/{sha}`,
 * `GET git/trees/{sha}?recursive=1`, `POST git/trees`, `POST git/commits`, `POST git/refs`,
 * `PATCH git/refs/heads/{branch}`. Blob and tree ids are Git's (sha1 of `blob <len>\0…`), so a client can
 * compare its files with a tree without downloading them. `forbiddenWrite` answers 403 to writes, as GitHub
 * does for a token without `contents: write`.
 */
import { createHash } from 'node:crypto';
import type { FakeRequest, FakeResponse } from './model.js';

interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob';
  sha: string;
}

interface StoredCommit {
  sha: string;
  tree: string;
  parents: string[];
  message: string;
}

function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex');
}

function blobSha(content: string): string {
  const body = Buffer.from(content, 'utf8');
  return sha1(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]));
}

function error(status: number, message: string): FakeResponse {
  return {
    status,
    body: { message, documentation_url: 'https://docs.github.com/rest/git', status: String(status) },
  };
}

export class FakeGitStore {
  readonly blobs = new Map<string, string>();
  readonly trees = new Map<string, TreeEntry[]>();
  readonly commits = new Map<string, StoredCommit>();
  /** Branch heads by `owner/repo` (lower-case), then branch name. */
  readonly refs = new Map<string, Map<string, string>>();
  /** Repositories (`owner/repo`, lower-case) whose token cannot write contents: writes answer 403. */
  readonly forbiddenWrite = new Set<string>();
  /** Successful writes (trees, commits, refs). */
  writes = 0;
  /** Commits created through the API. */
  commitsCreated = 0;
  readonly log: string[] = [];

  branches(owner: string, repo: string): Map<string, string> {
    const key = `${owner}/${repo}`.toLowerCase();
    let branches = this.refs.get(key);
    if (!branches) {
      branches = new Map();
      this.refs.set(key, branches);
    }
    return branches;
  }

  /** The files on a branch (path → content), or null when the branch does not exist. */
  filesOn(owner: string, repo: string, branch: string): Map<string, string> | null {
    const head = this.branches(owner, repo).get(branch);
    if (!head) return null;
    const commit = this.commits.get(head)!;
    return new Map(this.trees.get(commit.tree)!.map((entry) => [entry.path, this.blobs.get(entry.sha)!]));
  }

  /** Test setup: puts files on a branch as one commit (not counted as writes). */
  seedBranch(owner: string, repo: string, branch: string, files: Record<string, string>): string {
    const tree = this.storeTree(Object.entries(files).map(([path, content]) => ({ path, content })));
    const commit = this.storeCommit(tree, [], 'seed');
    this.branches(owner, repo).set(branch, commit);
    return commit;
  }

  storeTree(entries: { path: string; content: string; mode?: string }[]): string {
    const tree = entries
      .map((entry) => {
        const sha = blobSha(entry.content);
        this.blobs.set(sha, entry.content);
        return { path: entry.path, mode: entry.mode ?? '100644', type: 'blob' as const, sha };
      })
      .sort((a, b) => (a.path < b.path ? -1 : 1));
    const sha = sha1(JSON.stringify(tree));
    this.trees.set(sha, tree);
    return sha;
  }

  storeCommit(tree: string, parents: string[], message: string): string {
    const sha = sha1(JSON.stringify({ tree, parents, message, n: this.commits.size }));
    this.commits.set(sha, { sha, tree, parents, message });
    return sha;
  }
}

function bodyOf(req: FakeRequest): Record<string, unknown> {
  return req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
}

function isAncestor(store: FakeGitStore, ancestor: string, commit: string): boolean {
  const seen = new Set<string>();
  const queue = [commit];
  while (queue.length > 0) {
    const sha = queue.pop()!;
    if (sha === ancestor) return true;
    if (seen.has(sha)) continue;
    seen.add(sha);
    queue.push(...(store.commits.get(sha)?.parents ?? []));
  }
  return false;
}

/** Routes `/repos/{owner}/{repo}/git/…`; undefined for any other path. */
export function handleGitRoute(store: FakeGitStore, req: FakeRequest): FakeResponse | undefined {
  const match = /^\/repos\/([^/]+)\/([^/]+)\/git\/(.+)$/.exec(req.path);
  if (!match) return undefined;
  const owner = decodeURIComponent(match[1]);
  const repo = decodeURIComponent(match[2]);
  const rest = decodeURIComponent(match[3]);
  const method = req.method.toUpperCase();
  store.log.push(`${method} /git/${rest}`);
  const branches = store.branches(owner, repo);
  const body = bodyOf(req);
  const write = method !== 'GET' && method !== 'HEAD';
  if (write && store.forbiddenWrite.has(`${owner}/${repo}`.toLowerCase())) {
    return error(403, 'Resource not accessible by integration');
  }

  const response = ((): FakeResponse => {
    const ref = /^refs?\/heads\/(.+)$/.exec(rest);
    if (ref && method === 'GET' && rest.startsWith('ref/')) {
      const head = branches.get(ref[1]);
      if (!head) return error(404, 'Not Found');
      return { status: 200, body: { ref: `refs/heads/${ref[1]}`, object: { sha: head, type: 'commit' } } };
    }
    if (ref && method === 'PATCH' && rest.startsWith('refs/')) {
      const head = branches.get(ref[1]);
      if (!head) return error(422, 'Reference does not exist');
      if (typeof body.sha !== 'string' || !store.commits.has(body.sha))
        return error(422, 'Object does not exist');
      if (body.force !== true && !isAncestor(store, head, body.sha))
        return error(422, 'Update is not a fast forward');
      branches.set(ref[1], body.sha);
      return {
        status: 200,
        body: { ref: `refs/heads/${ref[1]}`, object: { sha: body.sha, type: 'commit' } },
      };
    }
    if (rest === 'refs' && method === 'POST') {
      const name = typeof body.ref === 'string' ? /^refs\/heads\/(.+)$/.exec(body.ref)?.[1] : undefined;
      if (!name) return error(422, 'Reference name is not valid');
      if (branches.has(name)) return error(422, 'Reference already exists');
      if (typeof body.sha !== 'string' || !store.commits.has(body.sha))
        return error(422, 'Object does not exist');
      branches.set(name, body.sha);
      return { status: 201, body: { ref: body.ref, object: { sha: body.sha, type: 'commit' } } };
    }
    const commit = /^commits\/([0-9a-f]{40})$/.exec(rest);
    if (commit && method === 'GET') {
      const stored = store.commits.get(commit[1]);
      if (!stored) return error(404, 'Not Found');
      return {
        status: 200,
        body: {
          sha: stored.sha,
          message: stored.message,
          tree: { sha: stored.tree },
          parents: stored.parents.map((sha) => ({ sha })),
        },
      };
    }
    if (rest === 'commits' && method === 'POST') {
      const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
      if (typeof body.tree !== 'string' || !store.trees.has(body.tree))
        return error(422, 'Tree SHA does not exist');
      if (parents.some((sha) => !store.commits.has(sha))) return error(422, 'Parent SHA does not exist');
      if (typeof body.message !== 'string') return error(422, 'Invalid request: message is required');
      const sha = store.storeCommit(body.tree, parents, body.message);
      store.commitsCreated++;
      return {
        status: 201,
        body: { sha, tree: { sha: body.tree }, parents: parents.map((p) => ({ sha: p })) },
      };
    }
    const tree = /^trees\/([0-9a-f]{40})$/.exec(rest);
    if (tree && method === 'GET') {
      const entries = store.trees.get(tree[1]);
      if (!entries) return error(404, 'Not Found');
      // Entries are stored with full paths (a flattened recursive listing); without ?recursive only the
      // top-level ones would be listed, which the action never asks for.
      if (!req.query.get('recursive')) return error(422, 'the fake only serves recursive trees');
      return { status: 200, body: { sha: tree[1], tree: entries, truncated: false } };
    }
    if (rest === 'trees' && method === 'POST') {
      if (body.base_tree !== undefined) return error(422, 'the fake does not support base_tree');
      const entries = Array.isArray(body.tree) ? (body.tree as Record<string, unknown>[]) : null;
      if (!entries || entries.some((e) => typeof e.path !== 'string' || typeof e.content !== 'string'))
        return error(422, 'Invalid tree: entries need path and content');
      const sha = store.storeTree(
        entries.map((e) => ({
          path: e.path as string,
          content: e.content as string,
          mode: String(e.mode ?? '100644'),
        })),
      );
      return { status: 201, body: { sha, tree: store.trees.get(sha), truncated: false } };
    }
    return error(404, 'Not Found');
  })();
  if (write && response.status < 300) store.writes++;
  return response;
}
