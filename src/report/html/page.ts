// The run as one self-contained HTML page to hand to a network team: the verdict first, then the comparison chart,
// the failures with their fixes, the warnings, a waterfall per scenario with what TLS negotiated, and where it ran.
// Everything is inline (CSS, SVG), nothing is fetched, no script runs; every text from a file or a server goes
// through the `html` template's escaping.
import type { RunReport, ScenarioOutcome } from '../../run/result.js';
import { phaseFigure, probeTally, verdictWords } from '../cells.js';
import { FASTEST_MARK, type Rank, rank, SLOWEST_MARK } from '../compare-table.js';
import { fixLocationText } from '../fix-location.js';
import { formatMs } from '../format-ms.js';
import type { OutputOptions } from '../outputs.js';
import { recommendWay } from '../recommend-way.js';
import { type ReportWarning, runWarnings } from '../scenario-warnings.js';
import { type ShownRow, shownRows } from '../shown-phases.js';
import { plainStyle } from '../style.js';
import { summaryLines, targetLine } from '../table.js';
import { expiryWords, familyFacts, probeWhereParts, tlsFacts } from '../waterfall.js';
import { type HtmlFragment, type HtmlValue, html, joinHtml } from './escape.js';
import { PAGE_STYLE } from './styles.js';
import { compareChart } from './svg-compare.js';
import { waterfallSvg } from './svg-waterfall.js';

/**
 * The document around a page's body: charset, a Content-Security-Policy that lets nothing load or run (inline
 * styles aside), and the stylesheet. For the report and for any other page of mqttprobe (the exporter's status).
 */
