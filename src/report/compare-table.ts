// The side-by-side view: one column per variant (8883 vs 443+ALPN vs 443 without ALPN), one row per phase.
import Table from 'cli-table3';
import type { PlanSummary, RunReport, ScenarioOutcome } from '../run/result.js';
import {
  diagnosisLines,
  failurePaint,
  paintVerdict,
  phaseFigure,
  probeTally,
  verdictWords,
} from './cells.js';
import { fitWidth, hangingLines, textWidth } from './fit-width.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { scenarioWarnings } from './scenario-warnings.js';
import { anyHold, HOLD_LEGEND, holds, type ShownRow, shownRows } from './shown-phases.js';
import { plainStyle, type Style } from './style.js';
import { summaryLines } from './table.js';
import { NO_BORDERS } from './table-borders.js';

export interface CompareOptions {
  style?: Style;
  /** Total width to fit, in columns (default 100). */
  width?: number;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
}

type Row = ShownRow;

const LABEL_WIDTH = 8;
const MIN_COLUMN = 11;
const MAX_COLUMN = 20;
/** `123ms/1.25s ▲`: p50, p95 and a marker side by side. */
const P95_COLUMN = 15;
export const FASTEST_MARK = '▼';
export const SLOWEST_MARK = '▲';

/**
 * True when the scenarios are variants of one path that differ only in transport, port, ALPN, QoS or MQTT version:
 * the same endpoint, auth, proxy and verification. Steps, expectations and names may differ (a variant that is
 * meant to fail is still a variant). A matrix over `port`, `alpn` or `qos` is the typical case.
 */
export function shouldCompare(report: RunReport): boolean {
  const plans = report.scenarios.map((o) => o.plan);
  if (plans.length < 2) return false;
  const path = (p: PlanSummary) => JSON.stringify([p.endpoint, p.authType, p.proxy ?? '', p.insecure]);
  if (!plans.every((p) => path(p) === path(plans[0]!))) return false;
  const differs = (pick: (p: PlanSummary) => unknown) =>
    new Set(plans.map((p) => JSON.stringify(pick(p)))).size > 1;
  return (
    differs((p) => p.transport) ||
    differs((p) => p.port) ||
    differs((p) => p.alpn) ||
    differs((p) => p.qos) ||
    differs((p) => p.mqttVersion)
  );
}

/** The figure a cell compares: the p50 over warm probes with repeats, else the representative probe's time. */
interface Figure {
  p50Ms: number;
  p95Ms?: number;
}

/**
 * Only a finished phase (or its statistics) is compared; a failed one or a total cut short is not, nor the idle
 * `hold`, whose length the scenario chose.
 */
function figure(o: ScenarioOutcome, row: Row): Figure | undefined {
  if (row === 'hold') return undefined;
  const f = phaseFigure(o, row);
  if (f.kind === 'stats') return { p50Ms: f.p50Ms, p95Ms: f.p95Ms };
  return f.kind === 'done' ? { p50Ms: f.ms } : undefined;
}

function alpnText(o: ScenarioOutcome): string {
  const offered = o.plan.alpn.length > 0 ? o.plan.alpn.join(',') : 'none';
  const tls = o.representative.tls;
  const got = tls ? (tls.negotiatedAlpn ?? 'none') : undefined;
  return got === undefined || got === offered ? offered : `${offered} → ${got}`;
}

/** Rows that tell the variants apart, only for what actually differs. */
function variantRows(
  group: ScenarioOutcome[],
  all: ScenarioOutcome[],
): Array<[string, (o: ScenarioOutcome) => string]> {
  const rows: Array<[string, (o: ScenarioOutcome) => string]> = [
    ['port', (o) => `${o.plan.port} ${o.plan.transport}`],
    ['alpn', alpnText],
    ['qos', (o) => String(o.plan.qos)],
    ['mqtt', (o) => o.plan.mqttVersion],
  ];
  return rows.filter(([, text]) => new Set(all.map(text)).size > 1 || group.length === 1);
}

/** Breaks words longer than a column so cli-table3 wraps instead of truncating them with `…`. */
function cellText(text: string, width: number): string {
  return fitWidth(printable(text), width).join('\n');
}

