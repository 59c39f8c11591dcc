// A problem in a scenario file, as data: what is wrong, where, and how to fix it. Its text layout lives in report/.
import { COMMAND_LINE, flagFor } from './command-line-overrides.js';
import type { SourceSpan } from './plan.js';

export const SCENARIO_ERROR_CODES = [
  'file.not-found',
  'file.directory',
  'file.unreadable',
  'file.not-regular',
  'file.too-large',
  'file.empty',
  'file.binary',
  'yaml.syntax',
  'yaml.duplicate-key',
  'yaml.too-large',
  'env.unset',
  'key.unknown',
  'key.missing',
  'value.invalid',
  'matrix.unknown-key',
  'name.duplicate',
  'combination.invalid',
  'probes.too-many',
  'pem.not-found',
  'pem.unreadable',
  'pem.not-regular',
  'pem.too-large',
  'pem.invalid',
  'pem.key-mismatch',
  'pem.passphrase',
  'pem.expired',
] as const;
export type ScenarioErrorCode = (typeof SCENARIO_ERROR_CODES)[number];

export interface ScenarioError {
  code: ScenarioErrorCode;
  /** The title, in the user's words: `unknown key \`alpn_protocol\``. */
  message: string;
  /** Where in the file; absent only for problems with the file as a whole. */
  span?: SourceSpan;
  /** The key path in the file, such as `scenarios[2].alpn`. */
  path?: string;
  /** A short note shown under the caret, such as `did you mean \`alpn\`?`. */
  label?: string;
  /** What to do about it. */
  hint?: string;
  /** What was actually found, in words: `the number 3`. */
  seen?: string;
  /** For problems found after matrix expansion: the scenario id they belong to. */
  scenario?: string;
}

/** A non-fatal finding, such as a private key readable by others. */
export interface ScenarioWarning {
  code:
    | 'pem.key-permissions'
    | 'tls.insecure'
    | 'aws.client-id-too-long'
    | 'aws.topic-too-long'
    | 'aws.topic-too-deep'
    | 'aws.payload-too-large';
  message: string;
  span?: SourceSpan;
}

/** Formats a YAML path the way users write it: `scenarios[2].auth.cert`. */
export function formatKeyPath(path: ReadonlyArray<string | number>): string {
  if (path[0] === COMMAND_LINE) return flagFor(path);
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}
