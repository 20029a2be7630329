/**
 * The pipeline, and nothing else: collect → resolve → evaluate → report → publish.
 * Entry points (main.ts for the action, cli.ts for the command line) wire inputs to `runAudit`.
 */
import type { Policy } from './config/types.js';
import type { GitHubClient } from './github/client.js';
import { collectOrganization } from './github/collect.js';
import { readRepositoryFile } from './github/files.js';
import { readCustomProperties } from './github/properties.js';
import type { Logger } from './log.js';
import type { AuditReport } from './report/model.js';
import { cumulativeTierRequirements } from './tiers/model.js';
import { parseRegistry } from './tiers/registry.js';
import { OrganizationEvaluator, type EvaluationInput } from './evaluate/evaluate.js';
import { restIssueApi } from './github/issues.js';
import { publishTrackingIssue, type PublishResult } from './publish/index.js';
import { renderJobSummary } from './report/summary-markdown.js';
import { TOOL_VERSION } from './version.js';

export interface IssueTarget {
  owner: string;
  repo: string;
  title: string;
  label: string;
  closeWhenCompliant: boolean;
  commentOnChange: boolean;
  mentionOwners: boolean;
}

export interface AuditOptions {
  organization: string;
  policy: Policy;
  /** The audit clock: reports and checks use it, never the system clock. */
  now: Date;
  /** Compute everything, write nothing to GitHub. */
  dryRun: boolean;
  /** Where the tracking issue lives; null = do not publish (CLI without --issue-repository). */
  issue: IssueTarget | null;
  run: { id: string | null; url: string | null };
  /** Name of the JSON report file, mentioned by the job summary when it must be shortened. */
  reportFileName: string;
  pageSize?: number;
}

export interface AuditOutcome {
  report: AuditReport;
  publish: PublishResult | null;
  /** Markdown for the job summary (in a dry run: the exact issue body that would be written). */
  summaryMarkdown: string;
}

type RegistryInput = EvaluationInput['registry'];

async function loadRegistry(
  client: GitHubClient,
  organization: string,
  policy: Policy,
  log: Logger,
): Promise<RegistryInput> {
  const inline = policy.registryEntries.map((entry) => ({ name: entry.name, status: entry.status }));
  if (!policy.registry) {
    return inline.length > 0 ? { entries: inline, problems: [], error: null } : null;
  }
  const source = policy.registry;
  const [owner, repo] = source.repository.includes('/')
    ? source.repository.split('/', 2)
    : [organization, source.repository];
  const label = `${owner}/${repo}/${source.path}`;
  const file = await readRepositoryFile(client, owner, repo, source.path, source.ref ?? undefined);
  if (file.kind === 'missing') {
    const error = `registry ${label} was not found (check registry.repository and registry.path, and that the token can read it)`;
    log.warning(error);
    return { entries: inline, problems: [], error };
  }
  if (file.kind === 'error') {
    const error = `registry ${label} could not be read: ${file.message}`;
    log.warning(error);
    return { entries: inline, problems: [], error };
  }
  const parsed = parseRegistry(file.text, label, source.field);
  log.info(`Registry ${label}: ${parsed.entries.length} entries`);
  return { entries: [...parsed.entries, ...inline], problems: parsed.problems, error: null };
}

export async function runAudit(
  options: AuditOptions,
  deps: { client: GitHubClient; log: Logger },
): Promise<AuditOutcome> {
  const { client, log } = deps;
  const { organization, policy, now } = options;

  // Everything evaluation needs besides the repositories themselves comes first, so each repository
  // is evaluated as its page arrives and its snapshot (file texts included) is dropped at once.
  const errors: AuditReport['errors'] = [];
  const registry = await loadRegistry(client, organization, policy, log);
  if (registry?.error) errors.push({ repository: null, message: registry.error });
  let customProperties: Map<string, Record<string, string | string[] | null>> | null = null;
  if (policy.declarations.includes('custom-property')) {
    const properties = await readCustomProperties(client, organization, log);
    if ('warning' in properties) log.warning(properties.warning);
    else customProperties = properties.values;
  }

  log.info(`Collecting the repositories of ${organization}…`);
  let evaluator: OrganizationEvaluator | null = null;
  const collected = await collectOrganization(client, {
    org: organization,
    log,
    pageSize: options.pageSize,
    communityRepository: policy.communityRepository,
    onOrganization: (org) => {
      evaluator = new OrganizationEvaluator({ policy, org, now, registry });
    },
    onRepository: (snapshot) => {
      if (customProperties) snapshot.customProperties = customProperties.get(snapshot.name) ?? {};
      evaluator!.add(snapshot);
    },
  });
  log.info(
    `${collected.visibleRepositories} repositories visible; ${collected.read} read, ${collected.unreadable.length} not readable`,
  );
  errors.unshift(...collected.errors);
  const evaluation = (
    evaluator ?? new OrganizationEvaluator({ policy, org: collected.org, now, registry })
  ).finish(collected.unreadable);

  const report: AuditReport = {
    schemaVersion: 1,
    tool: { name: 'tier-audit', version: TOOL_VERSION },
    generatedAt: now.toISOString(),
    organization,
    summary: evaluation.summary,
    repositories: evaluation.repositories,
    errors,
    drift: evaluation.drift,
    policy: {
      tiers: policy.tiers.map((tier) => ({
        id: tier.id,
        aliases: tier.aliases,
        requires: cumulativeTierRequirements(policy, tier.id).map((requirement) => requirement.check),
      })),
    },
    run: options.run,
    coverage: {
      visibleRepositories: collected.visibleRepositories,
      graphqlPoints: collected.cost.points ?? undefined,
      requests: collected.cost.requests,
      notEvaluated: collected.unreadable.length,
    },
  };

  let publish: PublishResult | null = null;
  if (options.issue) {
    publish = await publishTrackingIssue(restIssueApi(client.rest, options.issue.owner, options.issue.repo), {
      organization,
      title: options.issue.title,
      label: options.issue.label,
      report,
      runId: options.run.id,
      runUrl: options.run.url,
      now,
      dryRun: options.dryRun,
      closeWhenCompliant: options.issue.closeWhenCompliant,
      commentOnChange: options.issue.commentOnChange,
      mentionOwners: options.issue.mentionOwners,
      log,
    });
  }

  const summaryMarkdown = renderJobSummary(report, {
    now,
    reportFileName: options.reportFileName,
    dryRunBody: options.dryRun && publish ? publish.body : null,
  });
  return { report, publish, summaryMarkdown };
}
