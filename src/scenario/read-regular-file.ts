// Reads a file the user named, but only a regular file of a sane size: a FIFO would block forever, /dev/zero would
// fill memory, and a scenario or PEM file of several megabytes is a mistake, not an input.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Larger than any scenario file a person writes, small enough to parse in about a second. */
export const MAX_SCENARIO_FILE_BYTES = 4 * 1024 * 1024;
/** A PEM certificate is a few kB and the whole system CA bundle about 200 kB. */
export const MAX_PEM_FILE_BYTES = 4 * 1024 * 1024;

/** Why a file could not be read, for the caller to put in its own words. */
export type ReadFailure =
  | { kind: 'not-found' }
  | { kind: 'directory' }
  /** A FIFO, socket or device: `what` names it, e.g. `a named pipe (FIFO)`. */
  | { kind: 'not-regular'; what: string }
  /** `bytes` is what the file holds, or `undefined` when it did not say (a /proc file) and just kept going. */
  | { kind: 'too-large'; bytes: number | undefined; maxBytes: number }
  | { kind: 'unreadable'; code: string };

/** The file's bytes, or why not; never blocks on a FIFO and never reads more than `maxBytes` + 1. */
export function readRegularFile(
  path: string,
  maxBytes: number,
): { bytes: Buffer } | { failure: ReadFailure } {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO that nobody writes to would otherwise wait forever, before we can fstat it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { failure: fromErrno(error) };
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) return { failure: { kind: 'directory' } };
    if (!stats.isFile()) return { failure: { kind: 'not-regular', what: describeType(stats) } };
    if (stats.size > maxBytes) return { failure: { kind: 'too-large', bytes: stats.size, maxBytes } };
    // The size is a hint only (a /proc file says 0, a growing log says less): read until the end or the limit.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(stats.size - total, 64 * 1024), maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) return { failure: { kind: 'too-large', bytes: undefined, maxBytes } };
    }
    return { bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return { failure: fromErrno(error) };
  } finally {
    closeSync(fd);
  }
}

/** `4 MiB`, `50.0 MiB`, `812 kB`: a size in the words of the limit it broke. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) {
    const mib = bytes / (1024 * 1024);
    return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
  }
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

/** What the file is, as a sentence fragment: `a named pipe (FIFO)`. */
function describeType(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

function fromErrno(error: unknown): ReadFailure {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  if (code === 'ENOENT') return { kind: 'not-found' };
  if (code === 'EISDIR') return { kind: 'directory' };
  return { kind: 'unreadable', code };
}

/** The sentence for a too-large failure: `is 50.0 MiB; a scenario file is at most 4 MiB`. */
export function tooLargeText(failure: { bytes: number | undefined; maxBytes: number }, what: string): string {
  const size =
    failure.bytes === undefined ? `more than ${formatBytes(failure.maxBytes)}` : formatBytes(failure.bytes);
  return `is ${size}; ${what} is at most ${formatBytes(failure.maxBytes)}`;
}
