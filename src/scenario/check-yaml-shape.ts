// Guards the YAML stage against hostile files: nesting the parser cannot survive, aliases that point nowhere,
// and alias bombs. Each becomes a located ScenarioError instead of a crash.
import { isAlias, visit } from 'yaml';
import { spanOf, type YamlSource } from './parse-yaml.js';
import type { ScenarioError } from './scenario-error.js';
import { suggest } from './suggest-key.js';

/** Far beyond any real scenario file, far below where the yaml package's recursive parser overflows the stack. */
export const MAX_NESTING = 64;
/** `*alias` expansions allowed while converting, so a "billion laughs" file cannot eat the machine. */
export const MAX_ALIAS_COUNT = 1000;

/**
 * Lines plus flow separators (`,`) a file may hold. The yaml package spends about 30 µs and several kB per value, and
 * the schema reports each bad list item on its own: a 1 MB list of 500,000 numbers took 25 s and overflowed the
 * stack. A hand-written or generated scenario file holds a few thousand.
 */
export const MAX_YAML_ITEMS = 50_000;

/**
 * The first place where `[`/`{` nesting or block indentation passes MAX_NESTING, or where the file passes
 * MAX_YAML_ITEMS values; scanned before parsing, which is where such files would cost the most.
 */
export function findHostileShape(file: string, text: string): ScenarioError | undefined {
  let depth = 0;
  let quote: string | undefined;
  let line = 1;
  let column = 0;
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    column++;
    // Commas count inside quotes too: an unmatched `'` must not hide a flood of list items.
    if (c === ',' && ++items + line > MAX_YAML_ITEMS) return tooMany(file, line, column);
    if (c === '\n') {
      line++;
      column = 0;
      if (items + line > MAX_YAML_ITEMS) return tooMany(file, line, 1);
      // Block indentation: two columns a level is the usual style; a file indented this deep is not a scenario.
      const indent = /^ */.exec(text.slice(i + 1, i + 1 + MAX_NESTING * 8 + 1))![0].length;
      if (indent > MAX_NESTING * 8) return tooDeep(file, line, indent + 1);
      continue;
    }
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const end = text.indexOf('\n', i);
      column += (end < 0 ? text.length : end) - i - 1;
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING) return tooDeep(file, line, column);
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function tooMany(file: string, line: number, column: number): ScenarioError {
  return {
    code: 'yaml.too-large',
    message: `the file holds more than ${MAX_YAML_ITEMS} values (lines and list items)`,
    span: { file, line, column, endLine: line, endColumn: column + 1 },
    hint: 'a scenario file needs far fewer; use a `matrix` instead of listing each case, or split the file (see docs/limits.md)',
  };
}

function tooDeep(file: string, line: number, column: number): ScenarioError {
  return {
    code: 'yaml.syntax',
    message: `the file is nested more than ${MAX_NESTING} levels deep`,
    span: { file, line, column, endLine: line, endColumn: column + 1 },
    hint: 'a scenario file needs a few levels; this looks like generated or damaged data',
  };
}

/** Every `*alias` whose anchor does not exist, located at the alias, with the closest anchor suggested. */
export function findUnresolvedAliases(source: YamlSource): ScenarioError[] {
  const anchors: string[] = [];
  visit(source.doc, {
    Node(_key, node) {
      if (!isAlias(node) && node.anchor) anchors.push(node.anchor);
    },
  });
  const errors: ScenarioError[] = [];
  visit(source.doc, {
    Alias(_key, node) {
      if (node.resolve(source.doc) !== undefined) return;
      const [start, end] = node.range ?? [0, 1];
      const guess = suggest(node.source, anchors);
      errors.push({
        code: 'yaml.syntax',
        message: `unknown alias \`*${node.source}\``,
        span: spanOf(source, start, end),
        label: guess ? `did you mean \`*${guess}\`?` : 'no anchor of that name',
        hint:
          anchors.length > 0
            ? `anchors in this file: ${anchors.map((a) => `&${a}`).join(', ')}`
            : 'define the anchor first, e.g. `base: &base { port: 8883 }`',
      });
    },
  });
  return errors;
}
