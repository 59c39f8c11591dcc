// A name with an IPv6 and an IPv4 address, on a network that drops one family to the broker's port: the probe
// passes over the other family and warns, naming the family and address; with both dropped the failure names both.
// mosquitto listens on both root-side addresses of a namespace's veth; /etc/netns/NAME/hosts maps the name to both.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import type { JsonReport } from '../../src/report/report-schema.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { writeBrokerPki } from './helpers/broker-pki.js';
import { startMosquitto } from './helpers/mosquitto.js';
import { createNetworkNamespace } from './helpers/network-namespace.js';
import { spawnInNamespace } from './helpers/run-in-namespace.js';

// The bundle, as CLI tests run it: three runs start a third as fast as through tsx.
const cli = new URL('../../dist/cli.js', import.meta.url).pathname;
const NAME = 'broker.dual-stack.test';
const TIMEOUT_MS = 1000;

describe('dual stack with one family dropped', () => {
  systemTest(
    'IPv6 dropped: passes over IPv4 and warns about IPv6; IPv4 dropped: the reverse; both: the failure names both',
    { root: true, commands: ['ip', 'iptables', 'ip6tables', 'mosquitto'] },
    async (t) => {
      // IPv6 first, as a resolver that prefers it lists it.
      const probe = createNetworkNamespace(t, {
        ipv6: true,
        etc: (ns) => ({ hosts: `${ns.hostAddress6} ${NAME}\n${ns.hostAddress} ${NAME}\n` }),
      });
      const v4 = probe.hostAddress;
      const v6 = probe.hostAddress6!;
      const dir = tempDir(t);
      const pki = await writeBrokerPki(dir, { extraAltNames: [NAME] });
      const broker = await startMosquitto(t, dir, pki, { host: v4, alsoOn: [v6] });
      const file = join(dir, 'dual-stack.yaml');
      writeFileSync(
        file,
        `version: 1
scenarios:
  - name: dual stack
    endpoint: ${NAME}
    port: ${broker.port}
    ca: ca.pem
    auth: { type: x509, cert: client.pem, key: client-key.pem }
    timeout: ${TIMEOUT_MS}ms
`,
      );
      const env = { ...process.env, NO_COLOR: '1', HTTPS_PROXY: '', ALL_PROXY: '', COLUMNS: '200' };
      const run = async (format: 'json' | 'table') => {
        return spawnInNamespace(probe, [process.execPath, cli, 'run', file, '--format', format], { env });
      };
      const drop = (tables: (args: string[]) => void, address: string) =>
        tables(['-A', 'OUTPUT', '-p', 'tcp', '-d', address, '--dport', String(broker.port), '-j', 'DROP']);

      // IPv6 dropped: the table says so, with the address, and the probe passed over IPv4.
      drop(probe.ip6tables, v6);
      const table = await run('table');
      assert.equal(table.code, 0, `${table.stdout}\n${table.stderr}`);
      assert.match(table.stdout, /✔ pass/);
      const ipv6Warning = new RegExp(
        `⚠ tcp\\.family-failed: IPv6 to \\[${v6}\\]:${broker.port} got no answer within ${TIMEOUT_MS} ms, while IPv4 to ${v4.replaceAll('.', '\\.')} connected`,
      );
      assert.match(table.stdout.replace(/\n +/g, ' '), ipv6Warning);
      assert.match(
        table.stdout.replace(/\n +/g, ' '),
        /uses only IPv6, or prefers IPv6 and does not fall back to IPv4, fails here \(tcp\.timeout\)/,
      );

      // IPv4 dropped instead: passes over IPv6, the warning is about IPv4.
      probe.ip6tables(['-F', 'OUTPUT']);
      drop(probe.iptables, v4);
      const ipv4Dropped = await run('json');
      assert.equal(ipv4Dropped.code, 0, `${ipv4Dropped.stdout}\n${ipv4Dropped.stderr}`);
      const overIpv6 = (JSON.parse(ipv4Dropped.stdout) as JsonReport).scenarios[0]!;
      const passed = overIpv6.probes[0]!;
      assert.equal(passed.address, v6);
      assert.equal(passed.family, 6);
      assert.deepEqual(
        passed.familyAttempts?.map((a) => [a.family, a.address, a.outcome, a.used]),
        [
          [6, v6, 'connected', true],
          [4, v4, 'timeout', false],
        ],
      );
      const warning = overIpv6.warnings.find((w) => w.code === 'tcp.family-failed');
      assert.match(
        warning?.message ?? '',
        new RegExp(`^IPv4 to ${v4.replaceAll('.', '\\.')}:${broker.port} got no answer`),
      );
      assert.match(
        warning?.message ?? '',
        /uses only IPv4, or prefers IPv4 and does not fall back to IPv6, fails here/,
      );

      // Both dropped: tcp.timeout about the resolver's first (IPv6), naming IPv4 too.
      drop(probe.ip6tables, v6);
      const both = await run('json');
      assert.equal(both.code, 1, `${both.stdout}\n${both.stderr}`);
      const failed = (JSON.parse(both.stdout) as JsonReport).scenarios[0]!;
      assert.equal(failed.diagnosis?.code, 'tcp.timeout');
      assert.equal(
        failed.diagnosis?.message,
        `TCP connect to [${v6}]:${broker.port} (IPv6) got no answer within ${TIMEOUT_MS} ms; IPv4 failed too: ${v4} got no answer within ${TIMEOUT_MS} ms`,
      );
      assert.deepEqual(
        failed.warnings.filter((w) => w.code === 'tcp.family-failed'),
        [],
      );
    },
  );
});
