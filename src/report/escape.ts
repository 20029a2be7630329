/**
 * Escaping of untrusted text for GitHub-flavoured markdown (issue bodies, comments, job summaries).
 *
 * Everything that comes from a repository, a registry or a check (names, descriptions, OWNERS entries,
 * file and workflow names, messages, evidence) goes through `text()` (or `link()`, `login()`, `code()`):
 * the result renders as the same visible characters but cannot open markdown or HTML constructs, split a
 * table cell, @-mention anyone, reference an issue, autolink a URL, or forge one of our hidden markers
 * (`<!-- tier-audit:` can never survive because `<` always becomes `&lt;`).
 */

/** Zero-width space: breaks GitHub's mention, reference and autolink recognisers without changing the text. */
export const ZWSP = '\u200B';

/** C0/C1 controls (except tab/newline, which collapse), bidi overrides and isolates, BOM. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const WHITESPACE = /[\s\u2028\u2029\u0085]+/g;
/** Markdown punctuation that can open a construct inline (emphasis, code, links, tables, math, strikethrough). */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]()!|~$^{}]/g;

export const DEFAULT_MAX_FIELD = 300;

/** Removes invisible controls, collapses every run of whitespace (newlines too) to one space, trims, caps the length. */
export function collapse(value: unknown, maxLength = DEFAULT_MAX_FIELD): string {
  const text = String(value ?? '')
    .replace(INVISIBLE, '')
    .replace(WHITESPACE, ' ')
    .trim();
  const chars = Array.from(text);
  return chars.length > maxLength ? `${chars.slice(0, Math.max(0, maxLength - 1)).join('')}…` : text;
}

/**
 * Untrusted one-line text → inert markdown. Safe in paragraphs, list items, table cells, link text and
 * `<summary>` elements.
 */
export function text(value: unknown, maxLength = DEFAULT_MAX_FIELD): string {
  return escapeInline(collapse(value, maxLength));
}

/** The escaping of `text()` on an already collapsed string (spaces kept as they are). */
function escapeInline(value: string): string {
  return (
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(MARKDOWN_PUNCTUATION, (char) => `\\${char}`)
      // @mentions, team mentions, e-mail autolinks, owner/repo@sha references
      .replace(/@/g, `@${ZWSP}`)
      // #123, org/repo#123, GH-123 issue references
      .replace(/#(?=\d)/g, `#${ZWSP}`)
      .replace(/\b(GH)-(?=\d)/gi, `$1${ZWSP}-`)
      // URL autolinks: scheme://…, www.…
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}${ZWSP}.`)
  );
}

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:\[bot\])?$/;

/** Whether a string is a syntactically valid GitHub login (user, org or `app[bot]`). */
export function isLogin(value: string): boolean {
  return LOGIN.test(value);
}

/** A login as inline code (`leogr`), never a mention; anything that is not a valid login is escaped text. */
export function login(value: string): string {
  return isLogin(value) ? `\`${value}\`` : text(value, 60);
}

/** A login as an @-mention: only for valid logins, and only where mentions are wanted (see mention-owners). */
export function mention(value: string): string {
  return isLogin(value) ? `@${value}` : text(value, 60);
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:/+-]{0,99}$/;

/** An identifier (check id, tier id, tag) as inline code when it is a plain identifier, else escaped text. */
export function code(value: string): string {
  return IDENTIFIER.test(value) ? `\`${value}\`` : text(value, 100);
}

/**
 * An absolute http(s) URL made safe for a markdown link destination, or null when it is not one.
 * Characters that could end the destination or a table cell are percent-encoded.
 */
export function safeUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!/^https?:\/\/[^\s/?#]+/i.test(trimmed)) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001F\u007F\s]/.test(trimmed)) return null;
  return trimmed.replace(
    /[()<>[\]|\\"'`{}^]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/** `[label](url)` with the label escaped; escaped text alone when the URL is not a safe http(s) URL. */
export function link(label: unknown, url: string | null | undefined, maxLength = DEFAULT_MAX_FIELD): string {
  const href = safeUrl(url);
  const shown = text(label, maxLength) || text(url ?? '', maxLength);
  return href ? `[${shown}](${href})` : shown;
}

/** Percent-encodes each segment of a repository path or branch name for use in a URL. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join('/');
}

/** `{repoUrl}/blob/{branch}/{path}` for a file of a repository, or null when a part is unusable. */
export function blobUrl(repoUrl: string, branch: string | null | undefined, path: string): string | null {
  const base = safeUrl(repoUrl);
  if (!base || !branch) return null;
  const encodedPath = encodePath(path);
  const encodedBranch = encodePath(branch);
  if (!encodedPath || !encodedBranch) return null;
  return `${base.replace(/\/+$/, '')}/blob/${encodedBranch}/${encodedPath}`;
}

/** Cuts a one-line text to at most `max` characters at a word boundary, ending with "…" when cut. */
export function cutAtWord(value: string, max: number): string {
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  const head = chars.slice(0, Math.max(1, max - 1)).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:.(]+$/, '')}…`;
}

/** A code span's content: one line, no backtick, nothing that could end the span or a table cell. */
function codeSpanContent(value: string): string | null {
  const inner = collapse(value, 100);
  if (!inner || /[`|]/.test(inner)) return null;
  return inner;
}

/**
 * A check's message: its own markup (`code spans`) renders as markup; everything else is escaped like
 * `text()`. Long messages are cut at a word boundary with "…" (the JSON report keeps the full text).
 * Code spans are inert (no mention, link or HTML inside one renders), so a span that untrusted text
 * opens or closes stays harmless; a span whose content could break the line is shown as escaped text.
 */
export function richText(value: unknown, maxLength = DEFAULT_MAX_FIELD): string {
  const line = cutAtWord(collapse(value, 100_000), maxLength);
  const parts = line.split(/(`[^`]{1,100}`)/);
  return parts
    .map((part, i) => {
      if (i % 2 === 1) {
        const inner = codeSpanContent(part.slice(1, -1));
        return inner ? `\`${inner}\`` : escapeInline(part);
      }
      return escapeInline(part);
    })
    .join('');
}
