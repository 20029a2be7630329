/**
 * The pipeline, and nothing else: collect → resolve → evaluate → report → publish.
 * Entry points (main.ts for the action, cli.ts for the command line) wire inputs to `runAudit`.
 */
import { getCheck } from './checks/index.js';
import type { Policy } from './config/types.js';
import type { CachedFacts, FactsStore, FactsWriter } from './facts/store.js';
import type { GitHubClient } from './github/client.js';
import { collectOrganization, type RepositoryOrigin } from './github/collect.js';
import { EXTRAS_BATCH, readExtras, type ExtrasCost, type ExtrasRequest } from './github/extras.js';
import { readRepositoryFile } from './github/files.js';
import { readCustomProperties } from './github/properties.js';
import { PeopleStage } from './github/people.js';
import { NestedOwnersReader } from './github/owners-tree.js';
import { loginsToVerify, peopleNeeds } from './checks/people-needs.js';
import { needsAnything } from './people.js';
import type { Logger } from './log.js';
import { renderBadgeFiles } from './report/badges.js';
import type { AuditReport } from './report/model.js';
import { cumulativeTierRequirements, inForceRequirements } from './tiers/model.js';
import type { ExtraReadKind, RepoSnapshot } from './snapshot.js';
import { parseRegistry } from './tiers/registry.js';
import { ConfigError } from './policy-source.js';
import { OrganizationEvaluator, type EvaluationInput } from './evaluate/evaluate.js';
import { restBranchFilesApi } from './github/git-data.js';
import { restIssueApi } from './github/issues.js';
import { publishTrackingIssue, type PublishResult } from './publish/index.js';
import { JsonReportFile } from './report/sink.js';
import { renderJobSummary } from './report/summary-markdown.js';
import { TOOL_VERSION } from './version.js';

/** Batches of extra reads outstanding while the pages are read. */
const EXTRAS_IN_FLIGHT = 2;
/**
 * Repositories waiting for their people at most (then what is queued is asked at once, in a partial
 * batch): a few pages of snapshots at most, so memory stays bounded.
 */
const PEOPLE_HOLD = 250;

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
  /**
   * Where to write the JSON report (schema version 1), streamed repository by repository as they are
   * evaluated (src/report/sink.ts) and completed before anything is published; `redact` is applied to
   * every piece written. With it, `AuditOutcome.report` holds compact repository records
   * (`compactRepository`) and memory stays flat; without it (tests, the command line without `--json`),
   * every repository's full report is kept in memory.
   */
  jsonReport?: { path: string; redact?: (text: string) => string } | null;
  pageSize?: number;
  /**
   * Incremental audits: where the facts of earlier audits are stored. Without it every repository is read
   * from GitHub on every run (and nothing is stored).
   */
  facts?: FactsOptions | null;
  /**
   * Status badges: rendered when set; committed to `branch` of the issue repository unless dry run or
   * `branch` is null (the caller then writes `AuditOutcome.badges.files` where it wants).
   */
  badges?: { branch: string | null } | null;
}

export interface BadgesOutcome {
  /** Path → content (src/report/badges.ts). */
  files: Map<string, string>;
  /** Where they were committed (`owner/repo@branch`), null when not committed. */
  target: string | null;
  /** The new commit; null when nothing changed or nothing was committed. */
  commit: string | null;
  /** Why they could not be committed (the audit itself is unaffected). */
  error: string | null;
}

export interface FactsOptions {
  store: FactsStore;
  /** Read every repository when the last full read is this many days old or older (default 7). */
  fullAuditDays: number;
  /** Read every repository now. */
  fullAudit: boolean;
}

