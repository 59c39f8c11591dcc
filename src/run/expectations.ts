// Compares what the probes of one scenario did with what the scenario expected: the verdict CI acts on.
import { type Diagnosis, makeDiagnosis } from '../probe/diagnosis/diagnosis.js';
import type { ProbeResult } from '../probe/result.js';
import { TIMED_PHASES } from '../scenario/phases.js';
import type { PhaseStats, PlanSummary, ScenarioOutcome, StatsKey } from './result.js';

type Judgement = Pick<ScenarioOutcome, 'met' | 'verdict' | 'diagnosis' | 'mismatch'>;

/** The failure most probes share, so one flaky probe does not name the problem. */
function commonDiagnosis(failures: readonly ProbeResult[]): Diagnosis | undefined {
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f.diagnosis!.code, (counts.get(f.diagnosis!.code) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  return failures.find((f) => f.diagnosis!.code === top)?.diagnosis;
}

/**
 * The first threshold exceeded. With one probe its own timings count; with repeats the p50 of the warm probes
 * counts, so one slow outlier does not fail a healthy path.
 */
export function exceededThreshold(
  plan: PlanSummary,
  probes: readonly ProbeResult[],
  stats: Partial<Record<StatsKey, PhaseStats>> | undefined,
): Diagnosis | undefined {
  for (const key of [...TIMED_PHASES, 'total'] as const) {
    const limitMs = plan.thresholdsMs[key];
    if (limitMs === undefined) continue;
    const single = probes.length === 1 ? probes[0]! : undefined;
    const actual = single
      ? key === 'total'
        ? single.totalMs
        : single.phases[key]?.durationMs
      : stats?.[key]?.p50Ms;
    if (actual !== undefined && actual > limitMs) {
      const p50Of = single ? undefined : stats?.[key]?.n;
      return makeDiagnosis(`threshold.${key}`, {
        phase: key,
        limitMs,
        actualMs: Math.round(actual),
        ...(p50Of === undefined ? {} : { p50Of }),
      });
    }
  }
  return undefined;
}

/** Judges a scenario: every probe must do what `expect` asks. */
export function judge(
  plan: PlanSummary,
  probes: readonly ProbeResult[],
  stats: Partial<Record<StatsKey, PhaseStats>> | undefined,
): Judgement {
  const failures = probes.filter((p) => !p.ok);
  // A local limit (out of descriptors, the scrape's deadline) says nothing about the network, so it meets no
  // expectation, not even `fail`.
  const local = failures.find(
    (f) => f.diagnosis!.code === 'probe.fd-limit' || f.diagnosis!.code === 'probe.deadline',
  );
  if (local) return { met: false, verdict: 'fail', diagnosis: local.diagnosis! };
  const diagnosis = commonDiagnosis(failures);
  const n = probes.length;
  const of = (k: number) => (n === 1 ? '' : ` (${k} of ${n} probes)`);

  if (plan.expect === 'pass') {
    if (diagnosis) return { met: false, verdict: 'fail', diagnosis };
    const slow = exceededThreshold(plan, probes, stats);
    return slow ? { met: false, verdict: 'fail', diagnosis: slow } : { met: true, verdict: 'pass' };
  }

  const passed = n - failures.length;
  if (passed > 0) {
    const wanted = plan.expect === 'fail' ? 'a failure' : `\`${plan.expect}\``;
    return {
      met: false,
      verdict: 'fail',
      mismatch: `expected ${wanted}, but the probe got through${of(passed)}`,
    };
  }
  if (plan.expect === 'fail')
    return { met: true, verdict: 'expected-failure', ...(diagnosis ? { diagnosis } : {}) };

  const other = failures.find((f) => f.diagnosis!.code !== plan.expect);
  if (other) {
    const got = other.diagnosis!;
    return {
      met: false,
      verdict: 'fail',
      diagnosis: got,
      mismatch: `expected \`${plan.expect}\`, but it failed with \`${got.code}\`${of(failures.filter((f) => f.diagnosis!.code !== plan.expect).length)}`,
    };
  }
  return { met: true, verdict: 'expected-failure', ...(diagnosis ? { diagnosis } : {}) };
}
