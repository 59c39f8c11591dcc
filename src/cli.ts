#!/usr/bin/env node
// The command line: the only module that reads argv and the environment, prints, and chooses the exit code.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Exit codes CI can rely on. */
export const EXIT = { ok: 0, expectationMissed: 1, badInput: 2, interrupted: 130 } as const;

function buildProgram(): Command {
  const program = new Command('mqttprobe')
    .description('Does MQTT get through this network? Timed connect → subscribe → publish → receive probes.')
    .version(pkg.version, '-V, --version')
    .showHelpAfterError('(run mqttprobe --help for usage)')
    .exitOverride();
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here with code 0; usage mistakes are bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv);
