#!/usr/bin/env node
// The command-line entry: the bundled CLI (built by `npm run build` next to the action bundle).
import '../dist/cli/index.js';