function phaseCell(o: ScenarioOutcome, row: Row, rank: Rank, columnWidth: number, s: Style): string {
  const shown = phaseFigure(o, row);
  // Two trailing spaces stand where a ▼/▲ marker would be, so the figures stay aligned.
  if (shown.kind === 'failed') return `${failurePaint(o, s)(`✖ ${formatMs(shown.ms)}`)}  `;
  if (shown.kind === 'cut-short' || (row === 'hold' && shown.kind === 'done'))
    return `${s.dim(formatMs(shown.ms))}  `;
  const f = figure(o, row);
  if (!f) return `${s.dim('·')}  `;
  let text = formatMs(f.p50Ms);
  if (f.p95Ms !== undefined && columnWidth >= P95_COLUMN) text += s.dim(`/${formatMs(f.p95Ms)}`);
  if (rank.fastest.has(o)) return `${s.green(text)} ${s.green(FASTEST_MARK)}`;
  if (rank.slowest.has(o)) return `${s.yellow(text)} ${s.yellow(SLOWEST_MARK)}`;
  return `${text}  `;
}

/**
 * Whether a scenario's figures take part in ▼/▲: a single probe that is the run's cold one carries the process's
 * warm-up, so it would win ▲ for its column's place, not for the network. Repeated scenarios compare warm p50s.
 */
export function comparable(o: ScenarioOutcome): boolean {
  return o.probes.length > 1 || !o.representative.cold;
}

export interface Rank {
  fastest: Set<ScenarioOutcome>;
  slowest: Set<ScenarioOutcome>;
}

/**
 * The fastest and slowest variants of one row, across every variant (not only the column group shown). A total that
 * includes an idle hold is no latency, so it takes no mark.
 */
export function rank(all: readonly ScenarioOutcome[], row: Row): Rank {
  const timed = all.flatMap((o) => {
    const f = figure(o, row);
    return f && comparable(o) && !(row === 'total' && holds(o)) ? [{ o, ms: f.p50Ms }] : [];
  });
  const none = { fastest: new Set<ScenarioOutcome>(), slowest: new Set<ScenarioOutcome>() };
  if (timed.length < 2) return none;
  // Compare what the reader sees: two cells that print the same are a tie, not a winner and a loser.
  const shown = (ms: number) => formatMs(ms);
  const min = Math.min(...timed.map((t) => t.ms));
  const max = Math.max(...timed.map((t) => t.ms));
  if (shown(min) === shown(max)) return none;
  return {
    fastest: new Set(timed.filter((t) => shown(t.ms) === shown(min)).map((t) => t.o)),
    slowest: new Set(timed.filter((t) => shown(t.ms) === shown(max)).map((t) => t.o)),
  };
}

