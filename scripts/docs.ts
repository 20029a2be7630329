/**
 * `npm run docs`: regenerates the files written from the definitions they describe, so they are
 * never edited by hand and never go stale (test/docs.test.ts fails when a committed one differs):
 *
 * - `.env.example`: every input of `action.yml`, for GitHub's local runner (`@github/local-action`);
 * - README.md, between `<!-- docs:NAME:start -->` and `<!-- docs:NAME:end -->` markers: the inputs and
 *   outputs tables (from `action.yml`) and the checks (from the check definitions, src/checks);
 * - `schemas/config.schema.json`: the policy schema, with every check's parameters (src/config/schema.ts).
 *
 *   npm run docs            # rewrite the files
 *   npm run docs -- --check # exit 1, naming the stale files, without writing
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CHECKS } from '../src/checks/index.js';
import type { CheckDefinition, ParamSpec } from '../src/checks/types.js';
import { renderConfigSchema } from '../src/config/schema.js';

export interface ActionInput {
  description: string;
  required?: boolean;
  default?: string;
}

export interface ActionMetadata {
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description: string }>;
}

export function parseActionMetadata(text: string): ActionMetadata {
  const parsed = parse(text) as Partial<ActionMetadata> | null;
  if (!parsed || typeof parsed !== 'object') throw new Error('action.yml: not a mapping');
  return { inputs: parsed.inputs ?? {}, outputs: parsed.outputs ?? {} };
}

/**
 * Local values for inputs whose action.yml default only exists on a runner (expressions, which the
 * local runner passes literally) or is unsafe to run locally. Any other expression default is an error,
 * so a new one cannot slip into `.env.example` as a literal `${{ … }}`.
 */
const LOCAL_VALUES: Record<string, { value: string; why: string }> = {
  token: {
    value: '',
    why: 'Fill in: a token that can read the organization (`gh auth token`); never commit it.',
  },
  'github-api-url': {
    value: 'https://api.github.com',
    why: 'The runner passes ${{ github.api_url }}; locally: github.com, your GHES, or a fake GitHub on loopback.',
  },
  'dry-run': { value: 'true', why: 'Locally, write nothing to GitHub unless you mean to (set false).' },
};

function isExpression(value: string): boolean {
  return value.includes('${{');
}

/** One comment block per line of text, wrapped at ~100 columns. */
function comment(text: string): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '#';
  for (const word of words) {
    if (line.length + word.length + 1 > 100 && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line !== '#') lines.push(line);
  return lines;
}

