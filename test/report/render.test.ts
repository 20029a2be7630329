import { describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseContinuationMarker, parseIssueMarker } from '../../src/report/markers.js';
import type { AuditReport } from '../../src/report/model.js';
import {
  GITHUB_BODY_LIMIT,
  MAX_CONTINUATIONS,
  renderFullReport,
  renderReport,
} from '../../src/report/render.js';
import { readState, stateFromReport } from '../../src/report/state.js';
import { renderJobSummary } from '../../src/report/summary-markdown.js';
import { fail, largeReport, NOW, sampleReport } from './fixtures.js';

const opts = { previous: null, now: NOW, mentionOwners: false };

/** Repository names of the failing-requirement lines across all parts, in order. */
function failingLines(parts: string[]): string[] {
  return parts
    .flatMap((part) => part.split('\n'))
    .filter((line) => /^- \[[^\]]+\]\(/.test(line))
    .map((line) => /^- \[([^\]]+)\]/.exec(line)![1]);
}

/** The body before its first folded section. */
function beforeFolds(body: string): string {
  return body.slice(0, body.indexOf('<details>'));
}

describe('renderReport', () => {
  it('starts with the marker and a headline with time, run link and counts that add up', () => {
    const { body, continuations } = renderReport(sampleReport(), opts);
    expect(continuations).toEqual([]);
    expect(parseIssueMarker(body)).toEqual({
      organization: 'falcosecurity',
      runId: '17030021234',
      at: '2026-08-21T06:00:00.000Z',
    });
    expect(body).toContain('## Tier audit: falcosecurity');
    expect(body).toContain(
      'Audited **2026-08-21 06:00 UTC** by [workflow run 17030021234](https://github.com/falcosecurity/evolution/actions/runs/17030021234)',
    );
    expect(body).toContain(
      '**15 repositories:** ✅ 5 compliant · ❌ 6 non-compliant · ❔ 2 undeclared · 🚫 1 not evaluated · ⏭️ 1 skipped',
    );
    expect(body).toContain(
      '**Declared at a tier: 11** = `official` 7 (3 ✅, 4 ❌) + `repository` 3 (1 ✅, 2 ❌) + `contrib` 1 (1 ✅, 0 ❌)',
    );
    expect(body).toContain('this is the baseline');
  });

  it('groups the failing requirements by (tier, check), worst first, the fix once, one line per repository', () => {
    const { body } = renderReport(sampleReport(), opts);
    const titles = [...body.matchAll(/^\*\*(.+?): (\d+) repositor(?:y|ies)(?:, [^*]+)?\*\*/gm)].map(
      (m) => `${m[1]}: ${m[2]}`,
    );
    expect(titles[0]).toMatch(/^`official` · /);
    // highest tier first, then most repositories
    const tierOf = (title: string) => /^`(\w+)`/.exec(title)?.[1] ?? 'declaration';
    const order = ['declaration', 'official', 'repository', 'contrib'];
    const ranks = titles.map((t) => order.indexOf(tierOf(t)));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(body).toContain('[OWNERS](https://github.com/falcosecurity/falcosidekick/blob/master/OWNERS)');
    expect(body).toContain('Fix: Publish a release, or declare the repository Sandbox.');
    expect(body.split('Fix: Publish a release, or declare the repository Sandbox.')).toHaveLength(2);
    expect(body).toContain('⚠️ could not be checked');
    // every non-compliant repository is named, compliant ones are not
    expect(new Set(failingLines([beforeFolds(body)]))).toEqual(
      new Set(['charts', 'deploy-kubernetes', 'falcoctl', 'falcosidekick', 'falco-talon', 'pigeon']),
    );
  });

  it('has the folded sections in order', () => {
    const { body } = renderReport(sampleReport(), opts);
    let last = 0;
    for (const title of [
      '📋 Per repository (',
      '🧭 Registry drift (2)',
      '❔ Undeclared (2)',
      '⬆️ Promotion candidates (1)',
      '⚠️ At risk (',
      '📝 Active waivers (2)',
      '🚫 Not evaluated and skipped (2)',
      '✅ Compliant (',
      'Policy in force',
    ]) {
      const at = body.indexOf(`### ${title}`);
      expect(at).toBeGreaterThan(last);
      last = at;
      expect(body.slice(at, at + 200)).toContain('<details><summary>');
    }
    expect(body).toMatch(
      /\| `code-of-conduct` \| \[libs\]\([^)]+\) \| Covered by the CNCF [^|]+ \| 2026-09-10 ⏳ \|/,
    );
    expect(body).toMatch(
      /\| `recent-release` \| \[plugins\]\([^)]+\) \| Plugins are released one by one \| 2027-01-31 \|/,
    );
    expect(body).toContain(
      '| [event-generator](https://github.com/falcosecurity/event-generator) | `repository` | `official` |',
    );
    expect(body).toContain('SAML enforcement');
    expect(body).toContain('| `official` | `contrib` | 1 | deploy-kubernetes |');
    expect(body).toMatch(
      /\| `official` \| `official` \(waiver\) \| 1 \| \[libs\]\([^)]+\): `code-of-conduct` waived until 2026-09-10 ⏳ \|/,
    );
  });

  it('never shows a placeholder in a heading, and `none` for no tier', () => {
    const { body } = renderReport(sampleReport(), opts);
    for (const heading of body.split('\n').filter((l) => l.startsWith('#') || l.startsWith('**')))
      expect(heading).not.toMatch(/—|\bnull\b|undefined|\(\)/);
    expect(body).not.toMatch(/\| — \|/);
    expect(body).toContain('`none`');
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

  it('splits a long report across comments: every part fits, every repository once, splits say where they continue', () => {
    const report = largeReport(300);
    const { body, continuations } = renderReport(report, { ...opts, maxBodyChars: 12_000 });
    const parts = [body, ...continuations];
    expect(continuations.length).toBeGreaterThan(0);
    expect(continuations.length).toBeLessThanOrEqual(MAX_CONTINUATIONS);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(12_000);
    continuations.forEach((part, i) => expect(parseContinuationMarker(part)).toBe(i + 1));
    for (const [i, part] of parts.entries()) {
      const note = /_Continued in continuation comment (\d+) below\._/.exec(part);
      if (note) {
        expect(Number(note[1])).toBe(i + 1);
        expect(parts[i + 1]).toContain('(continued)');
      }
    }
    const state = readState(body, continuations);
    expect(state.problem).toBeNull();
    expect(Object.keys(state.state!.repositories)).toHaveLength(300);
  });

  it('10,000 failing repositories: body and at most 4 comments, every repository named, the rest said exactly', () => {
    const report = largeReport(10_000);
    const started = Date.now();
    const { body, continuations, overflowLines } = renderReport(report, opts);
    const elapsed = Date.now() - started;
    const parts = [body, ...continuations];
    expect(continuations.length).toBeLessThanOrEqual(MAX_CONTINUATIONS);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const text = parts.join('\n');
    for (const r of report.repositories) expect(text).toContain(r.name);
    // the headline still adds up
    expect(body).toContain('**10000 repositories:** ✅ 0 compliant · ❌ 10000 non-compliant');
    if (overflowLines > 0)
      expect(body).toContain(
        `${overflowLines} more line${overflowLines === 1 ? '' : 's'} of this report did not fit`,
      );
    const state = readState(body, continuations);
    expect(state.problem).toBeNull();
    expect(Object.keys(state.state!.repositories)).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(30_000);
  }, 120_000);

  it('says exactly how many lines were left when even the compact form does not fit', () => {
    const report = largeReport(5000);
    const { body, continuations, overflowLines } = renderReport(report, { ...opts, maxBodyChars: 20_000 });
    expect(overflowLines).toBeGreaterThan(0);
    expect(continuations.length).toBeLessThanOrEqual(MAX_CONTINUATIONS);
    expect(body).toContain(`> ${overflowLines} more lines of this report did not fit in the issue`);
    expect(body).toContain('job summary');
  });
});

