// Reads one scenario file and returns its probe plans, or every problem in it at once: the scenario layer's entry point.
import { dirname, resolve } from 'node:path';
import { findHostileShape, findUnresolvedAliases, MAX_ALIAS_COUNT } from './check-yaml-shape.js';
import type { CommandLineOverrides } from './command-line-overrides.js';
import { countProbes, type ExpandedScenario, expandScenarios, filePathOf } from './expand-matrix.js';
import { hideEnvValues, interpolateEnv } from './interpolate-env.js';
import { locate, parseYaml, type YamlPath } from './parse-yaml.js';
import type { ProbePlan } from './plan.js';
import { DEFAULT_MAX_PROBES, type ProbeBudget } from './probe-budget.js';
import { MAX_SCENARIO_FILE_BYTES, readRegularFile, tooLargeText } from './read-regular-file.js';
import { resolvePlan } from './resolve-plan.js';
import { formatKeyPath, type ScenarioError, type ScenarioWarning } from './scenario-error.js';
import { scenarioFileSchema, scenarioSchema } from './schema.js';
import { issuesToErrors } from './zod-issues.js';

export interface LoadOptions {
  /** Variables for `${VAR}`; the CLI passes process.env. */
  env: Readonly<Record<string, string | undefined>>;
  /** The clock used to judge certificate expiry. */
  now?: Date;
  /** Default true. False skips reading certificate and key files (`validate --no-files`). */
  readFiles?: boolean;
  /** `--endpoint`, `--cert`, `--key`, `--ca` (a defaults layer above the file's own), `--timeout`, `--repeat`. */
  overrides?: CommandLineOverrides;
  /** The run's probe count, shared by all its files; default: a fresh one of DEFAULT_MAX_PROBES for this file. */
  probeBudget?: ProbeBudget;
}

export interface LoadedScenarioFile {
  /** The path as the user gave it. */
  file: string;
  plans: ProbePlan[];
  errors: ScenarioError[];
  warnings: ScenarioWarning[];
  /** The file's text, kept so error renderers can quote the offending line. */
  text?: string;
}

/** Loads, validates and expands one scenario file. Never throws for bad input: problems come back as `errors`. */
export function loadScenarioFile(file: string, options: LoadOptions): LoadedScenarioFile {
  const read = readScenarioText(file);
  if ('error' in read) return { file, plans: [], errors: [read.error], warnings: [] };
  return loadScenarioText(file, read.text, options);
}

