#!/usr/bin/env node
// The command line: the only module that reads argv and the environment, prints, and chooses the exit code.
import './cli/quiet-debug-env.js';
import { Command, CommanderError } from 'commander';
import { registerCheck } from './cli/check.js';
import { registerDemo } from './cli/demo.js';
import { registerEmulate } from './cli/emulate.js';
import { exitWhenFlushed } from './cli/exit-when-flushed.js';
import { registerInit } from './cli/init.js';
import { type CliIo, EXIT, UsageError, usageErrorText } from './cli/io.js';
import { hadBug, installLastResort, reportBug } from './cli/last-resort.js';
import { PACKAGE_VERSION } from './cli/package-version.js';
import { registerRun } from './cli/run.js';
import { registerSchema } from './cli/schema.js';
import { registerServe } from './cli/serve.js';
import { registerValidate } from './cli/validate.js';
import { printableLines } from './report/printable-text.js';
import { colorStyle, plainStyle } from './report/style.js';
import { EndpointLookupError } from './run/describe-endpoint.js';

/** Colour only on a terminal, never with NO_COLOR (https://no-color.org), always with FORCE_COLOR. */
function wantsColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

function makeIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    style: {
      stdout: wantsColor(process.stdout, process.env) ? colorStyle : plainStyle,
      stderr: wantsColor(process.stderr, process.env) ? colorStyle : plainStyle,
    },
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

function buildProgram(io: CliIo): Command {
  const program = new Command('mqttprobe')
    .description('Does MQTT get through this network? Timed connect → subscribe → publish → receive probes.')
    .version(PACKAGE_VERSION, '-V, --version')
    .showHelpAfterError('(run mqttprobe --help for usage)')
    // Commander quotes the arguments it refuses; an argument holding escapes must not drive the terminal.
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(printableLines(s)),
    })
    .exitOverride();
  registerRun(program, io);
  registerValidate(program, io);
  registerSchema(program, io);
  registerEmulate(program, io);
  registerDemo(program, io);
  registerCheck(program, io);
  registerInit(program, io);
  registerServe(program, io, PACKAGE_VERSION);
  return program;
}

async function main(argv: string[]): Promise<number> {
  // The AWS SDK warns on stderr about Node 20 on first use; mqttprobe supports Node 20, so the warning is noise.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const io = makeIo();
  installLastResort(io.stderr);
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here with code 0; usage mistakes are bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof UsageError || error instanceof EndpointLookupError) {
      io.stderr.write(usageErrorText(error, io.style.stderr));
      return EXIT.badInput;
    }
    reportBug(error, io.stderr);
    return EXIT.internalError;
  }
}

const code = await main(process.argv);
// A bug reported along the way (say, mid-run, after which the run still reported what finished) wins.
// Once the command is done and its output flushed, nothing else may hold the process (see exit-when-flushed.ts).
await exitWhenFlushed(hadBug() ? EXIT.internalError : code);
