// What plan resolution works with: the file's folder, a cache for certificate files, and the problems it reports.
import type { YamlPath } from './parse-yaml.js';
import type { SourceSpan } from './plan.js';
import type { ScenarioErrorCode } from './scenario-error.js';

/** A problem found while resolving, located by the value path inside the scenario. */
export interface ResolveProblem {
  code: ScenarioErrorCode;
  message: string;
  valuePath: YamlPath;
  key?: boolean;
  label?: string;
  hint?: string;
}

export interface ResolveContext {
  /** Folder of the scenario file; relative paths start here. */
  baseDir: string;
  file: string;
  /** Reads each file once per load, however many expanded scenarios name it. */
  pemCache: Map<string, unknown>;
  spanOf: (valuePath: YamlPath) => SourceSpan | undefined;
  now: Date;
  /** False for `validate --no-files`: check the scenario's shape without the certificate files being present. */
  readFiles: boolean;
  /** For HTTPS_PROXY, ALL_PROXY and NO_PROXY. */
  env: Readonly<Record<string, string | undefined>>;
}
