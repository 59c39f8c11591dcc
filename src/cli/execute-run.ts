// Runs plans for a command: Ctrl-C handling and progress output around the run layer.
import { printable } from '../report/printable-text.js';
import { progressLine } from '../report/progress-line.js';
import type { RunReport } from '../run/result.js';
import type { RunOptions } from '../run/run-plans.js';
import type { ProbePlan } from '../scenario/plan.js';
import { type CliIo, EXIT } from './io.js';

type Progress = Pick<RunOptions, 'onScenarioStart' | 'onScenarioDone'> & { stop(): void };

/**
 * A spinner naming the scenarios still running, on an interactive terminal only; in a pipe, a log or CI, one
 * plain line per finished scenario, so no spinner frame ever lands in a file.
 */
async function startProgress(io: CliIo, scenarios: number): Promise<Progress> {
  // A terminal that reports no width (as `script` to /dev/null does) makes ora redraw forever: treat it as a log.
  const columns = (io.stderr as { columns?: number }).columns ?? 0;
  if (!io.stderr.isTTY || io.env.CI || columns < 20) {
    return {
      onScenarioDone: (o, done, total) =>
        io.stderr.write(`${progressLine(o, done, total, io.style.stderr)}\n`),
      stop: () => {},
    };
  }
  const { default: ora } = await import('ora');
  // discardStdin off: ora would otherwise put the terminal in raw mode and handle Ctrl-C itself.
  const spinner = ora({ stream: io.stderr, discardStdin: false, text: 'starting' }).start();
  const running = new Set<string>();
  let finished = 0;
  let total = scenarios;
  const show = () => {
    // One line only: a wrapped spinner line leaves debris when it redraws.
    const text = `${finished}/${total} done · probing ${[...running].join(', ')}`;
    spinner.text = text.length > columns - 4 ? `${text.slice(0, columns - 5)}…` : text;
  };
  return {
    onScenarioStart: (plan) => {
      running.add(printable(plan.id));
      show();
    },
    onScenarioDone: (o, done, all) => {
      running.delete(printable(o.plan.id));
      finished = done;
      total = all;
      show();
    },
    stop: () => spinner.stop(),
  };
}

/** Runs the plans; the first Ctrl-C stops them and returns what finished, a second one exits at once. */
export async function executeRun(
  plans: ProbePlan[],
  options: { concurrency: number },
  io: CliIo,
): Promise<RunReport> {
  const { runPlans } = await import('../run/run-plans.js');
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    io.stderr.write(
      '\ninterrupted: closing connections and printing what finished (Ctrl-C again to quit now)\n',
    );
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const progress = await startProgress(io, plans.length);
  try {
    return await runPlans(plans, {
      concurrency: options.concurrency,
      signal: controller.signal,
      ...progress,
    });
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
}

/** 130 when interrupted, 1 when an expectation was missed, else 0. */
export function exitCodeOf(report: RunReport): number {
  if (report.interrupted) return EXIT.interrupted;
  return report.summary.missed > 0 ? EXIT.expectationMissed : EXIT.ok;
}

/** The width to render for: the terminal's, but never under 100 columns. */
export function outputWidth(io: CliIo): number {
  return Math.max(100, io.stdout.isTTY ? (process.stdout.columns ?? 100) : 100);
}
