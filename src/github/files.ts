/** Reads one file of one repository through GraphQL (`object(expression: "REF:path")`). */
import { GitHubApiError, RateLimitExhaustedError, type GitHubClient } from './client.js';
import { REPOSITORY_FILE_QUERY, type RepositoryFileData } from './queries.js';

export type RepositoryFileResult =
  | { kind: 'text'; text: string }
  | { kind: 'missing' }
  /** The path names a directory (`tree`) or a submodule (`commit`): it cannot be a file. */
  | { kind: 'not-a-file'; what: 'tree' | 'commit' | 'tag'; message: string }
  | { kind: 'error'; message: string };

/**
 * The text of `path` at `ref` (default: the default branch). `missing` when the repository or the file
 * does not exist (or the token cannot see the repository); `error` for anything else, never a throw.
 */
export async function readRepositoryFile(
  client: GitHubClient,
  owner: string,
  repo: string,
  path: string,
  ref?: string,
): Promise<RepositoryFileResult> {
  const cleanPath = path.replace(/^\/+/, '');
  const expression = `${ref || 'HEAD'}:${cleanPath}`;
  try {
    const result = await client.graphql<RepositoryFileData>(REPOSITORY_FILE_QUERY, {
      owner,
      name: repo,
      expression,
    });
    const notFound = result.errors.find((e) => e.type === 'NOT_FOUND');
    const other = result.errors.find((e) => e.type !== 'NOT_FOUND');
    if (other && !result.data?.repository?.object) {
      return { kind: 'error', message: `${owner}/${repo}: ${other.message}` };
    }
    const repository = result.data?.repository ?? null;
    if (!repository) {
      return notFound || result.errors.length === 0
        ? { kind: 'missing' }
        : { kind: 'error', message: `${owner}/${repo}: ${result.errors[0].message}` };
    }
    const object = repository.object;
    if (!object) return { kind: 'missing' };
    if (object.__typename !== 'Blob') {
      const what = object.__typename === 'Tree' ? 'tree' : object.__typename === 'Commit' ? 'commit' : 'tag';
      return {
        kind: 'not-a-file',
        what,
        message: `${owner}/${repo}/${cleanPath} is a ${what === 'tree' ? 'directory' : what}, not a file`,
      };
    }
    if (object.isBinary === true || typeof object.text !== 'string') {
      return { kind: 'error', message: `${owner}/${repo}/${cleanPath} is a binary file` };
    }
    if (object.isTruncated) {
      return {
        kind: 'error',
        message: `${owner}/${repo}/${cleanPath} is too large for GitHub to return (${object.byteSize ?? '?'} bytes)`,
      };
    }
    return { kind: 'text', text: object.text };
  } catch (error) {
    if (error instanceof GitHubApiError || error instanceof RateLimitExhaustedError) {
      return { kind: 'error', message: error.message };
    }
    return { kind: 'error', message: error instanceof Error ? error.message : String(error) };
  }
}
