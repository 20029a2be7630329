/**
 * GitHub Actions workflows as GitHub reads them, through GitHub's own parser
 * (`@actions/workflow-parser`): YAML 1.2 (`on` is a string key, never `true`), TABs inside
 * scalars accepted (falco's `bump-libs.yaml`), the workflow schema validated (unknown keys and
 * events are errors), plus the rules GitHub enforces beyond the schema (`branches` together with
 * `branches-ignore` for one event, and the same for `tags` and `paths`).
 */
import {
  NoOperationTraceWriter,
  isBasicExpression,
  isBoolean,
  isMapping,
  isNumber,
  isScalar as isScalarToken,
  isSequence,
  isString,
  type TemplateParseResult,
} from '@actions/workflow-parser';
import { convertOn } from '@actions/workflow-parser/model/converter/events';
import { convertJobs } from '@actions/workflow-parser/model/converter/jobs';
import type { EventsConfig, Step, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import {
  TemplateContext,
  TemplateValidationErrors,
} from '@actions/workflow-parser/templates/template-context';
import { readTemplate } from '@actions/workflow-parser/templates/template-reader';
import type { ScalarToken } from '@actions/workflow-parser/templates/tokens/scalar-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { WORKFLOW_ROOT } from '@actions/workflow-parser/workflows/workflow-constants';
import { getWorkflowSchema } from '@actions/workflow-parser/workflows/workflow-schema';
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader';
import { isMap, isScalar, type Document } from 'yaml';
import { parseBoundedDocument } from '../yaml-limits.js';
import type { FileContent, RepoSnapshot } from '../snapshot.js';
import { refPasses } from './globs.js';

export interface EventFilter {
  branches?: string[];
  'branches-ignore'?: string[];
  tags?: string[];
  'tags-ignore'?: string[];
  paths?: string[];
  'paths-ignore'?: string[];
  types?: string[];
}

export interface WorkflowStepInfo {
  /** `uses:` of an action step. */
  uses?: string;
  /** `run:` script text (expressions kept as written). */
  run?: string;
}

/** A matrix value as written: scalars as text; `${{ … }}` expressions keep their source. */
export type MatrixValue = string | { expression: string } | { mapping: Record<string, string> };

/** `strategy.matrix` of a job, as the workflow parser reads it (bounded: see `MATRIX_LIMITS`). */
export interface JobMatrix {
  /** Axis name → its values (`include` / `exclude` are not axes). */
  axes: Record<string, MatrixValue[]>;
  /** An axis whose values come from an expression (`os: ${{ fromJSON(…) }}`): its size is unknown. */
  dynamicAxes: string[];
  /** `include:` entries (each a key → value text mapping; expressions kept as written). */
  include: Record<string, string>[];
  /** Number of `exclude:` entries. */
  excludeCount: number;
  /** The whole matrix is one expression (`matrix: ${{ fromJSON(needs.x.outputs.m) }}`). */
  expression?: string;
}

export interface WorkflowJobInfo {
  id: string;
  /** `uses:` of a job calling a reusable workflow (`./.github/workflows/x.yml`, `owner/repo/...@ref`). */
  uses?: string;
  steps: WorkflowStepInfo[];
  /** `runs-on:` labels as written (expressions such as `${{ matrix.os }}` kept as text); [] when absent. */
  runsOn: string[];
  /** `strategy.matrix`, when the job has one. */
  matrix?: JobMatrix;
}

/** A matrix is read up to these sizes (a workflow is untrusted input). */
export const MATRIX_LIMITS = { axes: 32, valuesPerAxis: 256, include: 256 } as const;

export interface ParsedWorkflow {
  path: string;
  name: string | null;
  /** False when GitHub would reject the workflow; `errors` says why. */
  valid: boolean;
  /** Set when the text was not read at all (beyond the YAML limits: an alias bomb, absurd nesting or size). */
  refused?: string;
  errors: string[];
  /** Event name → filters (empty object = no filter). */
  events: Record<string, EventFilter>;
  jobs: WorkflowJobInfo[];
}

const PAIRED_FILTERS = ['branches', 'tags', 'paths'] as const;

/**
 * `parseWorkflow` of @actions/workflow-parser 0.3.61, line for line. Its YAML reader expands aliases
 * without limit, so the text reaches it only once `parseBoundedDocument` has accepted it.
 */
function parseWorkflowOnce(path: string, text: string): TemplateParseResult {
  const context = new TemplateContext(
    new TemplateValidationErrors(),
    getWorkflowSchema(),
    new NoOperationTraceWriter(),
  );
  const fileId = context.getFileId(path);
  const reader = new YamlObjectReader(fileId, text);
  if (reader.errors.length > 0) {
    // The file is not valid YAML, template errors could be misleading
    for (const err of reader.errors) context.error(fileId, err.message, err.range);
    return { context, value: undefined };
  }
  const value = readTemplate(context, WORKFLOW_ROOT, reader, fileId);
  return { context, value };
}

/**
 * Parses one workflow file's text as GitHub does. Never throws. The result depends on `path` and
 * `text` only, and is deeply frozen (results are cached and shared between repositories).
 */
export function parseWorkflowText(path: string, text: string): ParsedWorkflow {
  return deepFreeze(parseWorkflowUncached(path, text));
}

function parseWorkflowUncached(path: string, text: string): ParsedWorkflow {
  const result: ParsedWorkflow = { path, name: null, valid: false, errors: [], events: {}, jobs: [] };
  const bounded = parseBoundedDocument(text, { uniqueKeys: false });
  if (!bounded.ok) {
    result.refused = `refused: it ${bounded.refused}`;
    result.errors.push(result.refused);
    return result;
  }
  let parsed: TemplateParseResult;
  try {
    parsed = parseWorkflowOnce(path, text);
  } catch (err) {
    result.errors.push(`parser failure: ${(err as Error).message}`);
    return result;
  }
  const { context } = parsed;
  if (parsed.value) {
    try {
      const root = parsed.value.assertMapping('root');
      for (const item of root) {
        if (!isString(item.key)) continue;
        const key = item.key.value;
        if (key === 'name' && isString(item.value)) result.name = item.value.value;
        if (key === 'on') result.events = normaliseEvents(convertOn(context, item.value));
        if (key === 'jobs') result.jobs = convertJobs(context, item.value).map(jobInfo);
      }
    } catch (err) {
      context.error(parsed.value, err);
    }
  }
  const errors = context.errors.getErrors().map((e) => cleanMessage(e.message, path));
  errors.unshift(...nonStringRootKeys(bounded.doc));
  for (const [event, filter] of Object.entries(result.events)) {
    for (const name of PAIRED_FILTERS) {
      if (filter[name] !== undefined && filter[`${name}-ignore`] !== undefined) {
        errors.push(`you may only define one of ${name} and ${name}-ignore for a single event (${event})`);
      }
    }
  }
  result.errors = [...new Set(errors)];
  result.valid = result.errors.length === 0;
  return result;
}

/** A top-level `true:` (what YAML 1.1 makes of an unquoted `on:`) is not `on` for GitHub. */
function nonStringRootKeys(doc: Document): string[] {
  try {
    if (!isMap(doc.contents)) return [];
    const out: string[] = [];
    for (const pair of doc.contents.items) {
      if (isScalar(pair.key) && typeof pair.key.value !== 'string') {
        out.push(`top-level key ${String(pair.key.value)} is not a string (GitHub expects on:, jobs:, …)`);
      }
    }
    return out;
  } catch {
    return [];
  }
}

/** Freezes a plain JSON-like value (objects and arrays) all the way down. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function cleanMessage(message: string, path: string): string {
  const oneLine = message.split('\n')[0].trim();
  const withoutFile = oneLine.startsWith(`${path}`)
    ? oneLine.slice(path.length).replace(/^:\s*/, '')
    : oneLine;
  if (/is not a function/.test(withoutFile)) return 'invalid workflow structure';
  return withoutFile;
}

