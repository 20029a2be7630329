/**
 * Sample reports built from real falcosecurity facts (test copy of /work/shared/data/falcosecurity:
 * OWNERS approvers, default branches, newest tags and their dates, workflow paths, evolution statuses).
 */
import type { AuditReport, Finding, RepositoryReport } from '../../src/report/model.js';
import { summarize } from '../../src/report/summary.js';

export const NOW = new Date('2026-08-21T06:00:00Z');

export const POLICY_TIERS = [
  {
    id: 'contrib',
    aliases: ['sandbox'],
    requires: ['declaration-consistent', 'not-archived', 'license', 'readme', 'maintainers'],
  },
  {
    id: 'repository',
    aliases: ['incubating'],
    requires: [
      'declaration-consistent',
      'not-archived',
      'license',
      'readme',
      'maintainers',
      'security-policy',
      'contributing',
      'ci',
      'recent-release',
    ],
  },
  {
    id: 'official',
    aliases: ['stable'],
    requires: [
      'declaration-consistent',
      'not-archived',
      'license',
      'readme',
      'maintainers',
      'security-policy',
      'contributing',
      'ci',
      'recent-release',
      'code-of-conduct',
      'release-process',
      'two-approvers-two-orgs',
    ],
  },
];

const pass = (id: string, tier: string, message = 'ok'): Finding => ({ id, tier, outcome: 'pass', message });

export function repo(
  name: string,
  fields: Partial<RepositoryReport> & { failing?: Finding[]; passing?: string[] } = {},
): RepositoryReport {
  const { failing = [], passing = ['license', 'readme', 'maintainers'], ...rest } = fields;
  const checks = [...passing.map((id) => pass(id, 'contrib')), ...failing];
  return {
    nameWithOwner: `falcosecurity/${name}`,
    name,
    url: `https://github.com/falcosecurity/${name}`,
    description: null,
    archived: false,
    fork: false,
    private: false,
    declaredTier: null,
    declaredAs: null,
    declarationSource: null,
    achievedTier: 'contrib',
    status: failing.some((f) => f.outcome === 'fail') ? 'non-compliant' : 'compliant',
    defaultBranch: 'main',
    checks,
    ...rest,
  };
}

export function fail(
  id: string,
  tier: string,
  message: string,
  remediation: string,
  extra: Partial<Finding> = {},
): Finding {
  return { id, tier, outcome: 'fail', message, remediation, ...extra };
}

export function sampleRepositories(): RepositoryReport[] {
  return [
    repo('falco', {
      description: 'Cloud Native Runtime Security',
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'official',
      status: 'compliant',
      defaultBranch: 'master',
      approvers: ['mstemm', 'leogr', 'jasondellaluce', 'fededp', 'LucaGuerra', 'sgaist', 'ekoops'],
    }),
    repo('falcoctl', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'repository',
      approvers: ['leogr', 'zuc', 'fededp', 'cpanato', 'alacuku', 'c2ndev', 'loresuso'],
      failing: [
        fail(
          'release-process',
          'official',
          'No RELEASE.md at the root and no release process documented in the README.',
          'Add RELEASE.md describing how releases are cut and who approves them.',
          { evidence: [{ path: 'README.md' }] },
        ),
      ],
    }),
    repo('libs', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'official',
      status: 'compliant',
      defaultBranch: 'master',
      approvers: ['leogr', 'gnosek', 'mstemm', 'fededp'],
      checks: [
        pass('license', 'contrib'),
        {
          id: 'code-of-conduct',
          tier: 'official',
          outcome: 'waived',
          message: 'No CODE_OF_CONDUCT.md in the repository (the organization file applies).',
          waiver: {
            reason: 'Covered by the CNCF code of conduct linked from README.md',
            expires: '2026-09-10',
            expired: false,
          },
        },
      ],
    }),
    repo('plugins', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'official',
      status: 'compliant',
      checks: [
        pass('license', 'contrib'),
        {
          id: 'recent-release',
          tier: 'repository',
          outcome: 'waived',
          message: 'Newest release plugins/k8saudit-aks/v0.6.0 on 2026-06-19.',
          waiver: { reason: 'Plugins are released one by one', expires: '2027-01-31', expired: false },
        },
      ],
    }),
    repo('charts', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'repository',
      defaultBranch: 'master',
      approvers: ['leogr', 'Issif', 'cpanato', 'alacuku', 'ekoops', 'c2ndev'],
      failing: [
        fail(
          'code-of-conduct',
          'official',
          'No CODE_OF_CONDUCT.md in the root, .github/ or docs/.',
          'Add CODE_OF_CONDUCT.md pointing to the CNCF code of conduct.',
        ),
        {
          id: 'ci',
          tier: 'repository',
          outcome: 'error',
          message: 'Workflow .github/workflows/links.yml could not be parsed (line 12, column 3).',
          evidence: [{ path: '.github/workflows/links.yml' }],
        },
      ],
    }),
    repo('falcosidekick', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'repository',
      defaultBranch: 'master',
      approvers: ['Issif', 'leogr', 'cpanato', 'fjogeleit'],
      failing: [
        fail(
          'two-approvers-two-orgs',
          'official',
          'OWNERS lists 4 approvers; their affiliations could not be confirmed for 2 organizations.',
          'List approvers from at least two organizations in OWNERS.',
          { evidence: [{ path: 'OWNERS', detail: 'approvers: Issif, leogr, cpanato, fjogeleit' }] },
        ),
      ],
    }),
    repo('deploy-kubernetes', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: 'contrib',
      approvers: ['leogr', 'jasondellaluce', 'zuc'],
      failing: [
        fail(
          'recent-release',
          'repository',
          'No tag and no release.',
          'Publish a release (tag) at least once every 12 months.',
        ),
        fail(
          'ci',
          'repository',
          'No workflow under .github/workflows runs on pull requests.',
          'Add a workflow triggered by pull_request that builds or lints the manifests.',
        ),
      ],
    }),
    repo('pigeon', {
      declaredTier: 'repository',
      declaredAs: 'Incubating',
      declarationSource: 'registry',
      achievedTier: 'contrib',
      approvers: ['jasondellaluce', 'cappellinsamuele', 'fededp'],
      failing: [
        fail(
          'recent-release',
          'repository',
          'Newest release v0.3.0 on 2024-05-06, before 2025-08-21 (12 months before the audit).',
          'Publish a release, or declare the repository Sandbox.',
          {
            evidence: [
              {
                url: 'https://github.com/falcosecurity/pigeon/releases/tag/v0.3.0',
                detail: 'v0.3.0 (2024-05-06)',
              },
            ],
          },
        ),
      ],
    }),
    repo('event-generator', {
      declaredTier: 'repository',
      declaredAs: 'Incubating',
      declarationSource: 'registry',
      achievedTier: 'official',
      status: 'compliant',
    }),
    repo('falco-talon', {
      declaredTier: 'repository',
      declaredAs: 'Incubating',
      declarationSource: 'registry',
      achievedTier: 'contrib',
      approvers: ['Issif', 'IgorEulalio', 'leogr', 'cpanato'],
      failing: [
        fail(
          'recent-release',
          'repository',
          'Newest release v0.3.0 on 2025-02-05, before 2025-08-21 (12 months before the audit).',
          'Publish a release, or declare the repository Sandbox.',
        ),
        fail(
          'security-policy',
          'repository',
          'No SECURITY.md in the repository and none in falcosecurity/.github.',
          'Add SECURITY.md (or rely on the organization default in the .github repository).',
        ),
      ],
    }),
    repo('contrib', {
      declaredTier: 'contrib',
      declaredAs: 'Sandbox',
      declarationSource: 'registry',
      achievedTier: 'contrib',
      status: 'compliant',
    }),
    repo('kilt', {
      description: 'Kilt is a project that defines how to inject foreign apps into containers',
      achievedTier: 'contrib',
      status: 'undeclared',
      defaultBranch: 'master',
    }),
    repo('pdig', {
      description: 'ptrace-based event producer for udig',
      achievedTier: null,
      status: 'undeclared',
      defaultBranch: 'master',
    }),
    repo('falco-exporter', {
      description: 'Prometheus Metrics Exporter for Falco output events',
      achievedTier: 'repository',
      status: 'skipped',
      archived: true,
      skipReason: 'archived (archived repositories are not audited)',
      defaultBranch: 'master',
    }),
    repo('test-infra', {
      declaredTier: 'official',
      declaredAs: 'Stable',
      declarationSource: 'registry',
      achievedTier: null,
      status: 'error',
      error:
        'the tree could not be read: GraphQL FORBIDDEN (Resource protected by organization SAML enforcement)',
      checks: [],
    }),
  ];
}

