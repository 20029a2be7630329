/**
 * Reads that cost points beyond the page query — the default branch's protection (rulesets and the
 * classic rule) and the newest issues with their first comments — made only for repositories whose
 * tier asks for them, in their own query: aliased `repository(owner:, name:)` lookups, at most
 * `EXTRAS_BATCH` repositories per request.
 *
 * Cost (GitHub's algorithm): per repository, `rules` is one request and `issues` one more, plus one
 * per issue for its nested `comments`. The issue sample is sized per batch so that a batch stays under
 * 150 requests, which GitHub rounds to 1 point: at most 1 point per 25 repositories.
 */
import type {
  BranchProtection,
  ExtraRead,
  ExtraReadKind,
  IssueSample,
  RepoSnapshot,
  SampledIssue,
} from '../snapshot.js';
import { RateLimitExhaustedError, type GitHubClient, type GraphqlError } from './client.js';
import { RATE_LIMIT } from './queries.js';

/** Repositories per request. */
export const EXTRAS_BATCH = 25;
/** Requests a batch may need and still cost 1 point (GitHub rounds requests / 100). */
export const EXTRAS_REQUESTS_PER_POINT = 149;
export const ISSUES_MIN = 3;
export const ISSUES_MAX = 50;
export const COMMENTS_PER_ISSUE = 10;
export const RULES_PER_BRANCH = 25;

export interface ExtrasRequest {
  snapshot: RepoSnapshot;
  reads: ReadonlySet<ExtraReadKind>;
}

export interface ExtrasCost {
  /** Repositories read. */
  repositories: number;
  requests: number;
  /** Points charged (null when GitHub does not rate limit). */
  points: number | null;
}

/** Issues per repository for a batch: as many as keep the batch within 1 point, at least `ISSUES_MIN`. */
export function issueSampleSize(protectionReads: number, issueReads: number): number {
  if (issueReads === 0) return 0;
  const left = EXTRAS_REQUESTS_PER_POINT - protectionReads - issueReads;
  return Math.max(ISSUES_MIN, Math.min(ISSUES_MAX, Math.floor(left / issueReads)));
}

const PROTECTION_FIELDS = `defaultBranchRef {
      name
      rules(first: ${RULES_PER_BRANCH}) {
        nodes {
          type
          repositoryRuleset {
            name
            enforcement
          }
          parameters {
            ... on PullRequestParameters {
              requiredApprovingReviewCount
            }
          }
        }
      }
      branchProtectionRule {
        pattern
        requiresApprovingReviews
        requiredApprovingReviewCount
      }
    }`;

const ACTOR = `author {
          __typename
          login
        }`;

function issueFields(): string {
  return `issues(first: $issues, orderBy: { field: CREATED_AT, direction: DESC }) {
      nodes {
        number
        url
        createdAt
        closedAt
        authorAssociation
        ${ACTOR}
        comments(first: ${COMMENTS_PER_ISSUE}) {
          nodes {
            createdAt
            authorAssociation
            ${ACTOR}
          }
        }
      }
    }`;
}

/** The `RepositoryExtras` document for a batch (aliases r0, r1…; variables o0/n0…, and `issues`). */
export function extrasQuery(requests: ExtrasRequest[]): string {
  const variables = requests.map((_, i) => `$o${i}: String!, $n${i}: String!`);
  const anyIssues = requests.some((r) => r.reads.has('issue-responses'));
  if (anyIssues) variables.push('$issues: Int!');
  const lookups = requests.map((request, i) => {
    const parts = ['nameWithOwner', 'viewerPermission', 'hasIssuesEnabled'];
    if (request.reads.has('branch-protection')) parts.push(PROTECTION_FIELDS);
    if (request.reads.has('issue-responses')) parts.push(issueFields());
    return `  r${i}: repository(owner: $o${i}, name: $n${i}) {\n    ${parts.join('\n    ')}\n  }`;
  });
  return `query RepositoryExtras(${variables.join(', ')}) {
  ${RATE_LIMIT}
${lookups.join('\n')}
}`;
}

