// The last-resort guard: an exception or rejection nobody expected is a bug in mqttprobe. It prints one line that
// says so (no stack trace, which could hold a secret), lets a run in progress stop and report what finished, and
// exits 70. A reader that closed its end of stdout or stderr is not a bug: that output is dropped quietly.
import { redactUrlsInText } from '../scenario/redact-url.js';
import { EXIT } from './io.js';

/** How long a run stopped by a bug may take to close its connections and write its reports before we exit anyway. */
const STOP_GRACE_MS = 5000;

type BugListener = () => void;

const listeners = new Set<BugListener>();
let bugSeen = false;

/** The one line a bug prints: what it is, and where to report it, without a stack. */
export function bugLine(error: unknown): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // One line only: a message may span lines, and its later lines are usually a dump.
  // A message may quote a URL it failed on: its password is masked like everywhere else.
  const first = redactUrlsInText(what.split('\n')[0]!).slice(0, 300);
  return `mqttprobe: internal error (this is a bug in mqttprobe, please report it): ${first}\n`;
}

/** Whether a bug was reported in this process: the exit code is then 70, whatever the run said. */
export function hadBug(): boolean {
  return bugSeen;
}

/**
 * Reports a bug: prints its line once, and tells the run in progress (if any) to stop. With no run to stop, or
 * when the run does not stop within its grace, the process exits 70 at once.
 */
export function reportBug(error: unknown, stderr: NodeJS.WritableStream): void {
  if (!bugSeen) stderr.write(bugLine(error));
  bugSeen = true;
  process.exitCode = EXIT.internalError;
  if (listeners.size === 0) process.exit(EXIT.internalError);
  for (const listener of listeners) listener();
  // unref: a run that stops in time lets the process end on its own, with its reports written.
  setTimeout(() => process.exit(EXIT.internalError), STOP_GRACE_MS).unref();
}

/** While a run is in progress, a bug stops it through `stop` instead of exiting; returns the unsubscribe. */
export function onBug(stop: BugListener): () => void {
  listeners.add(stop);
  return () => listeners.delete(stop);
}

/** True for the error a write gets when the reader of a pipe has gone (`| head -1`, `| true`). */
function isClosedReader(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

/** Installs the guard for the whole process: uncaught exceptions, unhandled rejections, and closed pipes. */
export function installLastResort(stderr: NodeJS.WritableStream): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error) => {
      // The reader went away: nobody is left to read this stream, so its output is dropped; the command goes on
      // (report files and the exit code still matter to the caller).
      if (isClosedReader(error)) return;
      reportBug(error, stderr);
    });
  }
  process.on('uncaughtException', (error) => reportBug(error, stderr));
  process.on('unhandledRejection', (reason) => reportBug(reason, stderr));
}
