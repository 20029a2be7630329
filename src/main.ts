/** Action entry: read inputs, call runAudit(), set outputs. No logic of its own beyond wiring. */
import * as core from '@actions/core';
import os from 'node:os';
import path from 'node:path';
import { runAudit } from './audit.js';
import { ActionsCacheFactsStore } from './facts/actions-cache.js';
import { parseFullAuditDays } from './facts/options.js';
import { exitStatus, parseFailOn } from './fail-on.js';
import { appTokenSource } from './github/app-auth.js';
import { checkApiUrl, createGitHubClient, redact } from './github/client.js';
import { readRepositoryFile } from './github/files.js';
import { withHeapPacer } from './heap.js';
import type { Logger } from './log.js';
import { DEFAULT_CONFIG_PATH, loadPolicySource } from './policy-source.js';
import { TOOL_VERSION } from './version.js';
import { writeFiles } from './write-files.js';

/** Where a dry run writes the badges, in the workspace. */
const BADGES_DIR = 'tier-audit-badges';

/** The Actions log, with the token removed from every line (GitHub may echo it back in an error). */
function actionsLogger(hide: (text: string) => string): Logger {
  return {
    debug: (message) => core.debug(hide(message)),
    info: (message) => core.info(hide(message)),
    warning: (message) => core.warning(hide(message)),
    error: (message) => core.error(hide(message)),
  };
}

function splitRepository(value: string, inputName: string): { owner: string; repo: string } {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(value.trim());
  if (!match) throw new Error(`Input ${inputName} must be OWNER/REPOSITORY, got "${value}"`);
  return { owner: match[1], repo: match[2] };
}

export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let token = '';
  const hide = (text: string) => redact(text, token);
  try {
    token = core.getInput('token');
    const appId = core.getInput('app-id').trim();
    const appPrivateKey = core.getInput('app-private-key');
    for (const line of appPrivateKey.split(/\r?\n/)) if (line.trim()) core.setSecret(line.trim());
    if (!appId !== !appPrivateKey)
      throw new Error(
        'Inputs app-id and app-private-key go together: give both, or neither (then token is used).',
      );
    if (!token && !appId)
      throw new Error('Input token is empty: pass a token (the default is ${{ github.token }}).');
    if (token) core.setSecret(token);
    const log = actionsLogger(hide);
    const currentRepository = env.GITHUB_REPOSITORY ?? '';
    const organization = core.getInput('organization') || currentRepository.split('/')[0];
    if (!organization) throw new Error('Input organization is empty and GITHUB_REPOSITORY is not set.');
    const apiUrl = checkApiUrl(
      core.getInput('github-api-url') || env.GITHUB_API_URL || 'https://api.github.com',
      'Input github-api-url',
    );
    let tokenSource: (() => Promise<string>) | undefined;
    if (appId) {
      // The App's installation tokens, minted again before they expire: an audit of any length.
      const source = await appTokenSource({ appId, privateKey: appPrivateKey }, organization, apiUrl);
      const masked = new Set<string>();
      tokenSource = async () => {
        const minted = await source();
        if (!masked.has(minted)) {
          masked.add(minted);
          core.setSecret(minted);
        }
        return minted;
      };
      token = await tokenSource();
      core.info(
        `Authenticated as GitHub App ${appId} on ${organization} (installation tokens refreshed as needed)`,
      );
    }
    const issueRepository = core.getInput('issue-repository') || currentRepository;
    const issueTarget = issueRepository ? splitRepository(issueRepository, 'issue-repository') : null;
    const failOn = parseFailOn(core.getInput('fail-on') || 'never', 'Input fail-on');
    const dryRun = core.getBooleanInput('dry-run');
    const workspace = env.GITHUB_WORKSPACE || process.cwd();
    const reportPath = path.resolve(workspace, core.getInput('report-path') || 'tier-audit-report.json');
    const configPath = core.getInput('config') || DEFAULT_CONFIG_PATH;
    const fullAuditDays = parseFullAuditDays(core.getInput('full-audit-days'), 'Input full-audit-days');
    const fullAudit = core.getInput('full-audit') ? core.getBooleanInput('full-audit') : false;
    const badgesBranch = core.getInput('badges-branch').trim();

    const client = createGitHubClient({
      token,
      tokenSource,
      apiUrl,
      log,
      userAgent: `tier-audit/${TOOL_VERSION}`,
    });
    const current = currentRepository ? splitRepository(currentRepository, 'GITHUB_REPOSITORY') : null;
    const loaded = await loadPolicySource({
      configPath,
      explicit: configPath !== DEFAULT_CONFIG_PATH,
      workspace,
      readRemote: current
        ? (file) => readRepositoryFile(client, current.owner, current.repo, file, env.GITHUB_SHA || undefined)
        : null,
    });
    log.info(`Policy: ${loaded.source}`);
    for (const warning of loaded.warnings) log.warning(warning);

    const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
    const runId = env.GITHUB_RUN_ID || null;
    const runUrl =
      runId && currentRepository ? `${serverUrl}/${currentRepository}/actions/runs/${runId}` : null;
    const outcome = await withHeapPacer(log, (heap) =>
      runAudit(
        {
          organization,
          policy: loaded.policy,
          now: new Date(),
          dryRun,
          issue: issueTarget
            ? {
                ...issueTarget,
                title: core.getInput('issue-title') || `Tier audit: ${organization}`,
                label: core.getInput('issue-label') || 'tier-audit',
                closeWhenCompliant: core.getBooleanInput('close-when-compliant'),
                commentOnChange: core.getBooleanInput('comment-on-change'),
                mentionOwners: core.getBooleanInput('mention-owners'),
              }
            : null,
          run: { id: runId, url: runUrl },
          reportFileName: path.basename(reportPath),
          jsonReport: { path: reportPath, redact: hide },
          facts: {
            store: new ActionsCacheFactsStore(
              path.join(env.RUNNER_TEMP || os.tmpdir(), 'tier-audit-facts'),
              `${runId ?? Date.now()}-${env.GITHUB_RUN_ATTEMPT || '1'}`,
              log,
            ),
            fullAuditDays,
            fullAudit,
          },
          badges: badgesBranch ? { branch: badgesBranch } : null,
        },
        {
          client,
          log,
          heap,
          // The JSON report is written before anything is published (jsonReport), and so are these: a
          // publish failure cannot lose the report, the outputs or the summary.
          onReport: async (report, summaryMarkdown) => {
            const { summary } = report;
            core.setOutput('report-path', reportPath);
            core.setOutput('repositories', summary.repositories);
            core.setOutput('compliant', summary.compliant);
            core.setOutput('non-compliant', summary.nonCompliant);
            core.setOutput('undeclared', summary.undeclared);
            core.setOutput('skipped', summary.skipped);
            core.setOutput('errored', summary.errored);
            if (env.GITHUB_STEP_SUMMARY)
              await core.summary.addRaw(hide(summaryMarkdown)).write({ overwrite: true });
          },
        },
      ),
    );

    if (outcome.badges && dryRun) {
      const badgesDir = path.join(workspace, BADGES_DIR);
      await writeFiles(badgesDir, outcome.badges.files);
      log.info(`Dry run: ${outcome.badges.files.size} badge files written to ${badgesDir}`);
    }
    core.setOutput('issue-number', outcome.publish?.issueNumber ?? '');
    core.setOutput('issue-url', outcome.publish?.issueUrl ?? '');

    const failure = exitStatus(failOn, outcome);
    if (failure) core.setFailed(failure);
  } catch (error) {
    core.setFailed(hide(error instanceof Error ? error.message : String(error)));
  }
}
