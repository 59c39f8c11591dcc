// Which phase columns or rows a report shows: the same rule for the table, the comparison and Markdown.
import type { RunReport } from '../run/result.js';
import { plannedPhases, TIMED_PHASES, type TimedPhase } from '../scenario/phases.js';

/** The timed phases any scenario plans or any probe reached, in phase order. */
export function shownPhases(report: RunReport): TimedPhase[] {
  const shown = new Set<string>();
  for (const o of report.scenarios) {
    for (const phase of plannedPhases(o.plan)) shown.add(phase);
    for (const probe of o.probes) for (const phase of Object.keys(probe.phases)) shown.add(phase);
  }
  return TIMED_PHASES.filter((phase) => shown.has(phase));
}
