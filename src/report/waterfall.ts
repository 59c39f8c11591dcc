// The httpstat-like view: per scenario, one bar per phase on the probe's time axis, then what TLS negotiated.

import { familyName, outcomeWords } from '../probe/diagnosis/family-words.js';
import type { PhaseTiming } from '../probe/timeline.js';
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
 * The time scale of a probe's waterfall, for every view that draws one: linear from 0 to `axisMs` (the later of the
 * total and the last phase's end), unless an idle hold is longer than everything else; then `activeMs` (the end of
 * the phases that wait on the network) gets a scale of its own, and the hold the rest, after `≈`.
 */
export function waterfallScale(probe: RunProbe): { axisMs: number; activeMs?: number } {
  const ran = PHASES.filter((phase) => probe.phases[phase]);
  const endOf = (phase: Phase) => probe.phases[phase]!.startMs + probe.phases[phase]!.durationMs;
  const axisMs = Math.max(probe.totalMs, ...ran.map(endOf), 0.001);
  const hold = probe.phases.hold;
  const activeMs = Math.max(0.001, ...ran.filter((phase) => phase !== 'hold').map(endOf));
  return hold && hold.durationMs > activeMs ? { axisMs, activeMs } : { axisMs };
}

/**
 * The time axis, and its scale line. Linear, unless an idle hold is longer than everything else: then the phases
 * that wait on the network keep most of the width on a scale of their own, and the hold's line gets the rest
 * (after `≈`), so a 5-minute hold does not squash every other bar into one column.
 */
function timeAxis(probe: RunProbe, barWidth: number): { x: Axis; scale: string } {
  const { axisMs, activeMs } = waterfallScale(probe);
  const tail = Math.max(8, Math.floor(barWidth / 4));
  if (activeMs === undefined || barWidth < 3 * tail) {
    return { x: (ms) => (ms / axisMs) * barWidth, scale: `0${pad(formatMs(axisMs), barWidth - 1, 'right')}` };
  }
  const active = barWidth - tail;
  return {
    x: (ms) =>
      ms <= activeMs ? (ms / activeMs) * active : active + ((ms - activeMs) / (axisMs - activeMs)) * tail,
    scale: `0${pad(formatMs(activeMs), active - 1, 'right')}${pad(`≈ ${formatMs(axisMs)}`, tail, 'right')}`,
  };
}

/** One row of a waterfall: a phase the probe ran, or one it planned but never reached (no timing). */
export interface WaterfallRow {
  phase: Phase;
  timing?: PhaseTiming;
  /** The phase the probe failed in. */
  failed: boolean;
}

/**
 * The rows of a probe's waterfall: every phase it ran or its plan would have gone through, in order. Every
 * waterfall (terminal, HTML) draws these, on `waterfallScale`.
 */
export function waterfallRows(o: ScenarioOutcome, probe: RunProbe): WaterfallRow[] {
  const ran = PHASES.filter((phase) => probe.phases[phase]);
  const planned = plannedPhases(o.plan);
  return PHASES.filter((phase) => ran.includes(phase) || planned.includes(phase)).map((phase) => {
    const timing = probe.phases[phase];
    return { phase, failed: probe.failedPhase === phase, ...(timing ? { timing } : {}) };
  });
}

