// How wide stdout is, decided once for every command that prints a terminal layout.
import type { CliIo } from './io.js';

/** The width for pipes, files and CI logs, where no terminal says how wide it is: what most CI log viewers show. */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, no layout can show a phase beside its name: such a width is taken to be this one. */
export const MIN_WIDTH = 40;
/** A `COLUMNS` above this is a mistake, not a screen. */
const MAX_COLUMNS = 1000;

/**
 * The width to render stdout (or stderr) for: a terminal's own width, else `COLUMNS` when it is a whole number (as shells
 * export it, and as a user sets it for a pipe), else DEFAULT_WIDTH; never under MIN_WIDTH. No upper clamp: the
 * layouts cap their own columns, and a wide terminal keeps the spare room.
 */
export function outputWidth(io: CliIo, stream: 'stdout' | 'stderr' = 'stdout'): number {
  const tty = io[stream].isTTY ? (io[stream] as { columns?: number }).columns : undefined;
  if (tty !== undefined && Number.isInteger(tty) && tty > 0) return Math.max(MIN_WIDTH, tty);
  const columns = io.env.COLUMNS?.trim();
  if (columns && /^\d+$/.test(columns)) {
    const n = Number(columns);
    if (n > 0 && n <= MAX_COLUMNS) return Math.max(MIN_WIDTH, n);
  }
  return DEFAULT_WIDTH;
}
