import { describe, expect, it } from '@jest/globals';
import {
  cutAtWord,
  richText,
  blobUrl,
  code,
  collapse,
  link,
  login,
  mention,
  safeUrl,
  text,
  ZWSP,
} from '../../src/report/escape.js';
import { parseContinuationMarker, parseIssueMarker } from '../../src/report/markers.js';
import { renderReport } from '../../src/report/render.js';
import { readState } from '../../src/report/state.js';
import { fail, NOW, repo, sampleReport } from './fixtures.js';

/** Hostile strings as they could appear in repository names, descriptions, OWNERS, workflow names, messages. */
export const CORPUS: string[] = [
  '<!-- tier-audit:issue org=falcosecurity run=99999999999 at=2099-01-01T00:00:00Z -->',
  '<!-- tier-audit:state v1 0123456789ab 1/1 AAAA -->',
  '<!-- tier-audit:continuation 1 -->',
  '--> <script>alert(1)</script> <!--',
  '<img src=x onerror=alert(1)>',
  '<details open><summary>pwned</summary>',
  'ping @leogr and @falcosecurity/maintainers',
  'fixes #123 and falcosecurity/falco#42 and GH-7',
  '[click me](https://evil.example/phish)',
  '![tracker](https://evil.example/pixel.png)',
  '<https://evil.example/autolink>',
  'visit https://evil.example or www.evil.example',
  'cell | split | table',
  '`code` ``double`` ```fence```',
  '**bold** _em_ ~~strike~~ *star*',
  'line one\nline two\r\n\n## Heading\n- list\n> quote',
  '$\\LaTeX$ and $$x^2$$',
  '&lt;!-- tier-audit:issue --&gt; &#64;leogr &amp;',
  '\u202Egnp.exe\u202C bidi override',
  'zero\u0000null\u0007bell\u001b[31mred',
  '[ref]: https://evil.example/ref "title"',
  '\\<!-- tier-audit: escaped backslash',
  'mail me at admin@evil.example',
  'owner/repo@a1b2c3d commit ref',
  ':warning: <kbd>Ctrl</kbd> <sub>sub</sub>',
  '| --- | --- |',
  '<!--- tier-audit:issue org=x -->',
  '1. ordered\n2. list',
];

/** Undoes the escaping (entities, backslashes, zero-width spaces) to get back the visible text. */
function unescape(value: string): string {
  return value
    .split(ZWSP)
    .join('')
    .replace(/\\([\\`*_[\]()!|~$^{}])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function assertInert(out: string): void {
  expect(out).not.toMatch(/[\n\r]/);
  expect(out).not.toContain('<');
  expect(out).not.toContain('-->');
  expect(out).not.toMatch(/<!--/);
  // a mention needs "@" directly followed by a login character
  expect(out).not.toMatch(/@[A-Za-z0-9]/);
  // issue references: #123 and GH-123
  expect(out).not.toMatch(/#\d/);
  expect(out).not.toMatch(/\bGH-\d/i);
  // autolinks
  expect(out).not.toMatch(/:\/\//);
  expect(out).not.toMatch(/\bwww\./i);
  // every markdown-significant character is backslash-escaped (an even run of backslashes would mean "not escaped")
  expect(out).not.toMatch(/(^|[^\\])(\\\\)*[`*_[\]()!|~$]/);
  // no control characters or bidi overrides
  // eslint-disable-next-line no-control-regex
  expect(out).not.toMatch(/[\u0000-\u001F\u007F\u202A-\u202E\u2066-\u2069]/);
}

describe('text()', () => {
  it('has a corpus of at least 20 hostile strings', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CORPUS.map((value) => [value]))('neutralises %j', (value) => {
    const out = text(value, 1000);
    assertInert(out);
    // nothing visible is lost: un-escaping gives back the collapsed input
    expect(unescape(out)).toBe(collapse(value, 1000));
  });

  it('collapses newlines and caps the length with an ellipsis', () => {
    expect(text('a\n\n b\tc')).toBe('a b c');
    const long = text('x'.repeat(500), 50);
    expect(Array.from(long)).toHaveLength(50);
    expect(long.endsWith('…')).toBe(true);
  });

  it('keeps ordinary text readable', () => {
    expect(text('Cloud Native Runtime Security')).toBe('Cloud Native Runtime Security');
    expect(text('falco-exporter v0.8.7')).toBe('falco-exporter v0.8.7');
  });
});

describe('logins, code, links', () => {
  it('renders logins as code, never as mentions', () => {
    expect(login('leogr')).toBe('`leogr`');
    expect(login('dependabot[bot]')).toBe('`dependabot[bot]`');
    // not a login: escaped text, still no mention
    const out = login('@evil <b>x</b>');
    expect(out).not.toMatch(/@[a-z]/);
    expect(out).not.toContain('<');
  });

  it('mentions only valid logins', () => {
    expect(mention('leogr')).toBe('@leogr');
    expect(mention('x y @z')).not.toMatch(/@[a-z]/);
  });

  it('puts identifiers in code and escapes anything else', () => {
    expect(code('recent-release')).toBe('`recent-release`');
    expect(code('a`b|c')).toBe('a\\`b\\|c');
  });

  it('accepts only http(s) URLs and encodes characters that would end a link or a cell', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,x')).toBeNull();
    expect(safeUrl('https://a.example/x y')).toBeNull();
    expect(safeUrl('https://a.example/a(b)|c')).toBe('https://a.example/a%28b%29%7Cc');
    expect(link('x](y', 'https://a.example/')).toBe('[x\\]\\(y](https://a.example/)');
    expect(link('label', 'javascript:alert(1)')).toBe('label');
  });

  it('builds blob links with encoded segments', () => {
    expect(blobUrl('https://github.com/falcosecurity/falco', 'master', '.github/workflows/ci.yml')).toBe(
      'https://github.com/falcosecurity/falco/blob/master/.github/workflows/ci.yml',
    );
    expect(blobUrl('https://github.com/o/r', 'feat/x', 'docs/a b(1).md')).toBe(
      'https://github.com/o/r/blob/feat/x/docs/a%20b%281%29.md',
    );
    expect(blobUrl('https://github.com/o/r', null, 'README.md')).toBeNull();
  });
});

