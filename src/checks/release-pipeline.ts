import { defineCheck } from './define.js';
import type { Evidence } from './types.js';
import { error, fail, pass, stringListParam, withDefaults } from './util.js';
import { workflowSources, type ParsedWorkflow } from './workflows.js';

interface Tool {
  name: string;
  /** Matches a `uses:` reference without its `@ref`, lower-case. */
  uses: RegExp | null;
  /** Matches a `run:` script. */
  run: RegExp | null;
}

export const KNOWN_RELEASE_TOOLS: readonly Tool[] = [
  { name: 'goreleaser', uses: /^goreleaser\/goreleaser-action$/, run: /(^|[^\w-])goreleaser(\s|$)/m },
  {
    name: 'release-please',
    uses: /^(googleapis|google-github-actions)\/release-please-action$/,
    run: /(^|[^\w-])release-please(\s|$)/m,
  },
  { name: 'semantic-release', uses: /semantic-release/, run: /(^|[^\w-])semantic-release(\s|$)/m },
  {
    name: 'chart-releaser',
    uses: /^helm\/chart-releaser-action$/,
    run: /(^|[\s;&|])(cr\s+(upload|index|package)|chart-releaser)(\s|$)/m,
  },
  { name: 'action-gh-release', uses: /^softprops\/action-gh-release$/, run: null },
];

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function extraTool(name: string): Tool {
  const lower = name.toLowerCase().replace(/@.*$/, '');
  return {
    name,
    uses: new RegExp(`(^|/)${escapeRe(lower)}($|/)`),
    run: new RegExp(`(^|[^\\w-])${escapeRe(name)}(\\s|$)`, 'm'),
  };
}

/** Why a workflow is a release pipeline, or null. */
export function releaseReason(wf: ParsedWorkflow, tools: readonly Tool[]): string | null {
  if (wf.events.release !== undefined) {
    const types = wf.events.release.types;
    return `triggered by release${types?.length ? ` (${types.join(', ')})` : ''}`;
  }
  const push = wf.events.push;
  if (push?.tags !== undefined) return `triggered by pushing tags ${push.tags.join(', ')}`;
  if (push?.['tags-ignore'] !== undefined)
    return `triggered by pushing tags except ${push['tags-ignore'].join(', ')}`;
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      for (const tool of tools) {
        const uses = step.uses?.toLowerCase().replace(/@.*$/, '');
        if (uses && tool.uses?.test(uses)) return `job ${job.id} uses ${step.uses} (${tool.name})`;
        if (step.run && tool.run?.test(step.run)) return `job ${job.id} runs ${tool.name}`;
      }
    }
  }
  return null;
}

export const releasePipelineCheck = defineCheck({
  id: 'release-pipeline',
  title: 'Release pipeline',
  description:
    'A workflow triggered by release, by pushing tags, or whose steps use a release tool (goreleaser, release-please, semantic-release, chart-releaser, softprops/action-gh-release, plus `tools`).',
  params: [
    {
      name: 'tools',
      type: 'string-list',
      default: [],
      description:
        'Extra release tool names or action references (`owner/action`) that make a workflow a release pipeline.',
    },
  ],
  reads: ['tree', 'workflows'],
  run(snapshot, params) {
    const p = withDefaults(releasePipelineCheck.defaults, params);
    if (snapshot.empty || snapshot.defaultBranch === null) {
      return fail(
        'repository is empty: no release workflow',
        'Add a release workflow (for example goreleaser on tag push).',
      );
    }
    const tools = [...KNOWN_RELEASE_TOOLS, ...stringListParam(p, 'tools').map(extraTool)];
    const { sources } = workflowSources(snapshot);
    const found: Evidence[] = [];
    const unusable: string[] = [];
    const rejected: string[] = [];
    for (const source of sources) {
      if (source.state === 'unusable') {
        unusable.push(`${source.path} (${source.reason})`);
        continue;
      }
      if (!source.workflow.valid) {
        rejected.push(`${source.path}: ${source.workflow.errors[0]}`);
        continue;
      }
      const reason = releaseReason(source.workflow, tools);
      if (reason) found.push({ path: source.path, detail: reason });
    }
    if (found.length) {
      const more = found.length > 1 ? ` (and ${found.length - 1} more)` : '';
      return pass(`${found[0].path}: ${found[0].detail}${more}`, found);
    }
    if (unusable.length) {
      const parts = unusable.map((u) => `could not read ${u}`);
      return error(`no readable release workflow; ${parts.join('; ')}`);
    }
    const rejectedNote = rejected.length ? ` (rejected by GitHub: ${rejected.join('; ')})` : '';
    return fail(
      `no workflow is triggered by release or tag pushes or uses a release tool (${sources.length} workflow${sources.length === 1 ? '' : 's'} checked)${rejectedNote}`,
      'Add a release workflow: on push of tags v* (or on release), build and publish the artifacts, e.g. with goreleaser.',
    );
  },
});
