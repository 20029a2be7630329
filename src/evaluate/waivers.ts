/** Waivers: matching, expiry (against the audit clock), and bookkeeping for drift. */
import { matchesGlob } from '../config/glob.js';
import type { Waiver } from '../config/types.js';
import type { DriftFinding, Finding } from '../report/model.js';

export interface WaiverInForce {
  /** The repository it matched (a name, not the glob). */
  repository: string;
  check: string;
  reason: string;
  expires: string | null;
  /** True when it turned a failure or error into `waived`; false when the check passed anyway. */
  applied: boolean;
}

/** YYYY-MM-DD of the audit clock (UTC). */
export function auditDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** Expired when its last day (inclusive) is before the audit date. */
export function isExpired(waiver: Waiver, now: Date): boolean {
  return waiver.expires !== null && waiver.expires < auditDate(now);
}

export class WaiverBook {
  private readonly matched = new Map<Waiver, Set<string>>();
  readonly inForce: WaiverInForce[] = [];

  constructor(
    private readonly waivers: readonly Waiver[],
    private readonly now: Date,
  ) {}

  /** Applies the waivers of `repository` to its findings (in place). */
  apply(repository: string, findings: Finding[]): void {
    for (const finding of findings) {
      const matching = this.waivers.filter(
        (waiver) => waiver.check === finding.id && matchesGlob(repository, waiver.repository),
      );
      if (matching.length === 0) continue;
      for (const waiver of matching) {
        const names = this.matched.get(waiver) ?? new Set<string>();
        names.add(repository);
        this.matched.set(waiver, names);
      }
      const active = matching.find((waiver) => !isExpired(waiver, this.now));
      const needsWaiver = finding.outcome === 'fail' || finding.outcome === 'error';
      if (active) {
        this.inForce.push({
          repository,
          check: finding.id,
          reason: active.reason,
          expires: active.expires,
          applied: needsWaiver,
        });
        if (needsWaiver) {
          finding.outcome = 'waived';
          finding.waiver = { reason: active.reason, expires: active.expires, expired: false };
        }
      } else if (needsWaiver) {
        const expired = matching[0];
        finding.waiver = { reason: expired.reason, expires: expired.expires, expired: true };
      }
    }
  }

  /** `waiver-expired` and `waiver-unmatched` drift, once every repository was applied. */
  drift(): DriftFinding[] {
    const drift: DriftFinding[] = [];
    for (const waiver of this.waivers) {
      const names = [...(this.matched.get(waiver) ?? [])];
      const label = `waiver for ${waiver.repository} / ${waiver.check}`;
      if (isExpired(waiver, this.now)) {
        const targets = names.length > 0 ? names : [waiver.repository];
        for (const name of targets) {
          drift.push({
            kind: 'waiver-expired',
            repository: name,
            message: `The ${label} expired on ${waiver.expires} (reason: ${waiver.reason}); renew it or remove it.`,
          });
        }
      } else if (names.length === 0) {
        drift.push({
          kind: 'waiver-unmatched',
          repository: waiver.repository,
          message: `The ${label} matches no audited repository requiring that check; remove it or fix its name.`,
        });
      }
    }
    return drift;
  }
}
