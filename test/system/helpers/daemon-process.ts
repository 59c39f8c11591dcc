// Starts a foreground server process for one test, waits for the log line that says it is ready, stops it afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Teardown } from './teardown.js';

/** A running server process and everything it logged. */
export interface Daemon {
  child: ChildProcess;
  output: () => string;
}

/**
 * Spawns `command args`, resolves once its stdout or stderr matches `ready`, and kills it when the test ends.
 * Rejects with the output when the process exits before it is ready, so a bad config shows its own error.
 */
export async function startDaemon(
  t: Teardown,
  command: string,
  args: string[],
  ready: RegExp,
): Promise<Daemon> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`${command} exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
  return { child, output: () => output };
}
