// Per-phase statistics over repeated probes: min, p50, p95, max (nearest-rank percentiles).

import type { ProbeResult } from '../probe/result.js';
import { TIMED_PHASES } from '../scenario/phases.js';
import type { PhaseStats, StatsKey } from './result.js';

/** Nearest-rank percentile of sorted values: p50 of [1,2,3,4] is 2, never an interpolated 2.5 nobody measured. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('no values');
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Summarises `values` (ms), or returns undefined when there are none. */
export function summarise(values: readonly number[]): PhaseStats | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    minMs: sorted[0]!,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.at(-1)!,
  };
}

/** Statistics per timed phase and for the total, over the probes that completed each phase. */
export function phaseStats(probes: readonly ProbeResult[]): Partial<Record<StatsKey, PhaseStats>> {
  const stats: Partial<Record<StatsKey, PhaseStats>> = {};
  for (const phase of TIMED_PHASES) {
    const values = probes
      .filter((p) => p.failedPhase !== phase)
      .flatMap((p) => (p.phases[phase] ? [p.phases[phase].durationMs] : []));
    const s = summarise(values);
    if (s) stats[phase] = s;
  }
  const total = summarise(probes.filter((p) => p.ok).map((p) => p.totalMs));
  if (total) stats.total = total;
  return stats;
}