function normaliseEvents(events: EventsConfig): Record<string, EventFilter> {
  const out: Record<string, EventFilter> = {};
  for (const [name, value] of Object.entries(events)) {
    const filter: EventFilter = {};
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const v = value as Record<string, unknown>;
      for (const key of [
        'branches',
        'branches-ignore',
        'tags',
        'tags-ignore',
        'paths',
        'paths-ignore',
        'types',
      ] as const) {
        const list = v[key];
        if (Array.isArray(list)) filter[key] = list.map(String);
      }
    }
    out[name] = filter;
  }
  return out;
}

function scalarText(token: ScalarToken | undefined): string | undefined {
  if (token === undefined) return undefined;
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.source ?? token.toDisplayString();
  return token.toDisplayString();
}

function stepInfo(step: Step): WorkflowStepInfo {
  const info: WorkflowStepInfo = {};
  if ('uses' in step && step.uses) info.uses = step.uses.value;
  if ('run' in step && step.run) info.run = scalarText(step.run);
  return info;
}

function tokenText(token: TemplateToken): string {
  if (isString(token)) return token.value;
  if (isBasicExpression(token)) return token.source ?? token.toDisplayString();
  if (isNumber(token) || isBoolean(token)) return String(token.value);
  if (isScalarToken(token)) return token.toDisplayString();
  return isSequence(token) ? '[…]' : '{…}';
}

