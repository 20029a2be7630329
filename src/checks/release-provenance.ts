/**
 * `release-provenance`: releases are built with provenance or signatures — a workflow uses an SLSA
 * generator, GitHub's artifact attestations, or cosign/sigstore. Not applicable to a repository that
 * publishes no artifacts (no release workflow and no release). Release assets are not read: listing
 * them is a connection per repository, which would raise the page cost.
 */
import { newestRelease } from './recent-release.js';
import { KNOWN_RELEASE_TOOLS, releaseReason } from './release-pipeline.js';
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import {
  describeProblems,
  error,
  fail,
  notApplicable,
  pass,
  problemsFor,
  stringListParam,
  withDefaults,
} from './util.js';
import { actionName, validWorkflows, workflowSources, type ParsedWorkflow } from './workflows.js';

interface ProvenanceTool {
  name: string;
  /** Action names (lower-case, no `@ref`); a trailing `/` matches a family. */
  actions: string[];
  /** A `run:` script invoking it. */
  run: RegExp | null;
}

export const KNOWN_PROVENANCE_TOOLS: readonly ProvenanceTool[] = [
  { name: 'SLSA generator', actions: ['slsa-framework/slsa-github-generator/'], run: null },
  {
    name: 'artifact attestation',
    actions: ['actions/attest-build-provenance', 'actions/attest', 'actions/attest-sbom'],
    run: /(^|[\s;&|])gh\s+attestation\s/m,
  },
  {
    name: 'cosign',
    actions: ['sigstore/cosign-installer'],
    run: /(^|[\s;&|])cosign\s+(sign|attest)/m,
  },
  {
    name: 'sigstore',
    actions: ['sigstore/gh-action-sigstore-python', 'sigstore/sigstore-conformance'],
    run: null,
  },
];

function matches(action: string, pattern: string): boolean {
  const p = pattern.toLowerCase().replace(/@.*$/, '');
  return p.endsWith('/') ? action.startsWith(p) : action === p;
}

/** What in a workflow signs or attests, e.g. `SLSA generator (job x: slsa-framework/…)`. */
export function provenanceIn(wf: ParsedWorkflow, tools: readonly ProvenanceTool[]): string[] {
  const found: string[] = [];
  const note = (text: string) => {
    if (!found.includes(text)) found.push(text);
  };
  for (const job of wf.jobs) {
    const refs = [...(job.uses ? [job.uses] : []), ...job.steps.flatMap((s) => (s.uses ? [s.uses] : []))];
    for (const ref of refs) {
      const action = actionName(ref);
      const tool = tools.find((t) => t.actions.some((pattern) => matches(action, pattern)));
      if (tool) note(`${tool.name} (job ${job.id}: ${action})`);
    }
    for (const step of job.steps) {
      const tool = step.run ? tools.find((t) => t.run?.test(step.run!)) : undefined;
      if (tool) note(`${tool.name} (job ${job.id} runs it)`);
    }
  }
  return found;
}

export const releaseProvenanceCheck = defineCheck({
  id: 'release-provenance',
  title: 'Release provenance',
  description:
    'Releases are built with provenance or signatures: a workflow uses an SLSA generator (slsa-framework/slsa-github-generator), artifact attestations (actions/attest-build-provenance, actions/attest, `gh attestation`), cosign (sigstore/cosign-installer, `cosign sign|attest`) or sigstore, plus the actions in `tools`. Not applicable when the repository publishes nothing (no release workflow, no release). Release assets are not read.',
  params: [
    {
      name: 'tools',
      type: 'string-list',
      default: [],
      description:
        'Extra signing or attestation actions (`owner/repo[/path]`, no `@ref`; a trailing `/` matches a family).',
    },
  ],
  reads: ['tree', 'workflows', 'releases'],
  run(snapshot, params) {
    const p = withDefaults(releaseProvenanceCheck.defaults, params);
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return notApplicable('repository is empty: it publishes nothing');
    }
    const tools: ProvenanceTool[] = [
      ...KNOWN_PROVENANCE_TOOLS,
      ...stringListParam(p, 'tools').map((action) => ({ name: action, actions: [action], run: null })),
    ];
    const workflows = validWorkflows(snapshot);
    const evidence: Evidence[] = [];
    for (const wf of workflows) {
      const found = provenanceIn(wf, tools);
      if (found.length) evidence.push({ path: wf.path, detail: found.join(', ') });
    }
    if (evidence.length) {
      const more = evidence.length > 1 ? ` (and ${evidence.length - 1} more)` : '';
      return pass(`${evidence[0].path}: ${evidence[0].detail}${more}`, evidence);
    }
    const problems = problemsFor(snapshot, ['workflows', 'tree'], ['.github/workflows/']);
    const unusable = workflowSources(snapshot).sources.filter((s) => s.state === 'unusable');
    if (unusable.length || problems.length) {
      const parts = [
        ...unusable.map((u) => `could not read ${u.path}`),
        ...(problems.length ? [describeProblems(problems)] : []),
      ];
      return error(`no readable workflow signs or attests releases; ${parts.join('; ')}`);
    }
    const publishers: Evidence[] = [];
    for (const wf of workflows) {
      const reason = releaseReason(wf, KNOWN_RELEASE_TOOLS);
      if (reason) publishers.push({ path: wf.path, detail: reason });
    }
    const latest = newestRelease(snapshot, false);
    if (publishers.length === 0 && snapshot.releases.length === 0) {
      return notApplicable(
        'publishes no artifacts: no release workflow and no GitHub release',
        latest ? [{ detail: `newest version tag ${latest.tag}` }] : [],
      );
    }
    const what = publishers.length
      ? `${publishers[0].path} publishes (${publishers[0].detail})`
      : `releases are published (newest: ${snapshot.releases[0].tagName})`;
    const releaseEvidence: Evidence[] = snapshot.releases
      .slice(0, 1)
      .map((r) => ({ url: r.url, detail: `release ${r.tagName}` }));
    return fail(
      `${what}, but no workflow signs or attests what it builds (no SLSA generator, artifact attestation, cosign or sigstore)`,
      'Attest the built artifacts with actions/attest-build-provenance (permissions: id-token: write, attestations: write) in the release workflow, or sign them with cosign (sigstore/cosign-installer), or use slsa-framework/slsa-github-generator.',
      [...publishers, ...releaseEvidence],
    );
  },
});
