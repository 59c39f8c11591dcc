// How each phase looks in the page's charts: a colour and a pattern, so phases stay apart in greyscale print too.
import type { Phase } from '../../scenario/phases.js';
import { formatMs } from '../format-ms.js';
import { type HtmlFragment, html } from './escape.js';

/** SVG path of one pattern tile (6×6 user units), drawn dark over the phase's colour. */
type Pattern = 'none' | 'slash' | 'backslash' | 'cross' | 'horizontal' | 'vertical' | 'dots' | 'grid';

/** Colours from Okabe and Ito's palette for colour-blind readers; each phase has its own pattern as well. */
export const PHASE_LOOK: Record<Phase, { colour: string; pattern: Pattern }> = {
  dns: { colour: '#56b4e9', pattern: 'none' },
  tcp: { colour: '#0072b2', pattern: 'slash' },
  proxy: { colour: '#cc79a7', pattern: 'dots' },
  tls: { colour: '#009e73', pattern: 'cross' },
  ws: { colour: '#f0e442', pattern: 'vertical' },
  connack: { colour: '#e69f00', pattern: 'horizontal' },
  suback: { colour: '#d55e00', pattern: 'backslash' },
  puback: { colour: '#9467bd', pattern: 'grid' },
  receive: { colour: '#44aa99', pattern: 'slash' },
  hold: { colour: '#c8c8c8', pattern: 'none' },
};

const TILE: Record<Exclude<Pattern, 'none'>, string> = {
  slash: 'M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2',
  backslash: 'M-1,5 l2,2 M0,0 l6,6 M5,-1 l2,2',
  cross: 'M0,0 l6,6 M6,0 l-6,6',
  horizontal: 'M0,3 h6',
  vertical: 'M3,0 v6',
  dots: 'M2.5,2.5 h1 v1 h-1 z',
  grid: 'M0,0.5 h6 M0.5,0 v6',
};

/** A failed phase: hatched in red (missed) or amber (failed as expected), whatever the phase. */
export const FAILED_LOOK = {
  missed: { colour: '#f4c7c3', stroke: '#b3261e' },
  expected: { colour: '#fbe3b0', stroke: '#8a5a00' },
} as const;

/** Which failure hatching an SVG draws. */
export type FailedKind = keyof typeof FAILED_LOOK;

/** The `<defs>` of one SVG: a pattern per phase shown, and the hatching of the failures it draws, ids under `prefix`. */
export function patternDefs(
  prefix: string,
  phases: readonly Phase[],
  failures: readonly FailedKind[] = [],
): HtmlFragment {
  const tiles = phases.flatMap((phase) => {
    const { pattern } = PHASE_LOOK[phase];
    if (pattern === 'none') return [];
    return [
      html`<pattern id="${prefix}-${phase}" width="6" height="6" patternUnits="userSpaceOnUse"><path d="${TILE[pattern]}" stroke="#000" stroke-opacity="0.45" stroke-width="1" fill="#000" fill-opacity="0.45"/></pattern>`,
    ];
  });
  const hatch = [...new Set(failures)].map(
    (kind) =>
      html`<pattern id="${prefix}-failed-${kind}" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="${FAILED_LOOK[kind].colour}"/><path d="${TILE.slash}" stroke="${FAILED_LOOK[kind].stroke}" stroke-width="1.2"/></pattern>`,
  );
  return html`<defs>${tiles}${hatch}</defs>`;
}

/** A rectangle in a phase's look: its colour, its pattern over it, and a tooltip. */
export function phaseRect(options: {
  prefix: string;
  phase: Phase;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Drawn hatched, as the phase that failed; `expected` when the failure was the one asked for. */
  failed?: FailedKind;
  title: string;
}): HtmlFragment {
  const { prefix, phase, failed, title } = options;
  const [x, y, w, h] = [options.x, options.y, Math.max(options.width, 1), options.height].map(svgNumber);
  if (failed) {
    return html`<g class="phase failed ${failed}"><title>${title}</title><rect x="${x}" y="${y}" width="${w}" height="${h}" fill="url(#${prefix}-failed-${failed})" stroke="${FAILED_LOOK[failed].stroke}" stroke-width="1"/></g>`;
  }
  const look = PHASE_LOOK[phase];
  const overlay =
    look.pattern === 'none'
      ? undefined
      : html`<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="url(#${prefix}-${phase})"/>`;
  return html`<g class="phase ${phase}"><title>${title}</title><rect x="${x}" y="${y}" width="${w}" height="${h}" fill="${look.colour}"/>${overlay}</g>`;
}

/** A legend swatch for a phase, as a small inline SVG beside its name. */
export function phaseSwatch(prefix: string, phase: Phase): HtmlFragment {
  return html`<svg class="swatch" width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">${patternDefs(prefix, [phase])}${phaseRect({ prefix, phase, x: 0, y: 0, width: 14, height: 14, title: phase })}</svg>`;
}

/** A coordinate for an SVG attribute: at most one decimal, no exponent. */
export function svgNumber(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/**
 * The time axis of a chart: grid lines at round steps (1, 2, 2.5 or 5 times a power of ten) from 0 to `axisMs`,
 * about `count` + 1 of them, placed by `x`, the labels on the baseline `labelY` and the lines from `top` to `bottom`.
 */
export function axisTicks(options: {
  axisMs: number;
  x: (ms: number) => number;
  labelY: number;
  top: number;
  bottom: number;
  count?: number;
}): HtmlFragment[] {
  const { axisMs, x, labelY, top, bottom, count = 4 } = options;
  const step = axisMs > 0 ? roundStep(axisMs, count) : 1;
  const ticks = Array.from({ length: Math.floor(axisMs / step + 1e-9) + 1 }, (_, i) => i * step);
  return ticks.map((ms, i) => {
    const at = svgNumber(x(ms));
    // A label close to the axis's end ends there, so it never runs past the chart.
    const anchor = i === 0 ? 'start' : ms > axisMs - step / 3 ? 'end' : 'middle';
    return html`<line class="grid" x1="${at}" x2="${at}" y1="${svgNumber(top)}" y2="${svgNumber(bottom)}"/><text class="axis" x="${at}" y="${svgNumber(labelY)}" text-anchor="${anchor}">${i === 0 ? '0' : formatMs(ms)}</text>`;
  });
}

/** The round step (1, 2, 2.5 or 5 times a power of ten) that cuts `axisMs` into the nearest to `count` parts. */
export function roundStep(axisMs: number, count: number): number {
  const power = Math.floor(Math.log10(axisMs / count));
  const steps = [power - 1, power, power + 1].flatMap((p) => [1, 2, 2.5, 5].map((f) => f * 10 ** p));
  const misfit = (step: number) => Math.abs(Math.floor(axisMs / step + 1e-9) - count);
  // The first best, from the largest step down: a tie goes to fewer, rounder labels.
  return steps.reverse().reduce((best, step) => (misfit(step) < misfit(best) ? step : best));
}
