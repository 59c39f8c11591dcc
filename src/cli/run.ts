// `mqttprobe run FILE...`: validates, probes every scenario, prints the report, and exits 0, 1, 2 or 130.
import type { Command } from 'commander';
import type { ProbePlan } from '../scenario/plan.js';
import { executeRun, exitCodeOf } from './execute-run.js';
import { type CliIo, EXIT } from './io.js';
import { checkOutputPaths, inputFilesOf, reportFailedExit } from './output-files.js';
import {
  addOutputOptions,
  collect,
  emitReport,
  type OutputFlags,
  type OutputPlan,
  outputTargets,
  parseOutputFlags,
} from './output-options.js';
import { outputWidth } from './output-width.js';
import { parseConcurrency, type Selection, selectPlans } from './select-plans.js';
import { addTargetOptions, type TargetFlags, targetOverrides } from './target-options.js';
import { addProbeLimitOption, loadAndReport, probeBudgetOf } from './validate.js';

interface RunFlags extends Selection, TargetFlags, OutputFlags {
  concurrency: string;
  maxProbes?: string;
}

/** Runs plans and emits the report; returns the exit code. */
export async function runAndReport(
  plans: ProbePlan[],
  options: { concurrency: number; output: OutputPlan },
  io: CliIo,
): Promise<number> {
  checkOutputPaths(outputTargets(options.output, io.env), inputFilesOf(plans));
  const run = await executeRun(plans, options, io);
  const written = await emitReport(run.report, options.output, io, outputWidth(io));
  return written ? exitCodeOf(run) : reportFailedExit(exitCodeOf(run));
}

export function registerRun(program: Command, io: CliIo): void {
  const command = program
    .command('run')
    .description('probe every scenario in the files and report per-phase latency and a verdict')
    .argument('<files...>', 'scenario files (YAML)')
    .option('-c, --concurrency <n>', 'probes in flight at once', '8')
    .option(
      '--only <name>',
      'run only scenarios with this name or id; `*` matches anything (repeatable)',
      collect,
      [],
    )
    .option('--tag <tag>', 'run only scenarios with this tag (repeatable)', collect, []);
  addProbeLimitOption(addOutputOptions(addTargetOptions(command))).action(
    async (files: string[], flags: RunFlags) => {
      const output = parseOutputFlags(flags);
      const concurrency = parseConcurrency(flags.concurrency);
      const { loaded, ok } = await loadAndReport(files, io, {
        overrides: targetOverrides(flags, process.cwd()),
        probeBudget: probeBudgetOf(flags),
      });
      if (!ok) {
        io.setExitCode(EXIT.badInput);
        return;
      }
      const plans = selectPlans(
        loaded.flatMap((l) => l.plans),
        flags,
      );
      io.setExitCode(await runAndReport(plans, { concurrency, output }, io));
    },
  );
}
