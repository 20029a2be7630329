/**
 * `code-scanning`: a workflow runs static analysis on pushes or pull requests to the default branch.
 * Analysers are recognised by the actions their steps use (or the reusable workflows their jobs call);
 * the policy adds its own with `analysers`.
 */
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import {
  describeProblems,
  error,
  fail,
  listText,
  pass,
  problemsFor,
  stringListParam,
  withDefaults,
} from './util.js';
import { actionName, validWorkflows, workflowsRunningFor, type ParsedWorkflow } from './workflows.js';

export interface Analyser {
  name: string;
  /** Action names (`owner/repo[/path]`, lower-case, no `@ref`) that run it; a prefix ending in `/` matches a family. */
  actions: string[];
}

/** Well-known static analysers, by the actions that run them. */
export const KNOWN_ANALYSERS: readonly Analyser[] = [
  {
    name: 'CodeQL',
    actions: ['github/codeql-action/analyze', 'github/codeql-action/init', 'github/codeql-action/autobuild'],
  },
  { name: 'Semgrep', actions: ['semgrep/semgrep-action', 'returntocorp/semgrep-action'] },
  { name: 'gosec', actions: ['securego/gosec'] },
  {
    name: 'SonarQube / SonarCloud',
    actions: ['sonarsource/sonarcloud-github-action', 'sonarsource/sonarqube-scan-action'],
  },
  { name: 'Snyk', actions: ['snyk/actions/'] },
  { name: 'Trivy', actions: ['aquasecurity/trivy-action'] },
  { name: 'OpenSSF Scorecard', actions: ['ossf/scorecard-action'] },
  { name: 'DevSkim', actions: ['microsoft/devskim-action'] },
  { name: 'Bandit', actions: ['pycqa/bandit-action'] },
  { name: 'KICS', actions: ['checkmarx/kics-github-action'] },
];

function matches(action: string, pattern: string): boolean {
  const p = pattern.toLowerCase().replace(/@.*$/, '');
  return p.endsWith('/') ? action.startsWith(p) : action === p;
}

/** The analysers a workflow runs, with the job and the action that runs each. */
export function analysersIn(wf: ParsedWorkflow, analysers: readonly Analyser[]): string[] {
  const found: string[] = [];
  for (const job of wf.jobs) {
    const refs = [...(job.uses ? [job.uses] : []), ...job.steps.flatMap((s) => (s.uses ? [s.uses] : []))];
    for (const ref of refs) {
      const action = actionName(ref);
      const analyser = analysers.find((a) => a.actions.some((pattern) => matches(action, pattern)));
      if (analyser && !found.some((f) => f.startsWith(`${analyser.name} `))) {
        found.push(`${analyser.name} (job ${job.id}: ${action})`);
      }
    }
  }
  return found;
}

export const codeScanningCheck = defineCheck({
  id: 'code-scanning',
  title: 'Code scanning',
  description:
    'A workflow running on push or pull_request for the default branch (or a reusable workflow it calls) uses a static analyser: CodeQL, Semgrep, gosec, SonarQube/SonarCloud, Snyk, Trivy, OpenSSF Scorecard, DevSkim, Bandit, KICS, plus the actions listed in `analysers` (a trailing `/` matches a family). CodeQL "default setup" has no workflow and is not visible here.',
  params: [
    {
      name: 'analysers',
      type: 'string-list',
      default: [],
      description:
        'Extra analyser actions (`owner/repo[/path]`, no `@ref`; a trailing `/` matches a family) that make a workflow scan the code.',
    },
  ],
  reads: ['tree', 'workflows'],
  run(snapshot, params) {
    const p = withDefaults(codeScanningCheck.defaults, params);
    const branch = snapshot.defaultBranch;
    const remediation = (b: string) =>
      `Add GitHub's CodeQL starter workflow (.github/workflows/codeql.yml: github/codeql-action/init and /analyze on push and pull_request to ${b}), or name your analyser's action in the policy's \`analysers\`.`;
    if (snapshot.empty || branch === null) {
      return fail('repository is empty: no workflow scans its code', remediation('the default branch'));
    }
    const extra = stringListParam(p, 'analysers').map((action) => ({ name: action, actions: [action] }));
    const analysers = [...KNOWN_ANALYSERS, ...extra];
    const { running, unusable, checked } = workflowsRunningFor(snapshot, branch);
    const evidence: Evidence[] = [];
    for (const { workflow, detail } of running) {
      const found = analysersIn(workflow, analysers);
      if (found.length) evidence.push({ path: workflow.path, detail: `${found.join(', ')}; ${detail}` });
    }
    if (evidence.length) {
      const more = evidence.length > 1 ? ` (and ${evidence.length - 1} more)` : '';
      return pass(`${evidence[0].path}: ${evidence[0].detail}${more}`, evidence);
    }
    const problems = problemsFor(snapshot, ['workflows', 'tree'], ['.github/workflows/']);
    if (unusable.length || problems.length) {
      const parts = [
        ...unusable.map((u) => `could not read ${u}`),
        ...(problems.length ? [describeProblems(problems)] : []),
      ];
      return error(`no readable workflow scans the code of ${branch}; ${parts.join('; ')}`);
    }
    // Analysers that exist but never run for the default branch (e.g. only on a schedule).
    const elsewhere: Evidence[] = [];
    for (const source of validWorkflows(snapshot)) {
      const found = analysersIn(source, analysers);
      if (found.length && !running.some((r) => r.workflow.path === source.path)) {
        elsewhere.push({
          path: source.path,
          detail: `${found.join(', ')}, but only on ${Object.keys(source.events).join(', ') || 'no event'}`,
        });
      }
    }
    const note = elsewhere.length
      ? `; found ${listText(
          elsewhere.map((e) => `${e.path}: ${e.detail}`),
          3,
        )}`
      : '';
    return fail(
      `no workflow running on push or pull_request for ${branch} uses a known static analyser (${checked} workflow${checked === 1 ? '' : 's'} checked)${note}`,
      remediation(branch),
      elsewhere,
    );
  },
});
