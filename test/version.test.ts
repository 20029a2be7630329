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
