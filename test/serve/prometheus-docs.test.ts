import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { PROBE_METRIC_NAMES } from '../../src/report/openmetrics.js';
import { loadWebConfig } from '../../src/serve/web-config.js';
import { promtool } from '../helpers/promtool.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';

const docs = new URL('../../docs/', import.meta.url).pathname;
const doc = readFileSync(join(docs, 'prometheus.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('docs/prometheus.md', () => {
  test('documents every metric a probe can have, and the exporter’s own', () => {
    for (const name of PROBE_METRIC_NAMES) assert.ok(doc.includes(`| \`${name}\``), name);
    for (const name of [
      'mqttprobe_probes_total',
      'mqttprobe_requests_refused_total',
      'mqttprobe_config_last_reload_successful',
      'mqttprobe_config_last_reload_success_timestamp_seconds',
    ])
      assert.ok(doc.includes(`\`${name}\``), name);
  });

  test('every YAML example parses; the web config example is one the exporter loads', (t) => {
    assert.ok(blocks.length >= 5);
    for (const block of blocks) {
      // Fragments of a scrape_configs list are indented under it.
      assert.doesNotThrow(
        () => parse(block.startsWith('  ') ? `scrape_configs:\n${block}` : block),
        block.slice(0, 60),
      );
    }
    const web = blocks.find((b) => b.startsWith('tls_server_config:'))!;
    const dir = tempDir(t);
    // Only the users part: the certificate files of the example do not exist here.
    const users = web.slice(web.indexOf('basic_auth_users:'));
    writeFileSync(join(dir, 'web.yml'), users);
    const loaded = loadWebConfig(join(dir, 'web.yml'));
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  });

  systemTest(
    'the alerting rules pass promtool check rules and their unit tests',
    { commands: ['promtool'] },
    async () => {
      const checked = await promtool(['check', 'rules', join(docs, 'prometheus-rules.yml')]);
      assert.equal(checked.code, 0, checked.output);
      assert.match(checked.output, /SUCCESS: 4 rules found/);
      const tested = await promtool(['test', 'rules', join(docs, 'prometheus-rules.test.yml')]);
      assert.equal(tested.code, 0, tested.output);
    },
  );

  systemTest(
    'the scrape configuration passes promtool check config',
    { commands: ['promtool'] },
    async (t) => {
      const dir = tempDir(t);
      const scrape = blocks.find((b) => b.startsWith('scrape_configs:'))!;
      const extra = blocks.find((b) => b.includes('mqttprobe-brokers'))!;
      writeFileSync(join(dir, 'prometheus.yml'), `${scrape}${extra}`);
      const checked = await promtool(['check', 'config', join(dir, 'prometheus.yml')]);
      assert.equal(checked.code, 0, checked.output);
    },
  );
});
