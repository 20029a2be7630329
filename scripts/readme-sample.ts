/**
 * `npm run sample`: regenerates the README's sample tracking issue from the demo (the real pipeline, dry run,
 * against the in-process fake GitHub serving the bundled sample organization). The sample is the issue body
 * up to its first folded section, quoted, between `<!-- readme-sample:begin -->` and `<!-- readme-sample:end -->`.
 * test/readme-sample.test.ts fails when the committed README is not current.
 *
 *   npm run sample           # rewrite README.md
 *   npm run sample -- --check  # exit 1 when README.md is not current
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { demoAuditOptions } from './demo-audit.js';
import { runAudit } from '../src/audit.js';
import { createGitHubClient } from '../src/github/client.js';
import { silentLogger } from '../src/log.js';
import { loadPolicySource } from '../src/policy-source.js';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { loadFalcosecurityOrg } from '../test/fixtures/org-loader.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BEGIN = '<!-- readme-sample:begin -->';
export const END = '<!-- readme-sample:end -->';

/** The issue body the demo would write (first audit of the sample organization, falcosecurity policy). */
export async function demoIssueBody(): Promise<string> {
  const fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()] });
  try {
    const loaded = await loadPolicySource({
      configPath: 'examples/falcosecurity.yml',
      explicit: true,
      workspace: root,
      readRemote: null,
    });
    const client = createGitHubClient({
      token: 'demo-token',
      apiUrl: fake.url,
      log: silentLogger,
      minRetryDelayMs: 1,
    });
    const outcome = await runAudit(demoAuditOptions(loaded.policy, 'report.json'), {
      client,
      log: silentLogger,
    });
    return outcome.publish?.body ?? '';
  } finally {
    await fake.close();
  }
}

/** The body up to its first folded section (marker and hidden blocks removed), quoted, with the folded titles. */
export function sampleBlock(body: string): string {
  const lines = body.split('\n').filter((line) => !line.startsWith('<!-- tier-audit:'));
  const folded: string[] = [];
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].startsWith('### ')) continue;
    const next = lines.slice(i + 1, i + 3).join('\n');
    if (next.includes('<details>')) {
      if (end === lines.length) end = i;
      folded.push(lines[i].replace(/^### /, '').replace(/ \(\d+.*\)$/, ''));
    }
  }
  const shown = lines.slice(0, end).join('\n').trim();
  const quoted = shown
    .split('\n')
    .map((line) => (line ? `> ${line}` : '>'))
    .join('\n');
  return `${quoted}\n>\n> _Folded below (click to open): ${folded.join(', ')}._`;
}

/** README with its sample block replaced and formatted as the repository formats it. */
export async function readmeWithSample(readme: string, body: string): Promise<string> {
  const begin = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`README.md must hold ${BEGIN} … ${END}`);
  const next = `${readme.slice(0, begin + BEGIN.length)}\n\n${sampleBlock(body)}\n\n${readme.slice(end)}`;
  const options = (await prettier.resolveConfig(path.join(root, 'README.md'))) ?? {};
  return prettier.format(next, { ...options, filepath: path.join(root, 'README.md') });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = path.join(root, 'README.md');
  const readme = await fs.readFile(file, 'utf8');
  const updated = await readmeWithSample(readme, await demoIssueBody());
  if (process.argv.includes('--check')) {
    if (updated !== readme) {
      process.stderr.write('README.md sample is not current: run npm run sample\n');
      process.exit(1);
    }
  } else if (updated !== readme) {
    await fs.writeFile(file, updated);
    process.stderr.write('README.md sample updated\n');
  }
}
