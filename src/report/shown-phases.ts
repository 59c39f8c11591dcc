// Which phase columns or rows a report shows: the same rule for the table, the comparison and Markdown.
import type { RunReport, ScenarioOutcome } from '../run/result.js';
import { plannedPhases, TIMED_PHASES, type TimedPhase } from '../scenario/phases.js';

/** A row (or column) of figures: a timed phase, the idle `hold`, or the whole probe. */
export type ShownRow = TimedPhase | 'hold' | 'total';

/** The timed phases any scenario plans or any probe reached, in phase order. */
export function shownPhases(report: RunReport): TimedPhase[] {
  const shown = new Set<string>();
  for (const o of report.scenarios) {
    for (const phase of plannedPhases(o.plan)) shown.add(phase);
    for (const probe of o.probes) for (const phase of Object.keys(probe.phases)) shown.add(phase);
  }
  return TIMED_PHASES.filter((phase) => shown.has(phase));
}

/** Whether a scenario holds its connection idle (`hold`): its total then includes time it chose to wait. */
export function holds(o: ScenarioOutcome): boolean {
  return (o.plan.holdMs ?? 0) > 0 || o.probes.some((p) => p.phases.hold !== undefined);
}

/** Whether any scenario holds its connection idle, so the views give the hold a row of its own. */
export function anyHold(report: RunReport): boolean {
  return report.scenarios.some(holds);
}

/** The rows of figures the views show: the timed phases, then `hold` where a scenario holds, then the total. */
export function shownRows(report: RunReport): ShownRow[] {
  return [...shownPhases(report), ...(anyHold(report) ? (['hold'] as const) : []), 'total'];
}

/** The legend line for the hold row, to show where `anyHold` is true. */
export const HOLD_LEGEND =
  'hold: idle time the scenario asked for (`hold`, ended by one answered PINGREQ), not latency: not in p50/p95, but in the total';
