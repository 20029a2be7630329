import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseContinuationMarker, parseIssueMarker } from '../../src/report/markers.js';
import type { AuditReport } from '../../src/report/model.js';
import { GITHUB_BODY_LIMIT, renderFullReport, renderReport } from '../../src/report/render.js';
import { readState, stateFromReport } from '../../src/report/state.js';
import { renderJobSummary } from '../../src/report/summary-markdown.js';
import { fail, largeReport, NOW, sampleReport } from './fixtures.js';

const opts = { previous: null, now: NOW, mentionOwners: false };

/** Repository names of the non-compliant table rows across all parts, in order. */
function tableRepos(parts: string[]): string[] {
  return parts
    .flatMap((part) => part.split('\n'))
    .filter((line) => line.startsWith('| [') && line.includes('Fix:'))
    .map((line) => /^\| \[([^\]]+)\]/.exec(line)![1]);
}

describe('renderReport', () => {
  it('starts with the marker and a headline with time, run link and counts', () => {
    const { body, continuations } = renderReport(sampleReport(), opts);
    expect(continuations).toEqual([]);
    expect(parseIssueMarker(body)).toEqual({
      organization: 'falcosecurity',
      runId: '17030021234',
      at: '2026-08-21T06:00:00.000Z',
    });
    expect(body).toContain('## Tier audit: falcosecurity');
    expect(body).toContain(
      'Last audited **2026-08-21 06:00 UTC** by [workflow run 17030021234](https://github.com/falcosecurity/evolution/actions/runs/17030021234)',
    );
    expect(body).toContain('| 15 | 5 | 6 | 2 | 1 | 1 |');
    expect(body).toContain(
      '`official` 8 (3 ✅, 4 ❌) · `repository` 3 (1 ✅, 2 ❌) · `contrib` 1 (1 ✅, 0 ❌)',
    );
    expect(body).toContain('this is the baseline');
  });

  it('lists non-compliant repositories per declared tier, highest tier first, with messages, fixes and links', () => {
    const { body } = renderReport(sampleReport(), opts);
    const official = body.indexOf('### ❌ Non-compliant: declared `official` (4)');
    const repository = body.indexOf('### ❌ Non-compliant: declared `repository` (2)');
    expect(official).toBeGreaterThan(0);
    expect(repository).toBeGreaterThan(official);
    expect(body).toContain('[OWNERS](https://github.com/falcosecurity/falcosidekick/blob/master/OWNERS)');
    expect(body).toContain(
      '[v0.3.0 \\(2024-05-06\\)](https://github.com/falcosecurity/pigeon/releases/tag/v0.3.0)',
    );
    expect(body).toContain('_Fix:_ Publish a release, or declare the repository Sandbox.');
    expect(body).toContain('⚠️ `ci` could not be checked');
    // compliant repositories are not in the tables
    expect(tableRepos([body])).toEqual([
      'charts',
      'deploy-kubernetes',
      'falcoctl',
      'falcosidekick',
      'falco-talon',
      'pigeon',
    ]);
  });

  it('has the secondary sections, folded, with soon-to-expire waivers marked', () => {
    const { body } = renderReport(sampleReport(), opts);
    for (const title of [
      '🧭 Registry drift (2)',
      '❔ Undeclared repositories (2)',
      '⬆️ Promotion candidates (1)',
      '⚠️ At risk (5)',
      '📝 Active waivers (2)',
      '🚫 Not evaluated (2)',
      'Policy in force',
    ]) {
      const at = body.indexOf(`### ${title}`);
      expect(at).toBeGreaterThan(0);
      expect(body.slice(at, at + 200)).toContain('<details><summary>');
    }
    expect(body).toMatch(
      /\[libs\]\([^)]+\) \| `code-of-conduct` \| Covered by the CNCF [^|]+ \| 2026-09-10 ⏳ \|/,
    );
    expect(body).toMatch(
      /\[plugins\]\([^)]+\) \| `recent-release` \| Plugins are released one by one \| 2027-01-31 \|/,
    );
    expect(body).toContain('| [kilt](https://github.com/falcosecurity/kilt) | `contrib` |');
    expect(body).toContain(
      '| [event-generator](https://github.com/falcosecurity/event-generator) | `repository` | `official` |',
    );
    expect(body).toContain('SAML enforcement');
    // At risk, per declared tier: achieved below declared, then the repositories held by a waiver.
    expect(body).toContain('| `official` | `repository` | 3 | charts, falcoctl, falcosidekick |');
    expect(body).toContain('| `official` | `contrib` | 1 | deploy-kubernetes |');
    expect(body).toMatch(
      /\| `official` \| `official` \(waiver\) \| 1 \| \[libs\]\([^)]+\): `code-of-conduct` waived until 2026-09-10 ⏳ \|/,
    );
  });

  it('reports changes since the previous state', () => {
    const previous = stateFromReport(sampleReport());
    const repositories = sampleReport().repositories.map((r) => {
      if (r.name === 'falco') {
        return {
          ...r,
          status: 'non-compliant' as const,
          achievedTier: 'repository',
          checks: [fail('release-process', 'official', 'No RELEASE.md', 'Add RELEASE.md')],
        };
      }
      if (r.name === 'pigeon')
        return { ...r, status: 'compliant' as const, achievedTier: 'repository', checks: [] };
      return r;
    });
    const { body, changes, changesComment } = renderReport(sampleReport({ repositories }), {
      ...opts,
      previous,
    });
    expect(changes.newFailures).toEqual([
      { repository: 'falco', check: 'release-process', declaredTier: 'official' },
    ]);
    expect(changes.fixed).toEqual([
      { repository: 'pigeon', check: 'recent-release', declaredTier: 'repository' },
    ]);
    expect(body).toContain(
      '- **🔴 Newly failing (1)**: [falco](https://github.com/falcosecurity/falco): `release-process` (declared `official`)',
    );
    expect(body).toContain(
      '- **🟢 Fixed (1)**: [pigeon](https://github.com/falcosecurity/pigeon): `recent-release`',
    );
    expect(body).toContain('📶 Achieved tier changed (2)');
    expect(changesComment).toContain('**1 requirement(s) newly fail**');
    expect(changesComment).toContain('`release-process`');
    expect(changesComment).not.toContain('pigeon');
  });

  it('says so when nothing changed, and produces no new-failures comment', () => {
    const previous = stateFromReport(sampleReport());
    const { body, changesComment } = renderReport(sampleReport(), { ...opts, previous });
    expect(body).toContain('No changes since the last audit.');
    expect(changesComment).toBeNull();
  });

  it('keeps continuation comments identical when only the time and run change', () => {
    const report = largeReport(600);
    const previous = stateFromReport(report);
    const first = renderReport(report, { ...opts, previous });
    const later = renderReport(
      {
        ...report,
        generatedAt: '2026-08-22T06:00:00.000Z',
        run: { id: '17030029999', url: 'https://github.com/o/r/actions/runs/17030029999' },
      },
      { ...opts, previous, now: new Date('2026-08-22T06:00:00Z') },
    );
    expect(first.continuations.length).toBeGreaterThan(0);
    expect(later.continuations).toEqual(first.continuations);
    expect(later.body).not.toEqual(first.body);
  });

  it('splits 5,000 non-compliant repositories across comments: every part fits, every repository exactly once', () => {
    const report = largeReport(5000);
    const started = Date.now();
    const { body, continuations } = renderReport(report, opts);
    const elapsed = Date.now() - started;
    const parts = [body, ...continuations];
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    continuations.forEach((part, i) => expect(parseContinuationMarker(part)).toBe(i + 1));
    const names = tableRepos(parts);
    expect(names).toHaveLength(5000);
    expect(new Set(names).size).toBe(5000);
    expect(new Set(names)).toEqual(new Set(report.repositories.map((r) => r.name)));
    // every split says where it continues, and that part re-opens the table with its header
    for (const [i, part] of parts.entries()) {
      const note = /_Continued in continuation comment (\d+) below\._/.exec(part);
      if (note) {
        expect(Number(note[1])).toBe(i + 1);
        const next = parts[i + 1];
        expect(next).toContain('(continued)');
        expect(next).toContain('| Repository | Declared | Achieved | Failing requirements |');
      }
    }
    // the body keeps the headline and the highest tier first
    expect(body).toContain('| 5000 | 0 | 5000 | 0 | 0 | 0 |');
    expect(body.indexOf('declared `official`')).toBeLessThan(body.indexOf('<!-- tier-audit:state'));
    // the state (possibly split too) reads back
    const state = readState(body, continuations);
    expect(state.problem).toBeNull();
    expect(Object.keys(state.state!.repositories)).toHaveLength(5000);
    expect(elapsed).toBeLessThan(20_000);
  });

  it('respects a smaller limit too', () => {
    const { body, continuations } = renderReport(largeReport(300), { ...opts, maxBodyChars: 8_000 });
    for (const part of [body, ...continuations]) expect(part.length).toBeLessThanOrEqual(8_000);
    expect(tableRepos([body, ...continuations])).toHaveLength(300);
  });
});

