import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isEntryScript } from '../src/entrypoint.js';

test('a module is the entry script only when node was started on it (symlinks resolved)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tier-audit-entry-'));
  try {
    const file = path.join(dir, 'index.js');
    writeFileSync(file, '');
    symlinkSync(file, path.join(dir, 'link.js'));
    const url = pathToFileURL(file).href;
    expect(isEntryScript(url, file)).toBe(true);
    expect(isEntryScript(url, path.join(dir, 'link.js'))).toBe(true);
    expect(isEntryScript(url, path.join(dir, 'other.js'))).toBe(false);
    expect(isEntryScript(url, undefined)).toBe(false);
    expect(isEntryScript('data:text/javascript,', file)).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
