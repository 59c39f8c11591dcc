// Substitutes `${VAR}` and `${VAR:-default}` in a parsed scenario file, in place, reporting unset variables at their node.
import { isMap, isScalar, isSeq, type Node, parse, Scalar } from 'yaml';
import { spanOf, type YamlPath, type YamlSource } from './parse-yaml.js';
import type { ScenarioError } from './scenario-error.js';
import { formatKeyPath } from './scenario-error.js';
import { ENV_REFERENCE } from './schema.js';

// The syntax is the schema's, so that the published JSON Schema accepts every reference this accepts.
const REFERENCE = new RegExp(String.raw`\$\$|${ENV_REFERENCE}`, 'g');
const WHOLE_REFERENCE = new RegExp(`^${ENV_REFERENCE}$`);

export interface InterpolationResult {
  errors: ScenarioError[];
  /** Paths whose value could not be resolved; later checks skip them rather than report a second, confusing error. */
  unresolved: string[];
}

/** Replaces environment references in every string value (not in keys). `$$` stands for a literal `$`. */
export function interpolateEnv(
  source: YamlSource,
  env: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  const result: InterpolationResult = { errors: [], unresolved: [] };
  walk(source.doc.contents, [], (scalar, path) => {
    if (typeof scalar.value !== 'string' || !scalar.value.includes('$')) return;
    const text = scalar.value;
    const missing: string[] = [];
    const replaced = text.replace(
      REFERENCE,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$$') return '$';
        const value = env[name!];
        // Shell semantics: `:-` also replaces an empty value.
        if (fallback !== undefined) return value ? value : fallback;
        if (value !== undefined) return value;
        missing.push(name!);
        return '';
      },
    );
    if (missing.length > 0) {
      const [start, end] = scalar.range ?? [0, 0];
      for (const name of missing) {
        result.errors.push({
          code: 'env.unset',
          message: `environment variable \`${name}\` is not set`,
          span: spanOf(source, start, end),
          path: formatKeyPath(path),
          label: 'used here',
          hint: `set ${name}, or give a default: \${${name}:-value}`,
        });
      }
      result.unresolved.push(formatKeyPath(path));
      return;
    }
    // `port: ${PORT}` should yield the number 8883, as if it had been written in place; quoted values stay strings.
    scalar.value = scalar.type === Scalar.PLAIN && WHOLE_REFERENCE.test(text) ? retype(replaced) : replaced;
  });
  return result;
}

/** A number or boolean as YAML would read it; anything else (including an empty value) stays text. */
function retype(text: string): unknown {
  if (text.trim() === '') return text;
  const value: unknown = parse(text);
  return typeof value === 'number' || typeof value === 'boolean' ? value : text;
}

function walk(node: unknown, path: YamlPath, visit: (scalar: Scalar, path: YamlPath) => void): void {
  if (isScalar(node)) visit(node, path);
  else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      walk(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item: unknown, index: number) => {
      walk(item as Node, [...path, index], visit);
    });
  }
}
