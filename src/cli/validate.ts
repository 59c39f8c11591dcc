// `mqttprobe validate FILE...`: checks scenario files and shows each resolved scenario on one line.
import type { Command } from 'commander';
import { printable } from '../report/printable-text.js';
import type { CommandLineOverrides } from '../scenario/command-line-overrides.js';
import type { LoadedScenarioFile } from '../scenario/load-scenario-file.js';
import { DEFAULT_MAX_PROBES, type ProbeBudget } from '../scenario/probe-budget.js';
import { type CliIo, EXIT, UsageError } from './io.js';
import { outputWidth } from './output-width.js';
import { addTargetOptions, type TargetFlags, targetOverrides } from './target-options.js';

/** Errors printed per file; the count says how many more there are. */
const MAX_ERRORS_SHOWN = 50;

/**
 * Loads every file; prints errors and warnings to stderr. Returns the loaded files and whether all were valid.
 * The loader (zod, yaml) is imported here, not at start-up, so `--help` and `--version` never pay for it.
 */
export async function loadAndReport(
  files: readonly string[],
  io: CliIo,
  options: { readFiles?: boolean; overrides?: CommandLineOverrides; probeBudget?: ProbeBudget } = {},
): Promise<{ loaded: LoadedScenarioFile[]; ok: boolean }> {
  const [{ loadScenarioFile }, { renderScenarioErrors, renderScenarioWarnings }] = await Promise.all([
    import('../scenario/load-scenario-file.js'),
    import('../report/scenario-errors.js'),
  ]);
  const loaded = files.map((file) =>
    loadScenarioFile(file, {
      env: io.env,
      readFiles: options.readFiles ?? true,
      ...(options.overrides ? { overrides: options.overrides } : {}),
      ...(options.probeBudget ? { probeBudget: options.probeBudget } : {}),
    }),
  );
  const texts = new Map(loaded.filter((l) => l.text !== undefined).map((l) => [l.file, l.text!]));
  let ok = true;
  for (const l of loaded) {
    if (l.warnings.length > 0) {
      const width = outputWidth(io, 'stderr');
      io.stderr.write(`${renderScenarioWarnings(l.warnings, io.style.stderr, width)}\n`);
    }
    if (l.errors.length > 0) {
      ok = false;
      // The first errors are the ones to fix; 50,000 of one mistake in a generated list would bury them.
      const shown = l.errors.slice(0, MAX_ERRORS_SHOWN);
      io.stderr.write(`${renderScenarioErrors(shown, { texts, style: io.style.stderr })}\n\n`);
      const n = l.errors.length;
      if (n > shown.length)
        io.stderr.write(`… and ${n - shown.length} more errors in ${printable(l.file)}\n`);
      io.stderr.write(`${io.style.stderr.red(`✖ ${printable(l.file)}: ${n} error${n === 1 ? '' : 's'}`)}\n`);
    }
  }
  return { loaded, ok };
}

/** Adds `--max-probes`, which `run` and `validate` share so that validate refuses exactly what run would. */
export function addProbeLimitOption(command: Command): Command {
  return command.option(
    '--max-probes <n>',
    `most probes (scenarios × repeat, all files together) a run may hold (default ${DEFAULT_MAX_PROBES})`,
  );
}

/** The run's probe budget from `--max-probes`, counted across every file before any is expanded. */
export function probeBudgetOf(flags: { maxProbes?: string }): ProbeBudget {
  const maxProbes = flags.maxProbes === undefined ? DEFAULT_MAX_PROBES : Number(flags.maxProbes);
  if (!Number.isSafeInteger(maxProbes) || maxProbes < 1)
    throw new UsageError(`--max-probes ${flags.maxProbes} is not a whole number of at least 1`);
  return { maxProbes, counted: 0 };
}

export function registerValidate(program: Command, io: CliIo): void {
  const command = program
    .command('validate')
    .description('check scenario files and list the scenarios they expand to, without connecting')
    .argument('<files...>', 'scenario files (YAML)')
    .option('--no-files', 'do not read certificate and key files (lint where the secrets are not present)');
  addProbeLimitOption(addTargetOptions(command)).action(
    async (files: string[], options: TargetFlags & { files: boolean; maxProbes?: string }) => {
      const [{ renderPlanLine }, { summarisePlan }] = await Promise.all([
        import('../report/plan-line.js'),
        import('../run/summarise-plan.js'),
      ]);
      const { loaded, ok } = await loadAndReport(files, io, {
        readFiles: options.files,
        overrides: targetOverrides(options, process.cwd()),
        probeBudget: probeBudgetOf(options),
      });
      const s = io.style.stdout;
      for (const l of loaded.filter((x) => x.errors.length === 0)) {
        const n = l.plans.length;
        io.stdout.write(`${s.green('✔')} ${printable(l.file)}: ${n} scenario${n === 1 ? '' : 's'}\n`);
        for (const plan of l.plans) {
          const width = outputWidth(io);
          io.stdout.write(`${renderPlanLine(summarisePlan(plan), s, { width, indent: '  ' })}\n`);
        }
      }
      io.setExitCode(ok ? EXIT.ok : EXIT.badInput);
    },
  );
}
