/** Whether a module is the process's entry script (`node dist/index.js`), rather than imported by another. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function real(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * `moduleUrl` is the module's `import.meta.url`, `script` is `process.argv[1]`. The Actions runner runs
 * `node dist/index.js`; GitHub's local runner (`@github/local-action`) and tests import the module and
 * call its exported `run()` themselves, so it must not run on import then.
 */
export function isEntryScript(moduleUrl: string, script: string | undefined): boolean {
  if (!script || !moduleUrl.startsWith('file:')) return false;
  return real(fileURLToPath(moduleUrl)) === real(script);
}
