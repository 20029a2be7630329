import { readmeEntries } from '../readme-file.js';
import { defineCheck } from './define.js';
import { readText } from './files.js';
import { error, fail, pass } from './util.js';

/** Words of prose (outside headings, badges, images, links-only lines, HTML and code) that count as content. */
export const MIN_PROSE_WORDS = 8;

/**
 * Words of real prose in a README: headings (Markdown `#`, setext and reST underlines, AsciiDoc `=`),
 * badges and images, bare URLs, HTML tags and comments, reST directives and code fences do not count.
 */
export function proseWords(text: string): number {
  let body = text.replace(/<!--[\s\S]*?-->/g, ' ');
  // Fenced code blocks are not prose.
  body = body.replace(/^(```|~~~)[\s\S]*?^\1\s*$/gm, ' ');
  let words = 0;
  const lines = body.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].trim();
    const next = (lines[i + 1] ?? '').trim();
    if (line === '') continue;
    if (/^#{1,6}(\s|$)/.test(line) || /^={1,6}\s/.test(line)) continue; // Markdown / AsciiDoc heading
    if (/^([=\-~^"'`#*+])\1{2,}$/.test(line)) continue; // setext / reST underline or overline
    if (next && /^([=\-~^"'`#*+])\1{2,}$/.test(next) && !/^[-*+]\s/.test(line)) continue; // heading text above an underline
    if (/^\.\.\s/.test(line) || /^:[\w-]+:/.test(line)) continue; // reST directive, AsciiDoc attribute
    line = line
      .replace(/\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)/g, ' ') // linked badge
      .replace(/!\[[^\]]*\]\([^)]*\)/g, ' ') // image
      .replace(/<[^>]+>/g, ' ') // HTML tag
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // link → its text
      .replace(/https?:\/\/\S+/g, ' '); // bare URL
    for (const token of line.split(/\s+/)) {
      if (/\p{L}{2,}/u.test(token)) words++;
    }
  }
  return words;
}

export const readmeCheck = defineCheck({
  id: 'readme',
  title: 'README',
  description: `A README at the root (README, README.md, README.markdown, README.rst, README.adoc, README.txt…; any case) with real content: at least ${MIN_PROSE_WORDS} words of prose besides headings, badges, images and links.`,
  reads: ['tree', 'readme'],
  run(snapshot) {
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail('repository is empty: no README', 'Push a README.md describing the project.');
    }
    const ordered = readmeEntries(snapshot);
    if (ordered.length === 0) {
      return fail(
        'no README at the repository root (looked for README, README.md, README.markdown, README.rst, README.adoc, README.txt…)',
        'Add a README.md at the root that says what the project is and how to use it.',
      );
    }
    // Prefer a README whose text was collected; Markdown first.
    for (const entry of ordered) {
      const read = readText(snapshot, entry.path);
      if (read.kind === 'text') {
        const words = proseWords(read.text);
        if (words >= MIN_PROSE_WORDS) {
          return pass(`${entry.path} has content (${words} words of prose)`, [{ path: entry.path }]);
        }
        const what =
          read.text.trim() === '' ? 'is empty' : `has only a title or badges (${words} words of prose)`;
        return fail(
          `${entry.path} ${what}`,
          'Describe the project in the README: what it does, how to install and use it, how to get help.',
          [{ path: entry.path, detail: `${words} words of prose` }],
        );
      }
      if (read.kind === 'unusable' && read.content.kind === 'truncated') {
        return pass(
          `${entry.path} has content (${read.content.byteSize} bytes, too large for GitHub to return in full)`,
          [{ path: entry.path }],
        );
      }
      if (read.kind === 'unusable' && read.content.kind === 'binary') {
        return fail(
          `${entry.path} is a binary file, not a readable README`,
          'Replace it with a text README.md.',
          [{ path: entry.path }],
        );
      }
    }
    const first = ordered[0];
    const read = readText(snapshot, first.path);
    const reason = read.kind === 'unusable' ? read.reason : 'was not collected';
    const problems = snapshot.problems.filter((problem) => problem.part === 'readme');
    const why = problems.length ? problems.map((problem) => problem.message).join('; ') : reason;
    return error(`could not read ${first.path}: ${why}`, [{ path: first.path }]);
  },
});
