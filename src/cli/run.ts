// `mqttprobe run FILE...`: validates, probes every scenario, prints the report, and exits 0, 1, 2 or 130.
import type { Command } from 'commander';
import { progressLine } from '../report/progress-line.js';
import { renderTable } from '../report/table.js';
import type { ProbePlan } from '../scenario/plan.js';
import { type CliIo, EXIT } from './io.js';
import { parseConcurrency, type Selection, selectPlans } from './select-plans.js';
import { addTargetOptions, type TargetFlags, targetOverrides } from './target-options.js';
import { loadAndReport } from './validate.js';

interface RunFlags extends Selection, TargetFlags {
  concurrency: string;
}

/** Runs plans with Ctrl-C handling and prints the table; returns the exit code. */
export async function runAndReport(
  plans: ProbePlan[],
  flags: { concurrency: number },
  io: CliIo,
): Promise<number> {
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
    const report = await runPlans(plans, {
      concurrency: flags.concurrency,
      signal: controller.signal,
      // A spinner needs a terminal; in a pipe or CI log, one plain line per finished scenario instead.
      ...(io.stderr.isTTY
        ? {}
        : {
            onScenarioDone: (o, done, total) =>
              io.stderr.write(`${progressLine(o, done, total, io.style.stderr)}\n`),
          }),
    });
    io.stdout.write(
      renderTable(report, {
        style: io.style.stdout,
        width: Math.max(100, io.stdout.isTTY ? (process.stdout.columns ?? 100) : 100),
      }),
    );
    if (report.interrupted) return EXIT.interrupted;
    return report.summary.missed > 0 ? EXIT.expectationMissed : EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function registerRun(program: Command, io: CliIo): void {
  const command = program
    .command('run')
    .description('probe every scenario in the files and report per-phase latency and a verdict')
    .argument('<files...>', 'scenario files (YAML)')
    .option('-c, --concurrency <n>', 'probes in flight at once', '8')
    .option('--only <name...>', 'run only scenarios with this name or id (`*` matches anything)')
    .option('--tag <tag...>', 'run only scenarios with one of these tags')
    .option('--timeout <duration>', 'override every phase timeout, e.g. 2s')
    .option('--repeat <n>', 'override repeat: probes per scenario');
  addTargetOptions(command).action(async (files: string[], flags: RunFlags) => {
    const { loaded, ok } = loadAndReport(files, io, { overrides: targetOverrides(flags, process.cwd()) });
    if (!ok) {
      io.setExitCode(EXIT.badInput);
      return;
    }
    const plans = selectPlans(
      loaded.flatMap((l) => l.plans),
      flags,
    );
    io.setExitCode(await runAndReport(plans, { concurrency: parseConcurrency(flags.concurrency) }, io));
  });
}
