// JUnit XML for CI servers (Jenkins, GitLab, GitHub test-reporter actions), in the Ant format they all read.
//
// Mapping:
//   - one <testsuite> per scenario file (name = the file path), one <testcase> per scenario (name = its id);
//   - a scenario that met its expectation is a pass, including an expected failure (its diagnosis is in system-out);
//   - a missed expectation is a <failure>: type = the diagnosis code (or `expectation.missed` when the failure that
//     was expected did not come), message = the diagnosis message, text = message, fix, location and timeline;
//   - scenarios an interruption left unrun are <skipped/> testcases in a suite named `not run (interrupted)`;
//   - `mqttprobe check`'s recommendation is a `recommendation` property of every suite;
//   - times are in seconds; the suite's timestamp is the run's start in UTC, without a zone, as the format wants.
// The output validates against the Ant JUnit schema (test/fixtures/junit/ holds the XSD the tests use).

import type { RunReport, ScenarioOutcome } from '../run/result.js';
import { PHASES } from '../scenario/phases.js';
import { probeTally, verdictWords } from './cells.js';
import { fixLocationText, formatSpan } from './fix-location.js';
import { formatMs } from './format-ms.js';
import { isLayoutControl } from './printable-text.js';
import { scenarioWarnings } from './scenario-warnings.js';

export interface JunitOptions {
  /** The host name CI shows for the suites (default `localhost`, as the format asks when it is unknown). */
  hostname?: string;
  /** The moment certificate expiry is judged against (default: when the run started). */
  now?: Date;
}

/** The `type` of a failure without a diagnosis: an expected failure that never came. */
export const MISSED_EXPECTATION_TYPE = 'expectation.missed';
const NOT_RUN_SUITE = 'not run (interrupted)';

/**
 * Text XML 1.0 can carry: control characters other than tab, newline and carriage return are not allowed even as
 * character references, so they become a visible `\xNN`; lone surrogates and U+FFFE/U+FFFF become U+FFFD. The
 * invisible layout controls (bidi overrides, marks, line separators) become `\uNNNN`, as on a terminal: a CI page
 * showing the report would otherwise reorder the rest of the line.
 */
function xmlSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0x7f) {
      out += `\\x${cp.toString(16).padStart(2, '0')}`;
    } else if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff) {
      out += '\ufffd';
    } else if (isLayoutControl(cp)) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

/** Escapes text for element content; `>` too, so `]]>` can never appear. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value; tabs and line breaks as references, which attribute normalisation would eat. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

/** A token attribute (name, classname) must not be empty after whitespace collapse. */
function token(text: string, fallback: string): string {
  return text.trim() === '' ? fallback : text;
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

/** `2026-11-28T03:40:48`: the Ant format's timestamp has no zone and no fraction; ours is UTC. */
function timestamp(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date(0) : date).toISOString().slice(0, 19);
}

function scenarioMs(o: ScenarioOutcome): number {
  return o.probes.reduce((sum, p) => sum + p.totalMs, 0);
}

function timeline(o: ScenarioOutcome): string {
  const probe = o.representative;
  return PHASES.flatMap((phase) => {
    const t = probe.phases[phase];
    if (!t) return [];
    return probe.failedPhase === phase
      ? [`${phase} ✖ after ${formatMs(t.durationMs)}`]
      : [`${phase} ${formatMs(t.durationMs)}${phase === 'hold' ? ' (idle)' : ''}`];
  }).join(' · ');
}

function failureOf(o: ScenarioOutcome, now: Date, run: readonly ScenarioOutcome[]): string {
  const d = o.diagnosis;
  const type = d?.code ?? MISSED_EXPECTATION_TYPE;
  const message = d?.message ?? o.mismatch ?? 'the expectation was missed';
  const lines: string[] = [];
  if (o.mismatch) lines.push(o.mismatch);
  const tally = probeTally(o);
  if (tally) lines.push(tally);
  if (d) {
    lines.push(`${d.code}: ${d.message}`, `fix: ${d.hint}`, `at ${fixLocationText(o.plan, d.code)}`);
  } else lines.push(`at ${formatSpan(o.plan.span)}`);
  lines.push(`timeline: ${timeline(o)}`);
  for (const w of scenarioWarnings(o, now, run)) lines.push(`warning ${w.code}: ${w.message}`);
  return `<failure type="${escapeXmlAttribute(type)}" message="${escapeXmlAttribute(message)}">${escapeXmlText(lines.join('\n'))}</failure>`;
}

