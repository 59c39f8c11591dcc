// The page `mqttprobe serve` shows on `/`: its scenarios with their last result, and the recent probes with their
// diagnoses, as blackbox_exporter's recent-probes page does. Pure: data in, HTML out, built from the HTML report's
// pieces (src/report/html): its `html` template escapes every text, its shell loads nothing and runs no script.
import { type HtmlFragment, html, htmlPage, joinHtml } from './html/index.js';

/** A scenario as the page lists it. */
export interface StatusScenario {
  id: string;
  /** `host:port` as written. */
  endpoint: string;
  /** The patterns `target=` may use; empty when none. */
  targets: readonly string[];
  last?: StatusProbe;
}

/** One finished probe as the page shows it. */
export interface StatusProbe {
  /** When it finished, ISO 8601. */
  at: string;
  scenario: string;
  /** `host:port` when the scrape overrode the endpoint with `target=`. */
  target?: string;
  /** Every probe completed its round trip (`probe_success`). */
  success: boolean;
  /** The scenario's expectation was met. */
  met: boolean;
  durationMs: number;
  /** The diagnosis that decided the verdict, in its words; absent when none. */
  diagnosis?: { code: string; message: string; hint: string };
}

export interface StatusPage {
  version: string;
  /** The scenario files, as given on the command line. */
  files: readonly string[];
  /** When the configuration in use was loaded, ISO 8601. */
  loadedAt: string;
  /** The last reload's error, in words, when it failed (the previous configuration is still in use). */
  reloadError?: string;
  scenarios: readonly StatusScenario[];
  /** Newest first. */
  recent: readonly StatusProbe[];
}

const probeUrl = (id: string) => `probe?scenario=${encodeURIComponent(id)}`;

function verdict(probe: StatusProbe | undefined): HtmlFragment {
  if (!probe) return html`<td class="muted">not probed yet</td>`;
  const words = probe.success ? 'success' : probe.met ? 'failed as expected' : 'failure';
  return html`<td class="text"><span class="badge ${probe.met ? 'pass' : 'fail'}">${`${probe.met ? '✔' : '✖'} ${words}`}</span></td>`;
}

function diagnosis(probe: StatusProbe | undefined): HtmlFragment {
  const d = probe?.diagnosis;
  if (!d) return html`<td></td>`;
  return html`<td class="text"><code class="code">${d.code}</code>: ${d.message}<br><span class="muted">fix: ${d.hint}</span></td>`;
}

/** Renders the status page, in the HTML report's shell, styles and escaping (src/report/html). */
export function renderStatusPage(page: StatusPage): string {
  const scenarioRows = page.scenarios.map(
    (s) =>
      html`<tr><td><a href="${probeUrl(s.id)}">${s.id}</a></td><td class="text">${s.endpoint}</td><td class="text">${s.targets.map((t) => html`<code>${t}</code> `)}</td>${verdict(s.last)}<td class="text">${s.last?.at}</td>${diagnosis(s.last)}</tr>`,
  );
  const recentRows = page.recent.map(
    (p) =>
      html`<tr><td>${p.at}</td><td class="text">${p.scenario}</td><td class="text">${p.target ?? ''}</td>${verdict(p)}<td>${`${(p.durationMs / 1000).toFixed(3)} s`}</td>${diagnosis(p)}</tr>`,
  );
  const body = html`<header class="verdict-banner"><h1>mqttprobe serve</h1><p class="muted">Version ${page.version} · files ${joinHtml(
    page.files.map((f) => html`<code>${f}</code>`),
    html`, `,
  )} · loaded ${page.loadedAt} · <a href="metrics">metrics</a></p>${
    page.reloadError
      ? html`<p class="warning">The last reload failed, the previous configuration is in use: ${page.reloadError}</p>`
      : undefined
  }</header>
<section><h2>Scenarios</h2><div class="scroll"><table class="figures"><thead><tr><th>scenario</th><th class="text">endpoint</th><th class="text">targets allowed</th><th class="text">last result</th><th class="text">at</th><th class="text">diagnosis</th></tr></thead><tbody>${scenarioRows}</tbody></table></div></section>
<section><h2>Recent probes</h2><div class="scroll"><table class="figures"><thead><tr><th>at</th><th class="text">scenario</th><th class="text">target</th><th class="text">result</th><th>duration</th><th class="text">diagnosis</th></tr></thead><tbody>${recentRows}</tbody></table></div></section>`;
  return htmlPage({ title: 'mqttprobe serve', body }).markup;
}
