/**
 * `npm run bench` (first part): publishing the tracking issue of an organization of 10,000 repositories that
 * all fail, with the action's real client (throttling and retry plugins: content-creating requests are
 * spaced as GitHub asks) against the fake GitHub. Prints the writes and the time of the first run and of an
 * unchanged rerun, and exits 1 when the first run needs more than 8 writes or the rerun more than 1.
 *
 *   tsx bench/publish.ts [--repositories 10000]
 */
import { parseArgs } from 'node:util';
import { createGitHubClient } from '../src/github/client.js';
import { restIssueApi } from '../src/github/issues.js';
import { silentLogger } from '../src/log.js';
import { publishTrackingIssue, type PublishInput } from '../src/publish/index.js';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { largeReport } from '../test/report/fixtures.js';

const { values } = parseArgs({ options: { repositories: { type: 'string', default: '10000' } } });
const count = Number(values.repositories);
const fake = await startFakeGitHub({ orgs: [] });
try {
  const client = createGitHubClient({ token: 'bench-token', apiUrl: fake.url, log: silentLogger });
  const api = restIssueApi(client.rest, 'bench-org', 'meta');
  const report = largeReport(count);
  const input = (day: number): PublishInput => {
    const now = new Date(Date.UTC(2026, 7, day, 6));
    return {
      organization: report.organization,
      title: `Tier audit: ${report.organization}`,
      label: 'tier-audit',
      report: { ...report, generatedAt: now.toISOString() },
      runId: String(17030000000 + day),
      runUrl: null,
      now,
      dryRun: false,
      closeWhenCompliant: true,
      commentOnChange: true,
      mentionOwners: false,
      log: silentLogger,
    };
  };
  const rows: string[] = [];
  let ok = true;
  for (const [label, day, limit] of [
    ['first run', 21, 8],
    ['unchanged rerun', 22, 1],
  ] as const) {
    const before = fake.issues.writes;
    const started = performance.now();
    const result = await publishTrackingIssue(api, input(day));
    const seconds = (performance.now() - started) / 1000;
    const writes = fake.issues.writes - before;
    const pass = writes <= limit;
    ok &&= pass;
    const issue = fake.issues.list('bench-org', 'meta')[0];
    const chars = [issue.body, ...issue.comments.map((c) => c.body)].reduce((sum, b) => sum + b.length, 0);
    rows.push(
      `| ${label} | ${writes} (≤ ${limit}: ${pass ? 'PASS' : 'FAIL'}) | ${seconds.toFixed(1)} s | ${result.continuations.length} | ${chars.toLocaleString('en-US')} | ${result.overflowLines} |`,
    );
  }
  process.stdout.write(
    [
      `Tracking issue of ${count.toLocaleString('en-US')} failing repositories (real client throttling, fake GitHub):`,
      '',
      '| run | writes | time | continuation comments | issue characters | lines left to the job summary |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
    ].join('\n'),
  );
  if (!ok) process.exitCode = 1;
} finally {
  await fake.close();
}
