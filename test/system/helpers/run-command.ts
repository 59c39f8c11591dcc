// Runs a third-party client (mosquitto_pub, openssl s_client, python paho) to completion: the ground truth a verdict is
// compared with.
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';

/** How a command ended and what it printed. */
export interface CommandRun {
  /** The exit code, or null when it was killed (see `timedOut`). */
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when it was still running after `timeoutMs` and was killed: a client that hangs. */
  timedOut: boolean;
}

/**
 * Runs `argv` (optionally with `input` on stdin, else stdin closed) and kills it after `timeoutMs`; a client that
 * would wait for minutes on a stalled path (openssl s_client, mosquitto_pub) is part of the ground truth, not a hang.
 */
export async function runCommand(
  argv: string[],
  options: { cwd?: string; input?: string; timeoutMs?: number } = {},
): Promise<CommandRun> {
  const [command, ...args] = argv;
  const child = spawn(command!, args, { cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = collectOutput(child);
  if (options.input !== undefined) child.stdin.end(options.input);
  else child.stdin.end();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs ?? 10_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout: output.stdout(), stderr: output.stderr(), timedOut };
}

/** Everything a child prints on stdout and stderr, as it arrives. */
export function collectOutput(child: ChildProcessByStdio<Writable | null, Readable, Readable>): {
  stdout: () => string;
  stderr: () => string;
} {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  return { stdout: () => stdout, stderr: () => stderr };
}