function phaseLines(o: ScenarioOutcome, probe: RunProbe, barWidth: number, s: Style): string[] {
  const rows = waterfallRows(o, probe);
  const { x, scale } = timeAxis(probe, barWidth);
  const head = `  ${pad('phase', LABEL, 'left')}${pad('time', FIGURE, 'right')}${pad('at end', FIGURE, 'right')}  `;
  const lines = [s.dim(`${head}${scale}`)];
  for (const { phase, timing, failed } of rows) {
    const label = pad(phase, LABEL, 'left');
    if (!timing) {
      lines.push(s.dim(`  ${label}${pad('·', FIGURE, 'right')}${pad('', FIGURE, 'right')}  not reached`));
      continue;
    }
    const endMs = timing.startMs + timing.durationMs;
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

/**
 * With both IP families tried: `IPv6 fd16::1 got no answer within 2000 ms · IPv4 10.0.0.1 connected in 0.4 ms,
 * used`, and whether one failed while the other was used (worth a loud line).
 */
export function familyFacts(probe: RunProbe): { text: string; oneFailed: boolean } | undefined {
  const attempts = probe.familyAttempts;
  if (!attempts) return undefined;
  const text = attempts
    .map((a) => `${familyName(a.family)} ${a.address} ${outcomeWords(a)}${a.used ? ', used' : ''}`)
    .join(' · ');
  const oneFailed = attempts.some((a) => a.used) && attempts.some((a) => a.outcome !== 'connected');
  return { text, oneFailed };
}

function familyLines(probe: RunProbe, s: Style): Array<[string, string, Paint]> {
  const facts = familyFacts(probe);
  if (!facts) return [];
  return [['families', facts.text, facts.oneFailed ? (t) => s.yellow(s.bold(t)) : (t) => t]];
}

/** What TLS negotiated, in the words every view shows: `unfinished` for a handshake cut short, `none` without TLS. */
export type TlsFacts =
  | { kind: 'none' }
  | { kind: 'unfinished'; text: 'the handshake did not finish' }
  | {
      kind: 'done';
      /** `TLSv1.3 · TLS_AES_256_GCM_SHA384 · alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · sni localhost · verified` */
      summary: string;
      verified: boolean;
      /** The leaf's `CN=… · issuer CN=…`, its expiry in words and whether that is soon (or past). */
      certificate?: { names: string; expires: string; soon: boolean };
    };

/** What the TLS handshake of a probe negotiated and the server certificate it showed, judged at `now`. */
export function tlsFacts(o: ScenarioOutcome, probe: RunProbe, now: Date): TlsFacts {
  const tls = probe.tls;
  if (!tls) {
    return o.plan.transport === 'mqtts' || o.plan.transport === 'wss'
      ? { kind: 'unfinished', text: 'the handshake did not finish' }
      : { kind: 'none' };
  }
  const offered = tls.offeredAlpn.length > 0 ? tls.offeredAlpn.join(',') : 'none';
  const summary = [
    tls.protocol,
    tls.cipher,
    `alpn ${offered} → ${tls.negotiatedAlpn ?? 'none'}`,
    `sni ${tls.servername ?? 'none'}`,
    tls.verified ? 'verified' : 'NOT verified',
  ].join(' · ');
  const cert = tls.serverCertificate;
  if (!cert) return { kind: 'done', summary, verified: tls.verified };
  return {
    kind: 'done',
    summary,
    verified: tls.verified,
    certificate: { names: `${cert.subject} · issuer ${cert.issuer}`, ...expiryWords(cert.validTo, now) },
  };
}

/** `expires 2027-12-01 (in 364 days)`, and whether that is within the warning's days (or past), judged at `now`. */
export function expiryWords(validTo: string, now: Date): { expires: string; soon: boolean } {
  const days = daysUntil(validTo, now);
  const left =
    days === undefined ? '' : days < 0 ? ' (EXPIRED)' : ` (in ${days} day${days === 1 ? '' : 's'})`;
  return {
    expires: `expires ${validTo.slice(0, 10)}${left}`,
    soon: days !== undefined && days < CERT_EXPIRY_WARNING_DAYS,
  };
}

/** `TLSv1.3 · TLS_AES_256_GCM_SHA384 · alpn x-amzn-mqtt-ca → x-amzn-mqtt-ca · sni localhost · verified` and the cert. */
function tlsLines(o: ScenarioOutcome, probe: RunProbe, now: Date, s: Style): Array<[string, string, Paint]> {
  const plain: Paint = (t) => t;
  const loud: Paint = (t) => s.yellow(s.bold(t));
  const facts = tlsFacts(o, probe, now);
  if (facts.kind === 'none') return [];
  if (facts.kind === 'unfinished') return [['tls', facts.text, s.dim]];
  const lines: Array<[string, string, Paint]> = [['tls', facts.summary, facts.verified ? plain : loud]];
  if (facts.certificate) {
    lines.push(['server', facts.certificate.names, plain]);
    lines.push(['', facts.certificate.expires, facts.certificate.soon ? loud : plain]);
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

/** Where the shown probe went and which it is: address, client ID, which of the repeats, and whether it was cold. */
export function probeWhereParts(o: ScenarioOutcome): string[] {
  const probe = o.representative;
  return [
    probe.address ? `${probe.address}${addressNote(probe)}` : undefined,
    `client ${probe.clientId}`,
    o.probes.length > 1
      ? `probe ${probeNumber(o)} of ${o.probes.length}, ${probe.ok ? 'the median by total time' : 'a failing one'}`
      : undefined,
    // The run's first probe pays the process's warm-up (JIT, first TLS context): its times run high.
    probe.cold ? COLD_NOTE : undefined,
  ].filter((t): t is string => t !== undefined);
}

/** What the waterfall says of the run's first probe. */
export const COLD_NOTE = 'cold: the run’s first probe, its times include warm-up';

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
  wrap(probeWhereParts(o).join(' · '), '  ', s.dim);
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