/** As loadScenarioFile, for text already in memory; relative paths resolve against `file`'s folder. */
export function loadScenarioText(file: string, text: string, options: LoadOptions): LoadedScenarioFile {
  const out: LoadedScenarioFile = { file, plans: [], errors: [], warnings: [], text };
  const hostile = findHostileShape(file, text);
  if (hostile) return finish(out, [hostile]);
  const { source, errors: yamlErrors } = parseYaml(file, text);
  if (yamlErrors.length > 0) return finish(out, yamlErrors);
  const unresolved = findUnresolvedAliases(source);
  if (unresolved.length > 0) return finish(out, unresolved);

  const env = interpolateEnv(source, options.env);
  const done = (errors: ScenarioError[]) =>
    finish(
      out,
      errors.map((e) => hideEnvValues(e, env.fromEnv)),
    );
  const skip = (path: string) =>
    env.unresolved.some((u) => path === u || path.startsWith(`${u}.`) || path.startsWith(`${u}[`));
  let data: unknown;
  try {
    data = source.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws for alias bombs and for merge keys (`<<`) that point at something other than a map.
    const span = locate(source, []);
    return done([
      {
        code: 'yaml.syntax',
        message: `the YAML cannot be read: ${(error as Error).message}`,
        ...(span ? { span } : {}),
        hint: /alias count/i.test((error as Error).message)
          ? `aliases expand to more than ${MAX_ALIAS_COUNT} nodes; a scenario file needs far fewer`
          : 'check the anchors (&name), aliases (*name) and merge keys (<<) in this file',
      },
    ]);
  }
  if (data === null || data === undefined) {
    return done([
      {
        code: 'file.empty',
        message: `${file} holds no scenarios`,
        hint: 'start with `version: 1` and a `scenarios:` list',
      },
    ]);
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    const span = locate(source, []);
    return done([
      {
        code: 'value.invalid',
        message: 'a scenario file is a map',
        ...(span ? { span } : {}),
        label: 'expected `version: 1`, optional `defaults:`, and a `scenarios:` list',
      },
    ]);
  }

  const fileIssues = scenarioFileSchema.safeParse(data).error?.issues ?? [];
  const structural = issuesToErrors(fileIssues, {
    source,
    schema: scenarioFileSchema,
    data,
    toFilePath: (p) => p,
  }).filter((e) => !e.path || !skip(e.path));
  const raw = data as { defaults?: Record<string, unknown>; scenarios?: unknown };
  // Every mistake at once: a key the schema refuses is reported and left out, and the rest of its scenario is still
  // expanded, named and resolved, so a shape error hides neither a duplicate name nor a steps rule elsewhere.
  // Only a scenario whose name (or whole entry) is broken is dropped, and only a missing list stops here.
  if (!Array.isArray(raw.scenarios)) return done([...env.errors, ...structural]);
  const badKeys = new Map<number, Set<string>>();
  for (const issue of fileIssues) {
    const [top, index, ...within] = issue.path;
    if (top !== 'scenarios' || typeof index !== 'number') continue;
    const keys = badKeys.get(index) ?? new Set<string>();
    for (const key of offendingKeys({ ...issue, path: within })) keys.add(key);
    badKeys.set(index, keys);
  }
  const scenarios = raw.scenarios as unknown[];
  const brokenScenario = new Set(
    [...badKeys]
      .filter(([index, keys]) => keys.has('') || keys.has('name') || !isPlainMap(scenarios[index]))
      .map(([index]) => index),
  );
  const healthy = scenarios.map((s, i) =>
    brokenScenario.has(i) ? {} : withoutKeys(s as Record<string, unknown>, badKeys.get(i)),
  );
  const defaults = isPlainMap(raw.defaults) ? raw.defaults : undefined;
  const tooMany = spendProbeBudget(
    options.probeBudget ?? freshBudget(),
    defaults,
    healthy,
    options.overrides?.repeat,
  );
  if (tooMany) {
    const { filePath, key, ...rest } = tooMany;
    const span = locate(source, filePath, { key });
    return done([
      ...env.errors,
      ...structural,
      { ...rest, ...(span ? { span } : {}), path: formatKeyPath(filePath) },
    ]);
  }
  const { expanded, errors: matrixErrors } = expandScenarios(
    // A `defaults` that is not a map was reported above; spreading it would invent one key per character.
    defaults,
    healthy,
    options.overrides ?? {},
  );
  const errors: ScenarioError[] = [...env.errors, ...structural];
  for (const e of matrixErrors) {
    const { filePath, key, ...rest } = e;
    const span = locate(source, filePath, { key: key ?? false });
    errors.push({ ...rest, ...(span ? { span } : {}), path: formatKeyPath(filePath) });
  }

  const seen = new Map<string, YamlPath>();
  const warned = new Set<string>();
  const pemCache = new Map<string, unknown>();
  const baseDir = dirname(resolve(file));
  for (const scenario of expanded) {
    if (brokenScenario.has(scenario.index)) continue;
    const toFilePath = (p: YamlPath) => filePathOf(scenario.origins, p);
    const issues = scenarioSchema.safeParse(scenario.values).error?.issues ?? [];
    const invalid = issuesToErrors(issues, {
      source,
      schema: scenarioSchema,
      data: scenario.values,
      toFilePath,
      scenario: scenario.id,
    });
    for (const e of invalid) if (!e.path || !skip(e.path)) errors.push(e);
    // The keys just reported are left out; what remains is checked on, if it is valid without them.
    const rest = issues.length > 0 ? withoutInvalidKeys(scenario, issues) : scenario;
    if (!rest) continue;

    const namePath = toFilePath(['name']);
    const first = seen.get(scenario.id);
    if (first) {
      const span = locate(source, namePath);
      const firstSpan = locate(source, first);
      errors.push({
        code: 'name.duplicate',
        message: `duplicate scenario name \`${scenario.id}\``,
        ...(span ? { span } : {}),
        path: formatKeyPath(namePath),
        label: firstSpan ? `first used on line ${firstSpan.line}` : 'already used',
        hint: 'names must be unique after matrix expansion; rename one, or vary a key the name shows',
      });
    } else seen.set(scenario.id, namePath);

    const outcome = resolvePlan(rest, {
      baseDir,
      file,
      pemCache,
      now: options.now ?? new Date(),
      readFiles: options.readFiles ?? true,
      env: options.env,
      spanOf: (p) => locate(source, p.length === 0 ? ['scenarios', scenario.index] : toFilePath(p)),
    });
    if (outcome.ok) {
      out.plans.push(outcome.plan);
      for (const w of outcome.warnings) {
        // A matrix repeats a scenario's warnings in each expansion; the line they point at says it once.
        const key = `${w.code}:${w.message}:${w.span?.line}:${w.span?.column}`;
        if (!warned.has(key)) out.warnings.push(w);
        warned.add(key);
      }
      continue;
    }
    for (const p of outcome.problems) {
      const filePath = toFilePath(p.valuePath);
      const span = locate(source, filePath, { key: p.key ?? false });
      errors.push({
        code: p.code,
        message: p.message,
        ...(span ? { span } : {}),
        path: formatKeyPath(filePath),
        ...(p.label ? { label: p.label } : {}),
        ...(p.hint ? { hint: p.hint } : {}),
        scenario: scenario.id,
      });
    }
  }
  return done(errors);
}

