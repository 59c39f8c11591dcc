// The page's only stylesheet, inlined: system fonts, nothing fetched, readable on screen and on paper.
import { html } from './escape.js';

/** The CSS of every mqttprobe page (the report, the exporter's status page), as a `<style>` element. */
export const PAGE_STYLE = html`<style>
:root {
  --ink: #1b1f24; --muted: #59636e; --line: #d0d7de; --paper: #fff; --panel: #f6f8fa;
  --pass: #1a7f37; --pass-bg: #dafbe1; --fail: #b3261e; --fail-bg: #ffebe9; --warn: #8a5a00; --warn-bg: #fff8c5;
}
* { box-sizing: border-box; }
html { color: var(--ink); background: var(--paper); }
body {
  margin: 0 auto; padding: 24px 28px 40px; max-width: 1000px; line-height: 1.45;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
}
code, .mono, svg text { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 17px; margin: 0 0 4px; overflow-wrap: anywhere; }
p { margin: 4px 0; }
ul { margin: 4px 0; padding-left: 20px; }
.muted, .target, .where, .note { color: var(--muted); }
.target, .where { font-size: 13px; overflow-wrap: anywhere; }
.verdict-banner { border: 2px solid var(--pass); background: var(--pass-bg); border-radius: 8px; padding: 14px 18px; }
.verdict-banner.missed { border-color: var(--fail); background: var(--fail-bg); }
.verdict-banner .recommendation { font-size: 17px; font-weight: 600; margin-top: 8px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 13px; font-weight: 600; white-space: nowrap; border: 1px solid; }
.badge.pass, .badge.expected-failure { color: var(--pass); background: var(--pass-bg); }
.badge.fail { color: var(--fail); background: var(--fail-bg); }
.ways { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.ways > div { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: var(--panel); }
.ways h3 { font-size: 15px; }
.ways li { margin: 4px 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 6px; text-align: right; vertical-align: top; white-space: nowrap; }
th:first-child, td:first-child, th.text, td.text { text-align: left; white-space: normal; overflow-wrap: anywhere; }
table.figures td:first-child { min-width: 10em; }
.scroll { overflow-x: auto; }
.p95 { color: var(--muted); }
th { background: var(--panel); font-weight: 600; }
td.failed.missed { color: var(--fail); font-weight: 600; }
td.failed.expected { color: var(--warn); }
td.dim { color: var(--muted); }
.fastest { color: var(--pass); } .slowest { color: var(--warn); }
figure { margin: 8px 0; }
svg { max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: var(--ink); }
svg text.head, svg text.axis, svg .not-reached text, svg .hold text { fill: var(--muted); }
svg .note { font-style: italic; }
svg .failed.missed text.figure { fill: var(--fail); font-weight: 700; }
svg .failed.expected text.figure { fill: var(--warn); font-weight: 700; }
svg .total text { font-weight: 700; }
svg line.grid { stroke: #e6e9ec; stroke-width: 1; }
svg line.span { stroke: var(--ink); stroke-width: 2; }
svg .row.missed text.label { fill: var(--fail); font-weight: 700; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
.legend li { display: inline-flex; align-items: center; gap: 4px; }
.swatch { vertical-align: middle; border: 1px solid #0003; }
.hatch { color: var(--fail); font-size: 16px; }
.diagnosis { border-left: 4px solid var(--fail); background: var(--fail-bg); padding: 8px 12px; margin: 10px 0; border-radius: 0 6px 6px 0; }
.diagnosis.expected { border-left-color: var(--pass); background: var(--panel); }
.diagnosis dl, .tls dl, .answers dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 4px 0; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.diagnosis .code { font-weight: 700; }
.warnings li, .warning { color: var(--warn); }
.warnings { background: var(--warn-bg); border-radius: 6px; padding: 8px 12px 8px 28px; }
.scenario { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin: 14px 0; }
.scenario.fail { border-color: var(--fail); }
.tls, .answers { font-size: 13px; }
.tls .loud, .answers .loud { color: var(--warn); font-weight: 700; }
.stats { max-width: 520px; margin: 8px 0; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; }
@media (max-width: 720px) { .ways { grid-template-columns: 1fr; } body { padding: 12px; } }
@media print {
  :root { --panel: #fff; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  .scenario, figure, .diagnosis, .verdict-banner, tr { break-inside: avoid; page-break-inside: avoid; }
}
</style>`;
