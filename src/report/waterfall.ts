// The httpstat-like view: per scenario, one bar per phase on the probe's time axis, then what TLS negotiated.

import { familyName, outcomeWords } from '../probe/diagnosis/family-words.js';
import type { RunProbe, RunReport, ScenarioOutcome } from '../run/result.js';
import { PHASES, type Phase, plannedPhases } from '../scenario/phases.js';
import { diagnosisLines, failurePaint, type Paint, paintVerdict, probeTally, verdictWords } from './cells.js';
import { fitWidth, hangingLines, textWidth } from './fit-width.js';
import { formatMs } from './format-ms.js';
import { printable } from './printable-text.js';
import { CERT_EXPIRY_WARNING_DAYS, daysUntil, scenarioWarnings } from './scenario-warnings.js';
import { anyHold } from './shown-phases.js';
import { plainStyle, type Style } from './style.js';
import { summaryLines, targetLine } from './table.js';

export interface WaterfallOptions {
  style?: Style;
  /** Total width to fit, in columns (default 100). */
  width?: number;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
}

const LABEL = 9;
const FIGURE = 8;
/** `  phase       time   at end  ` before the bar. */
const PREFIX = 2 + LABEL + FIGURE + FIGURE + 2;
const MIN_BAR = 10;
export const BAR_CHAR = '█';
export const FAILED_BAR_CHAR = '░';
/** The idle hold is drawn as a line, not a bar: time the scenario chose to wait, not time the network took. */
export const HOLD_BAR_CHAR = '─';
const HOLD_LEGEND =
  'hold ─: the connection kept idle for the scenario’s `hold`, ended by one answered PINGREQ: idle time, not latency; a hold longer than the rest is drawn on a shorter scale, after ≈';

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const room = Math.max(0, width - textWidth(text));
  return align === 'left' ? text + ' '.repeat(room) : ' '.repeat(room) + text;
}

/** Maps a time on the probe's timeline to a column of the bar. */
type Axis = (ms: number) => number;

function bar(startMs: number, endMs: number, x: Axis, barWidth: number, char: string): string {
  const from = Math.min(barWidth - 1, Math.floor(x(startMs)));
  const to = Math.max(from + 1, Math.min(barWidth, Math.round(x(endMs))));
  return ' '.repeat(from) + char.repeat(to - from);
}

/**
 * The time axis, and its scale line. Linear, unless an idle hold is longer than everything else: then the phases
 * that wait on the network keep most of the width on a scale of their own, and the hold's line gets the rest
 * (after `≈`), so a 5-minute hold does not squash every other bar into one column.
 */
function timeAxis(probe: RunProbe, ran: readonly Phase[], barWidth: number): { x: Axis; scale: string } {
  const endOf = (phase: Phase) => probe.phases[phase]!.startMs + probe.phases[phase]!.durationMs;
  const axisMs = Math.max(probe.totalMs, ...ran.map(endOf), 0.001);
  const hold = probe.phases.hold;
  const activeMs = Math.max(0.001, ...ran.filter((phase) => phase !== 'hold').map(endOf));
  const tail = Math.max(8, Math.floor(barWidth / 4));
  if (!hold || hold.durationMs <= activeMs || barWidth < 3 * tail) {
    return { x: (ms) => (ms / axisMs) * barWidth, scale: `0${pad(formatMs(axisMs), barWidth - 1, 'right')}` };
  }
  const active = barWidth - tail;
  return {
    x: (ms) =>
      ms <= activeMs ? (ms / activeMs) * active : active + ((ms - activeMs) / (axisMs - activeMs)) * tail,
    scale: `0${pad(formatMs(activeMs), active - 1, 'right')}${pad(`≈ ${formatMs(axisMs)}`, tail, 'right')}`,
  };
}

