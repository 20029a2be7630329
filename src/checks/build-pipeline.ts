import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import { error, fail, listText, pass } from './util.js';
import { buildTriggersFor, calledWorkflows, workflowSources } from './workflows.js';

export const buildPipelineCheck = defineCheck({
  id: 'build-pipeline',
  title: 'Build pipeline',
  description:
    'A GitHub Actions workflow that runs on push, pull_request, pull_request_target or merge_group for the default branch (branch filters as GitHub applies them; a workflow GitHub rejects never counts; reusable workflows count through their callers).',
  reads: ['tree', 'workflows'],
  run(snapshot) {
    const branch = snapshot.defaultBranch;
    if (snapshot.empty || branch === null) {
      return fail(
        'repository is empty: no default branch, no workflow',
        'Push the code and a CI workflow under .github/workflows/.',
      );
    }
    const { sources, ignored } = workflowSources(snapshot);
    const passing: Evidence[] = [];
    const misses: string[] = [];
    const rejected: string[] = [];
    const unusable: string[] = [];
    for (const source of sources) {
      if (source.state === 'unusable') {
        unusable.push(`${source.path} (${source.reason})`);
        continue;
      }
      const wf = source.workflow;
      if (!wf.valid) {
        rejected.push(`${wf.path}: ${wf.errors[0]}`);
        continue;
      }
      const { matches, misses: m } = buildTriggersFor(wf, branch);
      if (matches.length) {
        const calls = calledWorkflows(wf).filter((c) => c.startsWith('.github/workflows/'));
        const via = calls.length ? `; calls ${listText(calls, 3)}` : '';
        passing.push({ path: wf.path, detail: `${matches.map((x) => x.detail).join(', ')}${via}` });
      } else if (m.length) {
        misses.push(`${wf.path}: ${m.join(', ')}`);
      } else if (Object.keys(wf.events).length === 1 && wf.events.workflow_call) {
        misses.push(`${wf.path}: only workflow_call (counts through a caller)`);
      }
    }
    const rejectedEvidence = rejected.map((r) => ({
      path: r.split(':')[0],
      detail: `rejected by GitHub: ${r.slice(r.indexOf(':') + 2)}`,
    }));
    if (passing.length) {
      const first = passing[0];
      const more =
        passing.length > 1 ? ` and ${passing.length - 1} more workflow${passing.length > 2 ? 's' : ''}` : '';
      const rejectedNote = rejected.length
        ? `; ${rejected.length} workflow${rejected.length > 1 ? 's' : ''} rejected by GitHub`
        : '';
      return pass(`${first.path} runs on ${first.detail}${more}${rejectedNote}`, [
        ...passing,
        ...rejectedEvidence,
      ]);
    }
    if (unusable.length) {
      const parts = unusable.map((u) => `could not read ${u}`);
      return error(`no readable workflow runs for ${branch}; ${parts.join('; ')}`, [
        ...unusable.map((u) => ({ path: u.split(' (')[0], detail: 'could not read' })),
        ...rejectedEvidence,
      ]);
    }
    const details: string[] = [];
    if (rejected.length) details.push(`rejected by GitHub: ${rejected.join('; ')}`);
    if (misses.length) details.push(`not for ${branch}: ${misses.join('; ')}`);
    if (ignored.length) details.push(`ignored (not .yml/.yaml): ${ignored.join(', ')}`);
    const none =
      sources.length === 0
        ? 'no workflow in .github/workflows/'
        : `no workflow runs on push or pull_request for ${branch}`;
    return fail(
      `${none}${details.length ? ` (${details.join('; ')})` : ''}`,
      `Add a workflow under .github/workflows/ that builds and tests on push to ${branch} and on pull_request (check its branch filters name ${branch}).`,
      [
        ...misses.map((m) => ({ path: m.split(':')[0], detail: m.slice(m.indexOf(':') + 2) })),
        ...rejectedEvidence,
      ],
    );
  },
});
