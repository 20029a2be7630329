/**
 * Makes a bundle pure ASCII: every character outside ASCII becomes a `\uXXXX` escape (one per UTF-16 unit),
 * as esbuild's default `charset: ascii` does. V8 keeps a script's source in memory for the whole run, and a
 * single character beyond Latin-1 makes it two bytes per character: dist/index.js (5.4 MB) held 10.8 MB for
 * its text alone. The escapes mean the same in every place ncc's output puts such characters (string and
 * template literals, regular expressions, comments); a character right after a backslash, where an escape
 * would change meaning, is refused rather than rewritten.
 *
 *   tsx scripts/ascii-bundle.ts FILE...   (run by `npm run build` on dist/index.js and dist/cli/index.js)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export function asciiOnly(source: string, name = 'the bundle'): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const unit = source.charCodeAt(i);
    if (unit < 0x80) continue;
    if (source[i - 1] === '\\') {
      const line = source.slice(0, i).split('\n').length;
      throw new Error(
        `${name}:${line}: a non-ASCII character follows a backslash; it cannot be escaped safely`,
      );
    }
    out += `${source.slice(from, i)}\\u${unit.toString(16).padStart(4, '0')}`;
    from = i + 1;
  }
  return out + source.slice(from);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const file of process.argv.slice(2)) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8'), file));
}
