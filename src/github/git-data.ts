/**
 * A branch holding generated files, written through GitHub's Git data API (refs, commits, trees) in a single
 * commit, and only when the files differ from the branch's current tree. Octokit stays in this file.
 */
import { createHash } from 'node:crypto';
import type { RestClient } from './rest.js';

export interface BranchFilesApi {
  readonly target: string;
  /**
   * Makes the branch hold exactly `files` (path → UTF-8 text): one commit on top of the branch (created
   * from nothing when missing), none when its tree already holds exactly these files.
   */
  commitFiles(
    branch: string,
    files: ReadonlyMap<string, string>,
    message: string,
  ): Promise<{ commit: string | null; created: boolean }>;
}

/** Git's blob id of a text: compares local content with a tree entry without downloading it. */
export function gitBlobSha(text: string): string {
  const body = Buffer.from(text, 'utf8');
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${body.length}\0`), body]))
    .digest('hex');
}

function statusOf(error: unknown): number | null {
  return typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number'
    ? (error as { status: number }).status
    : null;
}

/** A Git data request refused for lack of permission (the token cannot write contents). */
export class BranchWriteForbiddenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BranchWriteForbiddenError';
  }
}

export function restBranchFilesApi(rest: RestClient, owner: string, repo: string): BranchFilesApi {
  const target = `${owner}/${repo}`;
  return {
    target,
    async commitFiles(branch, files, message) {
      try {
        let parent: string | null = null;
        let current: Map<string, string> | null = null;
        try {
          const ref = await rest.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
          parent = ref.data.object.sha;
        } catch (error) {
          if (statusOf(error) !== 404) throw error;
        }
        if (parent) {
          const commit = await rest.rest.git.getCommit({ owner, repo, commit_sha: parent });
          const tree = await rest.rest.git.getTree({
            owner,
            repo,
            tree_sha: commit.data.tree.sha,
            recursive: 'true',
          });
          if (!tree.data.truncated) {
            current = new Map(
              tree.data.tree
                .filter((entry) => entry.type === 'blob' && entry.path && entry.sha)
                .map((entry) => [entry.path as string, entry.sha as string]),
            );
          }
        }
        const unchanged =
          current !== null &&
          current.size === files.size &&
          [...files].every(([path, text]) => current.get(path) === gitBlobSha(text));
        if (unchanged) return { commit: null, created: false };

        const tree = await rest.rest.git.createTree({
          owner,
          repo,
          tree: [...files].map(([path, content]) => ({
            path,
            mode: '100644' as const,
            type: 'blob' as const,
            content,
          })),
        });
        const commit = await rest.rest.git.createCommit({
          owner,
          repo,
          message,
          tree: tree.data.sha,
          parents: parent ? [parent] : [],
        });
        if (parent) {
          await rest.rest.git.updateRef({
            owner,
            repo,
            ref: `heads/${branch}`,
            sha: commit.data.sha,
            force: false,
          });
        } else {
          await rest.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.data.sha });
        }
        return { commit: commit.data.sha, created: parent === null };
      } catch (error) {
        const status = statusOf(error);
        if (status === 403 || status === 401) {
          throw new BranchWriteForbiddenError(
            `the token cannot write to ${target} (HTTP ${status}): badges need "contents: write" on that repository`,
          );
        }
        throw error;
      }
    },
  };
}
