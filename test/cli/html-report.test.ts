// The HTML page of a real run, written by the CLI: it says what the JSON of the same run says, for `check`'s
// comparison too (its scenarios tagged `way`), with one way blocked.
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatMs } from '../../src/report/format-ms.js';
import { escapeText } from '../../src/report/html/escape.js';
import type { JsonReport } from '../../src/report/report-schema.js';
import { portComparisonYaml } from '../../src/scenario/port-comparison-yaml.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';
import { freePort } from '../system/helpers/free-port.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

test("the page of check's comparison says what the run's JSON says, the recommendation first", async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'ways.yaml');
  const closed = await freePort();
  // The standard comparison against the emulator, plus a way that is blocked as 8883 is on the networks in question.
  const comparison = portComparisonYaml({ endpoint: 'emulator', repeat: 2, origin: 'test', schemaUrl: 'x' });
  writeFileSync(
    file,
    `${comparison}  - name: "blocked <script>alert(1)</script>"\n    tags: [way]\n    endpoint: 127.0.0.1\n    port: ${closed}\n    steps: [connect]\n`,
  );
  const page = join(dir, 'page.html');
  const result = await runCli(
    ['run', file, '--format', 'json', '--report', `html=${page}`],
    {},
    { built: true },
  );
  assert.equal(result.code, 1, result.stderr);
  const report = JSON.parse(result.stdout) as JsonReport;
  const markup = readFileSync(page, 'utf8');
  const section = (i: number) => {
    const from = markup.indexOf(`id="scenario-${i + 1}"`);
    return markup.slice(from, markup.indexOf('</article>', from));
  };
  // Every verdict, figure, code, fix and warning of the JSON is on the page, in the terminal's words.
  report.scenarios.forEach((o, i) => {
    const html = section(i);
    assert.ok(html.includes(`<h3>${escapeText(o.id)} `), o.id);
    const words = { pass: '✔ pass', 'expected-failure': '✔ failed as expected', fail: '✖ FAIL' }[o.verdict];
    assert.ok(html.includes(`${words}</span>`), o.id);
    // A way expected to pass says how many of its probes did, as the terminal does.
    if (o.probes.length > 1 && o.expect === 'pass')
      assert.ok(html.includes(`${o.passed} of ${o.probes.length} probes passed`), o.id);
    const total = o.stats?.total;
    // p50 above p95 for repeats, as the terminal table: the marks ▼/▲ may follow the p50.
    const figure = total
      ? new RegExp(
          `<td[^>]*>${formatMs(total.p50Ms)}( [▼▲])?<br><span class="p95">${formatMs(total.p95Ms)}</span></td></tr>`,
        )
      : new RegExp(`<td[^>]*>${formatMs(o.probes[o.representative]!.totalMs)}( [▼▲])?</td></tr>`);
    const table = markup.slice(markup.indexOf('<table class="figures">'));
    const at = table.indexOf(`href="#scenario-${i + 1}">`);
    assert.match(table.slice(at, table.indexOf('</tr>', at) + 5), figure, `${o.id}: total`);
    if (o.diagnosis) {
      assert.ok(
        html.includes(`<code class="code">${o.diagnosis.code}</code>: ${escapeText(o.diagnosis.message)}`),
      );
      if (!o.met) {
        const { file: at, line, column } = o.diagnosis.location;
        assert.ok(html.includes(escapeText(o.diagnosis.hint)), o.id);
        assert.ok(
          html.includes(`<code>${escapeText(`${at}:${line}:${column}`)}</code>`),
          `${o.id}: line to change`,
        );
      }
    }
    for (const w of o.warnings) assert.ok(html.includes(escapeText(w.message)), `${o.id}: ${w.code}`);
  });
  const banner = markup.slice(0, markup.indexOf('</header>'));
  assert.match(banner, /From this network use 8883 .*is blocked \(tcp\.refused\)\./);
  assert.ok(report.scenarios.some((o) => o.diagnosis?.code === 'tcp.refused' && !o.met));
  assert.doesNotMatch(markup, /<script/);
  assert.ok(markup.includes(`<dt>host</dt><dd>${escapeText(hostname())}</dd>`));
  assert.ok(
    markup.includes(`<dt>mqttprobe</dt><dd>${pkg.version}</dd><dt>Node.js</dt><dd>${process.version}</dd>`),
  );
  assert.ok(statSync(page).size < 600_000);
});

test('--format html prints the page on stdout, for `run` and `demo`', async () => {
  const result = await runCli(
    ['run', 'scenarios/demo.yaml', '--only', 'port 8883', '--format', 'html'],
    {},
    { built: true },
  );
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^<!DOCTYPE html>/);
  assert.match(result.stdout, /<h1>✔ mqttprobe: 1 of 1 scenario met<\/h1>/);
});

test('`check --report html=FILE` opens its page with the recommendation check prints', async (t) => {
  const page = join(tempDir(t), 'check.html');
  const result = await runCli(
    ['check', 'emulator', '--repeat', '1', '--report', `html=${page}`],
    {},
    { built: true },
  );
  assert.equal(result.code, 0, result.stderr);
  const printed = result.stdout.trim().split('\n\n').at(-1)!.replace(/\s+/g, ' ');
  assert.match(printed, /^From this network use /);
  const markup = readFileSync(page, 'utf8');
  assert.ok(markup.includes(`<p class="recommendation">${escapeText(printed)}</p>`), printed);
});
