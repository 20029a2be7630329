import { readFileSync } from 'node:fs';
import { TOOL_VERSION } from '../src/version.js';

test('the version written into reports is the package version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  expect(TOOL_VERSION).toBe(pkg.version);
});

test('action.yml runs on the current GitHub-hosted Node runtime and points at the bundle', () => {
  const action = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
  expect(action).toMatch(/using: 'node24'/);
  expect(action).toMatch(/main: 'dist\/index\.js'/);
});

test('every action.yml input is read by main.ts and documented in README; every output is set', async () => {
  const { parse } = await import('yaml');
  const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { description: string }>;
    outputs: Record<string, { description: string }>;
  };
  const main = readFileSync(new URL('../src/main.ts', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  for (const input of Object.keys(action.inputs)) {
    expect([input, main.includes(`Input('${input}')`)]).toEqual([input, true]);
    expect([input, readme.includes(`| \`${input}\``)]).toEqual([input, true]);
  }
  for (const output of Object.keys(action.outputs)) {
    expect([output, main.includes(`setOutput('${output}'`)]).toEqual([output, true]);
    expect([output, readme.includes(`\`${output}\``)]).toEqual([output, true]);
  }
});
