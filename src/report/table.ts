// The default view: one row per scenario with its verdict and per-phase latency, and the diagnosis under failures.
import Table from 'cli-table3';
import type { RunReport, ScenarioOutcome } from '../run/result.js';
import {
  diagnosisLines,
  failurePaint,
  type Paint,
  paintVerdict,
  phaseFigure,
  probeTally,
  verdictWords,
} from './cells.js';
import { fitWidth, hangingLines, textWidth } from './fit-width.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { scenarioWarnings } from './scenario-warnings.js';
import { anyHold, HOLD_LEGEND, type ShownRow, shownRows } from './shown-phases.js';
import { plainStyle, type Style } from './style.js';
import { NO_BORDERS } from './table-borders.js';

export interface TableOptions {
  style?: Style;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
  /** Total width to fit, in columns (default 100). */
  width?: number;
}

const PHASE_WIDTH = 7;
/** `✔ expected`, the widest verdict. */
const RESULT_WIDTH = 10;
/** The scenario column grows with its names up to this many columns, then names wrap; wider terminals keep the rest. */
export const NAME_CAP = 40;
/** Narrower than this, the scenario column would wrap every name: the phases go into blocks instead. */
const NAME_MIN = 14;

/** A repeated scenario shows p50 above p95; a failed phase is marked ✖ with the time it waited; `hold` is dim. */
function phaseCell(o: ScenarioOutcome, row: ShownRow, s: Style): string {
  const f = phaseFigure(o, row);
  switch (f.kind) {
    case 'stats':
      return `${formatMs(f.p50Ms)}\n${s.dim(formatMs(f.p95Ms))}`;
    case 'done':
      return row === 'hold' ? s.dim(formatMs(f.ms)) : formatMs(f.ms);
    case 'cut-short':
      return s.dim(formatMs(f.ms));
    case 'failed':
      return failurePaint(o, s)(`✖${formatMs(f.ms)}`);
    case 'not-reached':
      return s.dim('·');
  }
}

/** `host:port mqtts · alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · qos 1 · mqtt 3.1.1`: what was offered and what came back. */
export function targetLine(o: ScenarioOutcome): string {
  const p = o.plan;
  const parts = [`${p.endpoint}:${p.port} ${p.transport}`];
  if (p.transport === 'mqtts' || p.transport === 'wss') {
    const offered = p.alpn.length > 0 ? p.alpn.join(',') : 'none';
    const tls = o.representative.tls;
    parts.push(`alpn ${offered}${tls ? ` → ${tls.negotiatedAlpn ?? 'none'}` : ''}`);
  }
  parts.push(`qos ${p.qos}`, `mqtt ${p.mqttVersion}`);
  if (p.proxy) parts.push(`via ${p.proxy}`);
  return parts.join(' · ');
}

/** The lines under a scenario, each with its colour: mismatch, diagnosis, fix with the line to edit, warnings. */
export function detailLines(
  o: ScenarioOutcome,
  s: Style,
  now: Date,
  run: readonly ScenarioOutcome[] = [o],
): Array<[Paint, string]> {
  const lines = diagnosisLines(o, s);
  if (o.plan.insecure) {
    lines.push([
      (t) => s.yellow(s.bold(t)),
      '⚠ tls.insecure: the server certificate was NOT verified; anyone in the path could have answered',
    ]);
  }
  for (const w of scenarioWarnings(o, now, run)) {
    if (w.code !== 'tls.insecure') lines.push([s.yellow, `⚠ ${w.code}: ${w.message}`]);
  }
  return lines;
}

/** Every line of text a view prints under a scenario: the target, the probe count, then `detailLines`. */
function notesOf(
  o: ScenarioOutcome,
  s: Style,
  now: Date,
  run: readonly ScenarioOutcome[],
): Array<[Paint, string]> {
  const tally = probeTally(o);
  return [
    [s.dim, targetLine(o)],
    ...(tally ? [[s.dim, tally] as [Paint, string]] : []),
    ...detailLines(o, s, now, run),
  ];
}

/** Each note wrapped once to `width`, under a two-space indent with a hanging indent of four. */
function wrapNotes(notes: Array<[Paint, string]>, width: number): string[] {
  return notes.flatMap(([paint, text]) => hangingLines(printable(text), width, '  ', '    ', paint));
}

interface Layout {
  nameWidth: number;
  /** The figure columns of each block; one block when everything fits side by side. */
  blocks: ShownRow[][];
}

/**
 * The scenario column as wide as its longest name (at most NAME_CAP), narrower down to NAME_MIN when the width asks;
 * below that the figure columns split into blocks, each repeating the scenario and result columns.
 */
