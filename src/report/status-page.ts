// The page `mqttprobe serve` shows on `/`: its scenarios with their last result, and the recent probes with their
// diagnoses, as blackbox_exporter's recent-probes page does. Pure: data in, HTML out, every text escaped here.
//
// It has its own minimal escaping on purpose: the shared HTML report renderer (src/report/html*) is being built in
// parallel; once both have landed, this page can switch to its escaping and styles.

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

/** Escapes text for an HTML text node or a quoted attribute. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const probeUrl = (id: string) => `probe?scenario=${encodeURIComponent(id)}`;

function verdict(probe: StatusProbe | undefined): string {
  if (!probe) return '<td class="none">not probed yet</td>';
  const words = probe.success ? 'success' : probe.met ? 'failed as expected' : 'failure';
  return `<td class="${probe.met ? 'ok' : 'bad'}">${words}</td>`;
}

function diagnosis(probe: StatusProbe | undefined): string {
  const d = probe?.diagnosis;
  if (!d) return '<td></td>';
  return `<td><code>${escapeHtml(d.code)}</code> ${escapeHtml(d.message)}<br><small>fix: ${escapeHtml(d.hint)}</small></td>`;
}

/** Renders the status page. */
export function renderStatusPage(page: StatusPage): string {
  const scenarioRows = page.scenarios.map(
    (s) =>
      `<tr><td><a href="${escapeHtml(probeUrl(s.id))}">${escapeHtml(s.id)}</a></td><td>${escapeHtml(s.endpoint)}</td>` +
      `<td>${s.targets.map((t) => `<code>${escapeHtml(t)}</code>`).join(' ')}</td>${verdict(s.last)}` +
      `<td>${s.last ? escapeHtml(s.last.at) : ''}</td>${diagnosis(s.last)}</tr>`,
  );
  const recentRows = page.recent.map(
    (p) =>
      `<tr><td>${escapeHtml(p.at)}</td><td>${escapeHtml(p.scenario)}</td><td>${escapeHtml(p.target ?? '')}</td>` +
      `${verdict(p)}<td>${(p.durationMs / 1000).toFixed(3)} s</td>${diagnosis(p)}</tr>`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>mqttprobe serve</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
.ok { color: #176f2c; } .bad { color: #b00020; font-weight: bold; } .none { color: #777; }
.warn { background: #fff3cd; padding: 0.5em; }
</style>
</head>
<body>
<h1>mqttprobe serve</h1>
<p>Version ${escapeHtml(page.version)} · files ${page.files.map((f) => `<code>${escapeHtml(f)}</code>`).join(', ')} · loaded ${escapeHtml(page.loadedAt)} · <a href="metrics">metrics</a></p>
${page.reloadError ? `<p class="warn">The last reload failed, the previous configuration is in use: ${escapeHtml(page.reloadError)}</p>\n` : ''}<h2>Scenarios</h2>
<table>
<tr><th>scenario</th><th>endpoint</th><th>targets allowed</th><th>last result</th><th>at</th><th>diagnosis</th></tr>
${scenarioRows.join('\n')}
</table>
<h2>Recent probes</h2>
<table>
<tr><th>at</th><th>scenario</th><th>target</th><th>result</th><th>duration</th><th>diagnosis</th></tr>
${recentRows.join('\n')}
</table>
</body>
</html>
`;
}
