// Keeps the number of probes in flight within the process's open-file limit (`ulimit -n`): running out of file
// descriptors is a local limit, and must never show up as a network verdict.
import { readdirSync, readFileSync } from 'node:fs';
import type { CliIo } from './io.js';

/**
 * Descriptors one probe may hold at once: its socket, the resolver's socket during DNS, and the accepted side of
 * the connection when the endpoint is the in-process emulator.
 */
export const DESCRIPTORS_PER_PROBE = 3;
/** Kept free for what is not a probe: report files, the certificate files, the emulator's listeners, libuv. */
const RESERVED_DESCRIPTORS = 32;

/** The soft limit on open files and the count open now, where the platform tells (Linux's /proc); else undefined. */
export function descriptorBudget(): { limit: number; open: number } | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    if (!soft || soft === 'unlimited') return undefined;
    return { limit: Number(soft), open: readdirSync('/proc/self/fd').length };
  } catch {
    // No /proc (macOS, Windows): the limit is unknown here; a probe that hits it is diagnosed `probe.fd-limit`.
    return undefined;
  }
}

/** The largest concurrency the descriptor limit allows, at least 1; undefined when the limit is unknown. */
export function maxConcurrencyFor(budget: { limit: number; open: number }): number {
  return Math.max(1, Math.floor((budget.limit - budget.open - RESERVED_DESCRIPTORS) / DESCRIPTORS_PER_PROBE));
}

/** The concurrency to use: the one asked for, lowered (with a warning) to what `ulimit -n` allows. */
export function withinDescriptorLimit(concurrency: number, io: CliIo): number {
  const budget = descriptorBudget();
  if (!budget) return concurrency;
  const max = maxConcurrencyFor(budget);
  if (concurrency <= max) return concurrency;
  io.stderr.write(
    `${io.style.stderr.yellow('warning')}: ${concurrency} probes at once lowered to ${max}: this process may open ` +
      `${budget.limit} files (ulimit -n), and each probe needs up to ${DESCRIPTORS_PER_PROBE}; ` +
      'raise the limit (e.g. `ulimit -n 4096`) to run more at once\n',
  );
  return max;
}
