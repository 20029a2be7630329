/**
 * Hidden markers the action writes on the first line of what it owns:
 *  - the tracking issue: `<!-- tier-audit:issue org=ORG run=RUN at=ISO -->`
 *  - its continuation comments: `<!-- tier-audit:continuation N -->`
 *  - the new-failures comment: `<!-- tier-audit:changes -->`
 * Markers are only recognised on the first line, and untrusted text can never contain `<` (see escape.ts).
 */

export interface IssueMarker {
  organization: string;
  /** Workflow run id (null outside Actions). */
  runId: string | null;
  /** ISO-8601 time of the audit that wrote the body. */
  at: string;
}

export const MARKER_PREFIX = '<!-- tier-audit:';

function encodeValue(value: string): string {
  return encodeURIComponent(value);
}

export function issueMarker(marker: IssueMarker): string {
  return `<!-- tier-audit:issue org=${encodeValue(marker.organization)} run=${marker.runId === null ? '-' : encodeValue(marker.runId)} at=${encodeValue(marker.at)} -->`;
}

/** The marker on the first line of an issue body, or null. */
export function parseIssueMarker(body: string | null | undefined): IssueMarker | null {
  const firstLine = (body ?? '').split('\n', 1)[0].trim();
  const match = /^<!-- tier-audit:issue org=(\S+) run=(\S+) at=(\S+) -->$/.exec(firstLine);
  if (!match) return null;
  try {
    return {
      organization: decodeURIComponent(match[1]),
      runId: match[2] === '-' ? null : decodeURIComponent(match[2]),
      at: decodeURIComponent(match[3]),
    };
  } catch {
    return null;
  }
}

/** Whether an issue body is the tracking issue of this organization (logins compare case-insensitively). */
export function isTrackingIssueOf(body: string | null | undefined, organization: string): boolean {
  const marker = parseIssueMarker(body);
  return marker !== null && marker.organization.toLowerCase() === organization.toLowerCase();
}

export function continuationMarker(n: number): string {
  return `<!-- tier-audit:continuation ${n} -->`;
}

export function parseContinuationMarker(body: string | null | undefined): number | null {
  const firstLine = (body ?? '').split('\n', 1)[0].trim();
  const match = /^<!-- tier-audit:continuation (\d{1,4}) -->$/.exec(firstLine);
  return match ? Number(match[1]) : null;
}

export const CHANGES_MARKER = '<!-- tier-audit:changes -->';

/**
 * Whether the report already in the issue was written by a newer run than ours, so that ours must not
 * overwrite it: its audit started after ours (`at`), and not later than the clock now (a time in the future
 * was written by hand, not by a run), and — where both carry a numeric run id — its run id is not lower
 * than ours (run ids grow with time; a re-run keeps its id and is ordered by time; at the same time the
 * higher run id is the newer). An edited or
 * unparseable marker never blocks publishing: at worst it holds off the one run whose audit window
 * contains its time.
 */
export function writtenByNewerRun(existing: IssueMarker, ours: IssueMarker, clock: Date): boolean {
  const theirs = Date.parse(existing.at);
  const mine = Date.parse(ours.at);
  if (Number.isNaN(theirs) || Number.isNaN(mine)) return false;
  if (theirs > clock.getTime()) return false;
  const numeric = (id: string | null) => (id !== null && /^\d{1,20}$/.test(id) ? BigInt(id) : null);
  const theirRun = numeric(existing.runId);
  const ourRun = numeric(ours.runId);
  if (theirRun !== null && ourRun !== null && theirRun !== ourRun) return theirRun > ourRun && theirs >= mine;
  return theirs > mine;
}