function matrixValue(token: TemplateToken): MatrixValue {
  if (isBasicExpression(token)) return { expression: tokenText(token) };
  if (isMapping(token)) {
    const mapping: Record<string, string> = {};
    let n = 0;
    for (const pair of token) {
      if (n++ >= MATRIX_LIMITS.axes) break;
      mapping[tokenText(pair.key)] = tokenText(pair.value);
    }
    return { mapping };
  }
  return tokenText(token);
}

/** `strategy.matrix` of a job's raw `strategy` token; undefined when there is none. */
function matrixOf(strategy: TemplateToken | undefined): JobMatrix | undefined {
  if (!strategy || !isMapping(strategy)) return undefined;
  const token = strategy.find('matrix');
  if (!token) return undefined;
  if (isBasicExpression(token)) {
    return { axes: {}, dynamicAxes: [], include: [], excludeCount: 0, expression: tokenText(token) };
  }
  if (!isMapping(token)) return undefined;
  const matrix: JobMatrix = { axes: {}, dynamicAxes: [], include: [], excludeCount: 0 };
  let axes = 0;
  for (const pair of token) {
    const key = tokenText(pair.key);
    const value = pair.value;
    if (key === 'include' || key === 'exclude') {
      if (!isSequence(value)) continue;
      if (key === 'exclude') {
        matrix.excludeCount = value.count;
        continue;
      }
      for (const item of value) {
        if (matrix.include.length >= MATRIX_LIMITS.include) break;
        const v = matrixValue(item);
        if (typeof v === 'object' && 'mapping' in v) matrix.include.push(v.mapping);
      }
      continue;
    }
    if (axes++ >= MATRIX_LIMITS.axes) continue;
    if (isSequence(value)) {
      const values: MatrixValue[] = [];
      for (const item of value) {
        if (values.length >= MATRIX_LIMITS.valuesPerAxis) break;
        values.push(matrixValue(item));
      }
      matrix.axes[key] = values;
    } else if (isBasicExpression(value)) {
      matrix.dynamicAxes.push(key);
    } else {
      matrix.axes[key] = [matrixValue(value)];
    }
  }
  return matrix;
}

/** `runs-on:` as label texts: a label, a list of labels, or `{group, labels}`. */
function runsOnOf(token: TemplateToken | undefined): string[] {
  if (!token) return [];
  if (isSequence(token)) return [...token].map(tokenText);
  if (isMapping(token)) {
    const labels = token.find('labels');
    if (labels) return runsOnOf(labels);
    const group = token.find('group');
    return group ? [`group: ${tokenText(group)}`] : [];
  }
  return [tokenText(token)];
}

function jobInfo(job: WorkflowJob): WorkflowJobInfo {
  const matrix = matrixOf(job.strategy);
  if (job.type === 'reusableWorkflowJob') {
    return { id: job.id.value, uses: job.ref.value, steps: [], runsOn: [], ...(matrix ? { matrix } : {}) };
  }
  return {
    id: job.id.value,
    steps: (job.steps ?? []).map(stepInfo),
    runsOn: runsOnOf(job['runs-on']),
    ...(matrix ? { matrix } : {}),
  };
}

// ---------------------------------------------------------------- workflows of a snapshot

export type WorkflowSource =
  | { path: string; state: 'parsed'; workflow: ParsedWorkflow }
  /** Present but not usable: binary, truncated or unread. */
  | { path: string; state: 'unusable'; reason: string };

const WORKFLOW_DIR = '.github/workflows/';

export function isWorkflowPath(path: string): boolean {
  if (!path.startsWith(WORKFLOW_DIR)) return false;
  const name = path.slice(WORKFLOW_DIR.length);
  return name.length > 0 && !name.includes('/') && /\.ya?ml$/i.test(name);
}

/** Per file object (with its path): the two workflow checks of one repository share one parse. */
const parseCache = new WeakMap<FileContent, ParsedWorkflow>();