/** One line per scenario for the suite's system-out: what passed, what failed as expected, and warnings. */
function systemOut(outcomes: ScenarioOutcome[], now: Date, run: readonly ScenarioOutcome[]): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const { word } = verdictWords(o, 'full');
    const why =
      o.verdict === 'pass'
        ? ''
        : o.verdict === 'expected-failure'
          ? `: ${o.diagnosis?.code ?? 'failure'}: ${o.diagnosis?.message ?? ''}`
          : `: ${o.diagnosis?.code ?? MISSED_EXPECTATION_TYPE}`;
    const tally = probeTally(o);
    lines.push(`${o.plan.id}: ${word}${why}${tally ? `; ${tally}` : ''} (${timeline(o)})`);
    for (const w of scenarioWarnings(o, now, run)) lines.push(`  warning ${w.code}: ${w.message}`);
  }
  return lines.join('\n');
}

interface Suite {
  name: string;
  outcomes: ScenarioOutcome[];
}

function suiteXml(suite: Suite, id: number, report: RunReport, hostname: string, now: Date): string {
  const failures = suite.outcomes.filter((o) => !o.met).length;
  const timeMs = suite.outcomes.reduce((sum, o) => sum + scenarioMs(o), 0);
  const name = escapeXmlAttribute(token(suite.name, 'scenarios'));
  const lines = [
    `  <testsuite name="${name}" package="${name}" id="${id}" timestamp="${timestamp(report.startedAt)}" hostname="${escapeXmlAttribute(token(hostname, 'localhost'))}" tests="${suite.outcomes.length}" failures="${failures}" errors="0" skipped="0" time="${seconds(timeMs)}">`,
    `    <properties>`,
    `      <property name="startedAt" value="${escapeXmlAttribute(report.startedAt)}"/>`,
    ...(report.recommendation
      ? [`      <property name="recommendation" value="${escapeXmlAttribute(report.recommendation.text)}"/>`]
      : []),
    `    </properties>`,
  ];
  for (const o of suite.outcomes) {
    const open = `    <testcase name="${escapeXmlAttribute(token(o.plan.id, '(unnamed)'))}" classname="${name}" time="${seconds(scenarioMs(o))}"`;
    lines.push(
      o.met ? `${open}/>` : `${open}>\n      ${failureOf(o, now, report.scenarios)}\n    </testcase>`,
    );
  }
  lines.push(
    `    <system-out>${escapeXmlText(systemOut(suite.outcomes, now, report.scenarios))}</system-out>`,
  );
  lines.push('    <system-err></system-err>', '  </testsuite>');
  return lines.join('\n');
}

function notRunSuite(report: RunReport, id: number, hostname: string): string {
  const name = escapeXmlAttribute(NOT_RUN_SUITE);
  const cases = report.notRun.map(
    (scenarioId) =>
      `    <testcase name="${escapeXmlAttribute(token(scenarioId, '(unnamed)'))}" classname="${name}" time="0"><skipped/></testcase>`,
  );
  return [
    `  <testsuite name="${name}" package="${name}" id="${id}" timestamp="${timestamp(report.startedAt)}" hostname="${escapeXmlAttribute(token(hostname, 'localhost'))}" tests="${report.notRun.length}" failures="0" errors="0" skipped="${report.notRun.length}" time="0">`,
    '    <properties></properties>',
    ...cases,
    '    <system-out>the run was interrupted before these scenarios finished</system-out>',
    '    <system-err></system-err>',
    '  </testsuite>',
  ].join('\n');
}

/** Renders the run as a JUnit XML document (UTF-8): see the mapping at the top of this file. */
export function renderJunit(report: RunReport, options: JunitOptions = {}): string {
  const hostname = options.hostname ?? 'localhost';
  const now = options.now ?? new Date(report.startedAt);
  const suites: Suite[] = [];
  for (const o of report.scenarios) {
    const suite = suites.find((s) => s.name === o.plan.file);
    if (suite) suite.outcomes.push(o);
    else suites.push({ name: o.plan.file, outcomes: [o] });
  }
  const parts = suites.map((suite, i) => suiteXml(suite, i, report, hostname, now));
  if (report.notRun.length > 0) parts.push(notRunSuite(report, suites.length, hostname));
  const mapping =
    '<!-- mqttprobe: one testsuite per scenario file, one testcase per scenario; a missed expectation is a failure whose type is the diagnosis code; an expected failure is a pass -->';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${mapping}\n<testsuites>\n${parts.join('\n')}\n</testsuites>\n`;
}
