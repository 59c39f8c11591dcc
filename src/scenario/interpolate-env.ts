// Substitutes `${VAR}` and `${VAR:-default}` in a parsed scenario file, in place, reporting unset variables at their node.
import { isMap, isScalar, isSeq, type Node, Scalar } from 'yaml';
import type * as z from 'zod';
import { spanOf, type YamlPath, type YamlSource } from './parse-yaml.js';
import type { ScenarioError } from './scenario-error.js';
import { formatKeyPath } from './scenario-error.js';
import { ENV_REFERENCE, scenarioFields, scenarioFileSchema } from './schema.js';

// The syntax is the schema's, so that the published JSON Schema accepts every reference this accepts.
const REFERENCE = new RegExp(String.raw`\$\$|${ENV_REFERENCE}`, 'g');
const WHOLE_REFERENCE = new RegExp(`^${ENV_REFERENCE}$`);

export interface InterpolationResult {
  errors: ScenarioError[];
  /** Paths whose value could not be resolved; later checks skip them rather than report a second, confusing error. */
  unresolved: string[];
  /** Key path → the variables and values substituted there: errors at these paths must not echo the value. */
  fromEnv: Map<string, { names: string[]; values: string[] }>;
}

/** Replaces environment references in every string value (not in keys). `$$` stands for a literal `$`. */
export function interpolateEnv(
  source: YamlSource,
  env: Readonly<Record<string, string | undefined>>,
): InterpolationResult {
  const result: InterpolationResult = { errors: [], unresolved: [], fromEnv: new Map() };
  walk(source.doc.contents, [], (scalar, path) => {
    if (typeof scalar.value !== 'string' || !scalar.value.includes('$')) return;
    const text = scalar.value;
    const missing: string[] = [];
    const used = { names: [] as string[], values: [] as string[] };
    const replaced = text.replace(
      REFERENCE,
      (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$$') return '$';
        const value = env[name!];
        // Shell semantics: `:-` also replaces an empty value.
        if (value) {
          used.names.push(name!);
          used.values.push(value);
        }
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
    if (used.names.length > 0) result.fromEnv.set(formatKeyPath(path), used);
    // `port: ${PORT}` should yield the number 8883; quoted values stay text.
    scalar.value =
      scalar.type === Scalar.PLAIN && WHOLE_REFERENCE.test(text) ? retype(replaced, path) : replaced;
  });
  return result;
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;

/**
 * The substituted text, as a number or boolean only where the key's schema takes no text but does take that type.
 * Never parsed as YAML: a password such as `@x`, `!x`, `[x` or `4711081512` stays exactly the text it was.
 */
function retype(text: string, path: YamlPath): unknown {
  const schema = keySchemaAt(path);
  if (!schema || schema.safeParse(text).success) return text;
  if (NUMBER.test(text)) return Number(text);
  if (BOOLEAN.test(text)) return text.toLowerCase() === 'true';
  return text;
}

/** The schema of the scenario key a file path names (`defaults.port`, `scenarios[0].matrix["mqtt.version"][1]`). */
function keySchemaAt(path: YamlPath): z.ZodType | undefined {
  if (path.length === 1 && path[0] === 'version') return scenarioFileSchema.shape.version;
  let rest: YamlPath;
  if (path[0] === 'defaults') rest = path.slice(1);
  else if (path[0] === 'scenarios' && typeof path[1] === 'number') rest = path.slice(2);
  else return undefined;
  // A matrix value stands for the key it varies.
  if (rest[0] === 'matrix' && typeof rest[1] === 'string' && typeof rest[2] === 'number' && rest.length === 3)
    rest = rest[1].split('.');
  const [head, sub] = rest;
  const field = scenarioFields[head as keyof typeof scenarioFields] as z.ZodType | undefined;
  if (!field || rest.length > 2) return undefined;
  if (rest.length === 1) return field;
  return typeof sub === 'string' ? (field as { shape?: Record<string, z.ZodType> }).shape?.[sub] : undefined;
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

/**
 * The error with no trace of a value substituted from the environment: `seen` names the variable instead, and a
 * message or label that quotes the value is replaced. A password that fails a check must not reach a CI log.
 */
export function hideEnvValues(error: ScenarioError, fromEnv: InterpolationResult['fromEnv']): ScenarioError {
  if (!error.path || fromEnv.size === 0) return error;
  const hit = [...fromEnv].find(
    ([path]) =>
      error.path === path || error.path!.startsWith(`${path}.`) || error.path!.startsWith(`${path}[`),
  )?.[1];
  if (!hit) return error;
  // Messages quote a value JSON-escaped and cut after 40 or 60 characters: look for its start in that form.
  const probes = hit.values.map((v) => (v.length >= 3 ? JSON.stringify(v).slice(1, 21) : JSON.stringify(v)));
  const quotes = (text: string | undefined) => text !== undefined && probes.some((p) => text.includes(p));
  const from = hit.names.map((n) => `\${${n}}`).join(', ');
  const key = error.path.split(/[.[]/).at(-1)!.replace(/\]$/, '');
  const { seen: _seen, ...rest } = error;
  return {
    ...rest,
    ...(quotes(error.message) ? { message: `invalid value for \`${key}\`` } : {}),
    ...(quotes(error.label) ? { label: 'not a valid value here' } : {}),
    ...(quotes(error.hint) ? { hint: `check the value of ${from}` } : {}),
    seen: `the value of ${from} (not shown)`,
  };
}
