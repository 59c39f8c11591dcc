// `--endpoint`, `--cert`, `--key`, `--ca`: point any scenario file at your endpoint and device without editing it.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CommandLineOverrides } from '../scenario/command-line-overrides.js';
import { UsageError } from './io.js';

export interface TargetFlags {
  endpoint?: string;
  cert?: string;
  key?: string;
  ca?: string;
}

/** Adds the four options to a command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option(
      '--endpoint <host>',
      'endpoint for every scenario that does not set its own (`aws`, `emulator`, or a host)',
    )
    .option('--cert <file>', 'device certificate (PEM) for scenarios that set no auth; needs --key')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--ca <file>', 'CA bundle that signs the server certificate');
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
  return overrides;
}
