// `mqttprobe check` from inside a namespace whose firewall lets only 443 out: it must recommend 443 with ALPN.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { writeEmulatorCerts } from '../../src/emulator/emulator-env.js';
import { startEmulator } from '../../src/emulator/index.js';
import { paragraphFrom } from '../helpers/layout.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { createNetworkNamespace } from './helpers/network-namespace.js';
import { spawnInNamespace } from './helpers/run-in-namespace.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;

describe('check in a restricted network', () => {
  systemTest(
    'with everything but 443 dropped, check recommends 443 with ALPN and names 8883 as blocked',
    { root: true, commands: ['ip', 'iptables'] },
    async (t) => {
      const ns = createNetworkNamespace(t);
      // The real port numbers, on the veth address only: `check HOST` probes 8883 and 443 as AWS has them.
      const emulator = await startEmulator({
        host: ns.hostAddress,
        hostname: ns.hostAddress,
        ports: { mqtts: 8883, alpn: 443 },
      });
      t.after(() => emulator.close());
      const certs = writeEmulatorCerts(emulator, tempDir(t));
      ns.iptables(['-A', 'OUTPUT', '-d', ns.hostAddress, '-p', 'tcp', '--dport', '443', '-j', 'ACCEPT']);
      ns.iptables(['-A', 'OUTPUT', '-d', ns.hostAddress, '-j', 'DROP']);

      const args = [
        'check',
        ns.hostAddress,
        '--cert',
        certs.cert,
        '--key',
        certs.key,
        '--ca',
        certs.ca,
        '--repeat',
        '1',
        '--timeout',
        '1s',
      ];
      const {
        code,
        stdout: out,
        stderr: err,
      } = await spawnInNamespace(
        ns,
        [process.execPath, '--import', import.meta.resolve('tsx'), cli, ...args],
        {
          env: {
            ...process.env,
            NO_COLOR: '1',
            HTTPS_PROXY: '',
            ALL_PROXY: '',
            AWS_ACCESS_KEY_ID: '',
            AWS_PROFILE: '',
          },
        },
      );
      assert.equal(code, 0, `${out}\n${err}`);
      assert.match(
        // The recommendation wraps at the width like any paragraph; read back whole.
        paragraphFrom(out, 'From this network') ?? out,
        // An address is no AWS default endpoint: 443 without ALPN is one more way, and here it meets HTTPS.
        /^From this network use 443 with ALPN x-amzn-mqtt-ca \([\d.]+m?s\); 8883 is blocked \(tcp\.timeout\); 443 without ALPN fails \(mqtt\.http-response\)\.$/,
      );
      // Nothing was saved, so the fix names what to run to get a file, not a line of a file that does not exist.
      assert.doesNotMatch(out, /mqttprobe-check\.yaml/);
      assert.match(out, /at the standard comparison \(`mqttprobe check [\d.]+ --save FILE` writes it/);
    },
  );
});
