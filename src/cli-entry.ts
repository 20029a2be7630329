/** Bundle entry for the command line (dist/cli/index.js, run by bin/tier-audit.js). */
import { cli } from './cli.js';

process.exitCode = await cli(process.argv.slice(2));
