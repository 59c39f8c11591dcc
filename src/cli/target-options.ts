// The flags that set scenario keys: `--endpoint`, `--cert`, `--key`, `--ca` point any scenario file at your endpoint
// and device without editing it; `--timeout` and `--repeat` override every scenario. All reach the loader as
// command-line overrides (scenario/command-line-overrides.ts), so they are validated like the file's own values.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandLineOverrides } from '../scenario/command-line-overrides.js';
import { durationProblem } from '../scenario/duration.js';
import { UsageError } from './io.js';

export interface TargetFlags {
  endpoint?: string;
  cert?: string;
  key?: string;
  ca?: string;
  timeout?: string;
  repeat?: string;
}

/** Adds the options to a command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option(
      '--endpoint <host>',
      'endpoint for every scenario that does not set its own (`aws`, `emulator`, or a host)',
    )
    .option('--cert <file>', 'device certificate (PEM) for scenarios that set no auth; needs --key')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--ca <file>', 'CA bundle that signs the server certificate')
    .option('--timeout <duration>', 'override every phase timeout, e.g. 2s (1ms to 10m)')
    .option('--repeat <n>', 'override repeat: probes per scenario (1 to 10000)');
}

/** `--timeout`, checked as the file's `timeout` is (unit and range), so a bad one is a usage error before loading. */
export function timeoutFlag(text: string): string {
  const problem = durationProblem(text, 'timeout');
  if (problem) throw new UsageError(`--timeout ${text}: ${problem.label}`, problem.hint);
  return text;
}

/** The overrides, with file paths made absolute against the working directory, as a shell user expects. */
export function targetOverrides(flags: TargetFlags, cwd: string): CommandLineOverrides {
  if ((flags.cert === undefined) !== (flags.key === undefined)) {
    throw new UsageError(
      `${flags.cert === undefined ? '--key' : '--cert'} needs ${flags.cert === undefined ? '--cert' : '--key'} too`,
      'give the device certificate and its private key together',
    );
  }
  const overrides: CommandLineOverrides = {};
  if (flags.endpoint !== undefined) overrides.endpoint = flags.endpoint;
  if (flags.cert !== undefined) overrides.cert = resolve(cwd, flags.cert);
  if (flags.key !== undefined) overrides.key = resolve(cwd, flags.key);
  if (flags.ca !== undefined) overrides.ca = resolve(cwd, flags.ca);
  if (flags.timeout !== undefined) overrides.timeout = timeoutFlag(flags.timeout);
  if (flags.repeat !== undefined) {
    const n = Number(flags.repeat);
    if (!Number.isInteger(n) || n < 1 || n > 10_000)
      throw new UsageError(`--repeat ${flags.repeat} is not a whole number from 1 to 10000`);
    overrides.repeat = n;
  }
  return overrides;
}
