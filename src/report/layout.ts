/**
 * Packs sections into parts of bounded size (the issue body, then continuation comments; or one job summary),
 * splitting a long section between rows only. A split piece ends with a note naming where it continues and
 * the next piece repeats the table header: no row is dropped, none is cut.
 */
import type { Section } from './sections.js';

export type Measure = (value: string) => number;
export const measureChars: Measure = (value) => value.length;
export const measureBytes: Measure = (value) => Buffer.byteLength(value, 'utf8');

export interface LayoutOptions {
  /** Room for sections in the first part (the body, after its headline). */
  firstBudget: number;
  /** Room for sections in each following part (after its own header). */
  nextBudget: number;
  /** Note ending a piece whose section continues in part `next` (1 = first continuation). */
  continuedNote: (next: number) => string;
  measure: Measure;
  /** Note ending the last piece when the part limit cuts a section (default: `continuedNote`). */
  cutNote?: string;
  /** Stop after this many parts (1: the job summary): `overflowRows` counts what was left. Default: no limit. */
  maxParts?: number;
}

export interface LayoutResult {
  /** Section markdown per part; part 0 is the body. */
  parts: string[];
  /** With `maxParts`: rows that did not fit. */
  overflowRows: number;
}

function renderPiece(
  section: Section,
  rows: string[],
  from: number,
  continued: boolean,
  note: string | null,
): string {
  const title = `${section.title}${continued ? ' (continued)' : ''}`;
  const heading = section.heading === 'bold' ? `**${title}**` : `### ${title}`;
  const lines: string[] = [section.subtitle ? `${heading}<br>\n${section.subtitle}` : heading, ''];
  if (section.fold) {
    const total = section.rows.length;
    const summary = section.foldLabel
      ? section.foldLabel
      : rows.length === total
        ? `Show ${total === 1 ? 'it' : `all ${total}`}`
        : `Show ${from + 1}–${from + rows.length} of ${total}`;
    lines.push(`<details><summary>${summary}</summary>`, '');
  }
  if (!continued && section.intro) lines.push(section.intro, '');
  if (section.rows.length === 0) {
    lines.push(section.empty ?? 'None.');
  } else {
    if (section.header) lines.push(section.header);
    lines.push(...rows);
  }
  if (note) lines.push('', note);
  if (section.fold) lines.push('', '</details>');
  return lines.join('\n');
}

const SEPARATOR = '\n\n';

export function layoutSections(sections: Section[], options: LayoutOptions): LayoutResult {
  const { measure } = options;
  const parts: string[] = [''];
  let budget = options.firstBudget;
  let overflowRows = 0;
  let stopped = false;
  let used = 0;
  const separatorSize = measure(SEPARATOR);
  const current = () => parts[parts.length - 1];
  const fits = (size: number) => used + (used > 0 ? separatorSize : 0) + size <= budget;
  const append = (markdown: string) => {
    if (used > 0) {
      parts[parts.length - 1] = `${current()}${SEPARATOR}${markdown}`;
      used += separatorSize + measure(markdown);
    } else {
      parts[parts.length - 1] = markdown;
      used = measure(markdown);
    }
  };
  const newPart = () => {
    if (options.maxParts !== undefined && parts.length >= options.maxParts) {
      stopped = true;
      return;
    }
    parts.push('');
    used = 0;
    budget = options.nextBudget;
  };

  for (const section of sections) {
    if (stopped) {
      overflowRows += section.rows.length;
      continue;
    }
    // Rendered whole only when its rows alone may fit (a long section is never held as one string).
    const room = budget - used - (used > 0 ? separatorSize : 0);
    const whole =
      section.rows.measureUpTo(room, measure) <= room
        ? renderPiece(section, section.rows.slice(), 0, false, null)
        : null;
    if (whole !== null && fits(measure(whole))) {
      append(whole);
      continue;
    }
    if (section.rows.length === 0) {
      if (current()) newPart();
      if (!stopped) append(renderPiece(section, [], 0, false, null));
      continue;
    }
    let index = 0;
    let continued = false;
    while (index < section.rows.length) {
      const total = section.rows.length;
      const note =
        options.maxParts !== undefined && parts.length >= options.maxParts && options.cutNote
          ? options.cutNote
          : options.continuedNote(parts.length);
      // Size without rows, with the widest possible row-range summary.
      let size = measure(renderPiece(section, [], total, continued, note)) + 1;
      const piece: string[] = [];
      while (index + piece.length < total) {
        const row = section.rows.at(index + piece.length);
        const rowSize = measure(row) + 1;
        if (!fits(size + rowSize)) break;
        size += rowSize;
        piece.push(row);
      }
      const taken = piece.length;
      if (taken === 0) {
        if (!current()) {
          // One row larger than a whole part: shorten it, and say so (never silently).
          const room = Math.max(0, budget - size - 200);
          const shortened = `${Array.from(section.rows.at(index)).slice(0, room).join('')} … (row shortened to fit: the JSON report has it in full) |`;
          const last = index + 1 === total;
          append(renderPiece(section, [shortened], index, continued, last ? null : note));
          index++;
          continued = true;
          if (!last) newPart();
        } else {
          newPart();
        }
        if (stopped) {
          overflowRows += total - index;
          break;
        }
        continue;
      }
      const done = index + taken === total;
      append(renderPiece(section, piece, index, continued, done ? null : note));
      index += taken;
      continued = true;
      if (!done) {
        newPart();
        if (stopped) {
          overflowRows += total - index;
          break;
        }
      }
    }
  }
  return { parts, overflowRows };
}