function freshBudget(): ProbeBudget {
  return { maxProbes: DEFAULT_MAX_PROBES, counted: 0 };
}

/**
 * Adds this file's probes to the run's count, before anything is expanded; past the limit, the error points at the
 * scenario that crossed it (its matrix, else its repeat).
 */
function spendProbeBudget(
  budget: ProbeBudget,
  defaults: Record<string, unknown> | undefined,
  scenarios: ReadonlyArray<Record<string, unknown>>,
  repeatFlag: number | undefined,
): (Omit<ScenarioError, 'span'> & { filePath: YamlPath; key: boolean }) | undefined {
  const counts = countProbes(defaults, scenarios, repeatFlag);
  // A file without scenarios (an empty list, reported as such) adds nothing and has no scenario to point at.
  if (counts.length === 0) return undefined;
  const before = budget.counted;
  budget.counted += counts.reduce((sum, n) => sum + n, 0);
  if (budget.counted <= budget.maxProbes) return undefined;
  // The scenario that crosses the limit is the one to point at.
  let index = 0;
  for (let sum = before + counts[0]!; sum <= budget.maxProbes; sum += counts[index]!) index++;
  const scenario = scenarios[index]!;
  const where =
    scenario.matrix !== undefined ? 'matrix' : scenario.repeat !== undefined ? 'repeat' : undefined;
  const others = before > 0 ? ` (${before} of them in the files before)` : '';
  return {
    code: 'probes.too-many',
    message: `the run would hold ${budget.counted} probes${others}, more than the limit of ${budget.maxProbes}`,
    filePath: where ? ['scenarios', index, where] : ['scenarios', index],
    key: where !== undefined,
    label: `${counts[index]} probes here${repeatFlag !== undefined ? ` (--repeat ${repeatFlag})` : ''}`,
    hint: `lower \`repeat\` or the matrix, or raise the limit: --max-probes ${budget.counted} (see docs/limits.md)`,
  };
}