export function htmlPage(options: { title: string; body: HtmlValue }): HtmlFragment {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mqttprobe">
<title>${options.title}</title>
${PAGE_STYLE}
</head>
<body>
${options.body}
</body>
</html>
`;
}

/** A verdict as a badge: `✔ pass`, `✔ failed as expected`, `✖ FAIL` (how many probes did what is `probeTally`'s). */
export function verdictBadge(o: ScenarioOutcome): HtmlFragment {
  const v = verdictWords(o, 'full');
  return html`<span class="badge ${o.verdict}">${`${v.met ? '✔' : '✖'} ${v.word}`}</span>`;
}

/** `4 of 5 probes passed` under a repeated scenario, as the terminal views say it. */
function tally(o: ScenarioOutcome): HtmlFragment | undefined {
  const text = probeTally(o);
  return text ? html`<p class="where">${text}</p>` : undefined;
}

/** The anchor of a scenario's section on the page (by position: a name may hold anything). */
const anchorOf = (i: number) => `scenario-${i + 1}`;

/** A scenario's name, linked to its section when it has one (the first MAX_DRAWN_SCENARIOS do). */
function scenarioLink(o: ScenarioOutcome, i: number): HtmlFragment {
  return i < MAX_DRAWN_SCENARIOS ? html`<a href="${`#${anchorOf(i)}`}">${o.plan.id}</a>` : html`${o.plan.id}`;
}

/**
 * Why a scenario failed, as the terminal says it: the missed expectation, the code and its explanation, and unless
 * the failure was the expected one, the fix and the scenario line (or option) to change.
 */
export function diagnosisBlock(o: ScenarioOutcome): HtmlFragment | undefined {
  const d = o.diagnosis;
  if (!d && !o.mismatch) return undefined;
  const expected = o.met;
  const rows = [
    o.mismatch ? html`<dt>expected</dt><dd>${`✖ ${o.mismatch}`}</dd>` : undefined,
    d ? html`<dt>diagnosis</dt><dd><code class="code">${d.code}</code>: ${d.message}</dd>` : undefined,
    d && !expected ? html`<dt>fix</dt><dd>${d.hint}</dd>` : undefined,
    d && !expected
      ? html`<dt>change</dt><dd><code>${fixLocationText(o.plan, d.code)}</code></dd>`
      : undefined,
  ];
  return html`<div class="diagnosis${expected ? ' expected' : ''}">${expected ? html`<p class="muted">as expected</p>` : undefined}<dl>${rows}</dl></div>`;
}

/** The text of a phase (or total) cell, as the table shows it, and how it is marked. */
function figureCell(o: ScenarioOutcome, row: ShownRow, marks: Rank): HtmlFragment {
  const f = phaseFigure(o, row);
  const mark = marks.fastest.has(o) ? FASTEST_MARK : marks.slowest.has(o) ? SLOWEST_MARK : '';
  const markClass = marks.fastest.has(o) ? ' fastest' : marks.slowest.has(o) ? ' slowest' : '';
  switch (f.kind) {
    case 'stats':
      // p50 above p95, as the terminal table shows them.
      return html`<td class="${markClass.trim()}">${formatMs(f.p50Ms)}${mark ? ` ${mark}` : ''}<br><span class="p95">${formatMs(f.p95Ms)}</span></td>`;
    case 'done':
      return html`<td class="${markClass.trim()}">${formatMs(f.ms)}${mark ? ` ${mark}` : ''}</td>`;
    case 'cut-short':
      return html`<td class="dim">${formatMs(f.ms)}</td>`;
    case 'failed':
      return html`<td class="failed ${o.met ? 'expected' : 'missed'}">${`✖ ${formatMs(f.ms)}`}</td>`;
    case 'not-reached':
      return html`<td class="dim">·</td>`;
  }
}

/** One row per scenario with its verdict and each phase's figure: the terminal table, with the ▼/▲ of the side-by-side view. */
function figuresTable(report: RunReport): HtmlFragment {
  const rows = shownRows(report);
  const marks = new Map(rows.map((row) => [row, rank(report.scenarios, row)]));
  const body = report.scenarios.map(
    (o, i) =>
      html`<tr><td>${scenarioLink(o, i)}</td><td class="text">${verdictBadge(o)}</td>${rows.map((row) => figureCell(o, row, marks.get(row)!))}</tr>`,
  );
  const repeated = report.scenarios.some((o) => o.probes.length > 1);
  return html`<div class="scroll"><table class="figures"><thead><tr><th>scenario</th><th class="text">result</th>${rows.map((row) => html`<th>${row}</th>`)}</tr></thead><tbody>${body}</tbody></table></div><p class="note">${FASTEST_MARK} fastest, ${SLOWEST_MARK} slowest of the column; ✖ the phase that failed, with the time it waited; · not reached.${repeated ? ' Repeated scenarios: p50 above p95 of the warm probes (the run’s first probe is cold, left out).' : ''}</p>`;
}

/** Which ways work from this network and which do not, and why: the first thing a network team reads. */
function waysSummary(report: RunReport): HtmlFragment {
  const item = ({ o, i }: { o: ScenarioOutcome; i: number }) => {
    const d = o.diagnosis;
    const why = d
      ? html` — <code>${d.code}</code>: ${d.message}`
      : o.mismatch
        ? html` — ${o.mismatch}`
        : undefined;
    const count = probeTally(o);
    return html`<li>${verdictBadge(o)} ${scenarioLink(o, i)} <span class="target">${targetLine(o)}${count ? ` · ${count}` : ''}</span>${why}</li>`;
  };
  const indexed = report.scenarios.map((o, i) => ({ o, i }));
  const works = indexed.filter(({ o }) => o.verdict === 'pass');
  const fails = indexed.filter(({ o }) => o.verdict !== 'pass');
  const list = (items: typeof indexed, none: string) =>
    items.length > 0 ? html`<ul>${items.map(item)}</ul>` : html`<p class="muted">${none}</p>`;
  return html`<div class="ways"><div><h3>Works</h3>${list(works, 'nothing got through')}</div><div><h3>Does not work</h3>${list(fails, 'nothing failed')}</div></div>`;
}

function verdictBanner(report: RunReport): HtmlFragment {
  const { total, met, missed } = report.summary;
  const title = `${missed > 0 ? '✖' : '✔'} mqttprobe: ${met} of ${total} scenario${total === 1 ? '' : 's'} met${missed > 0 ? `, ${missed} missed` : ''}`;
  // `check`'s comparison tags its scenarios `way`: then the page opens with the same recommendation it prints.
  const recommendation = report.scenarios.some((o) => o.plan.tags.includes('way'))
    ? recommendWay(report)
    : undefined;
  // The terminal's summary, unwrapped: the count, then which scenarios an interruption left unfinished.
  const [count, ...interrupted] = summaryLines(report, plainStyle, Number.MAX_SAFE_INTEGER);
  return html`<header class="verdict-banner${missed > 0 ? ' missed' : ''}"><h1>${title}</h1>${recommendation ? html`<p class="recommendation">${recommendation.text}</p>` : undefined}<p class="muted">${count}</p>${interrupted.map((line) => html`<p class="warning">${line}</p>`)}</header>`;
}

function failuresSection(report: RunReport): HtmlFragment | undefined {
  const failed = report.scenarios.flatMap((o, i) => (o.diagnosis || o.mismatch ? [{ o, i }] : []));
  if (failed.length === 0) return undefined;
  // Missed first: they are what the reader must act on.
  const ordered = [...failed.filter(({ o }) => !o.met), ...failed.filter(({ o }) => o.met)];
  return html`<section id="failures"><h2>Failures</h2>${ordered.map(
    ({ o, i }) =>
      html`<div class="failure"><h3>${scenarioLink(o, i)} ${verdictBadge(o)}</h3>${diagnosisBlock(o)}</div>`,
  )}</section>`;
}

function warningsSection(report: RunReport, warnings: ReportWarning[][]): HtmlFragment | undefined {
  const warned = report.scenarios.flatMap((o, i) => warnings[i]!.map((w) => ({ o, i, w })));
  if (warned.length === 0) return undefined;
  return html`<section id="warnings"><h2>Warnings</h2><ul class="warnings">${warned.map(
    ({ o, i, w }) => html`<li>⚠ ${scenarioLink(o, i)}: <code>${w.code}</code>: ${w.message}</li>`,
  )}</ul></section>`;
}

/** What TLS negotiated, then the server's chain from its own certificate up to the trust anchor. */
function tlsBlock(o: ScenarioOutcome, now: Date): HtmlFragment | undefined {
  const probe = o.representative;
  const facts = tlsFacts(o, probe, now);
  if (facts.kind === 'none') return undefined;
  if (facts.kind === 'unfinished')
    return html`<div class="tls"><p class="muted">TLS: ${facts.text}</p></div>`;
  const tls = probe.tls!;
  const rows = html`<dt>version</dt><dd>${tls.protocol}</dd><dt>cipher</dt><dd>${tls.cipher}</dd><dt>ALPN offered</dt><dd>${tls.offeredAlpn.length > 0 ? tls.offeredAlpn.join(', ') : 'none'}</dd><dt>ALPN negotiated</dt><dd>${tls.negotiatedAlpn ?? 'none'}</dd><dt>SNI</dt><dd>${tls.servername ?? 'none'}</dd><dt>verified</dt><dd class="${tls.verified ? '' : 'loud'}">${tls.verified ? 'yes' : 'NOT verified'}</dd>`;
  const leaf = tls.serverCertificate;
  const chain = leaf ? [leaf, ...(tls.chain ?? [])] : [];
  const certificates = chain.map((cert, i) => {
    const { expires, soon } = expiryWords(cert.validTo, now);
    const role =
      i === 0
        ? 'server'
        : i === chain.length - 1 && tls.trustAnchor === cert.subject
          ? 'trust anchor'
          : 'issuer';
    return html`<tr><td class="text">${role}</td><td class="text">${cert.subject}${i === 0 && cert.subjectAltName ? html`<br><span class="muted">${cert.subjectAltName}</span>` : undefined}</td><td class="text">${cert.issuer}</td><td class="text${soon ? ' loud' : ''}">${expires}</td></tr>`;
  });
  const chainTable =
    certificates.length > 0
      ? html`<table class="chain"><thead><tr><th class="text">certificate</th><th class="text">subject</th><th class="text">issuer</th><th class="text">expiry</th></tr></thead><tbody>${certificates}</tbody></table>`
      : undefined;
  // A report from before chains were recorded names only the anchor.
  const anchor =
    tls.trustAnchor && !chain.some((c, i) => i > 0 && c.subject === tls.trustAnchor)
      ? html`<dt>trust anchor</dt><dd>${tls.trustAnchor}</dd>`
      : undefined;
  const fingerprint = leaf ? html`<dt>SHA-256</dt><dd class="mono">${leaf.fingerprint256}</dd>` : undefined;
  return html`<div class="tls"><p class="muted mono">${facts.summary}</p><dl>${rows}${anchor}${fingerprint}</dl>${chainTable}</div>`;
}

/**
 * What the network and the servers on the way answered, besides TLS: each IP family tried (dual-stack), the
 * proxy's reply to the tunnel request, the WebSocket
 * upgrade, CONNACK (with MQTT 5's properties: the server's limits) and a DISCONNECT the server sent. Their texts are
 * the servers' own, so they go through the template's escaping like everything else.
 */
function answersBlock(o: ScenarioOutcome): HtmlFragment | undefined {
  const p = o.representative;
  const props = Object.entries(p.connack?.properties ?? {}).map(([key, value]) => `${key} ${String(value)}`);
  const hex = (code: number) => `0x${code.toString(16).toUpperCase().padStart(2, '0')}`;
  const families = familyFacts(p);
  const rows = [
    families
      ? html`<dt>IP families</dt><dd class="${families.oneFailed ? 'loud' : ''}">${families.text}</dd>`
      : undefined,
    p.proxy
      ? html`<dt>proxy</dt><dd>${p.proxy.url}${p.proxy.answer ? html` answered <q>${p.proxy.answer}</q>` : undefined}</dd>`
      : undefined,
    p.ws
      ? html`<dt>WebSocket</dt><dd>${`HTTP ${p.ws.statusCode}${p.ws.protocol ? ` · subprotocol ${p.ws.protocol}` : ''}`}</dd>`
      : undefined,
    p.connack
      ? html`<dt>CONNACK</dt><dd>${`MQTT ${p.connack.protocolVersion === 5 ? '5' : '3.1.1'} · reason code ${hex(p.connack.reasonCode)}${p.connack.sessionPresent ? ' · session present' : ''}`}</dd>`
      : undefined,
    props.length > 0 ? html`<dt>server properties</dt><dd>${props.join(' · ')}</dd>` : undefined,
    p.grantedQos ? html`<dt>SUBACK</dt><dd>${`granted ${p.grantedQos.join(', ')}`}</dd>` : undefined,
    p.serverDisconnect
      ? html`<dt>server DISCONNECT</dt><dd>${`reason code ${hex(p.serverDisconnect.reasonCode)}${p.serverDisconnect.reasonString ? `: ${p.serverDisconnect.reasonString}` : ''}`}</dd>`
      : undefined,
  ].filter((row) => row !== undefined);
  return rows.length > 0 ? html`<div class="answers"><dl>${rows}</dl></div>` : undefined;
}

/** min / p50 / p95 / max per phase of a repeated scenario, over its warm probes. */
function statsTable(o: ScenarioOutcome): HtmlFragment | undefined {
  if (o.probes.length < 2 || !o.stats) return undefined;
  const rows = Object.entries(o.stats).flatMap(([phase, st]) =>
    st
      ? [
          html`<tr><td>${phase}</td><td>${st.n}</td><td>${formatMs(st.minMs)}</td><td>${formatMs(st.p50Ms)}</td><td>${formatMs(st.p95Ms)}</td><td>${formatMs(st.maxMs)}</td></tr>`,
        ]
      : [],
  );
  return html`<table class="stats"><thead><tr><th>phase</th><th>probes</th><th>min</th><th>p50</th><th>p95</th><th>max</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function scenarioSection(
  o: ScenarioOutcome,
  i: number,
  warnings: readonly ReportWarning[],
  now: Date,
): HtmlFragment {
  return html`<article class="scenario ${o.verdict}" id="${anchorOf(i)}"><h3>${o.plan.id} ${verdictBadge(o)}</h3><p class="target">${targetLine(o)}</p><p class="where">${probeWhereParts(o).join(' · ')}</p>${tally(o)}<figure class="waterfall">${waterfallSvg(o, o.representative, `wf${i + 1}`)}</figure>${statsTable(o)}${tlsBlock(o, now)}${answersBlock(o)}${diagnosisBlock(o)}${
    warnings.length > 0
      ? html`<ul class="warnings">${warnings.map((w) => html`<li>⚠ <code>${w.code}</code>: ${w.message}</li>`)}</ul>`
      : undefined
  }</article>`;
}

/** Scenario files the footer names; a run of many files names the first ones and counts the rest. */
const MAX_FILES_NAMED = 10;

/** Where and when it ran: never more than versions, times and the host name. */
function aboutFooter(report: RunReport, options: OutputOptions): HtmlFragment {
  const files = [...new Set(report.scenarios.map((o) => o.plan.file))];
  const rows = [
    options.about?.mqttprobeVersion
      ? html`<dt>mqttprobe</dt><dd>${options.about.mqttprobeVersion}</dd>`
      : undefined,
    options.about?.nodeVersion ? html`<dt>Node.js</dt><dd>${options.about.nodeVersion}</dd>` : undefined,
    html`<dt>started</dt><dd>${report.startedAt}</dd><dt>took</dt><dd>${formatMs(report.durationMs)}</dd>`,
    options.hostname ? html`<dt>host</dt><dd>${options.hostname}</dd>` : undefined,
    files.length > 0
      ? html`<dt>scenario file${files.length === 1 ? '' : 's'}</dt><dd>${joinHtml(
          files.slice(0, MAX_FILES_NAMED).map((f) => html`<code>${f}</code>`),
          html`, `,
        )}${files.length > MAX_FILES_NAMED ? ` and ${files.length - MAX_FILES_NAMED} more` : ''}</dd>`
      : undefined,
  ];
  return html`<footer><dl>${rows}</dl></footer>`;
}

/**
 * Scenarios drawn (a bar in the chart, a section with its waterfall): a chart of thousands of bars shows nothing, and
 * each section costs about 10 kB. The tables, failures and warnings still name every scenario.
 */
export const MAX_DRAWN_SCENARIOS = 200;

/** Renders the run as one self-contained HTML document. */
export function renderHtml(report: RunReport, options: OutputOptions = {}): string {
  const now = options.now ?? new Date(report.startedAt);
  const { met, total } = report.summary;
  const drawn = report.scenarios.slice(0, MAX_DRAWN_SCENARIOS);
  const warnings = runWarnings(report.scenarios, now);
  const more = report.scenarios.length - drawn.length;
  const cut =
    more > 0
      ? html`<p class="note">${`The chart and the sections below show the first ${drawn.length} scenarios; ${more} more are in the tables above and in the JSON report (--report json=FILE).`}</p>`
      : undefined;
  const body = html`${verdictBanner(report)}
<section id="summary"><h2>From this network</h2>${waysSummary(report)}</section>
${report.scenarios.length > 0 ? html`<section id="comparison"><h2>Side by side</h2>${compareChart(report, { limit: MAX_DRAWN_SCENARIOS })}${figuresTable(report)}${cut}</section>` : undefined}
${failuresSection(report)}
${warningsSection(report, warnings)}
<section id="scenarios"><h2>Each scenario</h2>${cut}${drawn.map((o, i) => scenarioSection(o, i, warnings[i]!, now))}</section>
${aboutFooter(report, options)}`;
  return htmlPage({ title: `mqttprobe: ${met} of ${total} met`, body }).markup;
}
