// Where a run's report goes: the view on stdout (`--format`, `--compare`, `--waterfall`), more files (`--report`),
// and the GitHub job summary.
import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  REPORT_FORMATS as FORMATS,
  type ReportFormat as Format,
  isReportFormat as isFormat,
} from '../report/format-names.js';
import type { RunReport } from '../run/result.js';
import { type CliIo, UsageError } from './io.js';

export interface OutputFlags {
  format: string;
  report?: string[];
  compare?: boolean;
  waterfall?: boolean;
}

export interface OutputPlan {
  format: Format;
  reports: Array<{ format: Format; path: string }>;
  view: 'auto' | 'compare' | 'table' | 'waterfall';
}

/**
 * Collects a repeatable option. Variadic options (`<x...>`) would swallow the file names that follow them,
 * so `--report junit=r.xml demo.yaml` would read `demo.yaml` as a report.
 */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds --format, --report, --compare and --waterfall/-v to a command. */
export function addOutputOptions(command: Command): Command {
  return command
    .option('--format <format>', `what goes to stdout: ${FORMATS.join(', ')}`, 'table')
    .option(
      '--report <format=path>',
      'also write a report file, e.g. junit=results.xml (repeatable)',
      collect,
      [],
    )
    .option(
      '--compare',
      'side by side: one column per scenario, one row per phase (the default when scenarios differ only in port, ALPN, transport or QoS)',
    )
    .option('--no-compare', 'one row per scenario, even where side by side would be the default')
    .option('-v, --waterfall', 'a timing waterfall per scenario, with TLS and certificate details');
}

/** Checks the flags before anything runs, so a typo costs nothing. */
export function parseOutputFlags(flags: OutputFlags): OutputPlan {
  if (!isFormat(flags.format))
    throw new UsageError(`--format ${flags.format} is not a format`, `use one of: ${FORMATS.join(', ')}`);
  const reports = (flags.report ?? []).map((spec) => {
    const at = spec.indexOf('=');
    const format = spec.slice(0, at);
    const path = spec.slice(at + 1);
    if (at < 1 || path === '' || !isFormat(format)) {
      throw new UsageError(
        `--report ${spec} is not FORMAT=PATH`,
        `for example --report junit=results.xml; formats: ${FORMATS.join(', ')}`,
      );
    }
    return { format, path };
  });
  return {
    format: flags.format,
    reports,
    view: flags.waterfall
      ? 'waterfall'
      : flags.compare === true
        ? 'compare'
        : flags.compare === false
          ? 'table'
          : 'auto',
  };
}

/** Prints the report and writes every requested file; renderers load only now. */
export async function emitReport(
  report: RunReport,
  plan: OutputPlan,
  io: CliIo,
  width: number,
): Promise<void> {
  const [{ renderReport }, { renderCompare, shouldCompare }, { renderWaterfall }, { renderMarkdown }] =
    await Promise.all([
      import('../report/report-formats.js'),
      import('../report/compare-table.js'),
      import('../report/waterfall.js'),
      import('../report/markdown.js'),
    ]);
  const style = io.style.stdout;
  if (plan.format !== 'table') {
    io.stdout.write(renderReport(plan.format, report, { hostname: hostname() }));
  } else if (plan.view === 'waterfall') {
    io.stdout.write(renderWaterfall(report, { style, width }));
  } else if (plan.view === 'compare' || (plan.view === 'auto' && shouldCompare(report))) {
    io.stdout.write(renderCompare(report, { style, width }));
  } else {
    io.stdout.write(renderReport('table', report, { style, width }));
  }
  for (const { format, path } of plan.reports) {
    try {
      writeFileSync(path, renderReport(format, report, { hostname: hostname() }));
    } catch (error) {
      throw new UsageError(
        `cannot write ${format} report to ${path} (${(error as NodeJS.ErrnoException).code ?? error})`,
        'check that the folder exists and is writable',
      );
    }
  }
  // GitHub Actions shows this file on the run's page: https://docs.github.com/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) appendFileSync(summary, renderMarkdown(report));
}
