/**
 * `npm run bench` (last part): what verifying people costs. A whole audit of a generated organization
 * (test/fixtures/synthetic.ts with an approver pool and members) with a policy enabling `maintainers`
 * `require-member` + `active-within-days` and `owners-tree`, against the same audit with the same tiers
 * but `maintainers: {min}` only (v1 meaning) and no `owners-tree`. Prints the extra GraphQL points and
 * requests by operation, and checks issue #12's target: at most one extra request per 50 distinct
 * approvers plus one per 100 organization members, and no request per repository. Membership is asked per
 * person inside the `PeopleBatch` requests (`user.organization(login:)`), so the members are never paged:
 * the people reads stay within the 1-per-50-approvers part of the target plus a few requests.
 *
 *   tsx bench/people.ts [--repositories 10000] [--approvers 3000] [--members 3500] [--viewer app|public|both]
 *
 * The fake GitHub runs in this process without simulated latency: points and requests do not depend on
 * latency (the wall times printed are this machine's, not GitHub's). `--viewer app` is a token that sees
 * concealed memberships (a GitHub App with Members: read), `public` the Actions GITHUB_TOKEN (public
 * memberships only: every approver who is not a public member is asked about as an outside collaborator,
 * and is `unknown` unless they are one).
 */
import { parseArgs } from 'node:util';
import { runAudit } from '../src/audit.js';
import { parsePolicy } from '../src/config/load.js';
import type { Policy } from '../src/config/types.js';
import { createGitHubClient } from '../src/github/client.js';
import { memoryLogger } from '../src/log.js';
import type { FakeOrg, FakeViewer } from '../test/fake-github/model.js';
import { startFakeGitHub } from '../test/fake-github/server.js';
import { generateOrg } from '../test/fixtures/synthetic.js';

const { values } = parseArgs({
  options: {
    repositories: { type: 'string', default: '10000' },
    approvers: { type: 'string', default: '3000' },
    members: { type: 'string', default: '3500' },
    viewer: { type: 'string', default: 'both' },
  },
});
const repositories = Number(values.repositories);
const approvers = Number(values.approvers);
const members = Number(values.members);
const NOW = '2026-08-21T00:00:00Z';

const VERIFIED = `
tiers:
  contrib:
    requires: [readme, license]
  repository:
    extends: contrib
    requires:
      - maintainers: { min: 2, require-member: true, active-within-days: 365 }
      - owners-tree
  official:
    extends: repository
    requires:
      - maintainers: { min: 3, require-member: true, active-within-days: 365 }
`;
const COUNTED = `
tiers:
  contrib:
    requires: [readme, license]
  repository:
    extends: contrib
    requires:
      - maintainers: { min: 2 }
  official:
    extends: repository
    requires:
      - maintainers: { min: 3 }
`;

function policy(text: string): Policy {
  const parsed = parsePolicy(text, 'bench-people.yml');
  if (!parsed.ok) throw new Error(JSON.stringify(parsed));
  return parsed.policy;
}

interface Run {
  requests: number;
  points: number;
  byOperation: Map<string, { requests: number; points: number }>;
  wallMs: number;
  peopleLine: string;
  invalid: number;
}

async function audit(org: FakeOrg, text: string, viewer: FakeViewer): Promise<Run> {
  const fake = await startFakeGitHub({ orgs: [org], viewer });
  try {
    const log = memoryLogger();
    const client = createGitHubClient({ token: 'ghs_benchToken0000000000', apiUrl: fake.url, log });
    const started = performance.now();
    await runAudit(
      {
        organization: org.login,
        policy: policy(text),
        now: new Date(NOW),
        dryRun: true,
        issue: null,
        run: { id: null, url: null },
        reportFileName: 'report.json',
      },
      { client, log },
    );
    const wallMs = performance.now() - started;
    const byOperation = new Map<string, { requests: number; points: number }>();
    for (const record of fake.requests) {
      const path = record.path.replace(/^\/orgs\/[^/]+\/members\/[^/]+$/, '/orgs/{org}/members/{login}');
      const key = record.operation ?? `${record.method} ${path}`;
      const entry = byOperation.get(key) ?? { requests: 0, points: 0 };
      entry.requests++;
      entry.points += record.cost ?? 0;
      byOperation.set(key, entry);
    }
    return {
      requests: fake.requests.length,
      points: fake.pointsUsed,
      byOperation,
      wallMs,
      peopleLine: log.lines.find((l) => l.message.startsWith('People verified'))?.message ?? '',
      invalid: fake.invalidQueries.length,
    };
  } finally {
    await fake.close();
  }
}

