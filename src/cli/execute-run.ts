// Runs plans for a command: Ctrl-C handling and progress output around the run layer.
import { progressLine } from '../report/progress-line.js';
import type { RunReport } from '../run/result.js';
import type { ProbePlan } from '../scenario/plan.js';
import { type CliIo, EXIT } from './io.js';

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
  try {
    return await runPlans(plans, {
      concurrency: options.concurrency,
      signal: controller.signal,
      // A spinner needs a terminal; in a pipe or CI log, one plain line per finished scenario instead.
      ...(io.stderr.isTTY
        ? {}
        : {
            onScenarioDone: (o, done, total) =>
              io.stderr.write(`${progressLine(o, done, total, io.style.stderr)}\n`),
          }),
    });
  } finally {
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
