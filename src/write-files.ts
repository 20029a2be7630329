/** Writes generated files (path → text, paths relative and without `..`) under a directory. */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export async function writeFiles(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  for (const [relative, content] of files) {
    const file = path.resolve(dir, relative);
    if (!file.startsWith(path.resolve(dir) + path.sep))
      throw new Error(`refusing to write ${relative} outside ${dir}`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}
