/**
 * Every GitHub issue operation the publisher needs, behind one interface (`IssueApi`), so that no Octokit
 * type or API shape is used outside src/github. `restIssueApi` implements it with the action's REST client;
 * tests may give the publisher any other implementation.
 *
 * Errors are thrown as received (Octokit's request errors carry `status` and `response.data`); the publisher
 * turns them into messages that name the fix.
 */
import type { RestClient } from './rest.js';

export interface IssueRecord {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  htmlUrl: string;
  /** Login of the author (REST form: `github-actions[bot]` for the Actions token), or null (ghost). */
  author: string | null;
  isPullRequest: boolean;
}

export interface CommentRecord {
  id: number;
  body: string;
  author: string | null;
}

export interface IssuePatch {
  title?: string;
  body?: string;
  state?: 'open' | 'closed';
  stateReason?: 'completed' | 'reopened' | 'not_planned';
}

export interface ListIssuesQuery {
  /** Only issues carrying this label (null: any). */
  label: string | null;
  sort: 'created' | 'updated';
  direction: 'asc' | 'desc';
  /** 1-based page of 100 issues. */
  page: number;
}

/** Page size of every list call. */
export const ISSUE_PAGE_SIZE = 100;

/** The issues of one repository, as the publisher sees them. */
export interface IssueApi {
  /** `owner/repo`, for messages. */
  readonly target: string;
  /**
   * The login of the identity the token acts as (the author of everything the action writes), or null when
   * GitHub does not say. Resolved once per call site; cheap to call again.
   */
  viewerLogin(): Promise<string | null>;
  /** One page of issues (pull requests included: check `isPullRequest`). */
  listIssues(query: ListIssuesQuery): Promise<IssueRecord[]>;
  /** One page (1-based, 100 per page) of an issue's comments, oldest first. */
  listComments(issueNumber: number, page: number): Promise<CommentRecord[]>;
  labelExists(name: string): Promise<boolean>;
  createLabel(label: { name: string; color: string; description: string }): Promise<void>;
  createIssue(issue: {
    title: string;
    body: string;
    labels: string[];
  }): Promise<{ number: number; htmlUrl: string }>;
  updateIssue(issueNumber: number, patch: IssuePatch): Promise<void>;
  createComment(issueNumber: number, body: string): Promise<void>;
  updateComment(commentId: number, body: string): Promise<void>;
  deleteComment(commentId: number): Promise<void>;
}

/**
 * GitHub writes bot logins `name[bot]` in REST and `name` or `name[bot]` in GraphQL: compare logins
 * without that suffix, case-insensitively.
 */
export function sameLogin(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  const normal = (login: string) => login.toLowerCase().replace(/\[bot\]$/, '');
  return normal(a) === normal(b);
}

/** The identity of the Actions `GITHUB_TOKEN`, assumed when GitHub does not name the viewer. */
export const ACTIONS_TOKEN_LOGIN = 'github-actions[bot]';

const VIEWER_QUERY = 'query Viewer { viewer { login } }';

function statusOf(error: unknown): number | null {
  return error && typeof error === 'object' && typeof (error as { status?: unknown }).status === 'number'
    ? (error as { status: number }).status
    : null;
}

export function restIssueApi(rest: RestClient, owner: string, repo: string): IssueApi {
  let viewer: Promise<string | null> | null = null;
  return {
    target: `${owner}/${repo}`,
    viewerLogin() {
      // GraphQL `viewer` answers for user tokens, PATs and App installation tokens alike (REST GET /user
      // refuses installation tokens).
      viewer ??= rest
        .graphql<{ viewer: { login: string } | null }>(VIEWER_QUERY)
        .then((data) => data.viewer?.login ?? null)
        .catch(() => null);
      return viewer;
    },
    async listIssues(query) {
      const response = await rest.rest.issues.listForRepo({
        owner,
        repo,
        ...(query.label ? { labels: query.label } : {}),
        state: 'all',
        sort: query.sort,
        direction: query.direction,
        per_page: ISSUE_PAGE_SIZE,
        page: query.page,
      });
      return response.data.map((item) => ({
        number: item.number,
        title: item.title,
        body: item.body ?? '',
        state: item.state === 'closed' ? 'closed' : 'open',
        htmlUrl: item.html_url,
        author: item.user?.login ?? null,
        isPullRequest: Boolean(item.pull_request),
      }));
    },
    async listComments(issueNumber, page) {
      const response = await rest.rest.issues.listComments({
        owner,
        repo,
        issue_number: issueNumber,
        per_page: ISSUE_PAGE_SIZE,
        page,
      });
      return response.data.map((comment) => ({
        id: comment.id,
        body: comment.body ?? '',
        author: comment.user?.login ?? null,
      }));
    },
    async labelExists(name) {
      try {
        await rest.rest.issues.getLabel({ owner, repo, name });
        return true;
      } catch (error) {
        if (statusOf(error) === 404) return false;
        throw error;
      }
    },
    async createLabel(label) {
      await rest.rest.issues.createLabel({ owner, repo, ...label });
    },
    async createIssue(issue) {
      const created = await rest.rest.issues.create({ owner, repo, ...issue });
      return { number: created.data.number, htmlUrl: created.data.html_url };
    },
    async updateIssue(issueNumber, patch) {
      await rest.rest.issues.update({
        owner,
        repo,
        issue_number: issueNumber,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.body !== undefined ? { body: patch.body } : {}),
        ...(patch.state !== undefined ? { state: patch.state } : {}),
        ...(patch.stateReason !== undefined ? { state_reason: patch.stateReason } : {}),
      });
    },
    async createComment(issueNumber, body) {
      await rest.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    },
    async updateComment(commentId, body) {
      await rest.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
    },
    async deleteComment(commentId) {
      await rest.rest.issues.deleteComment({ owner, repo, comment_id: commentId });
    },
  };
}
