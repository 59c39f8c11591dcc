import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import bcrypt from 'bcryptjs';
import { runCli } from '../helpers/cli.js';
import { promtoolCheckMetrics } from '../helpers/promtool.js';
import { tempDir, writeFiles } from '../helpers/scenario-files.js';
import { ask, type RunningServe, sample, startServe } from '../helpers/serve.js';
import { missingSystemParts } from '../helpers/system.js';
import { type ScriptedBroker, startScriptedBroker } from '../probe/helpers/scripted-broker.js';
import { closedPort, startSynBlackhole } from '../probe/helpers/tiny-servers.js';

const HOSTILE = '<img src=x onerror=alert(1)> "q" & more';

describe('mqttprobe serve', () => {
  let serve: RunningServe;
  let broker: ScriptedBroker;
  let dir: string;
  let file: string;
  let scenarios: string;
  const cleanups: Array<() => Promise<void>> = [];

  before(async () => {
    const t = { after: (fn: () => unknown) => cleanups.push(async () => void (await fn())) };
    dir = tempDir(t as never);
    // Takes a fixed client ID over as AWS does: two probes with it at once would kick each other.
    broker = await startScriptedBroker({ takeover: true });
    cleanups.push(() => broker.close());
    const blackhole = await startSynBlackhole();
    assert.ok(blackhole, 'python3 holds the SYN blackhole');
    cleanups.push(() => blackhole.close());
    const closed = await closedPort();
    scenarios = [
      'version: 1',
      'defaults:',
      '  transport: mqtt',
      '  endpoint: 127.0.0.1',
      `  port: ${broker.port}`,
      'scenarios:',
      '  - name: ok',
      '  - name: blocked',
      `    port: ${blackhole.port}`,
      '    timeout: 60s',
      '  - name: fixed id',
      '    mqtt: { clientId: serve-fixed-id }',
      '    hold: 1s',
      '  - name: retarget',
      `    port: ${closed}`,
      `    serve: { targets: ["127.0.0.1:${broker.port}"] }`,
      `  - name: '${HOSTILE}'`,
      `    port: ${closed}`,
      '',
    ].join('\n');
    file = writeFiles(dir, { 'site.yaml': scenarios })['site.yaml']!;
    serve = await startServe(t as never, [file]);
  });
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  test('a reachable scenario reads probe_success 1 with its phases, and promtool accepts the answer', async () => {
    const answer = await ask(`${serve.url}/probe?scenario=ok`);
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^text\/plain; version=0\.0\.4/);
    assert.equal(sample(answer.body, 'probe_success'), 1);
    assert.equal(sample(answer.body, 'probe_mqtt_expectation_met'), 1);
    assert.ok(sample(answer.body, 'probe_mqtt_phase_duration_seconds{phase="connack"}')! > 0);
    assert.doesNotMatch(answer.body, /scenario=/, 'Prometheus adds the scenario label from the URL');
    if (!missingSystemParts({ commands: ['promtool'] })) {
      const checked = await promtoolCheckMetrics(answer.body);
      assert.equal(checked.code, 0, checked.output);
    }
  });

  test('a scrape that accepts OpenMetrics gets OpenMetrics', async () => {
    const answer = await ask(`${serve.url}/probe?scenario=ok`, {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
    });
    assert.match(answer.type, /^application\/openmetrics-text; version=1\.0\.0/);
    assert.match(answer.body, /# EOF\n$/);
  });

  test('a blackholed scenario is cut at the scrape deadline: probe_success 0 and probe.deadline, not a hung answer', async () => {
    const answer = await ask(`${serve.url}/probe?scenario=blocked`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '1.5' },
    });
    assert.equal(answer.status, 200);
    assert.equal(sample(answer.body, 'probe_success'), 0);
    assert.equal(sample(answer.body, 'probe_mqtt_failure_info{code="probe.deadline",phase="tcp"}'), 1);
  });

  test('an unknown scenario is a 400 that lists the known ones and guesses', async () => {
    const answer = await ask(`${serve.url}/probe?scenario=fixed%20i`);
    assert.equal(answer.status, 400);
    assert.match(
      answer.body,
      /unknown scenario "fixed i"; did you mean "fixed id"\?; scenarios: ok, blocked, fixed id/,
    );
    assert.equal((await ask(`${serve.url}/probe`)).status, 400);
    const badTimeout = await ask(`${serve.url}/probe?scenario=ok`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': 'soon' },
    });
    assert.equal(badTimeout.status, 400);
  });

  test('target= reaches only a host the scenario file lists, nothing else', async () => {
    const own = await ask(`${serve.url}/probe?scenario=retarget`);
    assert.equal(sample(own.body, 'probe_mqtt_failure_info{code="tcp.refused",phase="tcp"}'), 1);
    const listed = await ask(`${serve.url}/probe?scenario=retarget&target=127.0.0.1:${broker.port}`);
    assert.equal(listed.status, 200);
    assert.equal(sample(listed.body, 'probe_success'), 1);
    for (const target of ['127.0.0.2', `127.0.0.2:${broker.port}`, 'example.com:443', 'emulator']) {
      const refused = await ask(`${serve.url}/probe?scenario=retarget&target=${encodeURIComponent(target)}`);
      assert.equal(refused.status, 400, target);
      assert.match(refused.body, /list it under serve\.targets/);
    }
    const unlisted = await ask(`${serve.url}/probe?scenario=ok&target=127.0.0.1:${broker.port}`);
    assert.equal(unlisted.status, 400, 'a scenario without serve.targets takes no target');
  });

  test('concurrent scrapes of a fixed client ID queue instead of taking each other over', async () => {
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        ask(`${serve.url}/probe?scenario=fixed%20id`, {
          headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '10' },
        }),
      ),
    );
    for (const answer of answers) {
      assert.equal(sample(answer.body, 'probe_success'), 1, answer.body);
    }
  });

  test('/ lists the scenarios with their last result and diagnosis, everything escaped', async () => {
    await ask(`${serve.url}/probe?scenario=${encodeURIComponent(HOSTILE)}`);
    const page = await ask(`${serve.url}/`);
    assert.equal(page.status, 200);
    assert.match(page.type, /^text\/html/);
    assert.ok(!page.body.includes('<img'), 'the scenario name is not markup');
    // The HTML report's escaping (src/report/html/escape.ts): the name is text.
    assert.ok(page.body.includes('&lt;img src=x onerror=alert(1)&gt; "q" &amp; more'));
    assert.match(page.body, /tcp\.refused/);
    assert.match(page.body, /probe\.deadline/);
  });

  test('/metrics has the process, the probes by scenario and outcome, and the reload state', async () => {
    const metrics = await ask(`${serve.url}/metrics`);
    assert.ok(sample(metrics.body, 'mqttprobe_probes_total{scenario="ok",outcome="success"}')! >= 2);
    assert.ok(sample(metrics.body, 'mqttprobe_probes_total{scenario="blocked",outcome="deadline"}')! >= 1);
    assert.ok(sample(metrics.body, 'mqttprobe_requests_refused_total{reason="unknown-scenario"}')! >= 1);
    assert.equal(sample(metrics.body, 'mqttprobe_config_last_reload_successful'), 1);
    assert.match(metrics.body, /^process_resident_memory_bytes /m);
  });

  test('SIGHUP re-reads the files; an invalid file keeps the running scenarios and says where it is wrong', async () => {
    writeFileSync(file, `${scenarios}  - name: added later\n`);
    serve.run.child.kill('SIGHUP');
    await serve.run.waitForStderr(/reloaded the configuration: 6 scenarios/);
    assert.equal((await ask(`${serve.url}/probe?scenario=added%20later`)).status, 200);

    writeFileSync(file, `${scenarios}  - name: broken\n    qos: 7\n`);
    const reload = await ask(`${serve.url}/-/reload`, { method: 'POST' });
    assert.equal(reload.status, 500);
    assert.match(serve.run.stderr(), new RegExp(`${file.replace(/[.]/g, '\\.')}:\\d+:\\d+`));
    assert.match(serve.run.stderr(), /reload failed, keeping the running configuration/);
    assert.equal((await ask(`${serve.url}/probe?scenario=added%20later`)).status, 200);
    const metrics = await ask(`${serve.url}/metrics`);
    assert.equal(sample(metrics.body, 'mqttprobe_config_last_reload_successful'), 0);
    writeFileSync(file, scenarios);
  });

  test('SIGTERM stops it with exit code 0 and no stack trace', async () => {
    const { code } = await serve.stop();
    assert.equal(code, 0);
    assert.match(serve.run.stderr(), /SIGTERM: stopping/);
    assert.doesNotMatch(serve.run.stderr(), /\n\s+at /);
  });
});

