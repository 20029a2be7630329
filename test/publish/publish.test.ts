import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { restIssueApi } from '../../src/github/issues.js';
import { memoryLogger } from '../../src/log.js';
import { PublishError, publishTrackingIssue, type PublishInput } from '../../src/publish/index.js';
import { parseContinuationMarker, parseIssueMarker } from '../../src/report/markers.js';
import type { AuditReport, RepositoryReport } from '../../src/report/model.js';
import { GITHUB_BODY_LIMIT } from '../../src/report/render.js';
import { readState } from '../../src/report/state.js';
import { summarize } from '../../src/report/summary.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { fail, largeReport, sampleReport } from '../report/fixtures.js';

const OWNER = 'falcosecurity';
const REPO = 'evolution';
let fake: FakeGitHub;

beforeEach(async () => {
  fake = await startFakeGitHub({ orgs: [] });
});
afterEach(async () => {
  await fake.close();
});

function client() {
  return restIssueApi(getOctokit('test-token', { baseUrl: fake.url }), OWNER, REPO);
}

function at(day: number): Date {
  return new Date(Date.UTC(2026, 7, day, 6, 0, 0));
}

function input(report: AuditReport, overrides: Partial<PublishInput> = {}): PublishInput {
  const now = overrides.now ?? new Date(report.generatedAt);
  return {
    organization: 'falcosecurity',
    title: 'Tier audit: falcosecurity',
    label: 'tier-audit',
    report: { ...report, generatedAt: now.toISOString() },
    runId: String(17030000000 + now.getUTCDate()),
    runUrl: `https://github.com/falcosecurity/evolution/actions/runs/${17030000000 + now.getUTCDate()}`,
    now,
    dryRun: false,
    closeWhenCompliant: true,
    commentOnChange: false,
    mentionOwners: false,
    log: memoryLogger(),
    ...overrides,
  };
}

function withRepositories(repositories: RepositoryReport[]): AuditReport {
  return sampleReport({ repositories, summary: summarize(repositories) });
}

/** The sample report with falco regressed (a new failing requirement). */
function regressed(): AuditReport {
  return withRepositories(
    sampleReport().repositories.map((r) =>
      r.name === 'falco'
        ? {
            ...r,
            status: 'non-compliant',
            achievedTier: 'repository',
            checks: [fail('security-policy', 'repository', 'No SECURITY.md', 'Add SECURITY.md')],
          }
        : r,
    ),
  );
}

function allCompliant(): AuditReport {
  const repositories = sampleReport()
    .repositories.filter((r) => r.status !== 'error')
    .map((r) =>
      r.status === 'non-compliant'
        ? { ...r, status: 'compliant' as const, achievedTier: r.declaredTier, checks: [] }
        : r,
    );
  return withRepositories(repositories);
}

const issues = () => fake.issues.list(OWNER, REPO);

