/** Command-line entry: argv → runAudit() → stdout (markdown) / stderr (progress). No logic of its own. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAudit } from './audit.js';
import { DEFAULT_POLICY } from './config/defaults.js';
import { formatConfigProblem, parsePolicy } from './config/load.js';
import type { Policy } from './config/types.js';
import { parseFullAuditDays } from './facts/options.js';
import { FileFactsStore } from './facts/store.js';
import { exitStatus, parseFailOn, type FailOn } from './fail-on.js';
import { appTokenSource } from './github/app-auth.js';
import { checkApiUrl, createGitHubClient, redact } from './github/client.js';
import type { Logger } from './log.js';
import { ConfigError, DEFAULT_CONFIG_PATH, loadPolicySource } from './policy-source.js';
import { withHeapPacer } from './heap.js';
import { renderFullReport } from './report/render.js';
import { UsageError } from './usage.js';
import { TOOL_VERSION } from './version.js';
import { writeFiles } from './write-files.js';

export const HELP = `tier-audit ${TOOL_VERSION} — audit an organization's repositories against their declared tiers

Usage:
  tier-audit --org ORG [options]        run an audit; markdown report on stdout, progress on stderr
  tier-audit validate [FILE]            check a policy file (exit 2 with file:line:column errors); without
                                        FILE: --config, else the default file, else the built-in policy

Options:
  --org ORG                    organization (or user) to audit
  --config FILE                policy file (default ${DEFAULT_CONFIG_PATH} when present, else the built-in policy)
  --issue-repository OWNER/REPO  publish the tracking issue there (omit: print only)
  --issue-title TITLE          tracking issue title (default "Tier audit: ORG")
  --issue-label LABEL          tracking issue label (default tier-audit)
  --api-url URL                REST API base URL (default $GITHUB_API_URL or https://api.github.com;
                               GitHub Enterprise Server: https://HOST/api/v3)
  --now ISO-8601               audit clock (default: now), for reproducible reports
  --dry-run                    with --issue-repository: compute the issue body, write nothing
  --json FILE                  also write the JSON report (schema version 1) to FILE
  --badges-dir DIR             write a shields.io endpoint badge per repository (repos/NAME.json, index.json) to DIR
  --fail-on MODE               never (default), non-compliant or regression: exit 1 when it happens
  --state-dir DIR              incremental audits: store the repositories' facts in DIR and, on the next run,
                               read in full only what is new or changed since (a missing or corrupt store
                               means a full read)
  --full-audit-days N          with --state-dir: read everything when the last full read is N days old (default 7)
  --full-audit                 with --state-dir: read everything on this run
  --app-id ID                  authenticate as this GitHub App (with --app-private-key): installation tokens
                               are minted and refreshed, so audits longer than an hour do not fail
  --app-private-key FILE       the App's PEM private key file
  --quiet                      no progress on stderr
  -h, --help                   this help
  -v, --version                the version

Environment:
  GITHUB_TOKEN or GH_TOKEN     token (never printed); needs read access to the organization's repositories,
                               and issues: write on --issue-repository unless --dry-run
  HTTPS_PROXY, NO_PROXY        honoured for every request

Exit status: 0 success, 1 audit failed by --fail-on or an error, 2 usage or invalid policy.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const defaultIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
};

/** Progress and problems on stderr, with the token removed from every line. */
function stderrLogger(io: CliIo, quiet: boolean, hide: (text: string) => string): Logger {
  const line = (prefix: string) => (message: string) => io.stderr(`${prefix}${hide(message)}\n`);
  return {
    debug: () => undefined,
    info: quiet ? () => undefined : line(''),
    warning: line('warning: '),
    error: line('error: '),
  };
}

/**
 * `validate [FILE]`: the file given (or the default file when it exists); without either, the built-in
 * policy the audit would use. Errors exit 2 with file:line:column; warnings (expired waivers
 * included) go to stderr.
 */
async function validate(configFile: string | null, io: CliIo, now: Date): Promise<number> {
  const shown = configFile ?? DEFAULT_CONFIG_PATH;
  const file = path.resolve(io.cwd, shown);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (configFile === null && code === 'ENOENT') {
      io.stdout(
        `No policy file given and ${DEFAULT_CONFIG_PATH} does not exist: the audit uses the built-in policy (Falco scope).\n`,
      );
      return report('built-in policy', DEFAULT_POLICY, [], io);
    }
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    io.stderr(`error: cannot read ${shown}: ${reason}\n`);
    return 2;
  }
  const parsed = parsePolicy(text, shown, { now });
  if (!parsed.ok) {
    for (const problem of parsed.errors) io.stderr(`${formatConfigProblem(problem)}\n`);
    return 2;
  }
  return report(shown, parsed.policy, parsed.warnings.map(formatConfigProblem), io);
}

function report(name: string, policy: Policy, warnings: string[], io: CliIo): number {
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
  io.stdout(`${name}: valid (${policy.tiers.map((tier) => tier.id).join(' < ')})\n`);
  return 0;
}

/** node:util parseArgs errors, in tier-audit's words. */
function describeArgumentError(error: NodeJS.ErrnoException, argv: string[]): string {
  const quoted = /'(-{1,2}[^'\s]*)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? argv.find((arg) => arg.startsWith('-')) ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = /--[\w-]+/.exec(error.message)?.[0];
      return option ? `${option} needs a value` : error.message;
    }
    default:
      return error.message;
  }
}