describe('mqttprobe serve with a web config', () => {
  test('basic auth: no or a wrong password gets 401 and no metrics; the right one gets them', async (t) => {
    const dir = tempDir(t);
    const broker = await startScriptedBroker();
    t.after(() => broker.close());
    const files = writeFiles(dir, {
      'site.yaml': `version: 1\nscenarios:\n  - name: ok\n    transport: mqtt\n    endpoint: 127.0.0.1\n    port: ${broker.port}\n`,
      'web.yml': `basic_auth_users:\n  prometheus: ${bcrypt.hashSync('s3cret', 4)}\n`,
    });
    const serve = await startServe(t, [files['site.yaml']!, '--web.config.file', files['web.yml']!]);
    const basic = (user: string, password: string) => ({
      Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    for (const headers of [{}, basic('prometheus', 'wrong'), basic('nobody', 's3cret')]) {
      const answer = await ask(`${serve.url}/probe?scenario=ok`, { headers });
      assert.equal(answer.status, 401);
      assert.doesNotMatch(answer.body, /probe_success/);
    }
    assert.equal((await ask(`${serve.url}/metrics`)).status, 401);
    const ok = await ask(`${serve.url}/probe?scenario=ok`, { headers: basic('prometheus', 's3cret') });
    assert.equal(ok.status, 200);
    assert.equal(sample(ok.body, 'probe_success'), 1);
  });

  test('a bad web config is exit 2 with file:line:col and the fix, and never prints a password hash', async (t) => {
    const dir = tempDir(t);
    const hash = bcrypt.hashSync('s3cret', 4);
    const files = writeFiles(dir, {
      'site.yaml': 'version: 1\nscenarios:\n  - name: ok\n    endpoint: 127.0.0.1\n',
      'web.yml': `tls_server_config:\n  cert_fle: server.pem\nbasic_auth_users:\n  prometheus: ${hash.slice(0, 20)}\n`,
    });
    const { code, stderr } = await runCli([
      'serve',
      files['site.yaml']!,
      '--web.config.file',
      files['web.yml']!,
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /unknown key `cert_fle`/);
    assert.match(stderr, new RegExp(`${files['web.yml']!.replace(/[.]/g, '\\.')}:2:3`));
    assert.match(stderr, /did you mean `cert_file`\?/);
    assert.match(stderr, /expected a bcrypt hash/);
    assert.ok(!stderr.includes(hash.slice(7, 20)), 'the hash is not echoed');
    assert.doesNotMatch(stderr, /\n\s+at /);
  });

  test('over --max-concurrent, a scrape gets 503 at once instead of queueing behind a slow probe', async (t) => {
    const dir = tempDir(t);
    const blackhole = await startSynBlackhole();
    assert.ok(blackhole);
    t.after(() => blackhole.close());
    const files = writeFiles(dir, {
      'site.yaml': `version: 1\nscenarios:\n  - name: blocked\n    transport: mqtt\n    endpoint: 127.0.0.1\n    port: ${blackhole.port}\n`,
    });
    const serve = await startServe(t, [files['site.yaml']!, '--max-concurrent', '1']);
    const slow = ask(`${serve.url}/probe?scenario=blocked`, {
      headers: { 'X-Prometheus-Scrape-Timeout-Seconds': '3' },
    });
    // The first scrape holds the only slot until its deadline; wait until the exporter counts it in flight.
    let inFlight = 0;
    for (let i = 0; i < 1000 && inFlight !== 1; i++) {
      inFlight = sample((await ask(`${serve.url}/metrics`)).body, 'mqttprobe_probes_in_flight') ?? 0;
    }
    assert.equal(inFlight, 1, 'the slow scrape is in flight');
    const refused = await ask(`${serve.url}/probe?scenario=blocked`);
    assert.equal(refused.status, 503);
    assert.match(refused.body, /--max-concurrent/);
    assert.equal(sample((await slow).body, 'probe_mqtt_failure_info{code="probe.deadline",phase="tcp"}'), 1);
  });

  test('an invalid --listen or --max-concurrent is exit 2 with the fix', async () => {
    const listen = await runCli(['serve', 'scenarios/demo.yaml', '--listen', 'localhost']);
    assert.equal(listen.code, 2);
    assert.match(listen.stderr, /--listen localhost is not HOST:PORT/);
    const max = await runCli(['serve', 'scenarios/demo.yaml', '--max-concurrent', '0']);
    assert.equal(max.code, 2);
    assert.match(max.stderr, /--max-concurrent 0 is not a whole number/);
  });
});

describe('mqttprobe run --format openmetrics', () => {
  test('stdout and --report openmetrics=FILE hold the metrics, one scenario label per series, and promtool accepts them', async (t) => {
    const dir = tempDir(t);
    const broker = await startScriptedBroker();
    t.after(() => broker.close());
    const closed = await closedPort();
    const files = writeFiles(dir, {
      'site.yaml': [
        'version: 1',
        'defaults: { transport: mqtt, endpoint: 127.0.0.1 }',
        'scenarios:',
        `  - name: ok\n    port: ${broker.port}`,
        `  - name: 'closed "port"'\n    port: ${closed}`,
        '',
      ].join('\n'),
    });
    const report = `${dir}/mqttprobe.prom`;
    const { code, stdout } = await runCli([
      'run',
      files['site.yaml']!,
      '--format',
      'openmetrics',
      '--report',
      `openmetrics=${report}`,
    ]);
    assert.equal(code, 1, 'a scenario missed its expectation');
    assert.equal(sample(stdout, 'probe_success{scenario="ok"}'), 1);
    assert.equal(sample(stdout, 'probe_success{scenario="closed \\"port\\""}'), 0);
    assert.equal(
      sample(stdout, 'probe_mqtt_failure_info{scenario="closed \\"port\\"",code="tcp.refused",phase="tcp"}'),
      1,
    );
    assert.match(stdout, /# EOF\n$/);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(report, 'utf8'), stdout);
    if (!missingSystemParts({ commands: ['promtool'] })) {
      const checked = await promtoolCheckMetrics(stdout);
      assert.equal(checked.code, 0, checked.output);
    }
  });

  test('serve refuses two files with a scenario of the same name: /probe?scenario= must name one', async (t) => {
    const dir = tempDir(t);
    const files = writeFiles(dir, {
      'a.yaml': 'version: 1\nscenarios:\n  - name: same\n    endpoint: 127.0.0.1\n',
      'b.yaml': 'version: 1\nscenarios:\n  - name: same\n    endpoint: 127.0.0.1\n',
    });
    const { code, stderr } = await runCli([
      'serve',
      files['a.yaml']!,
      files['b.yaml']!,
      '--listen',
      '127.0.0.1:0',
    ]);
    assert.equal(code, 2);
    assert.match(stderr, /scenario "same" is in both .*a\.yaml and .*b\.yaml/);
  });
});
