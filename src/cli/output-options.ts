// Where a run's report goes: the view on stdout (`--format`, `--compare`, `--waterfall`), more files (`--report`),
// and the GitHub job summary.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  REPORT_FORMATS as FORMATS,
  type ReportFormat as Format,
  isReportFormat as isFormat,
} from '../report/format-names.js';
import type { RunReport } from '../run/result.js';
import { type CliIo, UsageError, usageErrorText } from './io.js';
import { appendToFile, type OutputTarget, writeFileAtomically } from './output-files.js';

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

/** Every file a run will write: the `--report` files and GitHub's job summary, to check before the first probe. */
export function outputTargets(plan: Pick<OutputPlan, 'reports'>, env: CliIo['env']): OutputTarget[] {
  const targets: OutputTarget[] = plan.reports.map(({ format, path }) => ({
    path,
    label: `--report ${format}`,
  }));
  // GitHub Actions shows this file on the run's page: https://docs.github.com/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary
  if (env.GITHUB_STEP_SUMMARY)
    targets.push({ path: env.GITHUB_STEP_SUMMARY, label: 'GITHUB_STEP_SUMMARY', mode: 'append' });
  return targets;
}

/**
 * Prints the report and writes every requested file; renderers load only now. A file that cannot be written is
 * reported and the others are still written; returns false when any failed.
 */
export async function emitReport(
  report: RunReport,
  plan: OutputPlan,
  io: CliIo,
  width: number,
): Promise<boolean> {
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
  let written = true;
  const attempt = (write: () => void) => {
    try {
      write();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      written = false;
      io.stderr.write(usageErrorText(error, io.style.stderr));
    }
  };
  const targets = outputTargets(plan, io.env);
  for (const [i, { format }] of plan.reports.entries()) {
    attempt(() => writeFileAtomically(targets[i]!, renderReport(format, report, { hostname: hostname() })));
  }
  const summary = targets.find((t) => t.mode === 'append');
  if (summary) attempt(() => appendToFile(summary, renderMarkdown(report)));
  return written;
}
