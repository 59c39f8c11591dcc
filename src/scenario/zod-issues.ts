// Turns the schema library's validation issues into ScenarioErrors with a location, a plain title and a fix.
import type * as z from 'zod';
import { locate, type YamlPath, type YamlSource } from './parse-yaml.js';
import { formatKeyPath, type ScenarioError } from './scenario-error.js';
import { suggest } from './suggest-key.js';

interface Def {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  discriminator?: string;
  in?: unknown;
}
const defOf = (schema: unknown): Def | undefined => (schema as { def?: Def } | undefined)?.def;

function unwrap(schema: unknown, data: unknown): unknown {
  for (let i = 0; i < 10; i++) {
    const def = defOf(schema);
    if (!def) return schema;
    if (def.innerType && ['optional', 'nullable', 'default', 'readonly'].includes(def.type))
      schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'union' && def.options) {
      // Pick the object variant that matches the data (by discriminator when there is one).
      const objects = def.options.filter((o) => defOf(unwrap(o, data))?.type === 'object');
      const tag = def.discriminator && isRecord(data) ? data[def.discriminator] : undefined;
      const chosen =
        objects.find((o) => {
          const shape = defOf(unwrap(o, data))?.shape;
          const literal = def.discriminator ? defOf(shape?.[def.discriminator]) : undefined;
          return literal && (literal as { values?: unknown[] }).values?.includes(tag);
        }) ?? (def.discriminator ? undefined : objects[0]);
      if (!chosen) return undefined;
      schema = chosen;
    } else return schema;
  }
  return schema;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys the schema allows at `path` in `data`, for "did you mean" suggestions. */
export function knownKeysAt(schema: unknown, data: unknown, path: YamlPath): string[] {
  let s = schema;
  let d = data;
  for (const segment of path) {
    s = unwrap(s, d);
    const def = defOf(s);
    if (!def) return [];
    if (def.type === 'object') s = def.shape?.[String(segment)];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
    d = isRecord(d) || Array.isArray(d) ? (d as Record<string | number, unknown>)[segment] : undefined;
  }
  const def = defOf(unwrap(s, d));
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

export interface IssueContext {
  source: YamlSource;
  schema: unknown;
  data: unknown;
  /** Maps a path inside the validated value to the path in the YAML file it came from. */
  toFilePath: (path: YamlPath) => YamlPath;
  /** Set when validating one expanded scenario, so the message can say which. */
  scenario?: string;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a text value',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map of keys',
  record: 'a map of keys',
};

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}

/** Long values are cut in messages: a 200 kB mistake needs a 60-character quote, not a 200 kB one. */
function abbreviate(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
}

function valueAt(data: unknown, path: YamlPath): unknown {
  let d = data;
  for (const segment of path)
    d = isRecord(d) || Array.isArray(d) ? (d as Record<string | number, unknown>)[segment] : undefined;
  return d;
}

/** One ScenarioError per problem; an unknown-keys issue yields one error per key. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): ScenarioError[] {
  const errors: ScenarioError[] = [];
  const where = (path: YamlPath, key = false) => {
    const filePath = ctx.toFilePath(path);
    const span = locate(ctx.source, filePath, { key });
    return {
      ...(span ? { span } : {}),
      path: formatKeyPath(filePath),
      ...(ctx.scenario ? { scenario: ctx.scenario } : {}),
    };
  };
  for (const issue of issues) {
    const path = issue.path as YamlPath;
    // A list item is named with its list: `steps[0]`, not `0`.
    const keyName =
      path.length === 0
        ? 'the file'
        : typeof path.at(-1) === 'number'
          ? formatKeyPath(path.slice(-2))
          : String(path.at(-1));
    const value = valueAt(ctx.data, path);
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeysAt(ctx.schema, ctx.data, path);
      for (const key of issue.keys) {
        const guess = suggest(key, known);
        errors.push({
          code: 'key.unknown',
          message: `unknown key \`${key}\``,
          ...where([...path, key], true),
          ...(guess ? { label: `did you mean \`${guess}\`?` } : { label: 'not a known key' }),
          ...(known.length > 0 ? { hint: `keys allowed here: ${known.join(', ')}` } : {}),
        });
      }
    } else if (value === undefined && path.length > 0 && issue.code !== 'invalid_union') {
      // Optional keys never produce an issue when absent, so an issue on an absent value means it is required.
      errors.push({
        code: 'key.missing',
        message: `missing required key \`${keyName}\``,
        ...where(path.slice(0, -1)),
        label: `add \`${keyName}:\``,
      });
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const options = (issue as { options?: unknown[] }).options?.map(String) ?? [];
      const guess = typeof value === 'string' ? suggest(value, options) : undefined;
      errors.push({
        code: value === undefined ? 'key.missing' : 'value.invalid',
        message:
          value === undefined
            ? `missing required key \`${keyName}\``
            : `unknown \`${formatKeyPath(path.slice(-2))}\` ${abbreviate(JSON.stringify(value) ?? String(value))}`,
        ...where(value === undefined ? path.slice(0, -1) : path),
        label: guess ? `did you mean \`${guess}\`?` : `expected one of: ${options.join(', ')}`,
        hint: `\`${formatKeyPath(path)}\` is one of: ${options.join(', ')}`,
      });
    } else {
      const expected = issue.message.startsWith('Invalid input: expected ')
        ? `expected ${TYPE_NAMES[(issue as { expected?: string }).expected ?? ''] ?? (issue as { expected?: string }).expected}`
        : issue.message;
      const values = issue.code === 'invalid_value' ? issue.values.map(String) : [];
      // A refinement may carry its fix (a duration out of range says what to write instead).
      const ownHint =
        issue.code === 'custom' ? (issue.params as { hint?: unknown } | undefined)?.hint : undefined;
      const guess = typeof value === 'string' && values.length > 0 ? suggest(value, values) : undefined;
      errors.push({
        code: 'value.invalid',
        message: `invalid value for \`${keyName}\``,
        ...where(path),
        label: guess ? `${expected}; did you mean \`${guess}\`?` : expected,
        seen: describeValue(value),
        ...(typeof ownHint === 'string'
          ? { hint: ownHint }
          : values.length > 0 && !guess
            ? { hint: `allowed: ${values.join(', ')}` }
            : {}),
      });
    }
  }
  return errors;
}
