// Runs every plan's probes under one concurrency limit, then judges each scenario: the run layer's entry point.
import { performance } from 'node:perf_hooks';
import type { ProbeResult } from '../probe/result.js';
import { type RunProbeOptions, runProbe } from '../probe/run-probe.js';
import { prepareTransport } from '../probe/transport/open-transport.js';
import type { ProbePlan } from '../scenario/plan.js';
import { judge } from './expectations.js';
import { runPool } from './pool.js';
import { resolveEndpoints } from './resolve-endpoints.js';
import type { PlanSummary, RunProbe, RunReport, ScenarioOutcome } from './result.js';
import { phaseStats } from './stats.js';
import { summarisePlan } from './summarise-plan.js';
import { TimedTurns } from './timed-turns.js';

export interface RunOptions {
  /** Probes in flight at once, across all scenarios. */
  concurrency: number;
  /** Ctrl-C: probes in flight stop, nothing new starts, and the report holds what finished. */
  signal?: AbortSignal;
  /**
   * The caller's deadline (`serve`: the scrape's timeout), aborted with a ProbeDeadline: probes in flight are cut
   * (`probe.deadline`), the ones left fail at once the same way, and every scenario is still judged and reported.
   */
  deadline?: AbortSignal;
  /** Whether the run's first probe pays the process's warm-up (default true; `serve` says so for its first run only). */
  coldStart?: boolean;
  /**
   * The turns for timed work, shared with other runs in flight (`serve`'s concurrent scrapes), so their probes keep
   * out of each other's timed windows too; the caller closes it. Default: the run's own.
   */
  turns?: TimedTurns;
  /** Called as each scenario finishes, for progress output. */
  onScenarioDone?: (outcome: ScenarioOutcome, done: number, total: number) => void;
  /** Called when a scenario's first probe starts. */
  onScenarioStart?: (plan: PlanSummary) => void;
  /** The probe to run (default runProbe); bench/loop-worker.ts wraps runProbe to time the run layer around it. */
  probe?: (plan: ProbePlan, options: RunProbeOptions) => Promise<ProbeResult>;
}

interface Job {
  plan: number;
  repeat: number;
}

/** Runs all plans and returns the report. Never throws for network failures: they are in the outcomes. */
export async function runPlans(plans: readonly ProbePlan[], options: RunOptions): Promise<RunReport> {
  const endpoints = await resolveEndpoints(plans);
  try {
    return await runResolved(plans, endpoints.plans, options);
  } finally {
    await endpoints.close();
  }
}

/**
 * Runs plans whose endpoints the caller resolved (`serve` resolves once per configuration, not per scrape).
 * `asWritten` is what reports show (`emulator:443`); `resolved` is what the probes dial, in the same order.
 */
export async function runResolved(
  asWritten: readonly ProbePlan[],
  plans: readonly ProbePlan[],
  options: RunOptions,
): Promise<RunReport> {
  const startedAt = new Date();
  const t0 = performance.now();
  const probe = options.probe ?? runProbe;
  const summaries = asWritten.map(summarisePlan);
  const probes: RunProbe[][] = plans.map(() => []);
  const started = new Set<number>();
  const outcomes: Array<ScenarioOutcome | undefined> = plans.map(() => undefined);
  let done = 0;
  let firstProbe = options.coldStart ?? true;

  // Round by round (every scenario's first probe, then every second one, …): a comparison's columns then meet the
  // process's warm-up and the machine's drift alike, and a scenario to a dropped port never queues its repeats.
  const rounds = Math.max(0, ...plans.map((plan) => plan.repeat));
  const jobs: Job[] = Array.from({ length: rounds }, (_, repeat) =>
    plans.flatMap((plan, i) => (repeat < plan.repeat ? [{ plan: i, repeat }] : [])),
  ).flat();
  // Side by side, probes take turns at timed work (timed-turns.ts); the run's first probe still pays the
  // process's warm-up, so it is marked cold and left out of the statistics, but it no longer runs alone first.
  const turns = options.turns ?? new TimedTurns();
  const signals = [options.signal, options.deadline].filter((s): s is AbortSignal => s !== undefined);
  const probeSignal = signals.length > 0 ? AbortSignal.any(signals) : undefined;

  const runJob = async (job: Job) => {
    if (!started.has(job.plan)) {
      started.add(job.plan);
      options.onScenarioStart?.(summaries[job.plan]!);
    }
    const cold = firstProbe;
    firstProbe = false;
    const turn = turns.forProbe({ cold });
    try {
      const result = await probe(plans[job.plan]!, {
        turn,
        ...(probeSignal ? { signal: probeSignal } : {}),
      });
      probes[job.plan]!.push({ ...result, cold });
      if (probes[job.plan]!.length === plans[job.plan]!.repeat && !options.signal?.aborted) {
        const outcome = finishScenario(summaries[job.plan]!, probes[job.plan]!);
        outcomes[job.plan] = outcome;
        options.onScenarioDone?.(outcome, ++done, plans.length);
      }
    } finally {
      // After the bookkeeping and progress output, so that they never land in the next probe's timed window.
      turn.done();
    }
  };

  await Promise.all(plans.map(prepareTransport));
  try {
    // A broker drops a connection when another connects with its client ID: probes sharing a fixed one never overlap.
    await runPool(jobs, options.concurrency, runJob, {
      keyOf: (job) => plans[job.plan]!.mqtt.clientId,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    if (!options.turns) turns.close();
  }

  const finished = outcomes.filter((o): o is ScenarioOutcome => o !== undefined);
  const met = finished.filter((o) => o.met).length;
  return {
    schemaVersion: 1,
    startedAt: startedAt.toISOString(),
    durationMs: performance.now() - t0,
    scenarios: finished,
    interrupted: options.signal?.aborted ?? false,
    notRun: summaries.filter((_, i) => outcomes[i] === undefined).map((s) => s.id),
    summary: { total: finished.length, met, missed: finished.length - met },
  };
}

/** Orders a scenario's probes, computes its statistics and judges it. */
function finishScenario(plan: PlanSummary, probes: RunProbe[]): ScenarioOutcome {
  probes.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  const warm = probes.filter((p) => !p.cold);
  const stats = probes.length > 1 ? phaseStats(warm.length > 0 ? warm : probes) : undefined;
  const judgement = judge(plan, probes, stats);
  return {
    plan,
    probes,
    ...judgement,
    passed: probes.filter((p) => p.ok).length,
    ...(stats ? { stats } : {}),
    representative: representative(probes),
  };
}

/** The failing probe if any, else the one with the median total time (the waterfall shows a typical probe). */
function representative(probes: readonly RunProbe[]): RunProbe {
  const failing = probes.find((p) => !p.ok);
  if (failing) return failing;
  const sorted = [...probes].sort((a, b) => a.totalMs - b.totalMs);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}
