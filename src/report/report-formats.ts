// The output registry (outputs.ts) with every renderer loaded, so rendering is a plain call. The CLI imports this
// only once a run has finished; `--help` and `--version` never pay for it.
import type { RunReport } from '../run/result.js';
import { type LoadedOutput, OUTPUTS, type OutputName, type OutputOptions, VIEWS } from './outputs.js';

export { isReportFormat, type OutputName, REPORT_FORMATS, type ReportFormat } from './outputs.js';

const loaded = Object.fromEntries(
  await Promise.all(Object.entries(OUTPUTS).map(async ([name, entry]) => [name, await entry.load()])),
) as Record<OutputName, LoadedOutput>;

/** Renders the report as the named format or view. */
export async function renderReport(
  name: OutputName,
  report: RunReport,
  options: OutputOptions = {},
): Promise<string> {
  return await loaded[name].render(report, options);
}

/** What the terminal shows when no view was asked for: the first view that suits the report, else the table. */
export function defaultView(report: RunReport): OutputName {
  return VIEWS.find((view) => loaded[view].suits?.(report)) ?? 'table';
}