describe('publishTrackingIssue', () => {
  it('first run: creates the label and the issue', async () => {
    const result = await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    expect(result.action).toBe('created');
    expect(result.issueNumber).toBe(1);
    expect(result.issueUrl).toBe('https://github.com/falcosecurity/evolution/issues/1');
    expect(result.writes).toBe(2);
    expect(fake.issues.writes).toBe(2);
    expect(fake.issues.labelList(OWNER, REPO).map((l) => l.name)).toEqual(['tier-audit']);
    const [issue] = issues();
    expect(issue.labels).toEqual(['tier-audit']);
    expect(issue.title).toBe('Tier audit: falcosecurity');
    expect(issue.body).toBe(result.body);
    expect(parseIssueMarker(issue.body)?.runId).toBe('17030000021');
    expect(result.changes.firstAudit).toBe(true);
  });

  it('unchanged rerun: exactly one write, the body', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21), commentOnChange: true }));
    const before = fake.issues.writes;
    const result = await publishTrackingIssue(
      client(),
      input(sampleReport(), { now: at(22), commentOnChange: true }),
    );
    expect(result.action).toBe('unchanged');
    expect(result.writes).toBe(1);
    expect(fake.issues.writes - before).toBe(1);
    expect(issues()[0].body).toContain('Audited **2026-08-22 06:00 UTC**');
    expect(issues()[0].body).toContain('No changes since the last audit.');
    // the history read back from the body: the trend of both audits
    expect(issues()[0].body).toContain('x-axis ["08-21", "08-22"]');
    expect(issues()[0].comments).toEqual([]);
    // and the same run again writes nothing at all
    const again = await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    expect(again.writes).toBe(0);
  });

  it('unchanged rerun of a large organization leaves every continuation comment alone', async () => {
    const report = largeReport(300);
    const first = await publishTrackingIssue(client(), input(report, { now: at(21), maxBodyChars: 12_000 }));
    expect(first.continuations.length).toBeGreaterThan(0);
    expect(issues()[0].comments).toHaveLength(first.continuations.length);
    const before = fake.issues.writes;
    const second = await publishTrackingIssue(client(), input(report, { now: at(22), maxBodyChars: 12_000 }));
    expect(second.action).toBe('unchanged');
    expect(fake.issues.writes - before).toBe(1);
  });

  it('regression: updates the body and comments only the new failures', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    const result = await publishTrackingIssue(
      client(),
      input(regressed(), { now: at(22), commentOnChange: true }),
    );
    expect(result.action).toBe('updated');
    expect(result.changes.newFailures).toEqual([
      { repository: 'falco', check: 'security-policy', declaredTier: 'official' },
    ]);
    expect(result.writes).toBe(2);
    const [issue] = issues();
    expect(issue.body).toContain('🔴 Newly failing (1)');
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0].body).toContain('`security-policy`');
    expect(issue.comments[0].body).not.toContain('pigeon');
    expect(issue.comments[0].body).not.toMatch(/@[a-z]/i);
  });

  it('mentions approvers in the new-failures comment only with mentionOwners', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    await publishTrackingIssue(
      client(),
      input(regressed(), { now: at(22), commentOnChange: true, mentionOwners: true }),
    );
    const [issue] = issues();
    expect(issue.comments[0].body).toContain('@leogr');
    expect(issue.body).not.toContain('@leogr');
  });

  it('fix: reports fixed requirements without a comment', async () => {
    await publishTrackingIssue(client(), input(regressed(), { now: at(21) }));
    const result = await publishTrackingIssue(
      client(),
      input(sampleReport(), { now: at(22), commentOnChange: true }),
    );
    expect(result.action).toBe('updated');
    expect(result.changes.fixed).toEqual([
      { repository: 'falco', check: 'security-policy', declaredTier: 'official' },
    ]);
    expect(result.changes.newFailures).toEqual([]);
    expect(issues()[0].comments).toEqual([]);
    expect(issues()[0].body).toContain('🟢 Fixed (1)');
  });

  it('closes the issue when everything is compliant and reopens the same issue when findings return', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    const closed = await publishTrackingIssue(client(), input(allCompliant(), { now: at(22) }));
    expect(closed.action).toBe('closed');
    expect(issues()[0].state).toBe('closed');
    expect(issues()[0].comments.at(-1)?.body).toMatch(/closing/);
    // still compliant: stays closed, one write
    const quiet = await publishTrackingIssue(client(), input(allCompliant(), { now: at(23) }));
    expect(quiet.action).toBe('unchanged');
    expect(quiet.writes).toBe(1);
    const reopened = await publishTrackingIssue(client(), input(regressed(), { now: at(24) }));
    expect(reopened.action).toBe('reopened');
    expect(reopened.issueNumber).toBe(1);
    expect(issues()).toHaveLength(1);
    expect(issues()[0].state).toBe('open');
  });

  it('does not reopen an issue a person closed while the same findings persist', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    issues()[0].state = 'closed';
    const result = await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    expect(result.action).toBe('unchanged');
    expect(issues()[0].state).toBe('closed');
  });

  it('opens no issue when everything is compliant from the start', async () => {
    const result = await publishTrackingIssue(client(), input(allCompliant(), { now: at(21) }));
    expect(result.issueNumber).toBeNull();
    expect(result.writes).toBe(0);
    expect(issues()).toEqual([]);
  });

  it('keeps the oldest of duplicate tracking issues and closes the others, pointing to it', async () => {
    const first = await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    fake.issues.seedIssue(OWNER, REPO, {
      title: 'Tier audit: falcosecurity',
      body: first.body,
      labels: ['tier-audit'],
    });
    fake.issues.seedIssue(OWNER, REPO, { title: 'unrelated', body: 'hello', labels: ['tier-audit'] });
    const result = await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    expect(result.issueNumber).toBe(1);
    const [kept, duplicate, unrelated] = issues();
    expect(kept.state).toBe('open');
    expect(duplicate.state).toBe('closed');
    expect(duplicate.comments[0].body).toContain('Duplicate of #1');
    expect(unrelated.state).toBe('open');
    // next run: the closed duplicate is left alone
    const before = fake.issues.writes;
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(23) }));
    expect(fake.issues.writes - before).toBe(1);
  });

  it('finds its issue when the label was removed, but not an outsider’s forgery', async () => {
    const first = await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    issues()[0].labels = [];
    // an outsider opens an issue with a forged marker from the future
    fake.issues.seedIssue(OWNER, REPO, {
      title: 'forged',
      body: first.body.replace(/at=[^ ]+/, 'at=2099-01-01T00%3A00%3A00.000Z'),
      user: 'mallory',
      authorAssociation: 'NONE',
    });
    const result = await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    expect(result.issueNumber).toBe(1);
    expect(result.action).toBe('unchanged');
    expect(issues()).toHaveLength(2);
    expect(issues()[0].labels).toEqual([]);
  });

  it('never overwrites a report written by a newer run', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    const body = issues()[0].body;
    const before = fake.issues.writes;
    const result = await publishTrackingIssue(
      client(),
      input(regressed(), { now: at(21), commentOnChange: true }),
    );
    expect(result.action).toBe('skipped-newer-run');
    expect(result.writes).toBe(0);
    expect(fake.issues.writes).toBe(before);
    expect(issues()[0].body).toBe(body);
  });

  it('a marker edited to a future time does not freeze the issue (#11 break 6)', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    issues()[0].body = issues()[0].body.replace(/at=[^ ]+/, 'at=2099-01-01T00%3A00%3A00.000Z');
    const result = await publishTrackingIssue(client(), input(regressed(), { now: at(22) }));
    expect(result.action).not.toBe('skipped-newer-run');
    expect(parseIssueMarker(issues()[0].body)?.at).toBe(at(22).toISOString());
    // a huge forged run id with a past time does not block either
    issues()[0].body = issues()[0].body.replace(/run=[^ ]+/, 'run=99999999999999');
    const next = await publishTrackingIssue(client(), input(sampleReport(), { now: at(23) }));
    expect(next.action).not.toBe('skipped-newer-run');
    expect(parseIssueMarker(issues()[0].body)?.runId).toBe('17030000023');
  });

  it('a lower run id is not a newer run even with a later time', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(22), runId: '100' }));
    const result = await publishTrackingIssue(client(), input(regressed(), { now: at(21), runId: '200' }));
    expect(result.action).toBe('updated');
  });

  it('never adopts an outsider’s labelled issue with a forged marker, nor touches its comments (#11 break 7)', async () => {
    const forged = await publishTrackingIssue(client(), input(sampleReport(), { now: at(20), dryRun: true }));
    const outsider = fake.issues.seedIssue(OWNER, REPO, {
      title: 'Tier audit: falcosecurity',
      body: forged.body,
      labels: ['tier-audit'],
      user: 'mallory',
      authorAssociation: 'NONE',
    });
    outsider.comments.push({
      id: 4242,
      body: '<!-- tier-audit:continuation 1 -->\nmallory was here',
      user: 'mallory',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    });
    const result = await publishTrackingIssue(client(), input(largeReport(1500), { now: at(21) }));
    expect(result.action).toBe('created');
    expect(result.issueNumber).toBe(2);
    const [theirs, ours] = issues();
    expect(theirs.body).toBe(forged.body);
    expect(theirs.state).toBe('open');
    expect(theirs.comments).toEqual([outsider.comments[0]]);
    expect(theirs.comments[0].body).toContain('mallory was here');
    expect(ours.user).toBe('github-actions[bot]');
    // and on the next run nothing is added to the outsider's issue
    await publishTrackingIssue(client(), input(largeReport(1500), { now: at(22) }));
    expect(issues()[0].comments).toHaveLength(1);
    expect(issues()[0].state).toBe('open');
  });

  it('leaves an outsider’s comment on its own issue alone, even with a continuation marker (#11 break 7)', async () => {
    const first = await publishTrackingIssue(
      client(),
      input(largeReport(300), { now: at(21), maxBodyChars: 12_000 }),
    );
    expect(first.continuations.length).toBeGreaterThan(0);
    const [issue] = issues();
    const planted = {
      id: 4343,
      body: '<!-- tier-audit:continuation 1 -->\nan outsider’s words',
      user: 'mallory',
      createdAt: '2026-01-01T00:00:00Z',
      updatedAt: '2026-01-01T00:00:00Z',
    };
    issue.comments.unshift(planted);
    await publishTrackingIssue(client(), input(largeReport(40), { now: at(22) }));
    expect(issues()[0].comments.find((c) => c.id === 4343)).toEqual(planted);
  });

  it('owns only what the token’s identity wrote: another account’s issue is not its issue', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    // the same workflow now runs with a GitHub App token: the issue opened by the Actions token is not its own
    fake.issues.actor = 'tier-audit-app[bot]';
    const result = await publishTrackingIssue(client(), input(sampleReport(), { now: at(22) }));
    expect(result.action).toBe('created');
    expect(issues()).toHaveLength(2);
    expect(issues()[0].body).toContain('2026-08-21 06:00 UTC');
  });

  it('a forged state block that inflates to 60 MB is a new baseline, not a crash (#11 break 5)', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    const bomb =
      'z///f6gEym2pX37D6lIdC0OwKAgiFsEhx98uCDk3T0RLjyKxPw83sXFGrb4ViItH5uS0oBAdNft59/+RKfD//x9+CYA4LADQvf/n//8//BIAcVgAoHv/nzOHk/iluvpKksMCgOx+kwQ=';
    issues()[0].body = issues()[0].body.replace(
      /^<!-- tier-audit:state .*$/m,
      `<!-- tier-audit:state v1 b455591c6189 1/1 ${bomb} -->`,
    );
    const log = memoryLogger();
    const result = await publishTrackingIssue(client(), input(regressed(), { now: at(22), log }));
    expect(result.action).toBe('updated');
    expect(result.changes.firstAudit).toBe(true);
    expect(issues()[0].body).toMatch(
      /could not be read \(the state could not be decoded: it inflates beyond 8 MB.*this audit is a new baseline/,
    );
    expect(log.lines.some((l) => l.level === 'warning' && /new baseline/.test(l.message))).toBe(true);
    // and the run after reads its own state again
    const next = await publishTrackingIssue(client(), input(regressed(), { now: at(23) }));
    expect(next.changes.firstAudit).toBe(false);
  });

  it('a rate-limited run does not turn into regressions on the next full run', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    const limited = withRepositories(
      sampleReport().repositories.map((r) =>
        r.status === 'non-compliant'
          ? {
              ...r,
              status: 'error' as const,
              achievedTier: null,
              checks: [],
              error: 'not evaluated (rate limit)',
            }
          : r,
      ),
    );
    const during = await publishTrackingIssue(client(), input(limited, { now: at(22) }));
    expect(during.changes.fixed).toEqual([]);
    const after = await publishTrackingIssue(
      client(),
      input(sampleReport(), { now: at(23), commentOnChange: true }),
    );
    expect(after.changes.newFailures).toEqual([]);
    expect(after.changes.fixed).toEqual([]);
    expect(issues()[0].comments).toEqual([]);
  });

  it('dry run: reads, computes the exact body, writes nothing', async () => {
    await publishTrackingIssue(client(), input(sampleReport(), { now: at(21) }));
    const before = fake.issues.writes;
    const dry = await publishTrackingIssue(
      client(),
      input(regressed(), { now: at(22), dryRun: true, commentOnChange: true }),
    );
    expect(dry.action).toBe('dry-run');
    expect(dry.writes).toBe(0);
    expect(fake.issues.writes).toBe(before);
    expect(dry.changes.newFailures).toHaveLength(1);
    const real = await publishTrackingIssue(client(), input(regressed(), { now: at(22) }));
    expect(issues()[0].body).toBe(dry.body);
    expect(real.body).toBe(dry.body);
  });

  it('dry run without an issue yet: zero writes, no label either', async () => {
    const dry = await publishTrackingIssue(client(), input(sampleReport(), { now: at(21), dryRun: true }));
    expect(dry).toMatchObject({ action: 'dry-run', issueNumber: null, writes: 0 });
    expect(fake.issues.writes).toBe(0);
    expect(fake.issues.labelList(OWNER, REPO)).toEqual([]);
  });

  it('10,000 failing repositories: at most 8 writes, every repository named; a rerun 1 write; shrinking deletes surplus comments', async () => {
    const report = largeReport(10_000);
    const result = await publishTrackingIssue(client(), input(report, { now: at(21) }));
    expect(result.writes).toBeLessThanOrEqual(8);
    expect(fake.issues.writes).toBe(result.writes);
    const [issue] = issues();
    const parts = [issue.body, ...issue.comments.map((c) => c.body)];
    expect(issue.comments).toHaveLength(result.continuations.length);
    expect(issue.comments.length).toBeLessThanOrEqual(4);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    issue.comments.forEach((c, i) => expect(parseContinuationMarker(c.body)).toBe(i + 1));
    const all = parts.join('\n');
    for (const r of report.repositories) expect(all).toContain(r.name);
    expect(
      readState(
        issue.body,
        issue.comments.map((c) => c.body),
      ).state?.repositories,
    ).toBeDefined();
    const before = fake.issues.writes;
    const rerun = await publishTrackingIssue(client(), input(report, { now: at(22) }));
    expect(rerun.writes).toBe(1);
    expect(fake.issues.writes - before).toBe(1);

    const smaller = largeReport(40);
    const shrink = await publishTrackingIssue(client(), input(smaller, { now: at(23) }));
    // the 9,960 removed repositories are listed under "All changes": still at most 4 comments
    expect(shrink.continuations.length).toBeLessThanOrEqual(4);
    expect(issues()[0].comments.map((c) => c.body)).toEqual(shrink.continuations);
    expect(shrink.changes.removed).toHaveLength(9960);
    // once the changes are reported, a rerun needs no comment at all
    await publishTrackingIssue(client(), input(smaller, { now: at(24) }));
    expect(issues()[0].comments).toEqual([]);
  }, 180_000);

  it('an abort before the body write keeps the previous report readable, and the next run recovers', async () => {
    await publishTrackingIssue(client(), input(largeReport(300), { now: at(21), maxBodyChars: 12_000 }));
    const oldBody = issues()[0].body;
    fake.faults.push({ match: { method: 'PATCH', path: /\/issues\/1$/ }, response: 500 });
    await expect(
      publishTrackingIssue(client(), input(largeReport(280), { now: at(22), maxBodyChars: 12_000 })),
    ).rejects.toThrow(PublishError);
    expect(issues()[0].body).toBe(oldBody);
    expect(
      readState(
        oldBody,
        issues()[0].comments.map((c) => c.body),
      ).state,
    ).not.toBeNull();
    const recovered = await publishTrackingIssue(
      client(),
      input(largeReport(280), { now: at(22), maxBodyChars: 12_000 }),
    );
    expect(recovered.changes.removed).toHaveLength(20);
    expect(issues()[0].comments).toHaveLength(recovered.continuations.length);
  });
});

