// What a command may touch of the outside world, gathered once in cli.ts and passed down, so commands stay testable.
import { printable } from '../report/printable-text.js';
import type { Style } from '../report/style.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  /** Colours for stdout and stderr, already decided from TTY, NO_COLOR and FORCE_COLOR. */
  style: { stdout: Style; stderr: Style };
  /** Sets the process exit code; commands never call process.exit. */
  setExitCode(code: number): void;
}

/**
 * Exit codes CI can rely on. 70 is sysexits' EX_SOFTWARE: mqttprobe itself failed (a bug), not the network or the
 * input. 130 and 143 are the shell's codes for SIGINT and SIGTERM (128 + signal number).
 */
export const EXIT = {
  ok: 0,
  expectationMissed: 1,
  badInput: 2,
  internalError: 70,
  interrupted: 130,
  terminated: 143,
} as const;

/** An error the user caused and can fix: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How a UsageError (or a failed setup) is printed: one `error:` line and its `= help:` line, no stack. */
export function usageErrorText(error: { message: string; hint?: string | undefined }, style: Style): string {
  return `${style.red('error')}: ${printable(error.message)}\n${error.hint ? `  = help: ${printable(error.hint)}\n` : ''}`;
}

/** Resolves with the first SIGINT or SIGTERM, for a command that runs until stopped (emulate, serve). */
export function waitForStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