/** The stored facts this audit may reuse (null: read everything) and the writer of this audit's facts. */
async function openFacts(
  options: FactsOptions,
  organization: string,
  now: Date,
  log: Logger,
): Promise<{ cache: CachedFacts | null; writer: FactsWriter | null; notice: string | null }> {
  const loaded = await options.store.load(organization);
  let cache = loaded.cache;
  let notice = loaded.notice;
  if (notice) {
    if (/holds no facts/.test(notice)) log.info(notice);
    else log.warning(notice);
  }
  if (cache) {
    const last = cache.lastFullAuditAt ? Date.parse(cache.lastFullAuditAt) : Number.NaN;
    const ageDays = Number.isNaN(last) ? Number.POSITIVE_INFINITY : (now.getTime() - last) / 86_400_000;
    const why = options.fullAudit
      ? 'a full audit was asked for'
      : ageDays >= options.fullAuditDays
        ? `the last full read (${cache.lastFullAuditAt ?? 'unknown'}) is ${options.fullAuditDays} or more days old (full-audit-days)`
        : null;
    if (why) {
      notice = `every repository is read from GitHub: ${why}`;
      log.info(notice);
      // A full read stores every repository afresh: the earlier facts back nothing.
      cache.close();
      cache = null;
    } else {
      log.info(
        `Incremental audit: ${cache.repositories} repositories stored by the audit of ${cache.writtenAt ?? 'an earlier run'}; only what changed is read`,
      );
    }
  }
  let writer: FactsWriter | null = null;
  try {
    writer = await options.store.begin(organization, cache);
  } catch (error) {
    log.warning(`the facts of this audit will not be stored: ${(error as Error).message}`);
  }
  return { cache, writer, notice };
}

export interface AuditOutcome {
  /** With `jsonReport`, its repositories are compact records; the full report is the file. */
  report: AuditReport;
  publish: PublishResult | null;
  /** Markdown for the job summary (in a dry run: the exact issue body that would be written). */
  summaryMarkdown: string;
  badges: BadgesOutcome | null;
}

type RegistryInput = EvaluationInput['registry'];

async function loadRegistry(
  client: GitHubClient,
  organization: string,
  policy: Policy,
  log: Logger,
): Promise<RegistryInput> {
  const inline = policy.registryEntries.map((entry) => ({
    name: entry.name,
    status: entry.status,
    fields: { ...(entry.status === null ? {} : { status: entry.status }), ...entry.fields },
  }));
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
  if (file.kind === 'not-a-file') {
    throw new ConfigError(
      `registry.path '${source.path}' in ${owner}/${repo} is ${file.what === 'tree' ? 'a directory' : `a ${file.what}`}, not a file: set \`registry.path\` to the registry file itself (e.g. repositories.yaml)`,
    );
  }
  if (file.kind === 'error') {
    const error = `registry ${label} could not be read: ${file.message}`;
    log.warning(error);
    return { entries: inline, problems: [], error };
  }
  const parsed = parseRegistry(file.text, label, source.field);
  if (parsed.unreadable !== undefined) {
    log.warning(parsed.unreadable);
    return { entries: inline, problems: [], error: parsed.unreadable };
  }
  log.info(`Registry ${label}: ${parsed.entries.length} entries`);
  return { entries: [...parsed.entries, ...inline], problems: parsed.problems, error: null };
}

export interface AuditDependencies {
  client: GitHubClient;
  log: Logger;
  /**
   * Receives the finished report and its job summary before anything is written to GitHub, so a
   * failure to publish cannot lose them (the action writes `report-path` and the job summary here),
   * and once more after publishing, with the summary completed by what publishing read (the trend);
   * each call replaces the previous one. In a dry run, which writes nothing, it comes only after the
   * tracking issue is planned (or, if planning fails, before that error is thrown).
   */
  onReport?: (report: AuditReport, summaryMarkdown: string) => Promise<void>;
  /** Collects the garbage between stages (src/heap.ts `startHeapPacer`); absent, V8 decides alone. */
  heap?: { settle(): void } | null;
}

export async function runAudit(options: AuditOptions, deps: AuditDependencies): Promise<AuditOutcome> {
  const jsonReport = options.jsonReport
    ? new JsonReportFile(
        options.jsonReport.path,
        options.policy.tiers.map((tier) => tier.id),
        options.jsonReport.redact,
      )
    : null;
  try {
    return await runPipeline(options, deps, jsonReport);
  } finally {
    jsonReport?.close();
  }
}

