/**
 * `test-matrix`: the build pipeline (workflows running on push or pull_request for the default branch,
 * and the reusable workflows they call) runs on more than one platform or version: a job matrix over
 * operating systems, architectures or language/toolchain versions, or jobs on different runners.
 * Falco's rule for Stable: automated tests on multiple platforms "(when applicable)" — a policy
 * excludes repositories where it does not apply with `unless` or a waiver.
 */
import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import {
  describeProblems,
  error,
  fail,
  numberParam,
  pass,
  problemsFor,
  stringListParam,
  withDefaults,
} from './util.js';
import { workflowsRunningFor, type JobMatrix, type MatrixValue, type WorkflowJobInfo } from './workflows.js';

/** Axis names that mean a platform or a version (compared lower-case, `-`/`_` ignored). */
const PLATFORM_OR_VERSION =
  /^(os|platform|platforms|arch|archs|architecture|goarch|goos|runner|runners|runs?on|target|targets|distro|distribution|kernel|image|compiler|cc|toolchain|go|golang|node|nodejs|python|py|java|jdk|rust|ruby|php|dotnet|cxx|llvm|clang|gcc|k8s|kubernetes|.*version|.*versions|.*ver)$/;

function normaliseAxis(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

function valueText(value: MatrixValue): string {
  if (typeof value === 'string') return value;
  if ('expression' in value) return value.expression;
  return JSON.stringify(value.mapping);
}

/** Axes of a job's matrix that vary a platform or a version, with their distinct values. */
function platformAxes(
  job: WorkflowJobInfo,
  matrix: JobMatrix,
  extraAxes: Set<string>,
): Map<string, Set<string>> {
  const runsOnAxes = new Set<string>();
  for (const label of job.runsOn) {
    for (const m of label.matchAll(/matrix\.([A-Za-z0-9_-]+)/g)) runsOnAxes.add(m[1]);
  }
  const counts = (name: string) =>
    runsOnAxes.has(name) ||
    extraAxes.has(normaliseAxis(name)) ||
    PLATFORM_OR_VERSION.test(normaliseAxis(name));
  const axes = new Map<string, Set<string>>();
  const add = (name: string, value: string) => {
    if (!counts(name)) return;
    const set = axes.get(name) ?? new Set<string>();
    set.add(value);
    axes.set(name, set);
  };
  for (const [name, values] of Object.entries(matrix.axes)) for (const v of values) add(name, valueText(v));
  for (const entry of matrix.include) for (const [name, v] of Object.entries(entry)) add(name, v);
  return axes;
}

/** Why a job runs on several platforms or versions, or null. */
export function jobMatrixReason(
  job: WorkflowJobInfo,
  minCombinations: number,
  extraAxes: Set<string>,
): string | null {
  const matrix = job.matrix;
  if (!matrix) return null;
  if (matrix.expression)
    return `job ${job.id}: matrix from ${matrix.expression} (its size is decided at run time)`;
  const dynamic = matrix.dynamicAxes.filter(
    (a) => PLATFORM_OR_VERSION.test(normaliseAxis(a)) || extraAxes.has(normaliseAxis(a)),
  );
  if (dynamic.length) return `job ${job.id}: matrix axis ${dynamic.join(', ')} from an expression`;
  const axes = platformAxes(job, matrix, extraAxes);
  let combinations = 1;
  for (const values of axes.values()) combinations *= values.size;
  if (axes.size === 0 || combinations < minCombinations) return null;
  const described = [...axes].map(([name, values]) => `${name}: ${[...values].join(', ')}`).join('; ');
  return `job ${job.id}: matrix ${described}`;
}

export const testMatrixCheck = defineCheck({
  id: 'test-matrix',
  title: 'Test matrix',
  description:
    'The build pipeline (workflows on push or pull_request for the default branch, and the reusable workflows they call) runs on several platforms or versions: a job `strategy.matrix` (or its `include:` entries) with at least `min-combinations` distinct values over OS, architecture, runner or language/toolchain-version axes (axis names like os, arch, go, node, python, *-version, an axis used in `runs-on`, plus `axes`), or build jobs on at least `min-combinations` different runners.',
  params: [
    {
      name: 'min-combinations',
      type: 'integer',
      minimum: 1,
      default: 2,
      description: 'Platforms or versions the build must run on (matrix combinations, or distinct runners).',
    },
    {
      name: 'axes',
      type: 'string-list',
      default: [],
      description: 'Extra matrix axis names that count as a platform or a version.',
    },
  ],
  reads: ['tree', 'workflows'],
  run(snapshot, params) {
    const p = withDefaults(testMatrixCheck.defaults, params);
    const min = numberParam(p, 'min-combinations', 2);
    const extraAxes = new Set(stringListParam(p, 'axes').map(normaliseAxis));
    const branch = snapshot.defaultBranch;
    const remediation =
      'Run the tests under a job matrix, e.g. `strategy: { matrix: { os: [ubuntu-latest, ubuntu-24.04-arm] } }` with `runs-on: ${{ matrix.os }}` (or over the supported language versions); where one platform is all there is, exclude the repository in the policy (`unless`) or waive the check with the reason.';
    if (snapshot.empty || branch === null) return fail('repository is empty: no build pipeline', remediation);
    const { running, unusable } = workflowsRunningFor(snapshot, branch);
    const evidence: Evidence[] = [];
    const runners = new Map<string, string>();
    for (const { workflow, detail } of running) {
      for (const job of workflow.jobs) {
        const reason = jobMatrixReason(job, min, extraAxes);
        if (reason) evidence.push({ path: workflow.path, detail: `${reason} (${detail})` });
        if (!job.matrix) {
          for (const label of job.runsOn) {
            if (!label.includes('${{') && !runners.has(label))
              runners.set(label, `${workflow.path}#${job.id}`);
          }
        }
      }
    }
    if (evidence.length) {
      const more = evidence.length > 1 ? ` (and ${evidence.length - 1} more)` : '';
      return pass(`${evidence[0].path}: ${evidence[0].detail}${more}`, evidence);
    }
    if (runners.size >= min) {
      const list = [...runners].map(([label, where]) => `${label} (${where})`);
      return pass(
        `build jobs run on ${runners.size} different runners: ${list.join(', ')}`,
        [...new Set([...runners.values()].map((w) => w.split('#')[0]))].map((path) => ({
          path,
          detail: 'jobs on different runners',
        })),
      );
    }
    const problems = problemsFor(snapshot, ['workflows', 'tree'], ['.github/workflows/']);
    if (unusable.length || problems.length) {
      const parts = [
        ...unusable.map((u) => `could not read ${u}`),
        ...(problems.length ? [describeProblems(problems)] : []),
      ];
      return error(`no readable build workflow runs a matrix; ${parts.join('; ')}`);
    }
    if (running.length === 0) {
      return fail(
        `no workflow runs on push or pull_request for ${branch}, so no tests run on several platforms`,
        remediation,
      );
    }
    const platforms = [...runners.keys()];
    return fail(
      `the build pipeline runs on one platform only${platforms.length ? ` (${platforms.join(', ')})` : ''}: no job matrix over OS, architecture or versions in ${running.length} workflow${running.length === 1 ? '' : 's'} running for ${branch}`,
      remediation,
      running.slice(0, 5).map((r) => ({ path: r.workflow.path, detail: r.detail })),
    );
  },
});
