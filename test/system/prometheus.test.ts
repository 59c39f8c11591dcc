// Debian's Prometheus scrapes `mqttprobe serve` as it would at a site: a multi-target job relabelling `__address__`
// into `__param_scenario` (as blackbox_exporter's docs do), one reachable scenario and one SYN-blackholed, and a
// second exporter behind a web config with TLS and basic auth, scraped with Prometheus's own tls_config and
// basic_auth; a job with a wrong password gets 401 and no samples. One Prometheus for all jobs, runs kept short.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import bcrypt from 'bcryptjs';
import { tempDir, writeFiles } from '../helpers/scenario-files.js';
import { startServe } from '../helpers/serve.js';
import { systemTest } from '../helpers/system.js';
import { startSynBlackhole } from '../probe/helpers/tiny-servers.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startPrometheus } from './helpers/prometheus.js';

/** A multi-target job: each target is a scenario name, the exporter's address goes into `__address__`. */
function job(name: string, exporter: string, scenarios: string[], extra: string[] = []): string {
  return [
    `  - job_name: ${name}`,
    '    metrics_path: /probe',
    '    scrape_interval: 2s',
    '    scrape_timeout: 2s',
    ...extra.map((line) => `    ${line}`),
    '    static_configs:',
    `      - targets: [${scenarios.map((s) => JSON.stringify(s)).join(', ')}]`,
    '        labels: { site: factory-1 }',
    '    relabel_configs:',
    '      - source_labels: [__address__]',
    '        target_label: __param_scenario',
    '      - source_labels: [__param_scenario]',
    '        target_label: scenario',
    '      - target_label: __address__',
    `        replacement: ${exporter}`,
  ].join('\n');
}

describe('Prometheus scrapes mqttprobe serve', () => {
  systemTest(
    'probe_success is 1 for a reachable scenario and 0 for a blackholed one, within the scrape timeout; TLS and basic auth work from Prometheus itself',
    { commands: ['prometheus', 'python3'] },
    async (t) => {
      const dir = tempDir(t);
      const blackhole = await startSynBlackhole();
      assert.ok(blackhole);
      t.after(() => blackhole.close());
      const pki = await writeBrokerPki(dir);
      const files = writeFiles(dir, {
        'site.yaml': [
          'version: 1',
          'scenarios:',
          '  - name: ok',
          '    endpoint: emulator',
          '  - name: blocked',
          '    endpoint: 127.0.0.1',
          `    port: ${blackhole.port}`,
          '    timeout: 60s',
          '',
        ].join('\n'),
        'web.yml': [
          'tls_server_config:',
          `  cert_file: ${pki.serverCert}`,
          `  key_file: ${pki.serverKey}`,
          'basic_auth_users:',
          `  prometheus: ${bcrypt.hashSync('s3cret', 4)}`,
          '',
        ].join('\n'),
      });
      const open = await startServe(t, [files['site.yaml']!]);
      const secure = await startServe(t, [files['site.yaml']!, '--web.config.file', files['web.yml']!]);
      assert.match(secure.url, /^https:/);

      const address = (url: string) => url.replace(/^https?:\/\//, '');
      const tls = ['scheme: https', 'tls_config:', `  ca_file: ${pki.ca}`, '  server_name: localhost'];
      const prometheus = await startPrometheus(
        t,
        [
          'scrape_configs:',
          job('mqtt', address(open.url), ['ok', 'blocked']),
          job(
            'mqtt-secure',
            address(secure.url),
            ['ok'],
            [...tls, 'basic_auth:', '  username: prometheus', '  password: s3cret'],
          ),
          job(
            'mqtt-wrong-password',
            address(secure.url),
            ['ok'],
            [...tls, 'basic_auth:', '  username: prometheus', '  password: guessed'],
          ),
          '',
        ].join('\n'),
      );

      await prometheus.waitFor('probe_success{job="mqtt",scenario="ok",site="factory-1"}', (v) => v === 1);
      await prometheus.waitFor('probe_success{job="mqtt",scenario="blocked"}', (v) => v === 0);
      // The blocked probe was cut at the deadline (2 s less 0.5 s), so the scrape itself succeeded in time.
      await prometheus.waitFor(
        'probe_mqtt_failure_info{job="mqtt",scenario="blocked",code="probe.deadline",phase="tcp"}',
        (v) => v === 1,
      );
      const [up] = await prometheus.waitFor('up{job="mqtt",scenario="blocked"}', (v) => v === 1);
      assert.equal(up!.value, 1);
      const [duration] = await prometheus.query('scrape_duration_seconds{job="mqtt",scenario="blocked"}');
      assert.ok(duration!.value < 2, `the scrape took ${duration!.value} s, more than its 2 s timeout`);

      await prometheus.waitFor('probe_success{job="mqtt-secure",scenario="ok"}', (v) => v === 1);
      await prometheus.waitFor('up{job="mqtt-wrong-password"}', (v) => v === 0);
      assert.deepEqual(await prometheus.query('probe_success{job="mqtt-wrong-password"}'), []);
    },
  );
});
