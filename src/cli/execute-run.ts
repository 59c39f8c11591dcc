// Runs plans for a command: Ctrl-C, SIGTERM, the descriptor limit and progress output around the run layer.
import { printable } from '../report/printable-text.js';
import { progressLine } from '../report/progress-line.js';
import { EndpointLookupError } from '../run/describe-endpoint.js';
import type { RunReport, ScenarioOutcome } from '../run/result.js';
import type { RunOptions } from '../run/run-plans.js';
import type { ProbePlan } from '../scenario/plan.js';
import { boundResolverRetries } from './bound-resolver.js';
import { withinDescriptorLimit } from './descriptor-limit.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import { onBug, reportBug } from './last-resort.js';
import { outputWidth } from './output-width.js';

type Progress = Pick<RunOptions, 'onScenarioStart' | 'onScenarioDone'> & { stop(): void };

/**
 * A spinner naming the scenarios still running, on an interactive terminal only; in a pipe, a log or CI, one
 * plain line per finished scenario, so no spinner frame ever lands in a file.
 */
async function startProgress(io: CliIo, scenarios: number): Promise<Progress> {
  // A terminal that reports no width (as `script` to /dev/null does) makes ora redraw forever: treat it as a log.
  const columns = (io.stderr as { columns?: number }).columns ?? 0;
  if (!io.stderr.isTTY || io.env.CI || columns < 20) {
    const width = outputWidth(io, 'stderr');
    // Loaded here, not at start-up: wrap-ansi and string-width (with emoji-regex) cost `--version` ~20 ms.
    const { hangingLines } = await import('../report/fit-width.js');
    return {
      onScenarioDone: (o, done, total) => {
        const line = progressLine(o, done, total, io.style.stderr);
        io.stderr.write(`${hangingLines(line, width, '', '    ').join('\n')}\n`);
      },
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

/** What stopped a run early: Ctrl-C, CI cancelling the job, or a bug in mqttprobe. */
export type RunStop = 'SIGINT' | 'SIGTERM' | 'bug';

export interface ExecutedRun {
  report: RunReport;
  /** Set when the run was stopped before it finished; the report then holds what finished. */
  stoppedBy?: RunStop;
}

const STOP_NOTICE: Record<NodeJS.Signals & RunStop, string> = {
  SIGINT: 'interrupted: closing connections and printing what finished (Ctrl-C again to quit now)',
  SIGTERM: 'terminated (SIGTERM): closing connections and printing what finished',
};

/**
 * Runs the plans. The first SIGINT (Ctrl-C) or SIGTERM (what CI sends when it cancels a job) stops them and
 * returns what finished, with its reports still to be written; a second one exits at once. A bug (the last-resort
 * guard) stops the run the same way; if the run layer itself throws, the scenarios that finished are returned.
 */
export async function executeRun(
  plans: ProbePlan[],
  options: { concurrency: number },
  io: CliIo,
): Promise<ExecutedRun> {
  const { runPlans } = await import('../run/run-plans.js');
  boundResolverRetries(plans, io.env);
  const controller = new AbortController();
  let stoppedBy: RunStop | undefined;
  const stop = (reason: RunStop) => {
    if (stoppedBy === undefined) stoppedBy = reason;
    controller.abort();
  };
  const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) process.exit(signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);
    io.stderr.write(`\n${STOP_NOTICE[signal]}\n`);
    stop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const offBug = onBug(() => stop('bug'));
  const concurrency = withinDescriptorLimit(options.concurrency, io);
  const progress = await startProgress(io, plans.length);
  const finished: ScenarioOutcome[] = [];
  const startedAt = new Date();
  try {
    const report = await runPlans(plans, {
      concurrency,
      signal: controller.signal,
      ...progress,
      onScenarioDone: (outcome, done, total) => {
        finished.push(outcome);
        progress.onScenarioDone?.(outcome, done, total);
      },
    });
    return { report, ...(stoppedBy ? { stoppedBy } : {}) };
  } catch (error) {
    // A failed setup (DescribeEndpoint) is the user's to fix, exit 2; anything else thrown here is a bug.
    if (error instanceof EndpointLookupError || error instanceof UsageError) throw error;
    reportBug(error, io.stderr);
    return { report: partialReport(plans, finished, startedAt), stoppedBy: 'bug' };
  } finally {
    progress.stop();
    offBug();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The report of the scenarios that finished, for a run the run layer could not complete. */
function partialReport(plans: ProbePlan[], finished: ScenarioOutcome[], startedAt: Date): RunReport {
  const done = new Set(finished.map((o) => o.plan.id));
  const met = finished.filter((o) => o.met).length;
  return {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    scenarios: finished,
    interrupted: true,
    notRun: plans.map((p) => p.id).filter((id) => !done.has(id)),
    summary: { total: finished.length, met, missed: finished.length - met },
  };
}

/** 143 after SIGTERM, 130 after Ctrl-C, 70 after a bug, 1 when an expectation was missed, else 0. */
export function exitCodeOf(run: ExecutedRun): number {
  if (run.stoppedBy === 'bug') return EXIT.internalError;
  if (run.stoppedBy === 'SIGTERM') return EXIT.terminated;
  if (run.stoppedBy === 'SIGINT' || run.report.interrupted) return EXIT.interrupted;
  return run.report.summary.missed > 0 ? EXIT.expectationMissed : EXIT.ok;
}