async function runPipeline(
  options: AuditOptions,
  deps: AuditDependencies,
  jsonReport: JsonReportFile | null,
): Promise<AuditOutcome> {
  const { client, log } = deps;
  const { organization, policy, now } = options;

  // Everything evaluation needs besides the repositories themselves comes first, so each repository
  // is evaluated as its page arrives and its snapshot (file texts included) is dropped at once.
  const errors: AuditReport['errors'] = [];
  const registry = await loadRegistry(client, organization, policy, log);
  if (registry?.error) errors.push({ repository: null, message: registry.error });
  // Custom properties (REST) are read while the GraphQL pages are: the first repository waits for them.
  const customProperties = policy.declarations.includes('custom-property')
    ? readCustomProperties(client, organization, log).then((properties) => {
        if ('values' in properties) return properties.values;
        log.warning(properties.warning);
        return null;
      })
    : null;
  // Never an unhandled rejection while the pages are read (it is awaited, and thrown, with the first one).
  customProperties?.catch(() => undefined);

  const facts = options.facts ? await openFacts(options.facts, organization, now, log) : null;

  // People (accounts, membership, activity, teams) and the OWNERS below the root, only when the
  // policy's checks need them: read per page before its evaluation, each person once per audit.
  const needs = peopleNeeds(policy);
  const people = needsAnything(needs)
    ? new PeopleStage(client, { org: organization, now, needs, log })
    : null;
  const treeCost = { requests: 0, points: 0 };
  const nested = needs.nestedOwners ? new NestedOwnersReader(client, log, treeCost) : null;
  // A page's people are queued and asked in full batches (50 logins a request, however they spread over
  // the pages), and so are the texts of the OWNERS below the root (100 files a request; a repository's
  // people are queued once its texts are read); a repository naming someone not verified yet, or waiting
  // for its texts, waits in `held` (at most PEOPLE_HOLD of them) until they are asked.
  let held: { snapshot: RepoSnapshot; origin: RepositoryOrigin }[] = [];
  const settled = (name: string) => !nested?.pending(name) && people!.settled(name);
  const releaseHeld = async () => {
    const ready = held.filter((item) => settled(item.snapshot.name));
    held = held.filter((item) => !ready.includes(item));
    for (const item of ready) await admit(item.snapshot, item.origin);
  };
  const queuePeople = (snapshots: RepoSnapshot[]) =>
    people!.queue(
      snapshots.map((snapshot) => ({ repository: snapshot.name, logins: loginsToVerify(snapshot, needs) })),
    );
  /** Reads queued OWNERS texts (full requests, or all) and queues the people of the repositories done. */
  const flushNested = async (all: boolean) => {
    if (nested) await queuePeople(await nested.flush(all));
  };
  /** Asks everything queued: texts first (they name people), then people. */
  const flushAll = async () => {
    await flushNested(true);
    await people!.flush(true);
    await releaseHeld();
  };
  const beforePage = people
    ? async (page: RepoSnapshot[]) => {
        const audited = page.filter((snapshot) => !snapshot.archived || policy.filters.archived);
        if (nested) {
          await nested.queue(audited);
          await flushNested(false);
        }
        await queuePeople(audited.filter((snapshot) => !nested?.pending(snapshot.name)));
        await people.flush(false);
        await releaseHeld();
      }
    : undefined;

  log.info(`Collecting the repositories of ${organization}…`);
  let evaluator: OrganizationEvaluator | null = null;
  // Repositories whose tier asks for extra reads (branch protection, issues) they do not hold yet wait
  // here, at most one batch of them, until their reads are made together; the others are evaluated at
  // once. Extra reads are stored with the facts once made (src/facts/store.ts).
  let pending: (ExtrasRequest & { origin: RepositoryOrigin })[] = [];
  const store = (snapshot: RepoSnapshot, origin: RepositoryOrigin) => {
    if (!facts?.writer) return;
    // Stored facts are written again (not copied): they may have gained reads in this audit. A partly
    // read repository is read again next time rather than stored.
    if (snapshot.problems.length === 0) facts.writer.put(origin.stamp, snapshot);
    else if (origin.source === 'cache') facts.writer.keep(origin.stamp.id);
  };
  const extras: ExtrasCost = { repositories: 0, requests: 0, points: null };
  // A full batch is read while the pages go on (readExtras never throws; the governor keeps the two
  // within GitHub's secondary limits); at most EXTRAS_IN_FLIGHT batches are outstanding.
  const inFlight: Promise<void>[] = [];
  const flushExtras = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const read = readExtras(client, batch).then((cost) => {
      extras.repositories += cost.repositories;
      extras.requests += cost.requests;
      if (cost.points !== null) extras.points = (extras.points ?? 0) + cost.points;
      for (const request of batch) {
        store(request.snapshot, request.origin);
        evaluator!.add(request.snapshot);
      }
    });
    inFlight.push(read);
    if (inFlight.length > EXTRAS_IN_FLIGHT) await inFlight.shift();
  };
  const drainExtras = async () => {
    await flushExtras();
    while (inFlight.length > 0) await inFlight.shift();
  };
  // A repository whose people are verified: evaluated now, or after its extra reads.
  const admit = async (snapshot: RepoSnapshot, origin: RepositoryOrigin) => {
    const values = await customProperties;
    if (values) snapshot.customProperties = values.get(snapshot.name) ?? {};
    const reads = unheldExtraReads(snapshot, evaluator!.extraReadsFor(snapshot));
    if (reads.size === 0) {
      store(snapshot, origin);
      evaluator!.add(snapshot);
      return;
    }
    pending.push({ snapshot, reads, origin });
    if (pending.length >= EXTRAS_BATCH) await flushExtras();
  };
  let collected;
  try {
    collected = await collectOrganization(client, {
      org: organization,
      log,
      pageSize: options.pageSize,
      communityRepository: policy.communityRepository,
      nestedOwners: needs.nestedOwners,
      cache: facts?.cache ?? null,
      beforePage,
      onOrganization: (org) => {
        evaluator = new OrganizationEvaluator({
          policy,
          org,
          now,
          registry,
          people: people?.book,
          sink: jsonReport ?? undefined,
        });
      },
      onRepository: async (snapshot, origin) => {
        if (people && !settled(snapshot.name)) {
          held.push({ snapshot, origin });
          if (held.length >= PEOPLE_HOLD) await flushAll();
          return;
        }
        await admit(snapshot, origin);
      },
    });
    if (people) await flushAll();
    await drainExtras();
  } catch (error) {
    await Promise.allSettled(inFlight);
    await facts?.writer?.abort();
    facts?.cache?.close();
    throw error;
  }
  if (facts?.writer) {
    try {
      await facts.writer.commit({ now, fullRead: collected.mode === 'full' && collected.complete });
    } catch (error) {
      log.warning(`the facts of this audit could not be stored: ${(error as Error).message}`);
    }
  }
  facts?.cache?.close();
  if (extras.repositories > 0) {
    log.info(
      `Extra reads (branch protection, issues) for ${extras.repositories} repositories: ${extras.points ?? '?'} point(s) in ${extras.requests} request(s)`,
    );
  }
  log.info(
    `${collected.visibleRepositories} repositories visible; ${collected.read} read from GitHub` +
      (collected.mode === 'incremental' ? `, ${collected.fromCache} unchanged from stored facts` : '') +
      `, ${collected.unreadable.length} not readable`,
  );
  const governed = client.governor.stats;
  log.info(
    `Secondary limits: at most ${governed.peakConcurrent} request(s) at once, ${Math.round(governed.waitedMs / 1000)} s spent waiting for GitHub's per-minute budgets` +
      (governed.backoffs > 0 ? `, concurrency halved ${governed.backoffs} time(s)` : ''),
  );
  if (people) {
    log.info(
      `People verified: ${people.book.size}` +
        (needs.collaborators
          ? `, outside-collaborator access of ${people.book.collaboratorPairs} (repository, person) pairs`
          : '') +
        ` (${people.cost.requests} GraphQL requests, ${people.cost.points} points, ${people.cost.restRequests} REST)` +
        (needs.nestedOwners
          ? `; OWNERS below the root: ${treeCost.requests} requests, ${treeCost.points} points`
          : ''),
    );
  }
  errors.unshift(...collected.errors);
  // Collection's garbage goes before the report's compact records are built (src/heap.ts).
  deps.heap?.settle();
  const evaluation = (
    evaluator ??
    new OrganizationEvaluator({ policy, org: collected.org, now, registry, sink: jsonReport ?? undefined })
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
      tiers: policy.tiers.map((tier) => {
        const inForce = inForceRequirements(policy, tier.id);
        const parameters: Record<string, Record<string, unknown>> = {};
        for (const requirement of inForce) {
          const params = { ...getCheck(requirement.check)?.defaults, ...requirement.params };
          if (Object.keys(params).length > 0) parameters[requirement.check] = params;
        }
        return {
          id: tier.id,
          aliases: tier.aliases,
          requires: cumulativeTierRequirements(policy, tier.id).map((requirement) => requirement.check),
          recommends: inForce
            .filter((requirement) => requirement.level === 'recommended')
            .map((requirement) => requirement.check),
          parameters,
        };
      }),
    },
    run: options.run,
    coverage: {
      visibleRepositories: collected.visibleRepositories,
      graphqlPoints:
        collected.cost.points === null
          ? undefined
          : collected.cost.points + (people?.cost.points ?? 0) + treeCost.points,
      // Every GraphQL request of the collection: pages, people and OWNERS below the root (the extra
      // reads are counted apart, below).
      requests: collected.cost.requests + (people?.cost.requests ?? 0) + treeCost.requests,
      notEvaluated: collected.unreadable.length,
      ...(facts
        ? {
            mode: collected.mode,
            readFromGitHub: collected.read,
            fromStoredFacts: collected.fromCache,
            ...(facts.notice ? { factsNotice: facts.notice } : {}),
          }
        : {}),
      ...(extras.repositories > 0
        ? {
            extraReads: {
              repositories: extras.repositories,
              graphqlPoints: extras.points ?? undefined,
              requests: extras.requests,
            },
          }
        : {}),
    },
  };

  // The JSON report is complete before anything is published: a failure to publish cannot lose it.
  if (jsonReport) {
    jsonReport.write(report);
    log.info(`JSON report written to ${jsonReport.path}`);
  }

  deps.heap?.settle();
  const summaryFor = (publish: PublishResult | null) =>
    renderJobSummary(report, {
      now,
      reportFileName: options.reportFileName,
      dryRunBody: options.dryRun && publish ? publish.body : null,
      state: publish?.state ?? null,
    });
  const deliver = async (publish: PublishResult | null) => {
    const markdown = summaryFor(publish);
    await deps.onReport?.(report, markdown);
    return markdown;
  };

  let summaryMarkdown = options.issue && options.dryRun ? null : await deliver(null);
  const badges = options.badges ? await publishBadges(report, options, client, log) : null;
  if (!options.issue)
    return { report, publish: null, summaryMarkdown: summaryMarkdown ?? summaryFor(null), badges };
  let publish: PublishResult;
  try {
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
  } catch (error) {
    if (summaryMarkdown === null) await deliver(null);
    throw error;
  }
  // Once published, again: the summary now has what publishing read (the trend of earlier audits).
  summaryMarkdown = await deliver(publish);
  return { report, publish, summaryMarkdown, badges };
}