/** Sorts by position and folds the copies a `defaults` mistake makes in every expanded scenario. */
function finish(out: LoadedScenarioFile, errors: ScenarioError[]): LoadedScenarioFile {
  const unique = new Map<string, ScenarioError>();
  for (const e of errors) {
    const key = `${e.span?.line}:${e.span?.column}:${e.code}:${e.message}:${e.label}`;
    if (!unique.has(key)) unique.set(key, e);
  }
  out.errors = [...unique.values()].sort(
    (a, b) => (a.span?.line ?? 0) - (b.span?.line ?? 0) || (a.span?.column ?? 0) - (b.span?.column ?? 0),
  );
  if (out.errors.length > 0) out.plans = [];
  return out;
}

/** Reads the file as UTF-8 text, with a clear error for a folder, a special or huge file, or binary data. */
function readScenarioText(file: string): { text: string } | { error: ScenarioError } {
  const read = readRegularFile(file, MAX_SCENARIO_FILE_BYTES);
  if ('failure' in read) {
    const f = read.failure;
    switch (f.kind) {
      case 'not-found':
        return {
          error: { code: 'file.not-found', message: `${file}: no such file`, hint: 'check the path' },
        };
      case 'directory':
        return {
          error: {
            code: 'file.directory',
            message: `${file} is a folder, not a scenario file`,
            hint: `to check every file in it: mqttprobe validate ${file.replace(/\/$/, '')}/*.yaml`,
          },
        };
      case 'not-regular':
        return {
          error: {
            code: 'file.not-regular',
            message: `${file} is ${f.what}, not a regular file`,
            hint: 'mqttprobe reads scenarios only from regular files; save the scenario to a file first',
          },
        };
      case 'too-large':
        return {
          error: {
            code: 'file.too-large',
            message: `${file} ${tooLargeText(f, 'a scenario file')}`,
            hint: 'this is not a scenario file; if it is, split it into several files (see docs/limits.md)',
          },
        };
      case 'unreadable':
        return {
          error: {
            code: 'file.unreadable',
            message: `cannot read ${file} (${f.code})`,
            hint: 'check the file’s permissions',
          },
        };
    }
  }
  const bytes = read.bytes;
  if (bytes.includes(0))
    return {
      error: {
        code: 'file.binary',
        message: `${file} is a binary file, not YAML`,
        hint: 'give the path of a .yaml scenario file',
      },
    };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // The decoder's only failure is invalid UTF-8, which the message names.
    return {
      error: {
        code: 'file.binary',
        message: `${file} is not UTF-8 text`,
        hint: 'save the scenario file as UTF-8',
      },
    };
  }
  if (text.trim() === '')
    return {
      error: {
        code: 'file.empty',
        message: `${file} is empty`,
        hint: 'start with `version: 1` and a `scenarios:` list; `mqttprobe init` writes a starter file',
      },
    };
  return { text };
}

/**
 * The top-level keys of a scenario a schema issue is about (its path relative to the scenario): the key it sits
 * under, the unknown keys themselves, or '' when it is about the scenario as a whole.
 */
function offendingKeys(issue: {
  path: ReadonlyArray<PropertyKey>;
  code?: string;
  keys?: readonly string[];
}): string[] {
  const [key] = issue.path;
  if (typeof key === 'string') return [key];
  if (issue.code === 'unrecognized_keys' && issue.keys) return [...issue.keys];
  return [''];
}

/** A scenario without the keys the schema refused, or undefined when it is not valid without them either. */
function withoutInvalidKeys(
  scenario: ExpandedScenario,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code?: string; keys?: readonly string[] }>,
): ExpandedScenario | undefined {
  const keys = new Set(issues.flatMap(offendingKeys));
  if (keys.has('') || keys.has('name')) return undefined;
  const values = withoutKeys(scenario.values, keys);
  return scenarioSchema.safeParse(values).success ? { ...scenario, values } : undefined;
}

/** A shallow copy of `map` without `keys`. */
function withoutKeys<T extends Record<string, unknown>>(map: T, keys: ReadonlySet<string> | undefined): T {
  if (!keys || keys.size === 0) return map;
  return Object.fromEntries(Object.entries(map).filter(([key]) => !keys.has(key))) as T;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
