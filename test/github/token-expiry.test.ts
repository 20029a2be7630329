/**
 * A plain token that GitHub stops accepting mid-run (an installation token past its hour): collection ends
 * with a clear message, the repositories not read are `not evaluated`, and the issue is still published.
 */
import { runAudit } from '../../src/audit.js';
import { DEFAULT_POLICY } from '../../src/config/defaults.js';
import { NOT_EVALUATED_TOKEN } from '../../src/github/collect.js';
import { genericRepos, harness, TOKEN, type Harness } from './helpers.js';

let h: Harness;
afterEach(() => h?.fake.close());

describe('a token rejected mid-run', () => {
  it('ends collection with a clear message, lists the rest as not evaluated, and still publishes', async () => {
    h = await harness([{ login: 'acme', repos: genericRepos(250) }]);
    // The first page is read; from the second on, GitHub answers 401 to GraphQL (REST keeps working).
    let pages = 0;
    const base = h.client;
    const client = {
      ...base,
      graphql: async <T>(document: string, variables?: Record<string, unknown>, options?: object) => {
        if (document.includes('query OrgRepositories(') && ++pages === 2) {
          h.fake.faults.push({ match: { graphql: true }, times: 100, response: 401 });
        }
        return base.graphql<T>(document, variables, options);
      },
    };
    const outcome = await runAudit(
      {
        organization: 'acme',
        policy: DEFAULT_POLICY,
        now: new Date('2026-08-21T00:00:00Z'),
        dryRun: false,
        issue: {
          owner: 'acme',
          repo: 'repo-000',
          title: 'Tier audit: acme',
          label: 'tier-audit',
          closeWhenCompliant: true,
          commentOnChange: false,
          mentionOwners: false,
        },
        run: { id: null, url: null },
        reportFileName: 'report.json',
      },
      { client, log: h.log },
    );
    const { report } = outcome;
    const notEvaluated = report.repositories.filter((r) => r.error === NOT_EVALUATED_TOKEN);
    expect(notEvaluated).toHaveLength(150);
    expect(report.repositories).toHaveLength(250);
    expect(
      report.repositories.filter((r) => r.status === 'non-compliant' && r.error === NOT_EVALUATED_TOKEN),
    ).toEqual([]);
    expect(report.errors[0].message).toMatch(
      /GitHub rejected the token mid-run .*401.*collection ended there.*app-id and app-private-key.*150 repositories were not evaluated/,
    );
    expect(outcome.publish?.issueNumber).toEqual(expect.any(Number));
    const text = JSON.stringify(report) + h.log.lines.map((l) => l.message).join('\n');
    expect(text).not.toContain(TOKEN);
  });
});
