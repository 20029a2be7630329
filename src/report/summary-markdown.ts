/** The job summary ($GITHUB_STEP_SUMMARY): the same content and folding as the issue, at most 1 MiB. */
import { code } from './escape.js';
import { measureBytes } from './layout.js';
import type { AuditReport } from './model.js';
import { renderSingle } from './render.js';
import type { PreviousState } from './state.js';

/** GitHub's limit for one step's job summary, in bytes. */
export const JOB_SUMMARY_LIMIT = 1024 * 1024;

export interface JobSummaryOptions {
  now: Date;
  /** Name of the JSON report file, pointed to when the summary must leave rows out. */
  reportFileName: string;
  /** In a dry run: the exact issue body that would have been written (shown instead of the report). */
  dryRunBody?: string | null;
  /** The state the issue keeps (for "failing since"), when published. */
  state?: PreviousState | null;
  /** Limit in bytes (default 1 MiB minus a margin). */
  maxBytes?: number;
}

export function renderJobSummary(report: AuditReport, options: JobSummaryOptions): string {
  const max = options.maxBytes ?? JOB_SUMMARY_LIMIT - 16 * 1024;
  if (options.dryRunBody) {
    const note =
      '> [!NOTE]\n> **Dry run**: nothing was written to GitHub. Below is the exact tracking-issue body that would have been written' +
      ` (the full report is in ${code(options.reportFileName)}).\n\n`;
    const markdown = `${note}${options.dryRunBody}`;
    if (Buffer.byteLength(markdown, 'utf8') <= max) return markdown;
  }
  const where = `_The complete report is the JSON file ${code(options.reportFileName)} (\`report-path\`); the workflow in the README uploads it as the \`tier-audit-report\` artifact._\n\n`;
  return `${where}${renderSingle(report, options.now, max - Buffer.byteLength(where, 'utf8'), measureBytes, options.reportFileName, options.state ?? null).markdown}`;
}