/**
 * Across repositories: the same workflow (a shared template) under the same path parses to the same
 * result, so it is parsed once. Keyed by path AND text: the result depends on the path (its `path`,
 * and error messages, which the parser prefixes with the path and `cleanMessage` strips). A
 * least-recently-used cache bounded in entries and in characters, so memory stays flat however many
 * repositories are audited; results are deeply frozen, so sharing them is safe.
 */
export class WorkflowParseCache {
  private readonly entries = new Map<string, { workflow: ParsedWorkflow; chars: number }>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries = 512,
    readonly maxChars = 4_000_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The parse of `text` at `path`, from the cache or parsed (and remembered) now. */
  parse(path: string, text: string): ParsedWorkflow {
    // Length-prefixed, so no (path, text) pair can be mistaken for another.
    const key = `${path.length}:${path}${text}`;
    const hit = this.entries.get(key);
    if (hit) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.workflow;
    }
    this.misses++;
    const workflow = parseWorkflowText(path, text);
    const chars = key.length;
    if (this.maxEntries > 0 && chars <= this.maxChars / 16) {
      this.entries.set(key, { workflow, chars });
      this.chars += chars;
      for (const [oldest, entry] of this.entries) {
        if (this.entries.size <= this.maxEntries && this.chars <= this.maxChars) break;
        this.entries.delete(oldest);
        this.chars -= entry.chars;
      }
    }
    return workflow;
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
    this.hits = 0;
    this.misses = 0;
  }
}

/** The process-wide cache `workflowSources` uses. */
export const workflowParseCache = new WorkflowParseCache();

/**
 * Every `.github/workflows/*.yml|yaml` (top level only, as GitHub) with its parse; other files in
 * that folder are ignored (listed in `ignored`).
 */
export function workflowSources(snapshot: RepoSnapshot): { sources: WorkflowSource[]; ignored: string[] } {
  const paths = new Set<string>();
  const ignored = new Set<string>();
  const consider = (path: string) => {
    if (isWorkflowPath(path)) paths.add(path);
    else if (path.startsWith(WORKFLOW_DIR) && !path.slice(WORKFLOW_DIR.length).includes('/'))
      ignored.add(path);
  };
  for (const path of Object.keys(snapshot.files)) consider(path);
  for (const entry of snapshot.githubEntries ?? []) {
    if (entry.type === 'blob' || entry.type === 'symlink') consider(entry.path);
  }
  const sources: WorkflowSource[] = [];
  for (const path of [...paths].sort()) {
    const content = snapshot.files[path];
    if (content === undefined) {
      sources.push({
        path,
        state: 'unusable',
        reason: 'listed in the tree but its content was not collected',
      });
      continue;
    }
    switch (content.kind) {
      case 'text': {
        let workflow = parseCache.get(content);
        // The same file object could sit at two paths (shared by reference): the path must match.
        if (workflow?.path !== path) {
          workflow = workflowParseCache.parse(path, content.text);
          parseCache.set(content, workflow);
        }
        if (workflow.refused !== undefined)
          sources.push({ path, state: 'unusable', reason: workflow.refused });
        else sources.push({ path, state: 'parsed', workflow });
        break;
      }
      case 'binary':
        sources.push({ path, state: 'unusable', reason: 'binary content' });
        break;
      case 'truncated':
        sources.push({ path, state: 'unusable', reason: `too large to read (${content.byteSize} bytes)` });
        break;
      case 'unread':
        sources.push({ path, state: 'unusable', reason: content.reason });
        break;
    }
  }
  return { sources, ignored: [...ignored].sort() };
}

// ---------------------------------------------------------------- trigger questions

export interface TriggerMatch {
  event: string;
  /** e.g. `push to main`, `pull_request into main (paths-filtered)` */
  detail: string;
}

function pathsNote(filter: EventFilter): string {
  return filter.paths !== undefined || filter['paths-ignore'] !== undefined ? ' (paths-filtered)' : '';
}

function describeBranchFilter(filter: EventFilter): string {
  if (filter.branches !== undefined) return `branches ${filter.branches.join(', ') || '(none)'}`;
  if (filter['branches-ignore'] !== undefined)
    return `all branches except ${filter['branches-ignore'].join(', ')}`;
  return 'all branches';
}

/**
 * Which build events of the workflow run for `branch`: a push to it, a pull request into it
 * (`branches` = the base branch), or the merge queue. `misses` explains events that do not.
 */
