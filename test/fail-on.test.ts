import { exitStatus, parseFailOn } from '../src/fail-on.js';
import type { AuditReport } from '../src/report/model.js';

function outcome(nonCompliant: number, newFailures: number) {
  const report = {
    summary: {
      repositories: 3,
      evaluated: 3,
      compliant: 3 - nonCompliant,
      nonCompliant,
      undeclared: 0,
      skipped: 0,
      errored: 0,
    },
  } as AuditReport;
  const publish = { changes: { newFailures: Array.from({ length: newFailures }, () => ({})) } };
  return { report, publish } as unknown as Parameters<typeof exitStatus>[1];
}

describe('fail-on', () => {
  it('accepts the three modes, case-insensitively, and rejects anything else', () => {
    expect(parseFailOn('never', 'Input fail-on')).toBe('never');
    expect(parseFailOn(' Non-Compliant ', 'Input fail-on')).toBe('non-compliant');
    expect(parseFailOn('regression', 'Input fail-on')).toBe('regression');
    expect(() => parseFailOn('always', 'Input fail-on')).toThrow(
      /^Input fail-on must be one of never, non-compliant, regression/,
    );
    expect(() => parseFailOn('always', '--fail-on')).toThrow(/^--fail-on must be one of/);
  });

  it('never fails with never', () => {
    expect(exitStatus('never', outcome(5, 5))).toBeNull();
  });

  it('fails on non-compliant repositories only with non-compliant', () => {
    expect(exitStatus('non-compliant', outcome(2, 0))).toMatch(/^2 repositories do not meet/);
    expect(exitStatus('non-compliant', outcome(0, 3))).toBeNull();
  });

  it('fails on new failures only with regression', () => {
    expect(exitStatus('regression', outcome(4, 0))).toBeNull();
    expect(exitStatus('regression', outcome(4, 1))).toMatch(/^1 requirements newly fail/);
  });
});
