/**
 * `npm run demo`: the real pipeline, in dry run, against the in-process fake GitHub serving the bundled
 * sample organization (modelled on falcosecurity, test/fixtures/falcosecurity). No token, no network.
 * The audit clock is pinned to the snapshot's date so the output is stable.
 *
 *   npm run demo                       # examples/falcosecurity.yml (registry in evolution)
 *   npm run demo -- --policy builtin   # the built-in policy (declarations from topics and badges only)
 *   npm run demo -- --out FILE         # where to write the JSON report (default report.json)
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { demoAuditOptions } from './demo-audit.js';
import { runAudit } from '../src/audit.js';
import { createGitHubClient } from '../src/github/client.js';
import type { Logger } from '../src/log.js';
import { loadPolicySource } from '../src/policy-source.js';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { DEMO_NOW, PEOPLE_MARKER, loadFalcosecurityOrg } from '../test/fixtures/org-loader.js';
import { MODELLED_MARKER } from './import-falcosecurity.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    policy: { type: 'string', default: 'falcosecurity' },
    out: { type: 'string', default: 'report.json' },
  },
});

const log: Logger = {
  debug: () => undefined,
  info: (message) => void process.stderr.write(`${message}\n`),
  warning: (message) => void process.stderr.write(`warning: ${message}\n`),
  error: (message) => void process.stderr.write(`error: ${message}\n`),
};

const org = loadFalcosecurityOrg();
/** What the sample organization models rather than copies (test/fixtures/falcosecurity/NOTES.md). */
const modelled = org.repos.flatMap((repo) => {
  const description = repo.description ?? '';
  // Each note runs from its marker to its own closing bracket (the notes hold none).
  const note = (marker: string) => {
    const at = description.indexOf(marker);
    if (at === -1) return null;
    const end = description.indexOf(']', at);
    return description.slice(at + marker.length, end === -1 ? undefined : end).trim();
  };
  const people = note(PEOPLE_MARKER);
  const notes = [note(MODELLED_MARKER), people && `people — ${people}`].filter((n): n is string => !!n);
  return notes.length ? [`- ${repo.name}: ${notes.join('; ')}`] : [];
});
const fake = await startFakeGitHub({ orgs: [org] });
try {
  const loaded = await loadPolicySource({
    configPath: values.policy === 'builtin' ? '.github/tier-audit.yml' : 'examples/falcosecurity.yml',
    explicit: values.policy !== 'builtin',
    workspace: values.policy === 'builtin' ? null : root,
    readRemote: null,
  });
  log.info(`Policy: ${loaded.source}`);
  const client = createGitHubClient({ token: 'demo-token', apiUrl: fake.url, log, minRetryDelayMs: 1 });
  const outcome = await runAudit(demoAuditOptions(loaded.policy, path.basename(values.out)), { client, log });
  const out = path.resolve(process.cwd(), values.out);
  await fs.writeFile(out, `${JSON.stringify(outcome.report, null, 2)}\n`);
  process.stdout.write(
    [
      '> Demo: a sample organization modelled on falcosecurity (real names, OWNERS, READMEs, workflows facts,',
      '> tags and registry). These anomalies are MODELLED, not real (test/fixtures/falcosecurity/NOTES.md):',
      ...modelled.map((line) => `> ${line}`),
      '',
      '',
    ].join('\n'),
  );
  process.stdout.write(`${outcome.publish?.body ?? ''}\n`);
  for (const [index, comment] of (outcome.publish?.continuations ?? []).entries()) {
    process.stdout.write(`\n---\n<!-- continuation comment ${index + 1} -->\n${comment}\n`);
  }
  const s = outcome.report.summary;
  log.info(
    `\nDemo audit of falcosecurity at ${DEMO_NOW}: ${s.repositories} repositories — ${s.compliant} compliant, ` +
      `${s.nonCompliant} non-compliant, ${s.undeclared} undeclared, ${s.skipped} skipped, ${s.errored} errors. ` +
      `JSON report: ${out}. Nothing was written to GitHub (dry run).`,
  );
} finally {
  await fake.close();
}