function phaseLines(o: ScenarioOutcome, probe: RunProbe, barWidth: number, s: Style): string[] {
  const ran = PHASES.filter((phase) => probe.phases[phase]);
  const shown = PHASES.filter((phase) => ran.includes(phase) || plannedPhases(o.plan).includes(phase));
  const { x, scale } = timeAxis(probe, ran, barWidth);
  const head = `  ${pad('phase', LABEL, 'left')}${pad('time', FIGURE, 'right')}${pad('at end', FIGURE, 'right')}  `;
  const lines = [s.dim(`${head}${scale}`)];
  for (const phase of shown) {
    const timing = probe.phases[phase];
    const label = pad(phase, LABEL, 'left');
    if (!timing) {
      lines.push(s.dim(`  ${label}${pad('·', FIGURE, 'right')}${pad('', FIGURE, 'right')}  not reached`));
      continue;
    }
    const endMs = timing.startMs + timing.durationMs;
    const failed = probe.failedPhase === phase;
    const figures = `${pad(`${failed ? '✖ ' : ''}${formatMs(timing.durationMs)}`, FIGURE, 'right')}${pad(formatMs(endMs), FIGURE, 'right')}`;
    const char = failed ? FAILED_BAR_CHAR : phase === 'hold' ? HOLD_BAR_CHAR : BAR_CHAR;
    const drawn = bar(timing.startMs, endMs, x, barWidth, char);
    const paint = failed ? failurePaint(o, s) : phase === 'hold' ? s.dim : s.blue;
    lines.push(`  ${label}${failed ? paint(figures) : figures}  ${paint(drawn)}`);
  }
  lines.push(
    `  ${pad('total', LABEL, 'left')}${pad(formatMs(probe.totalMs), FIGURE, 'right')}${pad(formatMs(probe.totalMs), FIGURE, 'right')}`,
  );
  return lines;
}

/** With both IP families tried: `IPv6 fd16::1 got no answer within 2000 ms · IPv4 10.0.0.1 connected in 0.4 ms, used`. */
function familyLines(probe: RunProbe, s: Style): Array<[string, string, Paint]> {
  const attempts = probe.familyAttempts;
  if (!attempts) return [];
  const text = attempts
    .map((a) => `${familyName(a.family)} ${a.address} ${outcomeWords(a)}${a.used ? ', used' : ''}`)
    .join(' · ');
  const oneFailed = attempts.some((a) => a.used) && attempts.some((a) => a.outcome !== 'connected');
  return [['families', text, oneFailed ? (t) => s.yellow(s.bold(t)) : (t) => t]];
}

/** `TLSv1.3 · TLS_AES_256_GCM_SHA384 · alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · sni localhost · verified` and the cert. */
function tlsLines(o: ScenarioOutcome, probe: RunProbe, now: Date, s: Style): Array<[string, string, Paint]> {
  const plain: Paint = (t) => t;
  const loud: Paint = (t) => s.yellow(s.bold(t));
  const tls = probe.tls;
  if (!tls) {
    if (o.plan.transport === 'mqtts' || o.plan.transport === 'wss') {
      return [['tls', 'the handshake did not finish', s.dim]];
    }
    return [];
  }
  const offered = tls.offeredAlpn.length > 0 ? tls.offeredAlpn.join(',') : 'none';
  const summary = [
    tls.protocol,
    tls.cipher,
    `alpn ${offered} → ${tls.negotiatedAlpn ?? 'none'}`,
    `sni ${tls.servername ?? 'none'}`,
    tls.verified ? 'verified' : 'NOT verified',
  ].join(' · ');
  const lines: Array<[string, string, Paint]> = [['tls', summary, tls.verified ? plain : loud]];
  const cert = tls.serverCertificate;
  if (cert) {
    const days = daysUntil(cert.validTo, now);
    const left =
      days === undefined ? '' : days < 0 ? ' (EXPIRED)' : ` (in ${days} day${days === 1 ? '' : 's'})`;
    const soon = days !== undefined && days < CERT_EXPIRY_WARNING_DAYS;
    lines.push(['server', `${cert.subject} · issuer ${cert.issuer}`, plain]);
    lines.push(['', `expires ${cert.validTo.slice(0, 10)}${left}`, soon ? loud : plain]);
  }
  return lines;
}

