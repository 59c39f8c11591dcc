// Parses a scenario file's YAML while keeping every node's position, so any later error can point at its source.
import { type Document, isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { COMMAND_LINE } from './command-line-overrides.js';
import type { SourceSpan } from './plan.js';
import type { ScenarioError } from './scenario-error.js';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlSource {
  file: string;
  text: string;
  doc: Document;
  lineCounter: LineCounter;
}

/** Parses YAML text; syntax errors and duplicate keys come back as ScenarioErrors, all of them. */
export function parseYaml(file: string, text: string): { source: YamlSource; errors: ScenarioError[] } {
  const lineCounter = new LineCounter();
  // `merge` lets users share blocks with `<<: *anchor`, a common YAML habit in CI files.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, merge: true });
  const source: YamlSource = { file, text, doc, lineCounter };
  const errors: ScenarioError[] = [];
  const linesSeen = new Set<number>();
  for (const e of doc.errors) {
    const span = spanOf(source, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1));
    // One syntax error makes the parser stumble over the rest of its line; the first one is the one to fix.
    if (e.code !== 'DUPLICATE_KEY' && linesSeen.has(span.line)) continue;
    linesSeen.add(span.line);
    const line = text.split(/\r?\n/)[span.line - 1] ?? '';
    const flowWithVariable = /[{[][^}\]]*\$\{/.test(line);
    errors.push({
      code: e.code === 'DUPLICATE_KEY' ? 'yaml.duplicate-key' : 'yaml.syntax',
      message: e.code === 'DUPLICATE_KEY' ? 'duplicate key' : `YAML syntax error: ${firstLine(e.message)}`,
      span,
      ...(e.code === 'DUPLICATE_KEY'
        ? { hint: 'each key may appear once per map; remove or rename one of them' }
        : flowWithVariable
          ? { hint: 'inside { } or [ ], `{` and `}` end the value: quote it, as in cert: "${DEVICE_CERT}"' }
          : {}),
    });
  }
  return { source, errors };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Turns a character range into a 1-based line/column span. */
export function spanOf(source: YamlSource, start: number, end: number): SourceSpan {
  const a = source.lineCounter.linePos(start);
  const b = source.lineCounter.linePos(Math.max(end, start));
  return { file: source.file, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

function nodeSpan(source: YamlSource, node: Node): SourceSpan | undefined {
  return node.range ? spanOf(source, node.range[0], node.range[1]) : undefined;
}

/**
 * Finds the span of the value at `path`, or of its key when `key` is set. A path that does not exist all the way
 * resolves to the deepest node that does, so "missing key" errors point at the map that lacks it.
 */
export function locate(
  source: YamlSource,
  path: YamlPath,
  options: { key?: boolean } = {},
): SourceSpan | undefined {
  // Values from the command line have no place in the file.
  if (path[0] === COMMAND_LINE) return undefined;
  let node: unknown = source.doc.contents;
  let best = node ? nodeSpan(source, node as Node) : undefined;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(source.doc);
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return best;
      if (last && options.key && isScalar(pair.key)) return nodeSpan(source, pair.key) ?? best;
      node = pair.value;
      // An empty value (`key:`) has no node of its own; the key is the best place to point.
      const span = node
        ? nodeSpan(source, node as Node)
        : isScalar(pair.key)
          ? nodeSpan(source, pair.key)
          : undefined;
      best = span ?? best;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!node) return best;
      best = nodeSpan(source, node as Node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}
