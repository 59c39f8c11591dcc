// One probe's waterfall as SVG: the rows and axis of the terminal waterfall (report/waterfall.ts), drawn to scale.
import type { RunProbe, ScenarioOutcome } from '../../run/result.js';
import { formatMs } from '../format-ms.js';
import { waterfallRows, waterfallScale } from '../waterfall.js';
import { type HtmlFragment, html } from './escape.js';
import { axisTicks, type FailedKind, patternDefs, phaseRect, svgNumber } from './phase-look.js';

const WIDTH = 900;
const ROW = 22;
const BAR = 14;
const HEAD = 24;
/** Right edges of the duration and "at end" columns, and where the bars start and end. */
const TIME_RIGHT = 150;
const END_RIGHT = 222;
const BAR_LEFT = 236;
const BAR_RIGHT = WIDTH - 8;

/** Whether a failure is drawn as missed (red) or as the one the scenario expected (amber). */
export function failedKind(o: ScenarioOutcome): FailedKind {
  return o.met ? 'expected' : 'missed';
}

/**
 * The waterfall of one probe of a scenario: a row per phase it ran or planned, each bar placed on the probe's own
 * time axis (so receive overlapping puback shows as it happened), the failed phase hatched and marked ✖, the phases
 * never reached said so, and the total. `id` keeps the SVG's pattern ids apart from other SVGs of the page.
 */
export function waterfallSvg(o: ScenarioOutcome, probe: RunProbe, id: string): HtmlFragment {
  const rows = waterfallRows(o, probe);
  const { axisMs, activeMs } = waterfallScale(probe);
  const kind = failedKind(o);
  const height = HEAD + (rows.length + 1) * ROW + 4;
  const width = BAR_RIGHT - BAR_LEFT;
  // As on the terminal: a hold longer than the rest gets the last quarter, after ≈, on a scale of its own.
  const active = activeMs === undefined ? width : width * 0.75;
  const x = (ms: number) =>
    activeMs === undefined
      ? BAR_LEFT + (ms / axisMs) * width
      : ms <= activeMs
        ? BAR_LEFT + (ms / activeMs) * active
        : BAR_LEFT + active + ((ms - activeMs) / (axisMs - activeMs)) * (width - active);
  const ticks =
    activeMs === undefined
      ? axisTicks({ axisMs, x, labelY: 14, top: HEAD - 6, bottom: height - 4 })
      : [
          ...axisTicks({ axisMs: activeMs, x, labelY: 14, top: HEAD - 6, bottom: height - 4, count: 3 }),
          html`<text class="axis" x="${BAR_RIGHT}" y="14" text-anchor="end">${`≈ ${formatMs(axisMs)}`}</text>`,
        ];
  const lines = rows.map(({ phase, timing, failed }, i) => {
    const top = HEAD + i * ROW;
    const baseline = top + 15;
    const label = html`<text class="label" x="0" y="${baseline}">${phase}</text>`;
    if (!timing) {
      return html`<g class="row not-reached">${label}<text class="figure" x="${TIME_RIGHT}" y="${baseline}" text-anchor="end">·</text><text class="note" x="${BAR_LEFT}" y="${baseline}">not reached</text></g>`;
    }
    const endMs = timing.startMs + timing.durationMs;
    const title = `${phase}${failed ? ' failed' : ''}: ${formatMs(timing.durationMs)}, from ${formatMs(timing.startMs)} to ${formatMs(endMs)}`;
    const bar = phaseRect({
      prefix: id,
      phase,
      x: x(timing.startMs),
      y: top + (ROW - BAR) / 2,
      width: x(endMs) - x(timing.startMs),
      height: BAR,
      ...(failed ? { failed: kind } : {}),
      title,
    });
    const figure = `${failed ? '✖ ' : ''}${formatMs(timing.durationMs)}`;
    return html`<g class="row${failed ? ` failed ${kind}` : ''}${phase === 'hold' ? ' hold' : ''}">${label}<text class="figure" x="${TIME_RIGHT}" y="${baseline}" text-anchor="end">${figure}</text><text class="figure" x="${END_RIGHT}" y="${baseline}" text-anchor="end">${formatMs(endMs)}</text>${bar}</g>`;
  });
  const totalTop = HEAD + rows.length * ROW;
  const totalBaseline = totalTop + 15;
  const total = html`<g class="row total"><text class="label" x="0" y="${totalBaseline}">total</text><text class="figure" x="${TIME_RIGHT}" y="${totalBaseline}" text-anchor="end">${formatMs(probe.totalMs)}</text><text class="figure" x="${END_RIGHT}" y="${totalBaseline}" text-anchor="end">${formatMs(probe.totalMs)}</text><line class="span" x1="${BAR_LEFT}" x2="${svgNumber(x(probe.totalMs))}" y1="${totalTop + 11}" y2="${totalTop + 11}"/></g>`;
  const drawn = rows.filter((r) => r.timing).map((r) => r.phase);
  return html`<svg class="waterfall-chart" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${`waterfall of ${o.plan.id}`}"><title>${`waterfall of ${o.plan.id}: ${formatMs(probe.totalMs)}`}</title>${patternDefs(id, drawn, rows.some((r) => r.failed) ? [kind] : [])}<text class="head" x="0" y="14">phase</text><text class="head" x="${TIME_RIGHT}" y="14" text-anchor="end">time</text><text class="head" x="${END_RIGHT}" y="14" text-anchor="end">at end</text>${ticks}${lines}${total}</svg>`;
}