/** The extra reads of `reads` the snapshot does not hold yet (stored facts may hold them). */
function unheldExtraReads(snapshot: RepoSnapshot, reads: Set<ExtraReadKind>): Set<ExtraReadKind> {
  const held: Record<ExtraReadKind, boolean> = {
    'branch-protection': snapshot.branchProtection?.state === 'read',
    'issue-responses': snapshot.issueResponses?.state === 'read',
  };
  return new Set([...reads].filter((kind) => !held[kind]));
}

/** Renders the badges and commits them when asked; a failure is a warning, never the audit's failure. */
async function publishBadges(
  report: AuditReport,
  options: AuditOptions,
  client: GitHubClient,
  log: Logger,
): Promise<BadgesOutcome> {
  const files = renderBadgeFiles(report);
  const branch = options.badges?.branch ?? null;
  const outcome: BadgesOutcome = { files, target: null, commit: null, error: null };
  if (!branch || !options.issue) return outcome;
  const target = `${options.issue.owner}/${options.issue.repo}@${branch}`;
  if (options.dryRun) {
    log.info(`Dry run: would commit ${files.size} badge files to ${target} if they changed`);
    return outcome;
  }
  try {
    const api = restBranchFilesApi(client.rest, options.issue.owner, options.issue.repo);
    const result = await api.commitFiles(
      branch,
      files,
      `tier-audit: status badges of ${report.organization}`,
    );
    outcome.target = target;
    outcome.commit = result.commit;
    log.info(
      result.commit
        ? `Badges: committed ${files.size} files to ${target} (${result.commit.slice(0, 7)}${result.created ? ', branch created' : ''})`
        : `Badges: ${target} is up to date, nothing committed`,
    );
  } catch (error) {
    outcome.error = `badges not committed to ${target}: ${error instanceof Error ? error.message : String(error)}`;
    log.warning(outcome.error);
  }
  return outcome;
}
