// Ends the process once a command has finished and its output is flushed, whatever is still pending in the background.
import type { Writable } from 'node:stream';

/**
 * Sets the exit code and exits as soon as stdout and stderr have written everything queued on them. Called only
 * after the command's action has returned (long-running commands such as `emulate` return only when stopped), so
 * nothing of the command is cut short. What it does cut short is work nobody waits for: a getaddrinfo() call for
 * a resolver that never answers runs on in libuv's thread pool and cannot be cancelled, and would otherwise hold
 * the process for the resolver's whole retry schedule (10 s and more) after the report is out.
 */
export function exitWhenFlushed(
  code: number,
  streams: Writable[] = [process.stdout, process.stderr],
): Promise<never> {
  process.exitCode = code;
  // A zero-length write calls back once everything queued before it is written (or the stream failed: a reader
  // that closed the pipe has nothing left to wait for either).
  const flushed = streams.map(
    (stream) =>
      new Promise<void>((resolve) => {
        if (stream.destroyed || stream.writableEnded) resolve();
        else stream.write('', () => resolve());
      }),
  );
  return Promise.all(flushed).then(() => process.exit(code));
}