function renderGroup(
  group: ScenarioOutcome[],
  all: ScenarioOutcome[],
  rows: Row[],
  ranks: Map<Row, Rank>,
  columnWidth: number,
  s: Style,
): string {
  const table = new Table({
    head: ['', ...group.map((o) => s.bold(cellText(o.plan.id, columnWidth)))],
    colWidths: [LABEL_WIDTH, ...group.map(() => columnWidth)],
    colAligns: ['left', ...group.map(() => 'right' as const)],
    wordWrap: true,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    chars: NO_BORDERS,
  });
  table.push(['result', ...group.map((o) => paintVerdict(verdictWords(o, 'short'), s))]);
  // How many probes passed, where a scenario repeats: the row's name says what the count counts.
  if (all.some((o) => o.probes.length > 1)) {
    table.push([s.dim('passed'), ...group.map((o) => s.dim(`${o.passed} of ${o.probes.length}`))]);
  }
  for (const [label, text] of variantRows(group, all)) {
    table.push([s.dim(label), ...group.map((o) => s.dim(cellText(text(o), columnWidth)))]);
  }
  for (const row of rows) {
    table.push([
      row === 'total' ? s.bold(row) : row === 'hold' ? s.dim(row) : row,
      ...group.map((o) => phaseCell(o, row, ranks.get(row)!, columnWidth, s)),
    ]);
  }
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** What each variant's column cannot hold: its diagnosis, the fix and the line to edit, and its warnings. */
function notes(all: ScenarioOutcome[], width: number, now: Date, s: Style): string[] {
  const lines: string[] = [];
  const push = (paint: (t: string) => string, text: string, first: string, rest: string) => {
    lines.push(...hangingLines(printable(text), width, first, rest, paint));
  };
  for (const o of all) {
    const d = o.diagnosis;
    const warnings = scenarioWarnings(o, now, all);
    if (!d && !o.mismatch && warnings.length === 0) continue;
    push((t) => s.bold(t), o.plan.id, '', '');
    const tally = o.met ? undefined : probeTally(o);
    if (tally) push(s.dim, tally, '  ', '    ');
    for (const [paint, text] of diagnosisLines(o, s)) push(paint, text, '  ', '    ');
    for (const w of warnings) push((t) => s.yellow(s.bold(t)), `⚠ ${w.code}: ${w.message}`, '  ', '    ');
  }
  return lines;
}

/** Renders the variants side by side in column groups that fit `width`, then each variant's diagnosis. */
export function renderCompare(report: RunReport, options: CompareOptions = {}): string {
  const s = options.style ?? plainStyle;
  const width = Math.max(options.width ?? 100, LABEL_WIDTH + MIN_COLUMN + 1);
  const now = options.now ?? new Date(report.startedAt);
  const all = report.scenarios;
  if (all.length === 0) return `${summaryLines(report, s, width).join('\n')}\n`;
  const rows = shownRows(report);
  const ranks = new Map(rows.map((row) => [row, rank(all, row)]));
  // Each column costs its width plus one space; columns as wide as the longest word they show (up to MAX_COLUMN), so no word breaks that fewer columns keep whole.
  const words = all.flatMap((o) => [o.plan.id, ...variantRows(all, all).map(([, text]) => text(o))]);
  const longest = Math.max(...words.flatMap((w) => printable(w).split(' ')).map(textWidth));
  const fitted = Math.max(MIN_COLUMN, Math.min(MAX_COLUMN, longest, width - LABEL_WIDTH - 1));
  const perGroup = Math.max(1, Math.floor((width - LABEL_WIDTH) / (fitted + 1)));
  const groupCount = Math.ceil(all.length / perGroup);
  const size = Math.ceil(all.length / groupCount);
  const columnWidth = Math.min(MAX_COLUMN, Math.floor((width - LABEL_WIDTH) / size) - 1);
  const blocks: string[] = [];
  // 7 columns in groups of at most 3 go 3, 2, 2: no group is left with a lone column.
  for (let i = 0, left = groupCount; i < all.length; left--) {
    const n = Math.ceil((all.length - i) / left);
    blocks.push(renderGroup(all.slice(i, i + n), all, rows, ranks, columnWidth, s));
    i += n;
  }
  const legend = [
    `${FASTEST_MARK} fastest, ${SLOWEST_MARK} slowest of the row; ✖ the phase that failed, with the time it waited`,
  ];
  if (all.some((o) => o.probes.length === 1 && o.representative.cold)) {
    legend.push('unmarked: the run’s first, cold probe, whose times include the process’s warm-up');
  }
  if (all.some((o) => o.probes.length > 1)) {
    legend.push(
      columnWidth >= P95_COLUMN
        ? 'repeated scenarios: p50/p95 of the warm probes (the run’s first probe is cold, left out)'
        : 'repeated scenarios: p50 of the warm probes (the run’s first probe is cold, left out)',
    );
  }
  if (anyHold(report)) legend.push(`${HOLD_LEGEND}, where it takes no ${FASTEST_MARK}/${SLOWEST_MARK}`);
  const out = [blocks.join('\n\n'), ...legend.flatMap((l) => fitWidth(l, width)).map((l) => s.dim(l))];
  const noteLines = notes(all, width, now, s);
  if (noteLines.length > 0) out.push('', ...noteLines);
  out.push('', ...summaryLines(report, s, width));
  return `${out.join('\n')}\n`;
}
