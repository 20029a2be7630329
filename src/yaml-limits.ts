/**
 * Every YAML document read from a repository (workflows, OWNERS, OWNERS_ALIASES, the registry, the
 * policy) is parsed here, within limits, so no file can stall or crash the audit:
 * - its size (a document larger than any real one is refused before parsing);
 * - its nesting, measured on the parser's token tree before the document is built (the `yaml`
 *   library builds documents recursively: a few thousand `[` exhaust the stack — and, inside V8's
 *   regular-expression compiler, can abort the whole process);
 * - its expanded size: anchors and aliases let a 600-byte "billion laughs" file stand for 9^9
 *   nodes, which GitHub's workflow parser would walk one by one. The document is measured as its
 *   readers see it (each alias counted as the nodes it repeats) in one pass, and refused beyond
 *   the limit; the nesting limit applies to the expanded document too.
 * A refused document is the repository's problem: callers report it as "could not read" with the
 * reason, and the audit goes on.
 */
import {
  Composer,
  isAlias,
  isCollection,
  isDocument,
  isPair,
  isScalar,
  Parser,
  YAMLParseError,
  type CST,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';

export interface YamlLimits {
  /** Largest document, in UTF-8 bytes. */
  maxBytes: number;
  /** Deepest nesting of collections, aliases expanded. */
  maxDepth: number;
  /** Most nodes (scalars, collections, pairs), aliases expanded. */
  maxNodes: number;
}

/**
 * Far above any real workflow, OWNERS file or registry (the largest falcosecurity workflow is
 * 24 KB, about 1,500 nodes, 12 levels deep), far below what takes a second to read.
 */
export const YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxDepth: 100, maxNodes: 100_000 };

export type BoundedDocument =
  | { ok: true; doc: Document.Parsed }
  /** `refused`: why the document was not read, phrased to follow the file's name. */
  | { ok: false; refused: string };

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * `parseDocument` within `limits` (errors are not prettified: `prettyErrors` is ignored). Syntax
 * errors stay in `doc.errors` as with `parseDocument`; only documents beyond the limits are refused.
 */
export function parseBoundedDocument(
  text: string,
  options: YamlOptions = {},
  limits: YamlLimits = YAML_LIMITS,
): BoundedDocument {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    return refuse(`is ${bytes} bytes, larger than the ${limits.maxBytes} bytes this audit reads as YAML`);
  }
  if (bracketRunExceeds(text, 10 * limits.maxDepth)) {
    return refuse(`nests collections more than ${limits.maxDepth} levels deep`);
  }
  const tokens = [...new Parser(options.lineCounter?.addNewLine).parse(text)];
  if (tokenDepthExceeds(tokens, limits.maxDepth)) {
    return refuse(`nests collections more than ${limits.maxDepth} levels deep`);
  }
  let doc: Document.Parsed | null = null;
  for (const composed of new Composer(options).compose(tokens, true, text.length)) {
    if (doc === null) doc = composed;
    else {
      doc.errors.push(
        new YAMLParseError(
          [composed.range[0], composed.range[1]],
          'MULTIPLE_DOCS',
          'Source contains multiple documents',
        ),
      );
      break;
    }
  }
  if (doc === null) return refuse('could not be parsed'); // compose(…, forceDoc = true) always yields one
  const size = expandedSize(doc, limits);
  if (size === 'too-deep') {
    return refuse(`nests collections more than ${limits.maxDepth} levels deep once its aliases are expanded`);
  }
  if (size === 'too-many') {
    return refuse(`expands to more than ${limits.maxNodes} YAML nodes through its aliases (an alias bomb)`);
  }
  return { ok: true, doc };
}

export type BoundedValue =
  { ok: true; value: unknown } | { ok: false; refused: string } | { ok: false; syntaxError: string };

/** Like `yaml.parse` (the document as plain JavaScript), within `limits`; never throws. */
export function parseBoundedYaml(
  text: string,
  options: YamlOptions = {},
  limits: YamlLimits = YAML_LIMITS,
): BoundedValue {
  const parsed = parseBoundedDocument(text, options, limits);
  if (!parsed.ok) return parsed;
  const { doc } = parsed;
  if (doc.errors.length > 0) return { ok: false, syntaxError: doc.errors[0].message };
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: -1 }) };
  } catch (error) {
    return { ok: false, syntaxError: (error as Error).message };
  }
}

function refuse(reason: string): { ok: false; refused: string } {
  return { ok: false, refused: reason };
}

/**
 * A fast first look, before the (much slower) parser: whether unclosed `[` and `{` ever pile up
 * beyond `limit`, counting every bracket in the text (quoted ones too, so only a text far beyond
 * the nesting limit is refused here; the token tree decides the rest exactly).
 */
function bracketRunExceeds(text: string, limit: number): boolean {
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5b || code === 0x7b) {
      if (++open > limit) return true;
    } else if ((code === 0x5d || code === 0x7d) && open > 0) open--;
  }
  return false;
}

/** Whether the parser's token tree nests deeper than `limit`; iterative, so any depth is safe. */
function tokenDepthExceeds(tokens: CST.Token[], limit: number): boolean {
  const stack: { token: CST.Token | undefined; depth: number }[] = tokens.map((token) => ({
    token,
    depth: 0,
  }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token === undefined) continue;
    if (depth > limit) return true;
    switch (token.type) {
      case 'document':
        stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        for (const item of token.items) {
          if ('key' in item) stack.push({ token: item.key ?? undefined, depth: depth + 1 });
          stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      default:
        break;
    }
  }
  return false;
}

interface Measure {
  nodes: number;
  height: number;
}

/**
 * The node count and height of the document as its readers expand it, in one pass in document
 * order: an alias stands for the measure of the latest node anchored with its name before it
 * (YAML's rule), known by then; an alias to a node still open (a cycle) counts as one node.
 */
function expandedSize(doc: Document.Parsed, limits: YamlLimits): 'ok' | 'too-deep' | 'too-many' {
  const anchors = new Map<string, unknown>();
  const measured = new Map<unknown, Measure>();
  let verdict: 'ok' | 'too-deep' | 'too-many' = 'ok';

  const visit = (node: unknown, depth: number): Measure => {
    if (verdict !== 'ok' || node === null || node === undefined) return { nodes: 0, height: 0 };
    if (depth > limits.maxDepth) {
      verdict = 'too-deep';
      return { nodes: 0, height: 0 };
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      const measure = target === undefined ? undefined : measured.get(target);
      if (measure === undefined) return { nodes: 1, height: 1 };
      if (depth + measure.height > limits.maxDepth) verdict = 'too-deep';
      return measure;
    }
    const anchor = (node as { anchor?: unknown }).anchor;
    if (typeof anchor === 'string' && anchor !== '') anchors.set(anchor, node);
    let nodes = 1;
    let height = 0;
    const add = (child: unknown, childDepth: number) => {
      const measure = visit(child, childDepth);
      nodes = Math.min(nodes + measure.nodes, limits.maxNodes + 1);
      height = Math.max(height, measure.height);
    };
    if (isDocument(node)) add(node.contents, depth);
    else if (isCollection(node)) for (const item of node.items) add(item, depth + 1);
    else if (isPair(node)) {
      add(node.key, depth);
      add(node.value, depth);
    } else if (!isScalar(node)) nodes = 1;
    if (nodes > limits.maxNodes && verdict === 'ok') verdict = 'too-many';
    const measure = { nodes, height: height + (isCollection(node) ? 1 : 0) };
    measured.set(node, measure);
    return measure;
  };
  visit(doc, 0);
  return verdict;
}
