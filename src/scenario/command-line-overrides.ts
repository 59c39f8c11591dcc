// Values given on the command line, as layers of the merge (expand-matrix.ts), so that every value of a plan is
// validated once and remembers where it came from. `--endpoint`, `--cert`, `--key`, `--ca` act as an extra
// `defaults:` layer above the file's own, so a shipped scenario file runs against your endpoint without editing it;
// `--timeout` and `--repeat` override every scenario, matrix values included.
import type { YamlPath } from './parse-yaml.js';

/** First segment of an origin path that came from the command line rather than the file. */
export const COMMAND_LINE = '$command-line';

export interface CommandLineOverrides {
  endpoint?: string;
  /** Absolute paths: the command line resolves them against the working directory. */
  cert?: string;
  key?: string;
  ca?: string;
  /** A duration (`2s`) for every phase of every scenario. */
  timeout?: string;
  /** Probes per scenario, for every scenario. */
  repeat?: number;
}

const FLAGS: Record<string, string> = {
  endpoint: '--endpoint',
  ca: '--ca',
  auth: '--cert/--key',
  'auth.cert': '--cert',
  'auth.key': '--key',
  'auth.type': '--cert/--key',
  timeout: '--timeout',
  repeat: '--repeat',
};

/** The defaults layer the overrides stand for; `--cert` and `--key` together make x509 auth. */
export function overridesAsDefaults(o: CommandLineOverrides): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  if (o.endpoint !== undefined) layer.endpoint = o.endpoint;
  if (o.ca !== undefined) layer.ca = o.ca;
  if (o.cert !== undefined || o.key !== undefined) layer.auth = { type: 'x509', cert: o.cert, key: o.key };
  return layer;
}

/** The layer the overrides that win over the file stand for, merged after the scenario and its matrix. */
export function overridesAsFinal(o: CommandLineOverrides): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  if (o.timeout !== undefined) layer.timeout = o.timeout;
  if (o.repeat !== undefined) layer.repeat = o.repeat;
  return layer;
}

/** The flag an origin path names, e.g. `--cert` for [COMMAND_LINE, 'auth', 'cert']. */
export function flagFor(path: YamlPath): string {
  const rest = path.slice(1).join('.');
  return FLAGS[rest] ?? FLAGS[rest.split('.')[0]!] ?? 'the command line';
}