// ---- Answer shapes ----

interface ActorFields {
  __typename: string;
  login: string;
}

interface ExtrasRepositoryFields {
  nameWithOwner: string;
  viewerPermission: string | null;
  hasIssuesEnabled: boolean;
  defaultBranchRef?: {
    name: string;
    rules: {
      nodes:
        | ({
            type: string;
            repositoryRuleset: { name: string; enforcement: string } | null;
            parameters: { requiredApprovingReviewCount?: number } | null;
          } | null)[]
        | null;
    } | null;
    branchProtectionRule: {
      pattern: string;
      requiresApprovingReviews: boolean;
      requiredApprovingReviewCount: number | null;
    } | null;
  } | null;
  issues?: {
    nodes:
      | ({
          number: number;
          url: string;
          createdAt: string;
          closedAt: string | null;
          authorAssociation: string;
          author: ActorFields | null;
          comments: {
            nodes:
              ({ createdAt: string; authorAssociation: string; author: ActorFields | null } | null)[] | null;
          } | null;
        } | null)[]
      | null;
  };
}

type ExtrasData = Record<string, ExtrasRepositoryFields | null> & {
  rateLimit?: { cost: number; remaining: number; resetAt: string; limit: number } | null;
};

function firstMessage(errors: GraphqlError[]): string {
  return errors[0]?.message ?? 'GitHub returned no data';
}

/** Maps one repository's answer; `errors` are those under its alias (paths relative to it). */
export function mapExtras(
  node: ExtrasRepositoryFields | null,
  errors: GraphqlError[],
  reads: ReadonlySet<ExtraReadKind>,
  issueLimit: number,
): { branchProtection?: ExtraRead<BranchProtection>; issueResponses?: ExtraRead<IssueSample> } {
  const out: { branchProtection?: ExtraRead<BranchProtection>; issueResponses?: ExtraRead<IssueSample> } = {};
  const under = (field: string, sub?: string) =>
    errors.filter((e) => e.path?.[0] === field && (sub === undefined || e.path?.[1] === sub));
  if (reads.has('branch-protection')) {
    const branch = node?.defaultBranchRef;
    const ruleErrors = under('defaultBranchRef', 'rules');
    if (!node || (branch === undefined && errors.length) || ruleErrors.length) {
      out.branchProtection = {
        state: 'error',
        message: firstMessage(ruleErrors.length ? ruleErrors : errors),
      };
    } else if (!branch) {
      out.branchProtection = { state: 'error', message: 'the repository has no default branch' };
    } else {
      const pullRequestRules: BranchProtection['pullRequestRules'] = [];
      const evaluateOnly: string[] = [];
      for (const rule of branch.rules?.nodes ?? []) {
        if (!rule || rule.type !== 'PULL_REQUEST') continue;
        const ruleset = rule.repositoryRuleset;
        if (ruleset && ruleset.enforcement !== 'ACTIVE') {
          if (ruleset.enforcement === 'EVALUATE' && !evaluateOnly.includes(ruleset.name))
            evaluateOnly.push(ruleset.name);
          continue;
        }
        pullRequestRules.push({
          ruleset: ruleset?.name ?? null,
          requiredApprovals: rule.parameters?.requiredApprovingReviewCount ?? 0,
        });
      }
      // Classic protection is readable with admin access only: for anyone else GitHub answers null.
      const classicErrors = under('defaultBranchRef', 'branchProtectionRule');
      const classicReadable = classicErrors.length === 0 && node.viewerPermission === 'ADMIN';
      const rule = branch.branchProtectionRule;
      out.branchProtection = {
        state: 'read',
        value: {
          branch: branch.name,
          pullRequestRules,
          evaluateOnly,
          classic: rule
            ? {
                pattern: rule.pattern,
                requiresPullRequest: rule.requiresApprovingReviews,
                requiredApprovals: rule.requiredApprovingReviewCount ?? 0,
              }
            : null,
          classicReadable: classicReadable || rule !== null,
          viewerPermission: node.viewerPermission,
        },
      };
    }
  }
  if (reads.has('issue-responses')) {
    const issueErrors = under('issues');
    if (!node || issueErrors.length || node.issues === undefined) {
      out.issueResponses = {
        state: 'error',
        message: firstMessage(issueErrors.length ? issueErrors : errors),
      };
    } else {
      const actor = (a: ActorFields | null) => ({ login: a?.login ?? null, bot: a?.__typename === 'Bot' });
      const issues: SampledIssue[] = (node.issues.nodes ?? []).flatMap((issue) => {
        if (!issue) return [];
        const author = actor(issue.author);
        return [
          {
            number: issue.number,
            url: issue.url,
            createdAt: issue.createdAt,
            closedAt: issue.closedAt,
            author: author.login,
            authorIsBot: author.bot,
            authorAssociation: issue.authorAssociation,
            comments: (issue.comments?.nodes ?? []).flatMap((c) => {
              if (!c) return [];
              const who = actor(c.author);
              return [
                {
                  author: who.login,
                  authorIsBot: who.bot,
                  authorAssociation: c.authorAssociation,
                  createdAt: c.createdAt,
                },
              ];
            }),
          },
        ];
      });
      out.issueResponses = {
        state: 'read',
        value: {
          issues,
          limit: issueLimit,
          commentsPerIssue: COMMENTS_PER_ISSUE,
          hasIssuesEnabled: node.hasIssuesEnabled,
        },
      };
    }
  }
  return out;
}