describe('renderFullReport', () => {
  it('has every section without hidden blocks', () => {
    const markdown = renderFullReport(largeReport(700), NOW);
    expect(markdown).not.toContain('<!--');
    expect(new Set(failingLines([markdown])).size).toBe(700);
  });
});

describe('renderJobSummary', () => {
  it('renders the report within 1 MiB', () => {
    const markdown = renderJobSummary(sampleReport(), { now: NOW, reportFileName: 'tier-audit-report.json' });
    expect(markdown).toContain('## Tier audit: falcosecurity');
    expect(markdown).toContain('### ❌ Failing requirements (6 repositories)');
    expect(markdown).not.toContain('<!-- tier-audit:');
    expect(markdown).toContain('`tier-audit-report.json`');
    expect(markdown).toContain('`tier-audit-report` artifact');
  });

  it('keeps the most important findings and points to the JSON file when too big', () => {
    const report: AuditReport = largeReport(5000);
    const markdown = renderJobSummary(report, {
      now: NOW,
      reportFileName: 'tier-audit-report.json',
      maxBytes: 200_000,
    });
    expect(Buffer.byteLength(markdown)).toBeLessThanOrEqual(200_000);
    const shown = failingLines([markdown]);
    expect(shown.length).toBeGreaterThan(100);
    expect(markdown).toMatch(/(\d+) more row\(s\) are only in the JSON report `tier-audit-report.json`/);
    const rest = Number(/(\d+) more row\(s\)/.exec(markdown)![1]);
    expect(rest).toBeGreaterThanOrEqual(5000 - shown.length);
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
    const failing = body.slice(0, body.indexOf('<details>'));
    const groupOf = (line: number) =>
      failing
        .split('\n')
        .slice(0, line)
        .reverse()
        .find((l) => l.startsWith('**'));
    const lines = failing.split('\n');
    const at = lines.flatMap((l, i) => (l.startsWith('- [contrib](') ? [i] : []));
    expect(at).toHaveLength(1);
    expect(groupOf(at[0])).toContain('`activity`');
    expect(failing).not.toContain('build-pipeline');
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

  it('reports the extra reads (branch protection, issues) apart from the collection cost', () => {
    const report = sampleReport({
      coverage: {
        visibleRepositories: 49,
        graphqlPoints: 3,
        requests: 2,
        extraReads: { repositories: 12, graphqlPoints: 1, requests: 1 },
      },
    });
    const { body } = renderReport(report, opts);
    expect(body).toContain(
      'Coverage: 49 repositories visible to the token · collection cost 3 GraphQL points in 2 requests · branch protection and issues read for 12 repositories whose tier asks for them: 1 GraphQL point in 1 request',
    );
  });

  it('warns loudly when the token sees no repository at all', () => {
    const report = sampleReport({ repositories: [], coverage: { visibleRepositories: 0, requests: 1 } });
    const { body } = renderReport(report, opts);
    expect(body).toMatch(/⚠️ \*\*The token sees no repository of falcosecurity\.\*\*/);
  });
});

describe('the headline reconciles with the sections', () => {
  function check(report: AuditReport): void {
    const { body } = renderReport(report, opts);
    const head = /\*\*(\d+) repositories:\*\* (.*)/.exec(body)!;
    const count = (label: string) => Number(new RegExp(`(\\d+) ${label}`).exec(head[2])?.[1] ?? 0);
    const [compliant, nonCompliant, undeclared, deprecated, notEvaluated, skipped] = [
      'compliant',
      'non-compliant',
      'undeclared',
      'deprecated',
      'not evaluated',
      'skipped',
    ].map(count);
    expect(compliant + nonCompliant + undeclared + deprecated + notEvaluated + skipped).toBe(Number(head[1]));
    expect(Number(head[1])).toBe(report.repositories.length);
    const tiers = /\*\*Declared at a tier: (\d+)\*\* = (.*)/.exec(body);
    if (tiers) {
      const perTier = [...tiers[2].matchAll(/`[^`]+` (\d+) \((\d+) ✅, (\d+) ❌\)/g)];
      expect(perTier.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(Number(tiers[1]));
      expect(perTier.reduce((sum, m) => sum + Number(m[2]), 0)).toBe(compliant);
      expect(perTier.reduce((sum, m) => sum + Number(m[3]), 0)).toBe(nonCompliant);
      expect(compliant + nonCompliant).toBe(Number(tiers[1]));
    }
    const section = (title: string) => Number(new RegExp(`### ${title} \\((\\d+)`).exec(body)?.[1] ?? 0);
    expect(section('❌ Failing requirements')).toBe(nonCompliant);
    expect(section('✅ Compliant')).toBe(compliant);
    expect(section('❔ Undeclared')).toBe(undeclared);
    expect(section('🗄️ Deprecated')).toBe(deprecated);
    expect(section('🚫 Not evaluated and skipped')).toBe(
      notEvaluated + skipped + report.errors.filter((e) => e.repository === null).length,
    );
    expect(new Set(failingLines([body.slice(0, body.indexOf('<details>'))])).size).toBe(nonCompliant);
  }

  it('on the sample', () => check(sampleReport()));

  it('on a generated organization with deprecated, undeclared, skipped and unreadable repositories', () => {
    const base = largeReport(120);
    const repositories = base.repositories.map((r, i) => {
      if (i % 10 === 0)
        return {
          ...r,
          declaredTier: null,
          declaredAs: 'Deprecated',
          status: 'compliant' as const,
          checks: [],
        };
      if (i % 10 === 1)
        return {
          ...r,
          declaredTier: null,
          declaredAs: 'deprecated',
          status: 'non-compliant' as const,
          checks: [fail('deprecation-notice', 'declaration', 'not archived', 'Archive it')],
        };
      if (i % 10 === 2) return { ...r, declaredTier: null, declaredAs: null, status: 'undeclared' as const };
      if (i % 10 === 3) return { ...r, status: 'skipped' as const, skipReason: 'archived', checks: [] };
      if (i % 10 === 4)
        return { ...r, status: 'error' as const, error: 'not evaluated (rate limit)', checks: [] };
      if (i % 10 === 5)
        return { ...r, status: 'compliant' as const, achievedTier: r.declaredTier, checks: [] };
      return r;
    });
    check({ ...base, repositories });
  });
});

describe('trend', () => {
  it('shows a Mermaid chart of the history from the second audit on', () => {
    const first = renderReport(sampleReport(), opts);
    expect(first.body).not.toContain('```mermaid');
    const next = renderReport(
      { ...sampleReport(), generatedAt: '2026-08-22T06:00:00.000Z' },
      { ...opts, previous: first.state, now: new Date('2026-08-22T06:00:00Z') },
    );
    expect(next.body).toContain('```mermaid\nxychart-beta');
    expect(next.body).toContain('x-axis ["08-21", "08-22"]');
    expect(next.body).toContain('bar [6, 6]');
    expect(next.body).toContain('line [5, 5]');
    // after the changes, before the failing requirements
    expect(next.body.indexOf('```mermaid')).toBeGreaterThan(
      next.body.indexOf('### Changes since the last audit'),
    );
    expect(next.body.indexOf('```mermaid')).toBeLessThan(next.body.indexOf('### ❌ Failing requirements'));
    expect(next.state.history).toHaveLength(2);
  });
});

describe('advice', () => {
  it('groups failing recommended requirements in a folded section, never among the failures', () => {
    const base = sampleReport();
    const repositories = base.repositories.map((r) =>
      r.name === 'falcoctl'
        ? {
            ...r,
            checks: [
              ...r.checks,
              fail('activity', 'contrib', 'last commit on 2025-01-01', 'Show activity', {
                level: 'recommended',
                required: false,
              }),
            ],
          }
        : r,
    );
    const { body } = renderReport({ ...base, repositories }, opts);
    const advice = body.indexOf('### 💡 Advice: recommended requirements not met (1 repository)');
    expect(advice).toBeGreaterThan(body.indexOf('### ❌ Failing requirements'));
    expect(body.slice(advice)).toMatch(/<details><summary>Show them<\/summary>/);
    expect(body.slice(advice)).toContain('[falcoctl](https://github.com/falcosecurity/falcoctl)');
    expect(body.slice(0, advice)).not.toContain('last commit on 2025-01-01');
  });
});

describe('registry fields (policy v2)', () => {
  it('the per-repository view shows each repository’s registry scope, escaped, or "not listed"', () => {
    const report = sampleReport();
    const [first, second, third] = report.repositories.filter(
      (r) => r.status === 'compliant' || r.status === 'non-compliant',
    );
    first!.registry = { scope: 'Core', status: 'Stable' };
    second!.registry = { scope: '<b>@team</b>' };
    delete third!.registry;
    const { body } = renderReport(report, opts);
    const perRepository = body.slice(body.indexOf('### 📋 Per repository'));
    const row = (name: string) => perRepository.split('\n').find((line) => line.includes(`[${name}](`)) ?? '';
    expect(row(first!.name)).toMatch(/\| Core \|/);
    expect(row(second!.name)).not.toContain('<b>');
    expect(row(second!.name)).not.toContain('@team');
    expect(row(third!.name)).toContain('| not listed |');
    expect(body).toContain(
      '| Repository | Registry scope | Declared | Achieves | Missing for the next tier |',
    );
  });
});

describe('coverage line', () => {
  it('counts in the singular when there is one', () => {
    const report = sampleReport();
    report.coverage = {
      ...report.coverage!,
      graphqlPoints: 1,
      requests: 1,
      extraReads: { repositories: 1, requests: 1, graphqlPoints: 1 },
    };
    const { body } = renderReport(report, opts);
    expect(body).toContain('collection cost 1 GraphQL point in 1 request');
    expect(body).toContain(
      'branch protection and issues read for 1 repository whose tier asks for them: 1 GraphQL point in 1 request',
    );
  });
});
