// Where a run's report goes: the view on stdout (`--format`, `--compare`, `--waterfall`), more files (`--report`),
// and the GitHub job summary.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import {
  REPORT_FORMATS as FORMATS,
  type ReportFormat as Format,
  isReportFormat as isFormat,
  VIEWS,
  type ViewName,
  viewEntry,
} from '../report/outputs.js';
import { printable } from '../report/printable-text.js';
import type { RunReport } from '../run/result.js';
import { type CliIo, UsageError, usageErrorText } from './io.js';
import { appendToFile, type OutputTarget, writeFileAtomically } from './output-files.js';
import { DEFAULT_WIDTH } from './output-width.js';
import { PACKAGE_VERSION } from './package-version.js';

/** `--format`, `--report`, and per view `--NAME` (true) or `--no-NAME` (false). */
export type OutputFlags = { format: string; report?: string[] } & Partial<Record<ViewName, boolean>>;

export interface OutputPlan {
  format: Format;
  reports: Array<{ format: Format; path: string }>;
  /** `auto`: the view that suits the report (compare for variants of one path), else the table. */
  view: 'auto' | 'table' | ViewName;
}

/**
 * Collects a repeatable option. Variadic options (`<x...>`) would swallow the file names that follow them,
 * so `--report junit=r.xml demo.yaml` would read `demo.yaml` as a report.
 */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Adds --format, --report and a flag per view (--compare/--no-compare, --waterfall/-v) to a command. */
export function addOutputOptions(command: Command): Command {
  command
    .option('--format <format>', `what goes to stdout: ${FORMATS.join(', ')}`, 'table')
    .option(
      '--report <format=path>',
      'also write a report file, e.g. junit=results.xml (repeatable)',
      collect,
      [],
    );
  for (const name of VIEWS) {
    const { short, help, optOutHelp } = viewEntry(name);
    command.option(short ? `${short}, --${name}` : `--${name}`, help);
    if (optOutHelp) command.option(`--no-${name}`, optOutHelp);
  }
  command.addHelpText(
    'after',
    `\nThe terminal layouts fit the terminal's width; in a pipe or a CI log, $COLUMNS if set, else ${DEFAULT_WIDTH} columns.`,
  );
  return command;
}

/** The view asked for: the most detailed of those flagged, `table` when one was opted out of, else `auto`. */
function viewOf(flags: OutputFlags): OutputPlan['view'] {
  const asked = VIEWS.filter((name) => flags[name] === true);
  if (asked.length > 0) return asked.at(-1)!;
  return VIEWS.some((name) => flags[name] === false) ? 'table' : 'auto';
}

/** `unknown report format `html`; known: table, json, junit, markdown`: the list read from the registry. */
function unknownFormat(option: string, name: string): UsageError {
  const known = FORMATS.join(', ');
  const view = VIEWS.find((v) => v === name);
  return new UsageError(
    `${option}: unknown report format \`${printable(name)}\`; known: ${known}`,
    view
      ? `\`${view}\` is a terminal view of the table, not a file format: add --${view} for stdout`
      : option === '--format'
        ? `for example --format json (views: ${VIEWS.map((v) => `--${v}`).join(', ')})`
        : 'for example --report junit=results.xml',
  );
}

/** Checks the flags before anything runs, so a typo costs nothing. */
export function parseOutputFlags(flags: OutputFlags): OutputPlan {
  if (!isFormat(flags.format)) throw unknownFormat('--format', flags.format);
  const reports = (flags.report ?? []).map((spec) => {
    const at = spec.indexOf('=');
    const format = spec.slice(0, Math.max(0, at));
    const path = spec.slice(at + 1);
    if (at < 1 || path === '') {
      throw new UsageError(
        `--report ${printable(spec)} is not FORMAT=PATH`,
        `for example --report junit=results.xml; formats: ${FORMATS.join(', ')}`,
      );
    }
    if (!isFormat(format)) throw unknownFormat(`--report ${printable(spec)}`, format);
    return { format, path };
  });
  return { format: flags.format, reports, view: viewOf(flags) };
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
  const { defaultView, renderReport } = await import('../report/report-formats.js');
  // Views are layouts of the table: another --format goes to stdout as it would to a file.
  const shown =
    plan.format !== 'table' ? plan.format : plan.view === 'auto' ? defaultView(report) : plan.view;
  // Where the run happened, for the formats that say so (JUnit's suites, the HTML page's footer).
  const where = {
    hostname: hostname(),
    about: { mqttprobeVersion: PACKAGE_VERSION, nodeVersion: process.version },
  };
  io.stdout.write(await renderReport(shown, report, { style: io.style.stdout, width, ...where }));
  let written = true;
  const attempt = async (write: () => Promise<void>) => {
    try {
      await write();
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      written = false;
      io.stderr.write(usageErrorText(error, io.style.stderr));
    }
  };
  const targets = outputTargets(plan, io.env);
  for (const [i, { format }] of plan.reports.entries()) {
    await attempt(async () => writeFileAtomically(targets[i]!, await renderReport(format, report, where)));
  }
  const summary = targets.find((t) => t.mode === 'append');
  if (summary) await attempt(async () => appendToFile(summary, await renderReport('markdown', report)));
  return written;
}
