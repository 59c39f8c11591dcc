// Merges `defaults` into each scenario and expands its matrix into one entry per combination, remembering where
// every value came from so that errors in an expanded scenario still point at the right line.
import {
  COMMAND_LINE,
  type CommandLineOverrides,
  overridesAsDefaults,
  overridesAsFinal,
} from './command-line-overrides.js';
import { durationProblem } from './duration.js';
import type { YamlPath } from './parse-yaml.js';
import { TIMED_PHASES } from './phases.js';
import type { ScenarioError } from './scenario-error.js';
import { AUTH_TYPES, defaultsSchema } from './schema.js';
import { suggest } from './suggest-key.js';
import { knownKeysAt } from './zod-issues.js';

/** Nested maps that merge key by key; any other value (including `auth`, whose keys depend on its type) replaces. */
const MERGED_MAPS = new Set(['tls', 'mqtt', 'timeout', 'thresholds', 'aws']);
/** Combinations one scenario's matrix may expand to. */
export const MAX_COMBINATIONS = 10_000;

/**
 * Keys whose one value stands for each of their sub-keys (`timeout: 1s` is every phase's timeout), with the test a
 * value must pass to be spread; one that fails is reported where it was written, and a map over it replaces it.
 */
const SPREAD_KEYS: Record<string, { subKeys: readonly string[]; spreads: (value: unknown) => boolean }> = {
  timeout: {
    subKeys: TIMED_PHASES,
    spreads: (value) => typeof value === 'string' && durationProblem(value, 'timeout') === undefined,
  },
};

/** Keys a matrix may vary: every scenario key, and the nested ones in dotted form (`mqtt.version`). */
export const MATRIX_KEYS: readonly string[] = (() => {
  const keys: string[] = [];
  for (const key of knownKeysAt(defaultsSchema, {}, [])) {
    keys.push(key);
    const nested =
      key === 'auth'
        ? [
            ...new Set(
              AUTH_TYPES.flatMap((type) => knownKeysAt(defaultsSchema, { auth: { type } }, ['auth'])),
            ),
          ]
        : knownKeysAt(defaultsSchema, {}, [key]);
    for (const sub of nested) keys.push(`${key}.${sub}`);
  }
  return keys;
})();

export interface ExpandedScenario {
  /** `name [key=value, …]`, or just the name without a matrix. */
  id: string;
  name: string;
  /** Index in the file's `scenarios` list. */
  index: number;
  matrixValues: Array<[key: string, value: unknown]>;
  /** The merged values, as the scenario schema expects them (no `matrix`). */
  values: Record<string, unknown>;
  /** Dotted value path → YAML path it came from; look up with `filePathOf`. */
  origins: Map<string, YamlPath>;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns `timeout: 1s` into `{ dns: 1s, tcp: 1s, … }`, each sub-key remembering the line it came from, so that a map
 * merged over it (a scenario's `timeout: { suback: 2s }`, a matrix's `timeout.tcp`) changes only what it names.
 */
function spreadScalar(target: Record<string, unknown>, origins: Map<string, YamlPath>, key: string): void {
  const spread = SPREAD_KEYS[key];
  const value = target[key];
  if (!spread || isMap(value) || !spread.spreads(value)) return;
  target[key] = Object.fromEntries(spread.subKeys.map((sub) => [sub, value]));
  const origin = origins.get(key);
  if (origin) for (const sub of spread.subKeys) origins.set(`${key}.${sub}`, origin);
}

/** Forgets where the parts of a value came from, once the whole value is replaced. */
function forgetParts(origins: Map<string, YamlPath>, dotted: string): void {
  for (const k of [...origins.keys()]) if (k.startsWith(`${dotted}.`)) origins.delete(k);
}

function assign(
  target: Record<string, unknown>,
  origins: Map<string, YamlPath>,
  source: Record<string, unknown>,
  sourcePath: YamlPath,
  prefix = '',
): void {
  for (const [key, value] of Object.entries(source)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (!prefix && MERGED_MAPS.has(key) && isMap(value)) spreadScalar(target, origins, key);
    if (!prefix && MERGED_MAPS.has(key) && isMap(value) && isMap(target[key])) {
      target[key] = { ...target[key] };
      assign(target[key] as Record<string, unknown>, origins, value, [...sourcePath, key], dotted);
      continue;
    }
    target[key] = structuredClone(value);
    forgetParts(origins, dotted);
    origins.set(dotted, [...sourcePath, key]);
  }
}

/** Sets a dotted key such as `mqtt.version`, creating the parent map when the scenario has none. */
function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const [head, sub] = dotted.split('.', 2) as [string, string | undefined];
  if (sub === undefined) {
    target[head] = structuredClone(value);
    return;
  }
  target[head] = { ...(isMap(target[head]) ? target[head] : {}), [sub]: structuredClone(value) };
}

/** The YAML path a value path came from: the longest recorded prefix, plus the rest of the path. */
export function filePathOf(origins: Map<string, YamlPath>, path: YamlPath): YamlPath {
  for (let n = path.length; n > 0; n--) {
    const origin = origins.get(path.slice(0, n).join('.'));
    if (origin) return [...origin, ...path.slice(n)];
  }
  return path;
}

