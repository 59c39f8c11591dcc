// What a command may touch of the outside world, gathered once in cli.ts and passed down, so commands stay testable.
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

/** Exit codes CI can rely on. */
export const EXIT = { ok: 0, expectationMissed: 1, badInput: 2, interrupted: 130 } as const;

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
