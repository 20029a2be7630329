/** The inputs of incremental audits, as the action and the command line give them. */

export const DEFAULT_FULL_AUDIT_DAYS = 7;

/**
 * `full-audit-days` / `--full-audit-days`: a whole number of days ≥ 0 (0 = read everything every run).
 * Empty = the default. Throws an Error naming `inputName` otherwise.
 */
export function parseFullAuditDays(value: string | undefined, inputName: string): number {
  const text = (value ?? '').trim();
  if (text === '') return DEFAULT_FULL_AUDIT_DAYS;
  if (!/^\d+$/.test(text)) {
    throw new Error(
      `${inputName} must be a whole number of days (0 = read everything every run), got "${value}"`,
    );
  }
  return Number(text);
}