describe('renderFullReport', () => {
  it('has every section without hidden blocks', () => {
    const markdown = renderFullReport(largeReport(700), NOW);
    expect(markdown).not.toContain('<!--');
    expect(tableRepos([markdown])).toHaveLength(700);
  });
});

describe('renderJobSummary', () => {
  it('renders the report within 1 MiB', () => {
    const markdown = renderJobSummary(sampleReport(), { now: NOW, reportFileName: 'tier-audit-report.json' });
    expect(markdown).toContain('## Tier audit: falcosecurity');
    expect(markdown).toContain('### ❌ Non-compliant: declared `official` (4)');
    expect(markdown).not.toContain('<!-- tier-audit:');
    expect(markdown).not.toContain('JSON report');
  });

  it('keeps the most important findings and points to the JSON file when too big', () => {
    const report: AuditReport = largeReport(5000);
    const markdown = renderJobSummary(report, {
      now: NOW,
      reportFileName: 'tier-audit-report.json',
      maxBytes: 200_000,
    });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(200_000);
    const shown = tableRepos([markdown]);
    expect(shown.length).toBeGreaterThan(100);
    expect(markdown).toMatch(/(\d+) more row\(s\) are only in the JSON report `tier-audit-report.json`/);
    const rest = Number(/(\d+) more row\(s\)/.exec(markdown)![1]);
    expect(rest).toBeGreaterThanOrEqual(5000 - shown.length);
    // highest tier first
    expect(markdown.indexOf('declared `official`')).toBeGreaterThan(0);
    const full = renderJobSummary(report, { now: NOW, reportFileName: 'r.json' });
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(1024 * 1024);
  });

  it('shows the exact issue body in a dry run', () => {
    const { body } = renderReport(sampleReport(), opts);
    const markdown = renderJobSummary(sampleReport(), {
      now: NOW,
      reportFileName: 'r.json',
      dryRunBody: body,
    });
    expect(markdown).toContain('**Dry run**');
    expect(markdown.endsWith(body)).toBe(true);
  });
});

