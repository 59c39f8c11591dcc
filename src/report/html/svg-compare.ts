// The side-by-side comparison as a chart: one bar per scenario, its phases stacked, every bar on one time axis.
import type { RunReport, ScenarioOutcome } from '../../run/result.js';
import { PHASES, type Phase } from '../../scenario/phases.js';
import { phaseFigure, verdictWords } from '../cells.js';
import { FASTEST_MARK, rank, SLOWEST_MARK } from '../compare-table.js';
import { formatMs } from '../format-ms.js';
import { waterfallRows } from '../waterfall.js';
import { type HtmlFragment, html } from './escape.js';
import { axisTicks, type FailedKind, patternDefs, phaseRect, phaseSwatch } from './phase-look.js';
import { failedKind } from './svg-waterfall.js';

const WIDTH = 900;
const LABEL_RIGHT = 250;
const BAR_LEFT = 258;
const BAR_RIGHT = 700;
const FIGURE_LEFT = 708;
const ROW = 26;
const BAR = 16;
const HEAD = 22;
/**
 * Characters of a scenario name the label column holds (monospace at 12 px, after the verdict mark); the whole name
 * is in the bar's tooltip and the tables.
 */
const LABEL_CHARS = 30;

/** A stretch of a bar: the time a phase added after the phases before it (receive overlaps puback, say). */
interface Segment {
  phase: Phase;
  fromMs: number;
  toMs: number;
  durationMs: number;
  failed: boolean;
}

function segments(o: ScenarioOutcome): Segment[] {
  let reached = 0;
  const out: Segment[] = [];
  for (const { phase, timing, failed } of waterfallRows(o, o.representative)) {
    // An idle hold is no latency: its length would only squash the bars that are (the total says it is there).
    if (!timing || phase === 'hold') continue;
    const endMs = timing.startMs + timing.durationMs;
    const fromMs = Math.max(reached, timing.startMs);
    if (endMs > fromMs) out.push({ phase, fromMs, toMs: endMs, durationMs: timing.durationMs, failed });
    reached = Math.max(reached, endMs);
  }
  return out;
}

/** The total as the comparison table shows it: p50/p95 when repeated, the time otherwise, ▼/▲ for the extremes. */
export function totalText(o: ScenarioOutcome, marks: ReturnType<typeof rank>): string {
  const f = phaseFigure(o, 'total');
  const text =
    f.kind === 'stats'
      ? `p50 ${formatMs(f.p50Ms)} / p95 ${formatMs(f.p95Ms)}`
      : f.kind === 'not-reached'
        ? '·'
        : f.kind === 'cut-short'
          ? `${formatMs(f.ms)} (cut short)`
          : formatMs(f.ms);
  const hold = o.representative.phases.hold;
  if (hold) return `${text}, ${formatMs(hold.durationMs)} of it a hold`;
  if (marks.fastest.has(o)) return `${text} ${FASTEST_MARK}`;
  if (marks.slowest.has(o)) return `${text} ${SLOWEST_MARK}`;
  return text;
}

function shortLabel(text: string): string {
  const chars = [...text];
  return chars.length <= LABEL_CHARS ? text : `${chars.slice(0, LABEL_CHARS - 1).join('')}…`;
}

/**
 * The comparison chart with its legend. Each bar is the scenario's representative probe (the failing one, else
 * the median by total time); the figure beside it is the total the tables show (p50/p95 of warm probes when
 * repeated), with ▼ for the fastest and ▲ for the slowest, as the terminal's side-by-side view marks them.
 */
export function compareChart(report: RunReport, options: { id?: string; limit?: number } = {}): HtmlFragment {
  const id = options.id ?? 'cmp';
  const all = report.scenarios;
  // The marks are ranked over every scenario, as in the tables, whichever are drawn.
  const bars = all.slice(0, options.limit ?? all.length).map((o) => ({ o, segments: segments(o) }));
  const axisMs = Math.max(0.001, ...bars.flatMap((b) => b.segments.map((s) => s.toMs)));
  const x = (ms: number) => BAR_LEFT + (ms / axisMs) * (BAR_RIGHT - BAR_LEFT);
  const marks = rank(all, 'total');
  const drawn = PHASES.filter((phase) => bars.some((b) => b.segments.some((s) => s.phase === phase)));
  const failures = bars.flatMap((b) => (b.segments.some((s) => s.failed) ? [failedKind(b.o)] : []));
  const height = HEAD + bars.length * ROW + 6;
  const ticks = axisTicks({ axisMs, x, labelY: 13, top: HEAD - 4, bottom: height - 4 });
  const rows = bars.map(({ o, segments: segs }, i) => {
    const top = HEAD + i * ROW;
    const baseline = top + 17;
    const v = verdictWords(o, 'short');
    const kind: FailedKind = failedKind(o);
    const drawnSegments = segs.map((s) =>
      phaseRect({
        prefix: id,
        phase: s.phase,
        x: x(s.fromMs),
        y: top + (ROW - BAR) / 2,
        width: x(s.toMs) - x(s.fromMs),
        height: BAR,
        ...(s.failed ? { failed: kind } : {}),
        title: `${o.plan.id} · ${s.phase}${s.failed ? ' failed' : ''}: ${formatMs(s.durationMs)}`,
      }),
    );
    return html`<g class="row ${v.met ? 'met' : 'missed'}"><title>${o.plan.id}</title><text class="label" x="${LABEL_RIGHT}" y="${baseline}" text-anchor="end">${`${v.met ? '✔' : '✖'} ${shortLabel(o.plan.id)}`}</text>${drawnSegments}<text class="figure" x="${FIGURE_LEFT}" y="${baseline}">${totalText(o, marks)}</text></g>`;
  });
  const legend = drawn.map((phase) => html`<li>${phaseSwatch(`${id}-legend`, phase)} ${phase}</li>`);
  const failedLegend =
    failures.length > 0
      ? html`<li><span class="hatch" aria-hidden="true">▨</span> the phase that failed (hatched)</li>`
      : undefined;
  return html`<figure class="compare"><svg class="compare-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="comparison of every scenario's phases on one time axis"><title>comparison of every scenario's phases on one time axis</title>${patternDefs(id, drawn, failures)}${ticks}${rows}</svg><figcaption><ul class="legend">${legend}${failedLegend}</ul><p class="note">Each bar is a scenario's representative probe (the failing one, else the median by total time), its phases stacked on one time axis; beside it the total as the tables show it. ${FASTEST_MARK} fastest, ${SLOWEST_MARK} slowest; the run’s first, cold probe takes no mark.</p></figcaption></figure>`;
}