function envValue(value: string): string {
  if (/["\n\\]/.test(value)) throw new Error(`cannot write ${JSON.stringify(value)} into .env.example`);
  return `"${value}"`;
}

/** `.env.example`: every input, in action.yml order, with its description and local value. */
export function renderEnvExample(action: ActionMetadata): string {
  const out = [
    "# Inputs for GitHub's local runner. Copy to .env (git-ignored), fill in INPUT_TOKEN, then run",
    '#   npx @github/local-action . src/main.ts .env',
    '# Every input of action.yml is listed: the local runner does not apply action.yml defaults in every',
    '# case, and passes ${{ … }} expressions literally. Hyphens in input names stay hyphens.',
    '#',
    '# Generated from action.yml by `npm run docs`: do not edit by hand (a test fails when it is stale).',
    '',
    '# Owner/name the run pretends to belong to: the default organization and issue repository.',
    'GITHUB_REPOSITORY="falcosecurity/evolution"',
    '# Where the JSON report is written (default: the current directory).',
    '# GITHUB_WORKSPACE=""',
    '# A file to receive the job summary (unset: none is written).',
    '# GITHUB_STEP_SUMMARY=""',
    '',
  ];
  for (const [name, input] of Object.entries(action.inputs)) {
    const fallback = input.default ?? '';
    const local = LOCAL_VALUES[name];
    if (!local && isExpression(fallback)) {
      throw new Error(
        `input ${name}: default ${fallback} is an expression; give it a local value in scripts/docs.ts`,
      );
    }
    out.push(...comment(input.description));
    if (local) out.push(...comment(local.why));
    out.push(`INPUT_${name.toUpperCase()}=${envValue(local ? local.value : fallback)}`, '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Escapes text for a markdown table cell. */
function cell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

export function renderInputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.inputs).map(([name, input]) => {
    const fallback = input.default ?? '';
    return `| ${code(name)} | ${fallback === '' ? '—' : cell(code(fallback))} | ${cell(input.description)} |`;
  });
  return ['| input | default | description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function renderOutputsTable(action: ActionMetadata): string {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| ${code(name)} | ${cell(output.description)} |`,
  );
  return ['| output | description |', '| --- | --- |', ...rows].join('\n');
}

function paramType(param: ParamSpec): string {
  if (param.type === 'integer') return param.minimum === undefined ? 'integer' : `integer ≥ ${param.minimum}`;
  if (param.type === 'string') return 'string';
  if (param.type === 'days-or-switch')
    return `days (integer ≥ ${param.minimum ?? 1}), \`true\` (${param.trueMeans ?? 365}) or \`false\``;
  return param.type === 'string-list' ? 'list of strings' : 'boolean';
}

/** The README's checks: one entry per check definition, in documentation order. */
export function renderChecks(checks: Iterable<CheckDefinition>): string {
  const entries: string[] = [];
  for (const check of checks) {
    const lines = [`- **${code(check.id)}** — ${cell(check.title)}`, `  ${cell(check.description)}`];
    if (check.params.length > 0) {
      const params = check.params.map(
        (param) =>
          `${code(param.name)} (${paramType(param)}, ${param.default === null ? 'not set by default' : `default ${code(JSON.stringify(param.default))}`}): ${cell(param.description.replace(/\.$/, ''))}`,
      );
      lines.push(`  Parameters: ${params.join('; ')}`);
    }
    if (check.reads.length > 0) lines.push(`  Reads: ${check.reads.join(', ')}.`);
    if (check.extraReads?.length) {
      lines.push(
        `  Extra reads (only for repositories whose tier asks for the check, see Large organizations): ${check.extraReads.join(', ')}.`,
      );
    }
    entries.push(lines.join('<br>\n'));
  }
  return entries.join('\n');
}

/** Replaces what lies between `<!-- docs:NAME:start -->` and `<!-- docs:NAME:end -->`. */
export function replaceBetweenMarkers(text: string, name: string, content: string, file: string): string {
  const start = `<!-- docs:${name}:start -->`;
  const end = `<!-- docs:${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} not found`);
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`;
}

/** Column-aligned markdown tables, as prettier writes them (so `format:check` agrees with the generator). */
export async function formatMarkdown(text: string, file: string): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, parser: 'markdown' });
}

/** JSON as prettier writes it. */
export async function formatJson(text: string, file: string): Promise<string> {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(text, { ...options, parser: 'json' });
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Every generated file (path relative to the repository root) with the content it must have. */
export async function generateAll(root: string = ROOT): Promise<Map<string, string>> {
  const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
  const action = parseActionMetadata(read('action.yml'));
  let readme = read('README.md');
  readme = replaceBetweenMarkers(readme, 'inputs', renderInputsTable(action), 'README.md');
  readme = replaceBetweenMarkers(readme, 'outputs', renderOutputsTable(action), 'README.md');
  readme = replaceBetweenMarkers(readme, 'checks', renderChecks(CHECKS.values()), 'README.md');
  return new Map([
    ['.env.example', renderEnvExample(action)],
    ['README.md', await formatMarkdown(readme, path.join(root, 'README.md'))],
    [
      'schemas/config.schema.json',
      await formatJson(renderConfigSchema(), path.join(root, 'schemas/config.schema.json')),
    ],
  ]);
}

/** Files whose committed content differs from what the generator produces. */
export async function staleFiles(root: string = ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const [file, content] of await generateAll(root)) {
    let current: string | null;
    try {
      current = readFileSync(path.join(root, file), 'utf8');
    } catch {
      current = null;
    }
    if (current !== content) stale.push(file);
  }
  return stale;
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--check')) {
    const stale = await staleFiles();
    for (const file of stale) process.stderr.write(`${file} is stale: run npm run docs\n`);
    return stale.length > 0 ? 1 : 0;
  }
  for (const [file, content] of await generateAll()) {
    writeFileSync(path.join(ROOT, file), content);
    process.stdout.write(`wrote ${file}\n`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
