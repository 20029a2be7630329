/** Waivers: matching, expiry (against the audit clock), and bookkeeping for drift. */
import { matchesGlob } from '../config/glob.js';
import type { Waiver } from '../config/types.js';
import type { DriftFinding, Finding } from '../report/model.js';

export interface WaiverInForce {
  /** The repository it matched (a name, not the glob). */
  repository: string;
  check: string;
  /** The tier of the requirement it matched. */
  tier: string;
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

/** What one (waiver, check) met across the audited repositories. */
interface Use {
  /** Audited repositories whose name it matches. */
  matched: Set<string>;
  /** …where that check is a requirement of the repository's declared tier. */
  required: Set<string>;
  /** …where that requirement fails or errors: the waiver is needed there. */
  needed: Set<string>;
}

function matches(waiver: Waiver, repository: string, finding: Finding): boolean {
  return (
    waiver.checks.includes(finding.id) &&
    (waiver.tier === null || waiver.tier === finding.tier) &&
    matchesGlob(repository, waiver.repository)
  );
}

export class WaiverBook {
  private readonly uses = new Map<Waiver, Map<string, Use>>();
  readonly inForce: WaiverInForce[] = [];

  constructor(
    private readonly waivers: readonly Waiver[],
    private readonly now: Date,
  ) {}

  private use(waiver: Waiver, check: string): Use {
    let byCheck = this.uses.get(waiver);
    if (!byCheck) {
      byCheck = new Map();
      this.uses.set(waiver, byCheck);
    }
    let use = byCheck.get(check);
    if (!use) {
      use = { matched: new Set(), required: new Set(), needed: new Set() };
      byCheck.set(check, use);
    }
    return use;
  }

  /**
   * Applies the waivers of an audited `repository` to its findings (in place). `finding.required`
   * must already say whether each finding is a requirement of the declared tier.
   */
  apply(repository: string, findings: Finding[]): void {
    for (const waiver of this.waivers) {
      if (!matchesGlob(repository, waiver.repository)) continue;
      for (const check of waiver.checks) this.use(waiver, check).matched.add(repository);
    }
    for (const finding of findings) {
      const matching = this.waivers.filter((waiver) => matches(waiver, repository, finding));
      if (matching.length === 0) continue;
      const needsWaiver = finding.outcome === 'fail' || finding.outcome === 'error';
      for (const waiver of matching) {
        const use = this.use(waiver, finding.id);
        if (finding.required === true) {
          use.required.add(repository);
          if (needsWaiver) use.needed.add(repository);
        }
      }
      const active = matching.find((waiver) => !isExpired(waiver, this.now));
      if (active) {
        this.inForce.push({
          repository,
          check: finding.id,
          tier: finding.tier,
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

  /**
   * `waiver-expired`, and `waiver-unmatched` for each waived check that no audited repository needs:
   * either no matching repository requires it at its declared tier, or it passes anyway where required.
   */
  drift(): DriftFinding[] {
    const drift: DriftFinding[] = [];
    for (const waiver of this.waivers) {
      const label = `waiver for ${waiver.repository} / ${waiver.checks.join(', ')}${waiver.tier ? ` (tier ${waiver.tier})` : ''}`;
      if (isExpired(waiver, this.now)) {
        const names = new Set<string>();
        for (const use of this.uses.get(waiver)?.values() ?? [])
          for (const name of use.matched) names.add(name);
        const targets = names.size > 0 ? [...names] : [waiver.repository];
        for (const name of targets) {
          drift.push({
            kind: 'waiver-expired',
            repository: name,
            message: `The ${label} expired on ${waiver.expires} (reason: ${waiver.reason}); renew it or remove it.`,
          });
        }
        continue;
      }
      for (const check of waiver.checks) {
        const use = this.uses.get(waiver)?.get(check);
        if (use && use.needed.size > 0) continue;
        const what = `The waiver for ${waiver.repository} / ${check}${waiver.tier ? ` (tier ${waiver.tier})` : ''}`;
        let why: string;
        if (!use || use.matched.size === 0) {
          why = 'matches no audited repository requiring that check: no audited repository has that name';
        } else if (use.required.size === 0) {
          why = `matches no audited repository requiring that check: ${check} is not required at the declared tier of ${[...use.matched].sort().join(', ')}`;
        } else {
          why = `is not needed: ${check} passes anyway at ${[...use.required].sort().join(', ')}`;
        }
        drift.push({
          kind: 'waiver-unmatched',
          repository: use && use.matched.size === 1 ? [...use.matched][0] : waiver.repository,
          message: `${what} ${why}; remove it or fix it.`,
        });
      }
    }
    return drift;
  }
}
