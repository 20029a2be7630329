/**
 * Bundle entry for the action (dist/index.js). The Actions runner executes it (`node dist/index.js`):
 * it runs the action once. Imported instead (`npx @github/local-action . dist/index.js .env`, tests),
 * it only exports `run()`, so the importer runs the audit exactly once.
 */
import { isEntryScript } from './entrypoint.js';
import { run } from './main.js';

export { run };

if (isEntryScript(import.meta.url, process.argv[1])) await run();