describe('GitHub errors name the fix', () => {
  const run = (overrides: Partial<PublishInput> = {}) =>
    publishTrackingIssue(client(), input(sampleReport(), { now: at(21), ...overrides }));

  async function failure(promise: Promise<unknown>): Promise<PublishError> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PublishError);
    return error as PublishError;
  }

  it('410: issues disabled', async () => {
    fake.issues.issuesDisabled.add(`${OWNER}/${REPO}`);
    const error = await failure(run());
    expect(error.status).toBe(410);
    expect(error.message).toMatch(/issues are disabled in that repository/);
    expect(error.message).toMatch(/issue-repository/);
  });

  it('403 on read: names the permission to grant', async () => {
    fake.issues.faults.set(`${OWNER}/${REPO}`, 'forbidden-read');
    const error = await failure(run());
    expect(error.status).toBe(403);
    expect(error.message).toContain('`issues: write`');
    expect(error.message).toContain('"Issues: Read and write"');
  });

  it('403 on write: names the permission to grant, writes nothing', async () => {
    fake.issues.faults.set(`${OWNER}/${REPO}`, 'forbidden-write');
    const error = await failure(run());
    expect(error.status).toBe(403);
    expect(error.message).toMatch(/Cannot create the label tier-audit in falcosecurity\/evolution/);
    expect(error.message).toContain('`issues: write`');
    expect(fake.issues.writes).toBe(0);
  });

  it('404: repository missing or invisible', async () => {
    fake.issues.missingRepositories.add(`${OWNER}/${REPO}`);
    const error = await failure(run());
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/not found \(HTTP 404\)/);
    expect(error.message).toContain('issue-repository');
    expect(error.message).toContain('`issues: write`');
  });

  it('422: a validation error says what was rejected', async () => {
    const error = await failure(run({ title: '' }));
    expect(error.status).toBe(422);
    expect(error.message).toMatch(
      /GitHub rejected the request to create the tracking issue .*HTTP 422: Validation Failed; title missing_field/,
    );
  });

  it('422 already_exists on the label is fine', async () => {
    fake.issues.ensureLabel(OWNER, REPO, 'tier-audit');
    // a label GET that fails once with 404 while the label exists (created by a concurrent run)
    fake.faults.push({ match: { method: 'GET', path: /\/labels\/tier-audit$/ }, response: 404 });
    const result = await run();
    expect(result.action).toBe('created');
  });
});
