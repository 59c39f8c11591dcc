// `mqttprobe check` behind squid as a corporate proxy (CONNECT to 443 only, Basic auth) on a network where 8883 is
// open directly: direct ways stay direct, the recommendation names the simplest way that works, and `--save`
// writes what was seen, so the saved file passes when run again on the same network.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe } from 'node:test';
import { writeEmulatorCerts } from '../../src/emulator/emulator-env.js';
import { startEmulator } from '../../src/emulator/index.js';
import { paragraphFrom } from '../helpers/layout.js';
import { tempDir } from '../helpers/scenario-files.js';
import { systemTest } from '../helpers/system.js';
import { createNetworkNamespace } from './helpers/network-namespace.js';
import { spawnInNamespace } from './helpers/run-in-namespace.js';
import { startSquid } from './helpers/squid.js';

const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
const PASSWORD = 'Sq1dS3cret';

describe('check behind squid', () => {
  systemTest(
    'direct 8883 is recommended, only the proxied 8883 is refused, and the saved file passes on the same network',
    { root: true, commands: ['ip', 'squid', 'openssl', '/usr/lib/squid/basic_ncsa_auth'] },
    async (t) => {
      const ns = createNetworkNamespace(t);
      const dir = tempDir(t);
      // The real port numbers on the veth address: the proxy judges 8883 and 443 as they are.
      const emulator = await startEmulator({
        host: ns.hostAddress,
        hostname: ns.hostAddress,
        ports: { mqtts: 8883, alpn: 443 },
      });
      t.after(() => emulator.close());
      const certs = writeEmulatorCerts(emulator, dir);
      const squid = await startSquid(t, dir, { host: ns.hostAddress, username: 'probe', password: PASSWORD });
      const env = {
        ...process.env,
        NO_COLOR: '1',
        HTTPS_PROXY: `http://probe:${PASSWORD}@${squid.host}:${squid.port}`,
        ALL_PROXY: '',
        NO_PROXY: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_PROFILE: '',
      };
      const saved = join(dir, 'ways.yaml');
      const cert = ['--cert', certs.cert, '--key', certs.key, '--ca', certs.ca];
      const node = [process.execPath, '--import', import.meta.resolve('tsx'), cli];
      const args = ['check', ns.hostAddress, ...cert, '--repeat', '1', '--timeout', '2s', '--save', saved];
      const check = await spawnInNamespace(ns, [...node, ...args], { env });
      assert.equal(check.code, 0, `${check.stdout}\n${check.stderr}\n${squid.output()}`);
      // The recommendation wraps at the width like any paragraph; read back whole.
      const line = paragraphFrom(check.stdout, 'From this network');
      assert.match(
        line ?? '',
        /^From this network use 8883 \([\d.]+m?s\); 8883 through the proxy is blocked \(proxy\.refused\); 443 without ALPN fails \(mqtt\.http-response\)\.$/,
        check.stdout,
      );
      const text = readFileSync(saved, 'utf8');
      assert.ok(
        !text.includes(PASSWORD) && !check.stdout.includes(PASSWORD) && !check.stderr.includes(PASSWORD),
      );
      // Direct ways say so; the refused proxied way expects what it got.
      assert.match(text, /- name: "8883"\n {4}tags: \[way\]\n {4}port: 8883\n {4}proxy: none\n/);
      assert.match(text, /- name: "8883 via proxy"\n(?: {4}.*\n)*? {4}expect: proxy\.refused\n/);
      assert.match(
        text,
        /- name: "443 alpn via proxy"\n {4}tags: \[way, proxy\]\n {4}port: 443\n {4}alpn: x-amzn-mqtt-ca\n {4}proxy: "\$\{HTTPS_PROXY\}"\n {2}[-#]/,
      );

      const rerun = await spawnInNamespace(ns, [...node, 'run', saved, '--timeout', '2s'], { env });
      assert.equal(rerun.code, 0, `${rerun.stdout}\n${rerun.stderr}`);
      assert.match(rerun.stdout, /5 scenarios: 5 met/);
    },
  );
});