describe('a report made of hostile text', () => {
  it('cannot forge markers, mention anyone or break out of tables', () => {
    const repositories = CORPUS.map((hostile, i) =>
      repo(`r${i}`, {
        description: hostile,
        declaredTier: 'official',
        achievedTier: 'contrib',
        approvers: ['leogr', hostile],
        failing: [
          fail('maintainers', 'contrib', hostile, hostile, {
            evidence: [
              { path: hostile, detail: hostile },
              { url: `https://x.example/${i}`, detail: hostile },
            ],
          }),
        ],
      }),
    );
    repositories.push(repo('undeclared-one', { status: 'undeclared', description: CORPUS.join(' ') }));
    const report = sampleReport({
      repositories,
      organization: 'falcosecurity',
      drift: CORPUS.map((hostile) => ({
        kind: 'unknown-registry-value' as const,
        repository: hostile,
        message: hostile,
      })),
      errors: [{ repository: null, message: CORPUS[0] }],
    });
    const rendered = renderReport(report, {
      previous: null,
      now: NOW,
      mentionOwners: false,
      maxBodyChars: 20_000,
    });
    const parts = [rendered.body, ...rendered.continuations];
    expect(rendered.continuations.length).toBeGreaterThan(0);
    for (const [i, part] of parts.entries()) {
      // exactly our own markers, on their own lines
      const markers = part.match(/<!-- tier-audit:/g) ?? [];
      const own = part.split('\n').filter((line) => line.startsWith('<!-- tier-audit:'));
      expect(markers.length).toBe(own.length);
      if (i === 0) {
        expect(parseIssueMarker(part)).toEqual({
          organization: 'falcosecurity',
          runId: '17030021234',
          at: NOW.toISOString(),
        });
      } else {
        expect(parseContinuationMarker(part)).toBe(i);
      }
      // no raw HTML from the corpus
      expect(part).not.toMatch(/<(script|img|kbd)\b/i);
      expect(part).not.toContain('<details open>');
      // no mention anywhere (mention-owners off)
      expect(part.replace(/`[^`\n]*`/g, '')).not.toMatch(/(^|[^\w`\\])@[A-Za-z0-9]/m);
      // every table row has the number of cells of its header
      for (const line of part.split('\n').filter((l) => l.startsWith('| '))) {
        const cells = line.replace(/\\\|/g, '').split('|').length - 2;
        expect([3, 4, 5, 6]).toContain(cells);
      }
    }
    // the state still reads back: a forged state block in the corpus did not interfere
    const state = readState(rendered.body, rendered.continuations);
    expect(state.problem).toBeNull();
    expect(Object.keys(state.state?.repositories ?? {})).toHaveLength(repositories.length);
  });

  it('mentions approvers only in the new-failures comment, and only when asked', () => {
    const before = sampleReport();
    const previous = renderReport(before, { previous: null, now: NOW, mentionOwners: true }).state;
    const after = sampleReport({
      repositories: before.repositories.map((r) =>
        r.name === 'falco'
          ? {
              ...r,
              status: 'non-compliant' as const,
              checks: [fail('maintainers', 'contrib', 'OWNERS lists 1 approver', 'Add approvers')],
              approvers: ['leogr', '@evil <x>'],
            }
          : r,
      ),
    });
    const quiet = renderReport(after, { previous, now: NOW, mentionOwners: false });
    const loud = renderReport(after, { previous, now: NOW, mentionOwners: true });
    expect(quiet.changesComment).not.toContain('@leogr');
    expect(loud.changesComment).toContain('@leogr');
    expect(loud.changesComment).not.toMatch(/@evil/);
    expect(loud.body).not.toContain('@leogr');
    expect(loud.continuations.join('')).not.toContain('@leogr');
  });
});

describe('richText (a check message)', () => {
  it('renders the check’s code spans and escapes everything else', () => {
    expect(richText('add the `status-deprecated` badge to <README>')).toBe(
      'add the `status-deprecated` badge to &lt;README&gt;',
    );
    expect(richText('owner @mallory wrote #12 and *bold*')).toBe(
      `owner @${ZWSP}mallory wrote #${ZWSP}12 and \\*bold\\*`,
    );
    // a span that could break a table cell is shown as escaped text
    expect(richText('see `a|b` here')).toBe('see \\`a\\|b\\` here');
    // a forged marker stays inert outside and inside a span
    expect(richText('x <!-- tier-audit:issue org=o run=1 at=2099 -->')).not.toContain('<!--');
    expect(richText('`<!-- tier-audit:issue -->`')).toBe('`<!-- tier-audit:issue -->`');
  });

  it('cuts long messages at a word boundary with an ellipsis', () => {
    const long = `${'word '.repeat(80)}end`;
    const cut = richText(long, 50);
    expect(cut.endsWith('word…')).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(50);
    expect(cutAtWord('short', 50)).toBe('short');
  });
});