export function sampleReport(overrides: Partial<AuditReport> = {}): AuditReport {
  const repositories = overrides.repositories ?? sampleRepositories();
  return {
    schemaVersion: 1,
    tool: { name: 'tier-audit', version: '1.0.0' },
    generatedAt: NOW.toISOString(),
    organization: 'falcosecurity',
    summary: summarize(repositories),
    repositories,
    errors: [],
    drift: [
      {
        kind: 'deprecated-not-archived',
        repository: 'falco-exporter',
        message:
          'falco-exporter is marked deprecated in its README but the registry lists it without a status.',
      },
      {
        kind: 'registry-entry-without-repository',
        repository: 'prempti',
        message: 'repositories.yaml lists prempti (Sandbox) but falcosecurity has no such repository.',
      },
    ],
    policy: { tiers: POLICY_TIERS },
    run: { id: '17030021234', url: 'https://github.com/falcosecurity/evolution/actions/runs/17030021234' },
    coverage: { visibleRepositories: 47, graphqlPoints: 12, requests: 9, notEvaluated: 0 },
    ...overrides,
  };
}

/** `count` non-compliant repositories with generated but plausible names (several failing checks each). */
export function largeReport(count: number): AuditReport {
  const words = [
    'falco',
    'plugin',
    'sdk',
    'libs',
    'driver',
    'rules',
    'kernel',
    'exporter',
    'sidekick',
    'operator',
  ];
  const repositories: RepositoryReport[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${words[i % words.length]}-${words[(i * 7) % words.length]}-${String(i).padStart(4, '0')}`;
    const tier = ['contrib', 'repository', 'official'][i % 3];
    const failing = [
      fail(
        'maintainers',
        'contrib',
        `OWNERS lists ${i % 2} approver(s); at least 2 are required.`,
        'Add approvers to OWNERS.',
        { evidence: [{ path: 'OWNERS' }] },
      ),
    ];
    if (i % 2 === 0) {
      failing.push(
        fail(
          'recent-release',
          'repository',
          `Newest release v0.${i}.0 on 2024-0${1 + (i % 9)}-1${i % 10}.`,
          'Publish a release.',
        ),
      );
    }
    repositories.push(
      repo(name, {
        declaredTier: tier,
        declaredAs: tier,
        declarationSource: 'topic',
        achievedTier: null,
        failing,
      }),
    );
  }
  return sampleReport({ repositories, drift: [], coverage: { visibleRepositories: count } });
}