/**
 * Reads what each request asks for, `EXTRAS_BATCH` repositories per query, and stores it on the
 * snapshots (`branchProtection`, `issueResponses`). Never throws: a failed read is an `error` value on
 * the snapshots it concerns. Returns what it cost.
 */
export async function readExtras(client: GitHubClient, requests: ExtrasRequest[]): Promise<ExtrasCost> {
  const cost: ExtrasCost = { repositories: 0, requests: 0, points: null };
  for (let start = 0; start < requests.length; start += EXTRAS_BATCH) {
    const batch = requests.slice(start, start + EXTRAS_BATCH).filter((r) => r.reads.size > 0);
    if (batch.length === 0) continue;
    const protectionReads = batch.filter((r) => r.reads.has('branch-protection')).length;
    const issueReads = batch.filter((r) => r.reads.has('issue-responses')).length;
    const issues = issueSampleSize(protectionReads, issueReads);
    const variables: Record<string, unknown> = {};
    batch.forEach((r, i) => {
      variables[`o${i}`] = r.snapshot.owner;
      variables[`n${i}`] = r.snapshot.name;
    });
    if (issueReads > 0) variables.issues = issues;
    cost.repositories += batch.length;
    const counter = { requests: 0 };
    try {
      const result = await client.graphql<ExtrasData>(extrasQuery(batch), variables, { count: counter });
      const rate = result.data?.rateLimit;
      if (rate) cost.points = (cost.points ?? 0) + rate.cost;
      batch.forEach((request, i) => {
        const alias = `r${i}`;
        const errors = result.errors
          .filter((e) => e.path?.[0] === alias)
          .map((e) => ({ ...e, path: e.path?.slice(1) }));
        const node = result.data?.[alias] ?? null;
        const general = node === null && errors.length === 0 ? result.errors : errors;
        Object.assign(request.snapshot, mapExtras(node, general, request.reads, issues));
      });
    } catch (error) {
      const message =
        error instanceof RateLimitExhaustedError
          ? `not read (rate limit): ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      for (const request of batch) {
        if (request.reads.has('branch-protection'))
          request.snapshot.branchProtection = { state: 'error', message };
        if (request.reads.has('issue-responses'))
          request.snapshot.issueResponses = { state: 'error', message };
      }
    }
    cost.requests += counter.requests;
  }
  return cost;
}