describe('SAMPLE.md', () => {
  it('is the rendering of the sample report (UPDATE_SAMPLE=1 rewrites it)', async () => {
    const previous = stateFromReport(sampleReport());
    // a realistic second audit: falco regressed, pigeon got a release
    const repositories = sampleReport().repositories.map((r) => {
      if (r.name === 'falco') {
        return {
          ...r,
          status: 'non-compliant' as const,
          achievedTier: 'repository',
          checks: [
            fail(
              'security-policy',
              'repository',
              'No SECURITY.md in the repository; falcosecurity/.github has none either.',
              'Add SECURITY.md, or an organization default in falcosecurity/.github.',
              {
                evidence: [
                  { url: 'https://github.com/falcosecurity/.github', detail: 'falcosecurity/.github' },
                ],
              },
            ),
          ],
        };
      }
      if (r.name === 'pigeon')
        return { ...r, status: 'compliant' as const, achievedTier: 'repository', checks: [] };
      return r;
    });
    const { body } = renderReport(sampleReport({ repositories }), { ...opts, previous });
    const file = path.resolve('src/report/SAMPLE.md');
    // The file is kept in Prettier's format (the repository's format check covers it); Prettier only
    // re-aligns table columns, which also shows it parses every table row with the header's cell count.
    const prettier = await import('prettier');
    const formatted = await prettier.format(body, {
      ...(await prettier.resolveConfig(file)),
      parser: 'markdown',
    });
    const normalise = (markdown: string) => markdown.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---');
    expect(normalise(formatted)).toBe(normalise(body));
    if (process.env.UPDATE_SAMPLE === '1') await fs.writeFile(file, formatted);
    expect(await fs.readFile(file, 'utf8')).toBe(formatted);
  });
});

describe('renderReport: what a non-compliant row lists', () => {
  it('lists the failing requirements of the declared tier, not the informational higher-tier results', () => {
    const base = sampleReport();
    const contrib = {
      ...base.repositories[0],
      name: 'contrib',
      nameWithOwner: 'falcosecurity/contrib',
      url: 'https://github.com/falcosecurity/contrib',
      declaredTier: 'contrib',
      declaredAs: 'Sandbox',
      declarationSource: 'registry' as const,
      achievedTier: null,
      status: 'non-compliant' as const,
      checks: [
        fail('activity', 'contrib', 'last commit on main on 2025-06-17', 'Show maintenance', {
          required: true,
        }),
        fail('build-pipeline', 'repository', 'no workflow in .github/workflows/', 'Add a CI workflow', {
          required: false,
        }),
      ],
    };
    const { body } = renderReport({ ...base, repositories: [...base.repositories, contrib] }, opts);
    const row = body.split('\n').find((line) => line.startsWith('| [contrib]('));
    expect(row).toBeDefined();
    expect(row).toContain('`activity`');
    expect(row).not.toContain('build-pipeline');
  });
});

describe('renderReport: coverage', () => {
  it('says how many repositories the token could see and what the audit cost', () => {
    const report = sampleReport({
      coverage: { visibleRepositories: 49, graphqlPoints: 3, requests: 2, notEvaluated: 1 },
    });
    const { body } = renderReport(report, opts);
    expect(body).toContain(
      'Coverage: 49 repositories visible to the token · 1 could not be read · collection cost 3 GraphQL points in 2 requests',
    );
  });

  it('warns loudly when the token sees no repository at all', () => {
    const report = sampleReport({ repositories: [], coverage: { visibleRepositories: 0, requests: 1 } });
    const { body } = renderReport(report, opts);
    expect(body).toMatch(/⚠️ \*\*The token sees no repository of falcosecurity\.\*\*/);
  });
});
