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
 * Whether the report already in the issue was written by a newer run than ours: a later audit time, or the
 * same time and a higher numeric run id. Unparseable times never block (the marker may be hand-edited).
 */
export function writtenByNewerRun(existing: IssueMarker, ours: IssueMarker): boolean {
  const theirs = Date.parse(existing.at);
  const mine = Date.parse(ours.at);
  if (Number.isNaN(theirs) || Number.isNaN(mine)) return false;
  if (theirs !== mine) return theirs > mine;
  if (existing.runId && ours.runId && /^\d+$/.test(existing.runId) && /^\d+$/.test(ours.runId)) {
    return BigInt(existing.runId) > BigInt(ours.runId);
  }
  return false;
}