export function buildTriggersFor(
  workflow: ParsedWorkflow,
  branch: string,
): { matches: TriggerMatch[]; misses: string[] } {
  const matches: TriggerMatch[] = [];
  const misses: string[] = [];
  const push = workflow.events.push;
  if (push !== undefined) {
    const branchFilter = push.branches !== undefined || push['branches-ignore'] !== undefined;
    const tagFilter = push.tags !== undefined || push['tags-ignore'] !== undefined;
    if (!branchFilter && tagFilter) {
      misses.push(
        `push only for tags ${(push.tags ?? []).join(', ') || `except ${(push['tags-ignore'] ?? []).join(', ')}`}`,
      );
    } else if (refPasses(push.branches, push['branches-ignore'], branch)) {
      matches.push({ event: 'push', detail: `push to ${branch}${pathsNote(push)}` });
    } else {
      misses.push(`push only on ${describeBranchFilter(push)}`);
    }
  }
  for (const event of ['pull_request', 'pull_request_target'] as const) {
    const pr = workflow.events[event];
    if (pr === undefined) continue;
    if (refPasses(pr.branches, pr['branches-ignore'], branch)) {
      matches.push({ event, detail: `${event} into ${branch}${pathsNote(pr)}` });
    } else {
      misses.push(`${event} only into ${describeBranchFilter(pr)}`);
    }
  }
  if (workflow.events.merge_group !== undefined) {
    matches.push({ event: 'merge_group', detail: 'merge_group (merge queue)' });
  }
  return { matches, misses };
}

/** Local reusable workflows a workflow's jobs call (`./.github/workflows/x.yml` → that path). */
export function calledWorkflows(workflow: ParsedWorkflow): string[] {
  const out: string[] = [];
  for (const job of workflow.jobs) {
    if (job.uses) out.push(job.uses.startsWith('./') ? job.uses.slice(2) : job.uses);
  }
  return [...new Set(out)];
}

/** Names of the events a workflow listens to. */
export function eventNames(workflow: ParsedWorkflow): string[] {
  return Object.keys(workflow.events);
}

// ---------------------------------------------------------------- workflows that run for a branch

export interface RunningWorkflow {
  workflow: ParsedWorkflow;
  /** Why it runs for the branch: `push to main`, or `called by .github/workflows/ci.yml`. */
  detail: string;
}

/**
 * The valid workflows that run for `branch` on push, pull request or merge queue, followed by the
 * local reusable workflows they call (transitively), which run as part of them. `unusable` lists
 * workflow files whose text could not be used.
 */
export function workflowsRunningFor(
  snapshot: RepoSnapshot,
  branch: string,
): { running: RunningWorkflow[]; unusable: string[]; checked: number } {
  const { sources } = workflowSources(snapshot);
  const byPath = new Map<string, ParsedWorkflow>();
  const unusable: string[] = [];
  for (const source of sources) {
    if (source.state === 'parsed') {
      if (source.workflow.valid) byPath.set(source.path, source.workflow);
    } else unusable.push(`${source.path} (${source.reason})`);
  }
  const running: RunningWorkflow[] = [];
  const seen = new Set<string>();
  const queue: RunningWorkflow[] = [];
  for (const workflow of byPath.values()) {
    const { matches } = buildTriggersFor(workflow, branch);
    if (matches.length === 0) continue;
    seen.add(workflow.path);
    queue.push({ workflow, detail: matches.map((m) => m.detail).join(', ') });
  }
  while (queue.length > 0) {
    const current = queue.shift()!;
    running.push(current);
    for (const called of calledWorkflows(current.workflow)) {
      const target = byPath.get(called);
      if (!target || seen.has(called)) continue;
      seen.add(called);
      queue.push({ workflow: target, detail: `called by ${current.workflow.path}` });
    }
  }
  return { running, unusable, checked: sources.length };
}

/** `owner/repo/path` of a `uses:` reference, lower-case, without its `@ref`. */
export function actionName(uses: string): string {
  return uses.replace(/@.*$/, '').toLowerCase();
}

/** Every workflow GitHub accepts, in path order. */
export function validWorkflows(snapshot: RepoSnapshot): ParsedWorkflow[] {
  return workflowSources(snapshot).sources.flatMap((s) =>
    s.state === 'parsed' && s.workflow.valid ? [s.workflow] : [],
  );
}