export async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = defaultIo,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        org: { type: 'string' },
        config: { type: 'string' },
        'issue-repository': { type: 'string' },
        'issue-title': { type: 'string' },
        'issue-label': { type: 'string' },
        'api-url': { type: 'string' },
        now: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'string' },
        'badges-dir': { type: 'string' },
        'fail-on': { type: 'string', default: 'never' },
        'state-dir': { type: 'string' },
        'full-audit-days': { type: 'string' },
        'full-audit': { type: 'boolean', default: false },
        'app-id': { type: 'string' },
        'app-private-key': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    io.stderr(`error: ${describeArgumentError(error as NodeJS.ErrnoException, argv)}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  if (values.version) {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (positionals[0] === 'validate') {
    if (positionals.length > 2 || (positionals[1] !== undefined && values.config !== undefined)) {
      io.stderr(`error: give the policy file once: tier-audit validate FILE\n\n${HELP}\n`);
      return 2;
    }
    const clock = values.now ? new Date(values.now) : new Date();
    return validate(
      positionals[1] ?? values.config ?? null,
      io,
      Number.isNaN(clock.getTime()) ? new Date() : clock,
    );
  }
  if (positionals.length > 0 && positionals[0] !== 'audit') {
    io.stderr(`error: unknown command "${positionals[0]}"\n\n${HELP}\n`);
    return 2;
  }
  if (!values.org) {
    io.stderr(`error: --org is required\n\n${HELP}\n`);
    return 2;
  }
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) {
    io.stderr(`error: --now must be an ISO-8601 date, got "${values.now}"\n`);
    return 2;
  }
  let failOn: FailOn;
  let apiUrl: string;
  try {
    failOn = parseFailOn(values['fail-on'], '--fail-on');
    apiUrl = checkApiUrl(values['api-url'] ?? env.GITHUB_API_URL ?? 'https://api.github.com', '--api-url');
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return 2;
  }
  let token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!values['app-id'] !== !values['app-private-key']) {
    io.stderr('error: --app-id and --app-private-key go together\n');
    return 2;
  }
  if (!token && !values['app-id']) {
    io.stderr(
      'error: set GITHUB_TOKEN or GH_TOKEN to a token that can read the organization (or use --app-id)\n',
    );
    return 2;
  }
  let privateKey: string | null = null;
  if (values['app-private-key']) {
    const keyFile = path.resolve(io.cwd, values['app-private-key']);
    try {
      privateKey = await fs.readFile(keyFile, 'utf8');
    } catch (error) {
      io.stderr(
        `error: --app-private-key: cannot read ${keyFile} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})\n`,
      );
      return 2;
    }
  }
  let issue = null;
  if (values['issue-repository']) {
    const match = /^([^/\s]+)\/([^/\s]+)$/.exec(values['issue-repository']);
    if (!match) {
      io.stderr('error: --issue-repository must be OWNER/REPO\n');
      return 2;
    }
    issue = {
      owner: match[1],
      repo: match[2],
      title: values['issue-title'] ?? `Tier audit: ${values.org}`,
      label: values['issue-label'] ?? 'tier-audit',
      closeWhenCompliant: true,
      commentOnChange: false,
      mentionOwners: false,
    };
  }
  let fullAuditDays: number;
  try {
    fullAuditDays = parseFullAuditDays(values['full-audit-days'], '--full-audit-days');
  } catch (error) {
    io.stderr(`error: ${(error as Error).message}\n`);
    return 2;
  }
  const hide = (text: string) => redact(text, token);
  const log = stderrLogger(io, values.quiet, hide);
  try {
    const configPath = values.config ?? DEFAULT_CONFIG_PATH;
    const loaded = await loadPolicySource({
      configPath,
      explicit: values.config !== undefined,
      workspace: io.cwd,
      readRemote: null,
    });
    log.info(`Policy: ${loaded.source}`);
    for (const warning of loaded.warnings) log.warning(warning);
    let tokenSource: (() => Promise<string>) | undefined;
    if (values['app-id'] && privateKey !== null) {
      tokenSource = await appTokenSource({ appId: values['app-id'], privateKey }, values.org, apiUrl);
      token = await tokenSource();
    }
    const client = createGitHubClient({
      token: token as string,
      tokenSource,
      apiUrl,
      log,
      userAgent: `tier-audit-cli/${TOOL_VERSION}`,
    });
    const organization = values.org;
    const outcome = await withHeapPacer(log, (heap) =>
      runAudit(
        {
          organization,
          policy: loaded.policy,
          now,
          dryRun: values['dry-run'],
          issue,
          run: { id: null, url: null },
          reportFileName: values.json ? path.basename(values.json) : 'report.json',
          jsonReport: values.json ? { path: path.resolve(io.cwd, values.json), redact: hide } : null,
          facts: values['state-dir']
            ? {
                store: new FileFactsStore(path.resolve(io.cwd, values['state-dir'])),
                fullAuditDays,
                fullAudit: values['full-audit'],
              }
            : null,
          badges: values['badges-dir'] ? { branch: null } : null,
        },
        { client, log, heap },
      ),
    );
    if (values['badges-dir'] && outcome.badges) {
      await writeFiles(path.resolve(io.cwd, values['badges-dir']), outcome.badges.files);
      log.info(`${outcome.badges.files.size} badge files written to ${values['badges-dir']}`);
    }
    io.stdout(outcome.publish ? `${outcome.publish.body}\n` : `${renderFullReport(outcome.report, now)}\n`);
    if (outcome.publish?.issueUrl)
      log.info(`Tracking issue: ${outcome.publish.issueUrl} (${outcome.publish.action})`);
    const failure = exitStatus(failOn, outcome);
    if (failure) {
      log.error(failure);
      return 1;
    }
    return 0;
  } catch (error) {
    log.error(error instanceof Error ? error.message : String(error));
    return error instanceof ConfigError || error instanceof UsageError ? 2 : 1;
  }
}
