// The pieces of the HTML report another mqttprobe page reuses (the exporter's status page, say): build markup only
// with `html` (every interpolation escaped), wrap it in `htmlPage` (charset, a CSP that loads nothing, the one
// stylesheet), and show a scenario with `verdictBadge`, `diagnosisBlock` and `waterfallSvg`, a run with `compareChart`.
export { escapeAttribute, escapeText, HtmlFragment, type HtmlValue, html, joinHtml } from './escape.js';
export { diagnosisBlock, htmlPage, renderHtml, verdictBadge } from './page.js';
export { compareChart } from './svg-compare.js';
export { waterfallSvg } from './svg-waterfall.js';
