// The facts every human view shows, decided once: a scenario's verdict in words, the figure of a phase, and the
// diagnosis lines under a failure. The table, the comparison, the waterfall and Markdown only lay them out.
import type { ScenarioOutcome } from '../run/result.js';
import type { TimedPhase } from '../scenario/phases.js';
import { fixLocationText } from './fix-location.js';
import type { ShownRow } from './shown-phases.js';
import type { Style } from './style.js';

export type Paint = (text: string) => string;

/** A verdict in words: `short` fits a table column (`expected`), `full` is for prose (`failed as expected`). */
const VERDICT_WORDS: Record<ScenarioOutcome['verdict'], { short: string; full: string }> = {
  pass: { short: 'pass', full: 'pass' },
  'expected-failure': { short: 'expected', full: 'failed as expected' },
  fail: { short: 'FAIL', full: 'FAIL' },
};

export interface VerdictWords {
  /** The expectation was met: a pass or a failure that was meant to happen. */
  met: boolean;
  word: string;
}

/** The verdict of a scenario, in words of the given length; how many probes did what is `probeTally`'s. */
export function verdictWords(o: ScenarioOutcome, length: 'short' | 'full'): VerdictWords {
  return { met: o.verdict !== 'fail', word: VERDICT_WORDS[o.verdict][length] };
}

/** `✔ pass` in green, `✖ FAIL` in bold red: a verdict on a terminal. */
export function paintVerdict(v: VerdictWords, s: Style): string {
  return v.met ? s.green(`✔ ${v.word}`) : s.red(s.bold(`✖ ${v.word}`));
}

/**
 * What the probes of a repeated scenario did, as a count that says what it counts: `4 of 5 probes passed`,
 * `20 of 20 probes failed as expected`, `5 of 5 probes over the connack threshold (200 ms)`. Undefined for a
 * scenario of one probe, whose verdict says it all.
 */
export function probeTally(o: ScenarioOutcome): string | undefined {
  const n = o.probes.length;
  if (n < 2) return undefined;
  const d = o.diagnosis;
  if (d?.code.startsWith('threshold.')) {
    const { phase, limitMs } = d.evidence as { phase: TimedPhase | 'total'; limitMs: number };
    const over = o.probes.filter((p) => {
      const ms = phase === 'total' ? (p.ok ? p.totalMs : undefined) : p.phases[phase]?.durationMs;
      return ms !== undefined && ms > limitMs;
    }).length;
    return `${over} of ${n} probes over the ${phase} threshold (${limitMs} ms)`;
  }
  const expect = o.plan.expect;
  if (expect === 'pass') return `${o.passed} of ${n} probes passed`;
  const asExpected = o.probes.filter(
    (p) => !p.ok && (expect === 'fail' || p.diagnosis?.code === expect),
  ).length;
  return `${asExpected} of ${n} probes failed as expected`;
}

/** How a failed phase is painted: yellow when the failure was expected, red when it missed. */
export function failurePaint(o: ScenarioOutcome, s: Style): Paint {
  return o.met ? s.yellow : s.red;
}

/** What a view shows for one phase (or the total) of a scenario. */
export type PhaseFigure =
  /** A repeated scenario: over its warm probes. */
  | { kind: 'stats'; p50Ms: number; p95Ms: number }
  /** The representative probe finished the phase (or the whole probe) in `ms`. */
  | { kind: 'done'; ms: number }
  /** The phase that failed, after waiting `ms`. */
  | { kind: 'failed'; ms: number }
  /** The total of a probe that failed: a time, but not one to compare. */
  | { kind: 'cut-short'; ms: number }
  /** The probe never reached the phase. */
  | { kind: 'not-reached' };

/**
 * The figure of a phase: p50/p95 over warm probes when repeated, else the representative probe's time. `hold` is
 * the idle time the scenario asked for, not a latency: it has no statistics, so it is always the representative's.
 */
export function phaseFigure(o: ScenarioOutcome, row: ShownRow): PhaseFigure {
  const st = o.probes.length > 1 && row !== 'hold' ? o.stats?.[row] : undefined;
  if (st) return { kind: 'stats', p50Ms: st.p50Ms, p95Ms: st.p95Ms };
  const probe = o.representative;
  if (row === 'total') return { kind: probe.ok ? 'done' : 'cut-short', ms: probe.totalMs };
  const timing = probe.phases[row];
  if (!timing) return { kind: 'not-reached' };
  return { kind: probe.failedPhase === row ? 'failed' : 'done', ms: timing.durationMs };
}

/**
 * The lines under a scenario on a terminal, each with its colour: why the expectation was missed, then the
 * diagnosis (quietly when it was the expected one, else with the fix and the line to edit).
 */
export function diagnosisLines(o: ScenarioOutcome, s: Style): Array<[Paint, string]> {
  const lines: Array<[Paint, string]> = [];
  const d = o.diagnosis;
  if (o.mismatch) lines.push([s.red, `✖ ${o.mismatch}`]);
  if (d && o.met) {
    lines.push([s.dim, `as expected: ${d.code}: ${d.message}`]);
  } else if (d) {
    lines.push([(t) => s.red(s.bold(t)), `${d.code}: ${d.message}`]);
    lines.push([(t) => t, `fix: ${d.hint}`]);
    lines.push([s.dim, `at ${fixLocationText(o.plan, d.code)}`]);
  }
  return lines;
}