function formatMatrixValue(value: unknown): string {
  if (value === false) return 'none';
  if (Array.isArray(value)) return value.map(formatMatrixValue).join('+');
  if (isMap(value))
    return isMap(value) && typeof value.type === 'string' ? value.type : JSON.stringify(value);
  return String(value);
}

/**
 * Counts the probes each scenario would run (combinations × repeat) from the matrix lengths alone, without expanding
 * anything, so that an amplified file (an anchor of 10,000 combinations used a hundred times) costs nothing to refuse.
 */
export function countProbes(
  defaults: Record<string, unknown> | undefined,
  scenarios: ReadonlyArray<Record<string, unknown>>,
  repeatOverride?: number,
): number[] {
  const repeatOf = (value: unknown) =>
    repeatOverride ?? (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1);
  return scenarios.map((scenario) => {
    const matrix = isMap(scenario.matrix) ? scenario.matrix : {};
    let probes = 1;
    let repeatAxis = false;
    for (const [key, values] of Object.entries(matrix)) {
      if (!Array.isArray(values) || !MATRIX_KEYS.includes(key)) continue;
      if (key === 'repeat') {
        repeatAxis = true;
        probes *= values.reduce((sum: number, v) => sum + repeatOf(v), 0);
      } else probes *= values.length;
    }
    return repeatAxis ? probes : probes * repeatOf(scenario.repeat ?? defaults?.repeat);
  });
}

/** Expands every scenario; matrix key errors and oversize matrices come back as errors. */
export function expandScenarios(
  defaults: Record<string, unknown> | undefined,
  scenarios: ReadonlyArray<Record<string, unknown>>,
  commandLine: CommandLineOverrides = {},
): {
  expanded: ExpandedScenario[];
  errors: Array<Omit<ScenarioError, 'span'> & { filePath: YamlPath; key?: boolean }>;
} {
  const expanded: ExpandedScenario[] = [];
  const errors: Array<Omit<ScenarioError, 'span'> & { filePath: YamlPath; key?: boolean }> = [];
  const underScenarios = overridesAsDefaults(commandLine);
  const overAll = overridesAsFinal(commandLine);
  scenarios.forEach((scenario, index) => {
    const base: Record<string, unknown> = {};
    const baseOrigins = new Map<string, YamlPath>();
    if (defaults) assign(base, baseOrigins, defaults, ['defaults']);
    assign(base, baseOrigins, underScenarios, [COMMAND_LINE]);
    const { matrix, ...own } = scenario;
    assign(base, baseOrigins, own, ['scenarios', index]);
    const name = typeof base.name === 'string' ? base.name : `scenarios[${index}]`;

    const axes: Array<[string, unknown[]]> = [];
    if (isMap(matrix)) {
      for (const [key, values] of Object.entries(matrix)) {
        if (!MATRIX_KEYS.includes(key)) {
          const guess = suggest(key, MATRIX_KEYS);
          errors.push({
            code: 'matrix.unknown-key',
            message: `unknown matrix key \`${key}\``,
            filePath: ['scenarios', index, 'matrix', key],
            key: true,
            label: guess ? `did you mean \`${guess}\`?` : 'not a scenario key',
            hint: 'a matrix varies scenario keys, such as port, alpn, qos, transport or mqtt.version',
          });
          continue;
        }
        if (Array.isArray(values)) axes.push([key, values]);
      }
    }
    const combinations = axes.reduce((n, [, values]) => n * values.length, 1);
    if (combinations > MAX_COMBINATIONS) {
      errors.push({
        code: 'value.invalid',
        message: `the matrix expands to ${combinations} scenarios`,
        filePath: ['scenarios', index, 'matrix'],
        label: `at most ${MAX_COMBINATIONS}`,
        hint: 'split it into several scenarios, or use `repeat` for statistics',
      });
      return;
    }
    // Cross product in matrix key order, so ids and run order are stable across runs.
    let combos: Array<Array<[string, unknown, number]>> = [[]];
    for (const [key, values] of axes) {
      combos = combos.flatMap((combo) =>
        values.map((value, j) => [...combo, [key, value, j] as [string, unknown, number]]),
      );
    }
    for (const combo of combos) {
      const values = structuredClone(base);
      const origins = new Map(baseOrigins);
      for (const [key, value, j] of combo) {
        const head = key.split('.', 1)[0]!;
        if (head !== key) spreadScalar(values, origins, head);
        setDotted(values, key, value);
        forgetParts(origins, key);
        origins.set(key, ['scenarios', index, 'matrix', key, j]);
      }
      // `--timeout` and `--repeat` win over the file, matrix included, as their help says.
      assign(values, origins, overAll, [COMMAND_LINE]);
      const suffix = combo.map(([key, value]) => `${key}=${formatMatrixValue(value)}`).join(', ');
      expanded.push({
        id: suffix ? `${name} [${suffix}]` : name,
        name,
        index,
        matrixValues: combo.map(([key, value]) => [key, value]),
        values,
        origins,
      });
    }
  });
  return { expanded, errors };
}