/** 1-based position of the representative among the probes; matched by value, as a report read back from JSON has copies. */
function probeNumber(o: ScenarioOutcome): number {
  const r = o.representative;
  return o.probes.findIndex((p) => p.startedAt === r.startedAt && p.clientId === r.clientId) + 1;
}

/** ` (IPv4, 1 of 8 addresses DNS gave)`: the family, and how many addresses there were to choose from. */
function addressNote(probe: RunProbe): string {
  const parts = [probe.family ? `IPv${probe.family}` : undefined];
  const given = probe.resolvedAddresses?.length ?? 0;
  if (given > 1) parts.push(`1 of ${given} addresses DNS gave`);
  const shown = parts.filter((p) => p !== undefined);
  return shown.length > 0 ? ` (${shown.join(', ')})` : '';
}

function renderScenario(
  o: ScenarioOutcome,
  width: number,
  now: Date,
  s: Style,
  run: readonly ScenarioOutcome[],
): string[] {
  const probe = o.representative;
  const lines: string[] = [];
  const wrap = (text: string, indent: string, paint: (t: string) => string = (t) => t) => {
    lines.push(...hangingLines(printable(text), width, indent, `${indent}  `, paint));
  };
  const title = fitWidth(printable(o.plan.id), width);
  lines.push(...title.slice(0, -1).map((t) => s.bold(t)));
  const last = title.at(-1)!;
  const verdict = paintVerdict(verdictWords(o, 'full'), s);
  if (textWidth(last) + 2 + 22 <= width) lines.push(`${s.bold(last)}  ${verdict}`);
  else lines.push(s.bold(last), verdict);
  wrap(targetLine(o), '  ', s.dim);
  const where = [
    probe.address ? `${probe.address}${addressNote(probe)}` : undefined,
    `client ${probe.clientId}`,
    o.probes.length > 1
      ? `probe ${probeNumber(o)} of ${o.probes.length}, ${probe.ok ? 'the median by total time' : 'a failing one'}`
      : undefined,
    // The run's first probe pays the process's warm-up (JIT, first TLS context): its times run high.
    probe.cold ? 'cold: the run’s first probe, its times include warm-up' : undefined,
  ].filter((t): t is string => t !== undefined);
  wrap(where.join(' · '), '  ', s.dim);
  const tally = probeTally(o);
  if (tally) wrap(tally, '  ', s.dim);
  lines.push(...phaseLines(o, probe, Math.max(MIN_BAR, width - PREFIX), s));
  for (const [label, text, paint] of [...familyLines(probe, s), ...tlsLines(o, probe, now, s)]) {
    const indent = `  ${pad(label, LABEL, 'left')}`;
    lines.push(...hangingLines(printable(text), width, indent, ' '.repeat(indent.length), paint));
  }
  for (const [paint, text] of diagnosisLines(o, s)) wrap(text, '  ', paint);
  for (const w of scenarioWarnings(o, now, run))
    wrap(`⚠ ${w.code}: ${w.message}`, '  ', (t) => s.yellow(s.bold(t)));
  return lines;
}

/**
 * Renders one waterfall per scenario from its representative probe (the failing one, else the median), with TLS and
 * certificate details and every warning. Bars share the probe's time axis, so overlaps (receive waits while puback
 * runs) show as they happened.
 */
export function renderWaterfall(report: RunReport, options: WaterfallOptions = {}): string {
  const s = options.style ?? plainStyle;
  const width = Math.max(options.width ?? 100, PREFIX + MIN_BAR);
  const now = options.now ?? new Date(report.startedAt);
  const blocks = report.scenarios.map((o) => renderScenario(o, width, now, s, report.scenarios).join('\n'));
  if (anyHold(report))
    blocks.push(
      fitWidth(HOLD_LEGEND, width)
        .map((l) => s.dim(l))
        .join('\n'),
    );
  blocks.push(summaryLines(report, s, width).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}
