/** Generated documentation (`npm run docs`): committed files match their generator, and it refuses what it cannot write. */
import {
  parseActionMetadata,
  renderChecks,
  renderEnvExample,
  replaceBetweenMarkers,
  staleFiles,
} from '../scripts/docs.js';
import { CHECKS } from '../src/checks/index.js';

test('the committed generated files (.env.example, README tables and checks, policy schema) are what `npm run docs` writes', async () => {
  expect(await staleFiles()).toEqual([]);
});

test('.env.example lists every input of action.yml, expressions replaced by local values', () => {
  const action = parseActionMetadata(`
inputs:
  token: { description: 'The token.', default: '\${{ github.token }}' }
  dry-run: { description: 'Dry.', default: 'false' }
  label: { description: 'A label.', default: 'tier-audit' }
  github-api-url: { description: 'API.', default: '\${{ github.api_url }}' }
outputs: {}
`);
  const env = renderEnvExample(action);
  expect(env).toContain('INPUT_TOKEN=""');
  expect(env).toContain('INPUT_DRY-RUN="true"');
  expect(env).toContain('INPUT_LABEL="tier-audit"');
  expect(env).toContain('INPUT_GITHUB-API-URL="https://api.github.com"');
  expect(env).not.toMatch(/^INPUT_.*\$\{\{/m);
});

test('a new input defaulting to an expression needs a local value before .env.example can be written', () => {
  const action = parseActionMetadata(`
inputs:
  repository: { description: 'Repo.', default: '\${{ github.repository }}' }
`);
  expect(() => renderEnvExample(action)).toThrow(/input repository: default .* is an expression/);
});

test('generated sections need both markers', () => {
  expect(
    replaceBetweenMarkers('a\n<!-- docs:x:start -->\nold\n<!-- docs:x:end -->\nb', 'x', 'new', 'F'),
  ).toBe('a\n<!-- docs:x:start -->\nnew\n<!-- docs:x:end -->\nb');
  expect(() => replaceBetweenMarkers('<!-- docs:x:start -->', 'x', 'new', 'F.md')).toThrow(/F.md: markers/);
});

test('the README lists every check definition with its parameters, defaults and the parts it reads', () => {
  const text = renderChecks(CHECKS.values());
  for (const check of CHECKS.values()) {
    expect(text).toContain(`- **\`${check.id}\`** — ${check.title}`);
    for (const param of check.params) expect(text).toContain(`\`${param.name}\` (`);
  }
  expect(text).toContain('`max-age-days` (integer ≥ 1, default `180`)');
  expect(text).toContain('Reads: releases, tags.');
});
