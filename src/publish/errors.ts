/** Errors from GitHub while publishing, turned into messages that say what to change. */
import { collapse } from '../report/escape.js';

export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    message: string,
    /** HTTP status from GitHub (null for a non-HTTP failure). */
    readonly status: number | null,
    /** What was being done, e.g. `create the tracking issue`. */
    readonly operation: string,
  ) {
    super(message);
  }
}

interface HttpErrorLike {
  status?: unknown;
  message?: unknown;
  response?: { data?: unknown };
}

const GRANT =
  'grant `issues: write` in the workflow `permissions:` block (with a GitHub App: the "Issues: Read and write" repository permission; with a classic PAT: the `repo` or `public_repo` scope)';

function detailOf(error: HttpErrorLike): string {
  const data = error.response?.data;
  const parts: string[] = [];
  if (data && typeof data === 'object') {
    const record = data as { message?: unknown; errors?: unknown };
    if (typeof record.message === 'string') parts.push(record.message);
    if (Array.isArray(record.errors)) {
      for (const item of record.errors) {
        if (item && typeof item === 'object') {
          const e = item as { message?: unknown; code?: unknown; field?: unknown };
          parts.push([e.field, e.code, e.message].filter((v) => typeof v === 'string').join(' '));
        } else if (typeof item === 'string') parts.push(item);
      }
    }
  }
  if (parts.length === 0 && typeof error.message === 'string') parts.push(error.message);
  return collapse(parts.filter(Boolean).join('; '), 300);
}

/** The HTTP status of an Octokit error, or null. */
export function statusOf(error: unknown): number | null {
  if (error && typeof error === 'object' && typeof (error as HttpErrorLike).status === 'number') {
    return (error as { status: number }).status;
  }
  return null;
}

/** A `PublishError` whose message names the fix (permission to grant, setting to change). */
export function toPublishError(error: unknown, operation: string, target: string): PublishError {
  if (error instanceof PublishError) return error;
  const status = statusOf(error);
  const detail =
    error && typeof error === 'object' ? detailOf(error as HttpErrorLike) : collapse(String(error));
  let message: string;
  const noAnswer =
    status === 500 && error !== null && typeof error === 'object' && !(error as HttpErrorLike).response;
  if (noAnswer) {
    // Octokit reports "no answer at all" (refused, reset, DNS, TLS) as status 500.
    const url = (error as { request?: { url?: unknown } }).request?.url;
    return new PublishError(
      `Cannot ${operation} in ${target}: could not connect to ${typeof url === 'string' ? url.split('?')[0] : 'GitHub'} (${detail}). Check the API URL, the network and any proxy.`,
      null,
      operation,
    );
  }
  switch (status) {
    case 401:
      message = `Cannot ${operation} in ${target}: GitHub rejected the token (HTTP 401: ${detail}). Check that the \`token\` input is set, valid and not expired.`;
      break;
    case 403:
      message = /rate limit/i.test(detail)
        ? `Cannot ${operation} in ${target}: GitHub's rate limit was reached (HTTP 403: ${detail}). Retry later or use a GitHub App token.`
        : `Cannot ${operation} in ${target}: the token is not allowed to (HTTP 403: ${detail}). To let tier-audit maintain the tracking issue, ${GRANT}.`;
      break;
    case 404:
      message = `Cannot ${operation} in ${target}: not found (HTTP 404). Check the \`issue-repository\` input; if ${target} exists, the token cannot see it: give the token access to that repository and ${GRANT}.`;
      break;
    case 410:
      message = `Cannot ${operation} in ${target}: issues are disabled in that repository (HTTP 410). Enable them (Settings → General → Features → Issues) or point \`issue-repository\` at a repository with issues enabled.`;
      break;
    case 422:
      message = `GitHub rejected the request to ${operation} in ${target} (HTTP 422: ${detail}). This is a validation error: check the \`issue-title\` and \`issue-label\` inputs; if it persists, report it with this message.`;
      break;
    default:
      message =
        status === null
          ? `Cannot ${operation} in ${target}: ${detail}`
          : `Cannot ${operation} in ${target}: GitHub answered HTTP ${status} (${detail}). Retry later; if it persists, check the GitHub status page.`;
  }
  return new PublishError(message, status, operation);
}
