// The HTML report as a browser shows it: Debian's headless chromium renders the page of the demo's scenarios plus
// two hostile ones (a name holding a script, a server whose certificate and answer hold markup). Every scenario,
// diagnosis code and waterfall must be in the rendered DOM, nothing hostile may become an element, the screenshot
// must show something, and the page must ask for nothing from the network.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { createCa, createServerCert } from '../../src/emulator/certificates.js';
import { escapeText } from '../../src/report/html/escape.js';
import type { JsonReport } from '../../src/report/report-schema.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { runChromium } from './helpers/chromium.js';
import { decodePng, inkStatistics } from './helpers/png-pixels.js';

const SCRIPT_NAME = '<script>alert(1)</script>';
const IMG_SUBJECT = '"><img src=x onerror=alert(2)>';
const SERVER_TEXT = 'HTTP/1.1 400 <iframe src="x"></iframe>';

systemTest(
  'chromium renders the report: every scenario, code and waterfall, hostile text inert, nothing fetched',
  { commands: ['chromium'] },
  async (t) => {
    const dir = tempDir(t);
    // A TLS server whose certificate's CN and whose answer to CONNECT hold markup.
    const ca = await createCa({ commonName: 'html test CA' });
    const server = await createServerCert(ca, {
      hostname: IMG_SUBJECT,
      altNames: ['localhost', '127.0.0.1'],
    });
    const tls = createServer({ cert: server.cert, key: server.key }, (socket) =>
      socket.end(`${SERVER_TEXT}\r\n\r\n`),
    );
    tls.listen(0, '127.0.0.1');
    await once(tls, 'listening');
    t.after(() => tls.close());
    writeFileSync(join(dir, 'ca.pem'), ca.cert);
    const demo = readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url), 'utf8');
    const file = join(dir, 'report.yaml');
    writeFileSync(
      file,
      `${demo}
  - name: ${JSON.stringify(SCRIPT_NAME)}
    endpoint: 127.0.0.1
    servername: localhost
    port: ${(tls.address() as AddressInfo).port}
    ca: ${join(dir, 'ca.pem')}
    auth: { type: none }
    steps: [connect]
    expect: mqtt.http-response
`,
    );
    const page = join(dir, 'report.html');
    const run = await runCli(
      ['run', file, '--format', 'json', '--report', `html=${page}`],
      {},
      { built: true },
    );
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    const hostile = report.scenarios.find((o) => o.id === SCRIPT_NAME)!;
    assert.equal(hostile.probes[0]!.tls?.serverCertificate?.subject, `CN=${IMG_SUBJECT}`);
    assert.ok(statSync(page).size < 600_000, `the page is ${statSync(page).size} bytes`);

    const dom = await runChromium(page, ['--dump-dom']);
    assert.equal(dom.timedOut, false, dom.stderr);
    const rendered = dom.stdout;
    for (const o of report.scenarios) {
      assert.ok(rendered.includes(`<h3>${escapeText(o.id)} `), `${o.id} is not on the rendered page`);
      if (o.diagnosis)
        assert.ok(rendered.includes(`<code class="code">${o.diagnosis.code}</code>`), o.diagnosis.code);
    }
    assert.equal((rendered.match(/<svg class="waterfall-chart"/g) ?? []).length, report.scenarios.length);
    assert.match(rendered, /<svg class="compare-chart"/);
    // The hostile texts are there as text; none became an element.
    assert.doesNotMatch(rendered, /<script|<img|<iframe/);
    assert.ok(rendered.includes(escapeText(SCRIPT_NAME)));
    assert.ok(rendered.includes(escapeText(`CN=${IMG_SUBJECT}`)));
    assert.ok(rendered.includes('&lt;iframe src="x"&gt;'), 'the server text is shown');
    assert.deepEqual(dom.pageRequests, [], 'the page asked for something from the network');

    const png = join(dir, 'report.png');
    const shot = await runChromium(page, [`--screenshot=${png}`, '--window-size=1200,2000']);
    assert.equal(shot.timedOut, false, shot.stderr);
    assert.deepEqual(shot.pageRequests, []);
    const pixels = decodePng(readFileSync(png));
    assert.deepEqual([pixels.width, pixels.height], [1200, 2000]);
    const ink = inkStatistics(pixels);
    // Text, the banner, bars in several colours: a blank or single-colour page has neither.
    assert.ok(ink.inked > ink.total * 0.05, `only ${ink.inked} of ${ink.total} pixels are not white`);
    assert.ok(ink.colours > 50, `only ${ink.colours} colours`);
  },
);