function layout(rows: ShownRow[], names: string[], width: number): Layout {
  const want = Math.min(NAME_CAP, Math.max('scenario'.length, ...names.map(textWidth)));
  // One space between columns, none at the edges.
  const fixed = (k: number) => RESULT_WIDTH + 1 + k * (PHASE_WIDTH + 1);
  if (want + fixed(rows.length) <= width) return { nameWidth: want, blocks: [rows] };
  if (width - fixed(rows.length) >= NAME_MIN)
    return { nameWidth: width - fixed(rows.length), blocks: [rows] };
  const perBlock = Math.max(1, Math.floor((width - NAME_MIN - RESULT_WIDTH - 1) / (PHASE_WIDTH + 1)));
  const count = Math.ceil(rows.length / perBlock);
  const size = Math.ceil(rows.length / count);
  const blocks: ShownRow[][] = [];
  for (let i = 0; i < rows.length; i += size) blocks.push(rows.slice(i, i + size));
  return { nameWidth: Math.max(NAME_MIN, Math.min(want, width - fixed(size))), blocks };
}

/** One line-up of cells with the block's column widths, trailing spaces trimmed. */
function gridLines(cells: string[], nameWidth: number, rows: ShownRow[]): string[] {
  const table = new Table({
    colWidths: [nameWidth, RESULT_WIDTH, ...rows.map(() => PHASE_WIDTH)],
    colAligns: ['left', 'left', ...rows.map(() => 'right' as const)],
    wordWrap: true,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    chars: NO_BORDERS,
  });
  table.push(cells);
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd());
}

/** A name wrapped to its column, bold line by line, so no word is cut and nothing of the name is lost. */
function nameCell(id: string, width: number, s: Style): string {
  return fitWidth(printable(id), width)
    .map((line) => s.bold(line))
    .join('\n');
}

/** Renders the run as a table that fits `width` columns. */
export function renderTable(report: RunReport, options: TableOptions = {}): string {
  const s = options.style ?? plainStyle;
  const width = options.width ?? 100;
  const now = options.now ?? new Date(report.startedAt);
  const all = report.scenarios;
  const { nameWidth, blocks } = layout(
    shownRows(report),
    all.map((o) => printable(o.plan.id)),
    width,
  );
  const out: string[] = [];
  for (const [i, rows] of blocks.entries()) {
    if (i > 0) out.push('');
    out.push(
      ...gridLines(
        ['scenario', 'result', ...rows].map((h) => s.bold(h)),
        nameWidth,
        rows,
      ),
    );
    for (const o of all) {
      const cells = [nameCell(o.plan.id, nameWidth, s), paintVerdict(verdictWords(o, 'short'), s)];
      out.push(...gridLines([...cells, ...rows.map((row) => phaseCell(o, row, s))], nameWidth, rows));
      // Side by side, each scenario's notes sit under its row; in blocks, they follow the last block.
      if (blocks.length === 1) out.push(...wrapNotes(notesOf(o, s, now, all), width));
    }
  }
  if (blocks.length > 1) {
    for (const o of all) {
      out.push('', ...fitWidth(printable(o.plan.id), width).map((l) => s.bold(l)));
      out.push(...wrapNotes(notesOf(o, s, now, all), width));
    }
    out.push('');
  }
  const legend: string[] = [];
  if (all.some((o) => o.probes.length > 1)) {
    legend.push(
      'repeated scenarios: p50 above p95 of the warm probes (the run’s first probe is cold, left out)',
    );
  }
  if (anyHold(report)) legend.push(HOLD_LEGEND);
  out.push(...legend.flatMap((l) => fitWidth(l, width)).map((l) => s.dim(l)));
  out.push(...summaryLines(report, s, width));
  return `${out.join('\n')}\n`;
}

/** `5 scenarios: 4 met, 1 missed (2.31s)`, and which scenarios an interruption left unfinished, wrapped to `width`. */
export function summaryLines(report: RunReport, s: Style, width = 100): string[] {
  const { total, met, missed } = report.summary;
  const parts = [`${total} scenario${total === 1 ? '' : 's'}: ${s.green(`${met} met`)}`];
  if (missed > 0) parts.push(s.red(s.bold(`${missed} missed`)));
  const lines = [`${parts.join(', ')} ${s.dim(`(${formatMs(report.durationMs)})`)}`];
  if (report.interrupted) {
    const n = report.notRun.length;
    const text = `interrupted: ${n} scenario${n === 1 ? '' : 's'} did not finish: ${report.notRun.map(printable).join(', ')}`;
    lines.push(...hangingLines(text, width, '', '  ', s.yellow));
  }
  return lines;
}