/** The people stage's reads (the rest of the extra is the OWNERS below the root). */
const PEOPLE_OPERATIONS = [
  'OrgId',
  'PeopleBatch',
  'OrgTeamMembers',
  'OutsideCollaborators',
  'GET /orgs/{org}/members/{login}',
];
const TREE_OPERATIONS = ['OwnersTrees', 'OwnersTexts'];

const org = generateOrg({ login: 'bench-org', repositories, seed: 1, people: { approvers, members } });
const outsideWriters = new Set(
  org.repos.flatMap((r) =>
    (r.outsideCollaborators ?? []).filter((c) => c.permission === 'WRITE').map((c) => c.login),
  ),
);
const lines: string[] = [
  `People verification cost: ${repositories.toLocaleString('en-US')} repositories, ${approvers.toLocaleString('en-US')} distinct approvers, ${(org.members ?? []).length.toLocaleString('en-US')} organization members (${outsideWriters.size} approvers are outside collaborators with write access), fake GitHub in process, no simulated latency (points and requests do not depend on it).`,
  '',
];
const baseline = await audit(org, COUNTED, { seesPrivateMembers: true });
const viewers: [string, FakeViewer][] = [];
if (values.viewer === 'app' || values.viewer === 'both')
  viewers.push(['App token (Members: read)', { seesPrivateMembers: true }]);
if (values.viewer === 'public' || values.viewer === 'both')
  viewers.push(['GITHUB_TOKEN (public members only)', { seesPrivateMembers: false }]);
const budget = Math.ceil(approvers / 50) + Math.ceil(members / 100);
let ok = true;
for (const [label, viewer] of viewers) {
  const run = await audit(org, VERIFIED, viewer);
  const extraRequests = run.requests - baseline.requests;
  const extraPoints = run.points - baseline.points;
  const sum = (ops: string[], field: 'requests' | 'points') =>
    ops.reduce((total, op) => total + (run.byOperation.get(op)?.[field] ?? 0), 0);
  const peopleRequests = sum(PEOPLE_OPERATIONS, 'requests');
  const treeRequests = sum(TREE_OPERATIONS, 'requests');
  const peoplePass = peopleRequests <= budget;
  const allPass = extraRequests <= budget;
  ok &&= peoplePass && run.invalid === 0;
  lines.push(
    `### ${label}`,
    '',
    `${run.peopleLine}`,
    '',
    '| audit | requests (GraphQL + REST) | GraphQL points | wall time |',
    '| --- | ---: | ---: | ---: |',
    `| maintainers counted (v1), no owners-tree | ${baseline.requests} | ${baseline.points} | ${(baseline.wallMs / 1000).toFixed(1)} s |`,
    `| require-member + active-within-days + owners-tree | ${run.requests} | ${run.points} | ${(run.wallMs / 1000).toFixed(1)} s |`,
    `| **extra** | **${extraRequests}** | **${extraPoints}** | |`,
    '',
    '| extra operation | requests | points |',
    '| --- | ---: | ---: |',
    ...[...PEOPLE_OPERATIONS, ...TREE_OPERATIONS]
      .filter((op) => run.byOperation.has(op))
      .map((op) => `| ${op} | ${run.byOperation.get(op)!.requests} | ${run.byOperation.get(op)!.points} |`),
    '',
    `- people reads: ${peopleRequests} requests, ${sum(PEOPLE_OPERATIONS, 'points')} points; target ≤ ${Math.ceil(approvers / 50)} (1 per 50 approvers) + ${Math.ceil(members / 100)} (1 per 100 members) = ${budget}: ${peoplePass ? 'PASS' : 'FAIL'}`,
    `- OWNERS below the root (owners-tree): ${treeRequests} requests, ${sum(TREE_OPERATIONS, 'points')} points (${((treeRequests / repositories) * 100).toFixed(1)} per 100 repositories: batched, not one per repository)`,
    `- whole extra (people + OWNERS below the root): ${extraRequests} requests vs the same target ${budget}: ${allPass ? 'PASS' : 'FAIL'}`,
    `- queries GitHub's schema would reject: ${run.invalid}`,
    '',
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
if (!ok) process.exitCode = 1;
