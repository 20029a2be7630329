/**
 * `npm run fake-github`: the in-process fake GitHub of the tests, serving the bundled sample organization
 * (modelled on falcosecurity, test/fixtures/falcosecurity) on loopback, for trying the action locally with
 * GitHub's local runner or the command line: no token, no network. Every write (issues, badges) lands in
 * memory and is gone when it stops (Ctrl-C).
 *
 *   npm run fake-github                 # port 8787
 *   npm run fake-github -- --port 9000
 */
import { parseArgs } from 'node:util';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { loadFalcosecurityOrg } from '../test/fixtures/org-loader.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8787' } } });
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be a port number');

const fake = await startFakeGitHub({ orgs: [loadFalcosecurityOrg()], port });
process.stdout.write(
  [
    `Fake GitHub serving the sample organization "falcosecurity" at ${fake.url} (GraphQL ${fake.graphqlUrl}).`,
    'Any token is accepted. In .env:',
    `  INPUT_TOKEN="any-token"`,
    `  INPUT_GITHUB-API-URL="${fake.url}"`,
    'Command line:',
    `  GITHUB_TOKEN=any-token npx tier-audit --org falcosecurity --api-url ${fake.url}`,
    'Ctrl-C to stop.',
    '',
  ].join('\n'),
);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
