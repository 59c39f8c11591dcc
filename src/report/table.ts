// The default view: one row per scenario with its verdict and per-phase latency, and the diagnosis under failures.
import Table from 'cli-table3';
import type { RunReport, ScenarioOutcome } from '../run/result.js';
import type { Phase, TimedPhase } from '../scenario/phases.js';
import {
  diagnosisLines,
  failurePaint,
  type Paint,
  paintVerdict,
  phaseFigure,
  verdictWords,
} from './cells.js';
import { fitWidth } from './fit-width.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { scenarioWarnings } from './scenario-warnings.js';
import { shownPhases } from './shown-phases.js';
import { plainStyle, type Style } from './style.js';
import { NO_BORDERS } from './table-borders.js';

export interface TableOptions {
  style?: Style;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
  /** Total width to fit, in columns (default 100). */
  width?: number;
}

const HEADS: Partial<Record<Phase | 'total', string>> = {
  connack: 'connack',
  suback: 'suback',
  puback: 'puback',
  receive: 'receive',
};
const PHASE_WIDTH = 7;
const RESULT_WIDTH = 12;

/** A repeated scenario shows p50 above p95; a failed phase is marked ✖ with the time it waited. */
function phaseCell(o: ScenarioOutcome, phase: TimedPhase | 'total', s: Style): string {
  const f = phaseFigure(o, phase);
  switch (f.kind) {
    case 'stats':
      return `${formatMs(f.p50Ms)}\n${s.dim(formatMs(f.p95Ms))}`;
    case 'done':
      return formatMs(f.ms);
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

/** Renders the run as a table that fits `width` columns. */
export function renderTable(report: RunReport, options: TableOptions = {}): string {
  const s = options.style ?? plainStyle;
  const width = options.width ?? 100;
  const now = options.now ?? new Date(report.startedAt);
  const phases = [...shownPhases(report), 'total' as const];
  // One space between columns, none at the edges; the scenario column takes what the fixed columns leave.
  const fixed = RESULT_WIDTH + phases.length * PHASE_WIDTH + (phases.length + 1);
  const scenarioWidth = Math.max(20, width - fixed);
  const spanWidth = scenarioWidth + RESULT_WIDTH + phases.length * PHASE_WIDTH;
  const table = new Table({
    head: ['scenario', 'result', ...phases.map((p) => HEADS[p] ?? p)].map((h) => s.bold(h)),
    colWidths: [scenarioWidth, RESULT_WIDTH, ...phases.map(() => PHASE_WIDTH)],
    colAligns: ['left', 'left', ...phases.map(() => 'right' as const)],
    wordWrap: true,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    chars: NO_BORDERS,
  });
  for (const o of report.scenarios) {
    table.push([
      s.bold(printable(o.plan.id)),
      paintVerdict(verdictWords(o, 'short'), s),
      ...phases.map((p) => phaseCell(o, p, s)),
    ]);
    for (const [paint, text] of [
      [s.dim, targetLine(o)] as [Paint, string],
      ...detailLines(o, s, now, report.scenarios),
    ]) {
      // cli-table3 wraps a spanning cell at the sum of its columns' widths, the separators not counted.
      fitWidth(printable(text), spanWidth - 4).forEach((piece, i) => {
        table.push([{ colSpan: phases.length + 2, content: `${i === 0 ? '  ' : '    '}${paint(piece)}` }]);
      });
    }
  }
  const lines = [
    table
      .toString()
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n'),
  ];
  if (report.scenarios.some((o) => o.probes.length > 1)) {
    lines.push(
      s.dim('repeated scenarios: p50 above p95 of the warm probes (the run’s first probe is cold, left out)'),
    );
  }
  lines.push(summaryLine(report, s));
  return `${lines.join('\n')}\n`;
}

/** `5 scenarios: 4 met, 1 missed (2.31s)` */
export function summaryLine(report: RunReport, s: Style): string {
  const { total, met, missed } = report.summary;
  const parts = [`${total} scenario${total === 1 ? '' : 's'}: ${s.green(`${met} met`)}`];
  if (missed > 0) parts.push(s.red(s.bold(`${missed} missed`)));
  let line = `${parts.join(', ')} ${s.dim(`(${formatMs(report.durationMs)})`)}`;
  if (report.interrupted)
    line += s.yellow(
      `\ninterrupted: ${report.notRun.length} scenario(s) did not finish: ${report.notRun.join(', ')}`,
    );
  return line;
}
